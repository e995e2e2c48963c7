"""The whole retailer: every process run in order on its own random stream, and its truth.

:func:`simulate` runs the processes of the sibling modules one after the
other and gathers their tables and the truth behind them in a
:class:`SyntheticRetailer`. Each process draws from its own child of
``numpy.random.default_rng(seed)`` (named in ``_STREAMS``), so changing
one table's process leaves the others' draws unchanged; within a stream the
draws happen in the order :func:`simulate` makes them, on which the committed
files depend.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab.datasets.synthetic._common import (
    _ACQUISITION,
    _HORIZON_DAYS,
    _REGIONS,
    _VOC_CHANNEL_PROFILE,
    BGNBD_TRUTH,
    CATEGORY_MARGIN_RATES,
    DEFAULT_N_CUSTOMERS,
    DEFAULT_SEED,
    DROPOUT_LINK,
    GAMMA_GAMMA_TRUTH,
    OBSERVATION_END,
    OBSERVATION_START,
    SIGNUP_END,
    VALUE_DRIVERS_TRUTH,
    _pick,
)
from relmark_lab.datasets.synthetic.connectors import _add_loyalty_connectors
from relmark_lab.datasets.synthetic.customers import (
    _build_customers,
    _draw_complaints,
    _draw_signup_days,
    _dropout_probabilities,
    _simulate_repeat_purchases,
)
from relmark_lab.datasets.synthetic.leads import _build_leads
from relmark_lab.datasets.synthetic.people import _draw_people
from relmark_lab.datasets.synthetic.pilot import _build_pilot
from relmark_lab.datasets.synthetic.pilot_truth import _pilot_truth
from relmark_lab.datasets.synthetic.programs_data import (
    _build_complaint_recovery,
    _build_follow_up,
    _build_stores,
)
from relmark_lab.datasets.synthetic.raw_export import _build_raw_export
from relmark_lab.datasets.synthetic.survey import _build_survey
from relmark_lab.datasets.synthetic.transactions import _build_transactions
from relmark_lab.datasets.synthetic.voice import _build_voice_of_customer
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["SyntheticRetailer", "simulate"]

#: One random stream per process, in this order (children of default_rng(seed)).
_STREAMS = (
    "customers", "satisfaction", "purchases", "spend", "lines", "returns", "lateness",
    "leads", "survey", "voc", "pilot", "raw", "referrals", "discounts", "service",
    "recovery", "follow_up", "stores", "value_drivers",
)


@dataclass(frozen=True, eq=False)
class SyntheticRetailer:
    """All tables of one simulation, plus the truth that generated them.

    Attributes
    ----------
    customers, transactions, leads, survey, voice_of_customer, identity_map : pandas.DataFrame
        The clean tables, one per CSV file of the same name.
    pilot_members, loyalty_pilot, complaint_recovery, follow_up, stores : pandas.DataFrame
        Lesson 06's program-evaluation tables: the pilot's members and their
        monthly panel, the complaint-recovery and follow-up experiments, the stores.
    transactions_raw : pandas.DataFrame
        The raw export as text cells, columns named by :data:`RAW_HEADER`.
    customer_truth : pandas.DataFrame
        Per-customer latent values: purchase rate, dropout probability,
        spend rate, satisfaction, whether the customer is still alive.
    truth : dict
        True parameters, defect counts and table sizes (``truth.json``).

    Examples
    --------
    >>> retailer = simulate(n_customers=300)
    >>> len(retailer.customers)
    300
    """

    customers: pd.DataFrame
    transactions: pd.DataFrame
    leads: pd.DataFrame
    survey: pd.DataFrame
    voice_of_customer: pd.DataFrame
    pilot_members: pd.DataFrame
    loyalty_pilot: pd.DataFrame
    complaint_recovery: pd.DataFrame
    follow_up: pd.DataFrame
    stores: pd.DataFrame
    identity_map: pd.DataFrame
    transactions_raw: pd.DataFrame
    customer_truth: pd.DataFrame
    truth: dict[str, Any]

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table keyed by its file name without ``.csv``.

        Examples
        --------
        >>> "transactions_raw" in simulate(n_customers=300).tables()
        True
        """
        return {
            "customers": self.customers,
            "transactions": self.transactions,
            "leads": self.leads,
            "survey": self.survey,
            "voice_of_customer": self.voice_of_customer,
            "pilot_members": self.pilot_members,
            "loyalty_pilot": self.loyalty_pilot,
            "complaint_recovery": self.complaint_recovery,
            "follow_up": self.follow_up,
            "stores": self.stores,
            "identity_map": self.identity_map,
            "transactions_raw": self.transactions_raw,
            "customer_truth": self.customer_truth,
        }


