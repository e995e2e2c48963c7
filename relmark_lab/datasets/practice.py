"""Ready-made data of the exercises, shared by the lessons, the exercises and their checks.

Some exercises start from data a lesson prepares: the test-then-rollout
campaign of lesson 03 (exercise 03.5); one cohort of the published sBG
table, the CDNOW calibration summary, the kit's customers summarized in
weeks with their BG/NBD and gamma-gamma fits, each customer's CLV as
lesson 04b computes it, and the cases a formula is checked on (lessons 04a
and 04b); the kit's customers valued at two dates and who bought in
between (lesson 05); bootstrap draws of the randomized loyalty pilot's net
value per member (lesson 06). They are built here once, so an exercise, its
self-check (:mod:`relmark_lab.checks`) and the lesson cannot drift apart.

Examples
--------
>>> from relmark_lab.datasets import practice
>>> practice.sbg_cohort("regular").tolist()[:3]
[1000.0, 631.0, 468.0]
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from relmark_lab import clv, programs, rfm
from relmark_lab.datasets.kit import load_transactions, load_truth
from relmark_lab.datasets.kit_programs import load_loyalty_pilot, load_pilot_members
from relmark_lab.datasets.packaged import load_cdnow
from relmark_lab.datasets.published import load_sbg_cohorts
from relmark_lab.equity.change import value_at

__all__ = [
    "ANNUAL_RATES",
    "CDNOW_CALIBRATION_END",
    "COST_PER_CONTACT",
    "DISCOUNT_RATE",
    "EQUITY_DATES",
    "EQUITY_HORIZON_MONTHS",
    "HORIZON_WEEKS",
    "MARGIN_CASES",
    "PHASE_MONTHS",
    "PILOT_HORIZON_MONTHS",
    "PILOT_MARGIN_RATE",
    "PILOT_REPLICATES",
    "PILOT_SEED",
    "PROFIT_PER_RESPONSE",
    "PURCHASE_YEARS",
    "RETENTION_COST_RATE",
    "ROLLOUT_MEMBERS",
    "campaign_cells",
    "cdnow_calibration",
    "kit_active_between",
    "kit_clv",
    "kit_clv_at",
    "kit_fits",
    "kit_summary",
    "pilot_net_values",
    "rfm_campaign",
    "sbg_cohort",
]

#: The campaign of lesson 03 and exercise 03.5 (MXN per contact, MXN per response).
COST_PER_CONTACT, PROFIT_PER_RESPONSE = 6.0, 80.0

#: The CLV of lesson 04b and exercise 04b.5: horizon (weeks), annual discount rate, and
#: the share of revenue spent on retention.
HORIZON_WEEKS, DISCOUNT_RATE, RETENTION_COST_RATE = 156, 0.12, 0.05
#: Exercise 05.5: the two days the kit's customers are valued at (a year apart), and the
#: horizon of lesson 05's CLV in months (three years; the annual rate is DISCOUNT_RATE).
EQUITY_DATES, EQUITY_HORIZON_MONTHS = ("2024-12-31", "2025-12-31"), 36
#: Exercise 06.5: the randomized loyalty pilot valued as lesson 06 values it: the share of
#: revenue that is margin, the horizon in months (at the annual DISCOUNT_RATE), and the
#: bootstrap's replicates and seed; the members a rollout would enrol and the months another
#: phase of the pilot takes.
PILOT_MARGIN_RATE, PILOT_HORIZON_MONTHS = 0.3, 24
PILOT_REPLICATES, PILOT_SEED = 40, 0
ROLLOUT_MEMBERS, PHASE_MONTHS = 20_000, 3
#: End of the CDNOW calibration period of the papers (39 weeks).
CDNOW_CALIBRATION_END = "1997-09-30"

# The cases the self-checks run a student's formula on, by label.
#: Exercise 04a.1: (margin, retention rate, discount rate).
MARGIN_CASES = {
    "m=100, r=0.8, d=0.1": (100.0, 0.8, 0.10),
    "m=558, r=0.578, d=0.1": (558.0, 0.578, 0.10),
    "m=250, r=0.9, d=0.05": (250.0, 0.9, 0.05),
}
#: Exercise 04b.2: annual discount rates.
ANNUAL_RATES = {"12% a year": (0.12,), "5% a year": (0.05,)}
#: Exercise 04b.4: horizons in years.
PURCHASE_YEARS = (1, 2)


def sbg_cohort(segment: str, last_year: int = 7) -> pd.Series:
    """Survivors of one published sBG cohort for years 0..``last_year``, indexed by year.

    The Series keeps ``attrs["time_unit"] == "Y"`` of
    :func:`~relmark_lab.datasets.load_sbg_cohorts`, so
    ``clv.ShiftedBetaGeometric().fit(cohort)`` knows its periods are years.

    Examples
    --------
    >>> sbg_cohort("high_end", 2).to_dict()
    {0: 1000.0, 1: 869.0, 2: 743.0}
    """
    cohorts = load_sbg_cohorts()
    rows = cohorts[(cohorts["segment"] == segment) & (cohorts["year"] <= last_year)]
    return rows.set_index("year")["n_alive"]


@lru_cache(maxsize=2)
def cdnow_calibration() -> tuple[pd.DataFrame, clv.BetaGeoNBD]:
    """The CDNOW sample summarized in weeks up to the calibration end, and its BG/NBD fit.

    Cached: callers must not modify the results.
    """
    summary = clv.summarize(load_cdnow("sample"), CDNOW_CALIBRATION_END, time_unit="W")
    return summary, clv.BetaGeoNBD().fit(summary)


@lru_cache(maxsize=4)
def kit_fits(data_dir: Any = None) -> tuple[pd.DataFrame, clv.BetaGeoNBD, clv.GammaGamma,
                                            float]:
    """Weekly summary of the kit's transactions, its BG/NBD and gamma-gamma fits, margin rate.

    The summary runs to the observation end of the kit's truth; the margin
    rate is the data's gross margin over revenue. Cached, because several
    checks need the same fits: callers must not modify the results (use
    :func:`kit_summary` for a copy).
    """
    transactions = load_transactions(data_dir)
    end = load_truth(data_dir)["observation_end"]
    summary = clv.summarize(transactions, end, time_unit="W")
    margin_rate = transactions["margin"].sum() / transactions["amount"].sum()
    return (summary, clv.BetaGeoNBD().fit(summary), clv.GammaGamma().fit(summary),
            float(margin_rate))


def kit_summary(data_dir: Any = None) -> pd.DataFrame:
    """The kit's customers summarized in weeks up to the observation end (a copy).

    Examples
    --------
    >>> summary = kit_summary()
    >>> len(summary), summary.attrs["time_unit"]
    (5000, 'W')
    """
    return kit_fits(data_dir)[0].copy()


def kit_clv(data_dir: Any = None) -> pd.Series:
    """Each kit customer's CLV over ``HORIZON_WEEKS`` weeks, as in lesson 04b.

    BG/NBD and gamma-gamma fitted on :func:`kit_summary`, the annual
    ``DISCOUNT_RATE`` converted to weeks, and the data's gross margin rate
    less ``RETENTION_COST_RATE``.

    Returns
    -------
    pandas.Series
        ``clv`` in MXN, indexed by ``customer_id``.
    """
    summary, bgnbd, spend, margin_rate = kit_fits(data_dir)
    value = clv.customer_lifetime_value(
        bgnbd, spend, summary, horizon=HORIZON_WEEKS, discount_rate=DISCOUNT_RATE,
        margin_rate=margin_rate - RETENTION_COST_RATE,
    )
    return value.set_axis(pd.Index(summary["customer_id"], name="customer_id"))


@lru_cache(maxsize=8)
def _kit_clv_at(data_dir: Any, day: str) -> pd.Series:
    return value_at(load_transactions(data_dir), day, horizon=EQUITY_HORIZON_MONTHS,
                    discount_rate=DISCOUNT_RATE, time_unit="M")


def kit_clv_at(day: str, data_dir: Any = None) -> pd.Series:
    """Each kit customer's CLV at ``day``, from the lines up to it (a copy; lesson 05).

    :func:`relmark_lab.equity.value_at` as lesson 05 uses it: models fitted
    in months, ``EQUITY_HORIZON_MONTHS`` ahead at the annual
    ``DISCOUNT_RATE``, with the lines' own margin share up to ``day``; only
    the customers who bought by then are valued.

    Examples
    --------
    >>> before = kit_clv_at(EQUITY_DATES[0])
    >>> len(before), before.index.name, before.attrs["time_unit"]
    (3820, 'customer_id', 'M')
    """
    return _kit_clv_at(data_dir, str(day)).copy()


def kit_active_between(first_day: str, last_day: str, data_dir: Any = None) -> pd.Index:
    """Ids of the kit's customers of ``first_day`` who bought after it, up to ``last_day``.

    The kit's purchase rule: ``frequency_holdout > 0`` of
    :func:`relmark_lab.clv.summarize` with ``calibration_end=first_day``.

    Examples
    --------
    >>> len(kit_active_between(*EQUITY_DATES))
    1905
    """
    summary = clv.summarize(load_transactions(data_dir), last_day, time_unit="W",
                            calibration_end=first_day)
    return pd.Index(summary.loc[summary["frequency_holdout"] > 0, "customer_id"],
                    name="customer_id")


@lru_cache(maxsize=4)
def rfm_campaign(data_dir: Any = None) -> rfm.TargetingResult:
    """Lesson 03's test-then-rollout campaign on the kit's R-F cells (cached: do not modify).

    Responses are simulated from the RFM scores with a fixed seed; 20% of
    each cell is tested, and the cells whose test response rate reaches
    break-even are rolled out.
    """
    transactions = load_transactions(data_dir)
    table = rfm.rfm_table(transactions, load_truth(data_dir)["observation_end"])
    answers = rfm.simulate_responses(table, random_state=1)["responded"]
    return rfm.test_then_rollout(
        table, answers, cost_per_contact=COST_PER_CONTACT,
        profit_per_response=PROFIT_PER_RESPONSE, test_share=0.2,
        cells=["r_score", "f_score"], random_state=1,
    )


def campaign_cells(data_dir: Any = None) -> pd.DataFrame:
    """The test and rollout counts per R-F cell that exercise 03.5 starts from (a copy).

    Examples
    --------
    >>> cells = campaign_cells()
    >>> cells.index.names, int(cells[["test_contacts", "rollout_contacts"]].sum().sum())
    (FrozenList(['r_score', 'f_score']), 5000)
    """
    cells = rfm_campaign(data_dir).cells
    return cells[["test_contacts", "test_responses", "rollout_contacts",
                  "rollout_responses"]].copy()


@lru_cache(maxsize=4)
def _pilot_net_values(data_dir: Any) -> pd.Series:
    members = load_pilot_members(data_dir)
    members = members[members["design"] == "randomized"]
    panel = load_loyalty_pilot(data_dir)
    truth = load_truth(data_dir)["programs"]
    draws = programs.bootstrap_program_value(
        panel[panel["member_id"].isin(members["member_id"])], members,
        post_from=truth["launch_month"], margin_rate=PILOT_MARGIN_RATE,
        operating_cost=truth["operating_cost_per_member_month"], discount_rate=DISCOUNT_RATE,
        horizon=PILOT_HORIZON_MONTHS, replicates=PILOT_REPLICATES, seed=PILOT_SEED,
    )
    return draws["net_value"].rename_axis("replicate")


def pilot_net_values(data_dir: Any = None) -> pd.Series:
    """Bootstrap draws of the randomized pilot's net value per member, in MXN (a copy).

    :func:`relmark_lab.programs.bootstrap_program_value` on the randomized
    design's members from the launch month on: ``PILOT_MARGIN_RATE`` of
    revenue is margin, the operating cost per member-month is the truth's,
    ``PILOT_HORIZON_MONTHS`` months at the annual ``DISCOUNT_RATE``,
    ``PILOT_REPLICATES`` replicates seeded by ``PILOT_SEED``. Cached: the
    bootstrap runs once per data folder.

    Examples
    --------
    >>> draws = pilot_net_values()
    >>> len(draws), draws.name, draws.index.name
    (40, 'net_value', 'replicate')
    """
    return _pilot_net_values(data_dir).copy()
