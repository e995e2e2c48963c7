"""What a shared report may show of a customer: a stable pseudonym, never the id itself.

A report handed to a manager needs to say "these 40 customers are valuable
and probably lost" without giving out who they are. :func:`pseudonymize`
replaces each id by a keyed hash (HMAC-SHA256): the same id gets the same
pseudonym in every report made with the same key, so two reports can be
compared, and nobody without the key can go back to the id. The key is the
analyst's: ``RELMARK_REPORT_KEY`` if set, else a random key written once to
``~/.relmark/report-key`` (:func:`report_key`). The per-customer CSV files a
report writes keep the real ids, for the analyst's own systems.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import pandas as pd

from relmark_lab._ids import as_ids

__all__ = ["KEY_FILE", "pseudonymize", "report_key"]

#: Where the analyst's key lives when ``RELMARK_REPORT_KEY`` is not set.
KEY_FILE = Path.home() / ".relmark" / "report-key"


def report_key() -> bytes:
    """The analyst's pseudonym key: ``RELMARK_REPORT_KEY``, else :data:`KEY_FILE` (made once).

    Examples
    --------
    >>> saved = os.environ.get("RELMARK_REPORT_KEY")
    >>> os.environ["RELMARK_REPORT_KEY"] = "example key"
    >>> report_key()
    b'example key'
    >>> _ = (os.environ.pop("RELMARK_REPORT_KEY") if saved is None
    ...      else os.environ.update(RELMARK_REPORT_KEY=saved))
    """
    text = os.environ.get("RELMARK_REPORT_KEY", "").strip()
    if text:
        return text.encode("utf-8")
    if not KEY_FILE.exists():
        KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        KEY_FILE.write_text(secrets.token_hex(16), encoding="utf-8")
        KEY_FILE.chmod(0o600)
    return KEY_FILE.read_text(encoding="utf-8").strip().encode("utf-8")


def pseudonymize(ids: pd.Series, key: bytes | None = None) -> pd.Series:
    """Each id as ``"C-"`` and 10 hex digits of its keyed hash; missing ids stay missing.

    Parameters
    ----------
    ids : pandas.Series
        Customer ids (read by the kit's one id rule, so ``" 42"`` and ``42``
        get one pseudonym).
    key : bytes, optional
        Default :func:`report_key`.

    Returns
    -------
    pandas.Series
        The pseudonyms, same index.

    Examples
    --------
    >>> ids = pd.Series(["C00001", " C00001 ", "C00002"])
    >>> names = pseudonymize(ids, key=b"k")
    >>> names.iloc[0] == names.iloc[1] != names.iloc[2], len(names.iloc[0])
    (True, 12)
    """
    secret = report_key() if key is None else key
    text = as_ids(ids)
    codes, distinct = pd.factorize(text)
    names = [f"C-{hmac.new(secret, v.encode('utf-8'), hashlib.sha256).hexdigest()[:10]}"
             for v in distinct]
    out = pd.Series(pd.array(names, dtype="str").take(codes, allow_fill=True),
                    index=ids.index, name=ids.name)
    return out