def _plain(value: Any) -> Any:
    """numpy scalars and containers -> plain Python, so ``json.dumps`` is stable."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return round(float(value), 6)
    return value


def _check_arguments(seed: int, n_customers: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise DataError(_("seed must be a non-negative integer, got {seed!r}.").format(
            seed=seed))
    if (
        isinstance(n_customers, bool)
        or not isinstance(n_customers, int | np.integer)
        or not 200 <= n_customers <= 99_999
    ):
        raise DataError(
            _("n_customers must be an integer from 200 to 99999 (ids have five digits), got "
              "{n_customers!r}.").format(n_customers=n_customers)
        )


def simulate(
    seed: int = DEFAULT_SEED, n_customers: int = DEFAULT_N_CUSTOMERS
) -> SyntheticRetailer:
    """Simulate the retailer's tables and the truth behind them.

    The generative processes are described in :mod:`relmark_lab.datasets.synthetic`
    and in the module of each process. Dropout is linked to dissatisfaction by
    ranks: customers are ordered by the churn score
    ``-w1*s + w2*[unresolved complaint] + noise`` and receive the Beta(a, b)
    quantiles at their rank midpoints, so dissatisfied customers leave sooner
    while the dropout probabilities keep the Beta(a, b) marginal that a BG/NBD
    fit estimates. The purchase rate is independent of this.

    Parameters
    ----------
    seed : int, default 20261125
        Seed of ``numpy.random.default_rng``; same seed, same tables.
    n_customers : int, default 5000
        Number of customers (200 to 99999). Leads, survey, the pilot's members,
        the recovery and follow-up experiments and injected defects scale with it
        (the pilot and experiments with a floor); there are always 40 stores.

    Returns
    -------
    SyntheticRetailer
        The tables and ``truth``.

    Raises
    ------
    DataError
        If ``seed`` or ``n_customers`` is not usable.

    Examples
    --------
    >>> retailer = simulate(seed=1, n_customers=300)
    >>> bool(retailer.transactions["customer_id"].isin(retailer.customers["customer_id"]).all())
    True
    >>> retailer.truth["raw_export"]["expected_ledger"]["rows_kept"] == len(
    ...     retailer.transactions)
    True
    """
    _check_arguments(seed, n_customers)
    streams = dict(zip(_STREAMS, np.random.default_rng(seed).spawn(len(_STREAMS)), strict=True))
    n = int(n_customers)
    n_leads = round(0.4 * n)

    # Who the customers (and leads) are.
    regions = _pick(streams["customers"], _REGIONS, n + n_leads)
    people = _draw_people(streams["customers"], regions)
    signup_day = _draw_signup_days(streams["customers"], n)
    customers = _build_customers(streams["customers"], people.iloc[:n], signup_day, regions[:n])
    leads = _build_leads(streams["leads"], people.iloc[n:].reset_index(drop=True), regions[n:])

    # Latent traits: satisfaction -> complaints -> dropout; rate and spend independent.
    satisfaction = streams["satisfaction"].normal(size=n)
    complaints = _draw_complaints(streams["satisfaction"], satisfaction)
    unresolved = np.bincount(complaints["customer"][~complaints["resolved"]], minlength=n)
    dropout_p, churn_score = _dropout_probabilities(
        streams["satisfaction"], satisfaction, unresolved > 0
    )
    bg = BGNBD_TRUTH
    rate = streams["purchases"].gamma(bg["r"], 1.0 / bg["alpha"], n)
    gg = GAMMA_GAMMA_TRUTH
    spend_rate = streams["spend"].gamma(gg["q"], 1.0 / gg["gamma"], n)

    # Purchases, in weeks since the first purchase; the horizon ends on 2025-12-31.
    horizon_weeks = (_HORIZON_DAYS + 1 - signup_day) / 7.0
    repeat_customer, repeat_weeks, alive = _simulate_repeat_purchases(
        streams["purchases"], rate, dropout_p, horizon_weeks
    )
    transactions = _build_transactions(
        streams, customers, signup_day, repeat_customer, repeat_weeks, spend_rate
    )
    last_purchase_day = signup_day.copy()
    np.maximum.at(
        last_purchase_day, repeat_customer, signup_day[repeat_customer]
        + np.floor(7 * repeat_weeks).astype("int64")
    )
    last_active_day = np.where(alive, _HORIZON_DAYS, last_purchase_day)

    survey = _build_survey(streams["survey"], customers, satisfaction, signup_day, last_active_day,
                           streams["value_drivers"])
    voice = _build_voice_of_customer(
        streams["voc"], customers, complaints, satisfaction, signup_day, last_purchase_day
    )
    pilot_members, pilot, pilot_latent = _build_pilot(streams["pilot"], n)
    raw, identity_map, raw_truth = _build_raw_export(streams["raw"], transactions, customers)
    # Loyalty connectors last: new columns from new streams, every other value as before.
    customers, transactions, connectors_truth = _add_loyalty_connectors(
        streams, customers, transactions, signup_day, last_active_day
    )
    # Lesson 06's experiments: new streams, appended, so every table above stays as it was.
    recovery, recovery_truth = _build_complaint_recovery(streams["recovery"], n)
    follow_up, follow_up_truth = _build_follow_up(streams["follow_up"], n)
    stores, stores_truth = _build_stores(streams["stores"])

    customer_truth = pd.DataFrame(
        {
            "customer_id": customers["customer_id"],
            "purchase_rate_weekly": rate,
            "dropout_probability": dropout_p,
            "spend_rate_nu": spend_rate,
            "expected_order_value": gg["p"] / spend_rate,
            "satisfaction_latent": satisfaction,
            "churn_score": churn_score,
            "complaints": np.bincount(complaints["customer"], minlength=n),
            "unresolved_complaints": unresolved,
            "repeat_purchases": np.bincount(repeat_customer, minlength=n),
            "alive_at_end": alive,
        }
    )
    retailer_tables = {
        "customers": customers, "transactions": transactions, "leads": leads,
        "survey": survey, "voice_of_customer": voice, "pilot_members": pilot_members,
        "loyalty_pilot": pilot, "complaint_recovery": recovery, "follow_up": follow_up,
        "stores": stores, "identity_map": identity_map, "transactions_raw": raw,
        "customer_truth": customer_truth,
    }
    truth = {
        "seed": int(seed),
        "n_customers": n,
        "currency": "MXN",
        "observation_start": OBSERVATION_START,
        "observation_end": OBSERVATION_END,
        "signup_end": SIGNUP_END,
        "time_unit": "W",
        "bgnbd": dict(bg),
        "gamma_gamma": dict(gg),
        "mean_order_value": gg["p"] * gg["gamma"] / (gg["q"] - 1),
        "dropout_link": {
            **DROPOUT_LINK,
            "method": "p_i = scipy.stats.beta.ppf((rank(churn_score) - 0.5) / N, a, b)",
            "complaint_rate": "0.12 * exp(-0.9 * s) complaints per customer lifetime",
        },
        "category_margin_rates": dict(CATEGORY_MARGIN_RATES),
        "acquisition_cost_mean": {k: v[1] for k, v in _ACQUISITION.items()},
        "complaint_resolution_probability": {
            k: v[1] for k, v in _VOC_CHANNEL_PROFILE.items() if v[0] > 0
        },
        "programs": {
            **_pilot_truth(pilot_latent),
            "complaint_recovery": recovery_truth,
            "follow_up": follow_up_truth,
            "stores": stores_truth,
        },
        "value_drivers": {
            **VALUE_DRIVERS_TRUTH,
            "method": "rating = cut(halo * s + sqrt(1 - halo^2) * u + shift, rating_cuts) + 1, "
                      "u ~ N(0, 1); perceived_value = clip(round(intercept + sum(weight * "
                      "rating) + noise_sd * e), scale), e ~ N(0, 1)",
        },
        "loyalty_connectors": connectors_truth,
        "raw_export": raw_truth,
        "alive_at_end": int(alive.sum()),
        "returns": int((transactions["amount"] < 0).sum()),
        "counts": {name: len(table) for name, table in retailer_tables.items()},
    }
    return SyntheticRetailer(**retailer_tables, truth=_plain(truth))
