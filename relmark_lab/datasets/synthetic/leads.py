"""Leads: prospects who left their details but never bought (the potential customers).

Leads are drawn from the same people process as customers
(:mod:`~relmark_lab.datasets.synthetic.people`), so their e-mails and phones
never collide with a customer's, and are created uniformly over the window
through the same acquisition channels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relmark_lab.datasets.synthetic._common import (
    _ACQUISITION,
    _HORIZON_DAYS,
    _day,
    _pick,
    _uniform_day,
)


def _build_leads(
    rng: np.random.Generator, people: pd.DataFrame, regions: np.ndarray
) -> pd.DataFrame:
    """Prospects who left their details but never bought."""
    n = len(people)
    created = _uniform_day(rng, np.zeros(n, "int64"), np.full(n, _HORIZON_DAYS))
    return pd.DataFrame(
        {
            "lead_id": [f"L{i:05d}" for i in range(1, n + 1)],
            "name": people["name"].to_numpy(),
            "email": people["email"].to_numpy(),
            "phone": people["phone"].to_numpy(),
            "created_date": _day(np.sort(created)),
            "source_channel": _pick(rng, _ACQUISITION, n),
            "region": regions,
        }
    )
