"""Does the program pay? Its lifts turned into customer lifetime value, less what it costs.

A pilot measures two lifts per member: how much more margin an active member
brings each month (more frequent purchases) and how much less often members
leave. A program pays when the lifetime value those lifts add exceeds what
it costs — the rewards members redeem and the cost of running it — over an
explicit horizon, in an explicit unit, discounted. :func:`pilot_terms` reads
the lifts and costs off a pilot panel, :func:`program_value` values them with
lesson 04a's retention model (:func:`relmark_lab.clv.retention_clv_schedule`,
margins at the end of each month a member is still there),
:func:`bootstrap_program_value` redraws the pilot's members to give the ROI
an interval, and :func:`rollout_decision` compares rolling out now with
waiting for another phase.

Examples
--------
>>> value = program_value(margin=100.0, retention_rate=0.95, margin_lift=0.10,
...                       dropout_reduction=0.20, reward_cost=5.0, operating_cost=3.0,
...                       discount_rate=0.12, horizon=24, setup_cost=50.0)
>>> round(value.incremental_clv, 1), round(value.cost, 1), value.payback_period
(270.0, 158.7, 10)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab import units
from relmark_lab._validate import require_columns, require_number, require_whole_number
from relmark_lab.clv.simple import retention_clv_schedule
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _
from relmark_lab.programs._effect import require_treatment

__all__ = [
    "PilotTerms",
    "ProgramValue",
    "bootstrap_program_value",
    "pilot_terms",
    "program_value",
    "rollout_decision",
]


@dataclass(frozen=True)
class ProgramValue:
    """What the program adds per enrolled member, what it costs, and when it pays back.

    Attributes
    ----------
    schedule : pandas.DataFrame
        One row per period: survival without and with the program,
        incremental margin and cost (both discounted), cumulative net value.
    incremental_clv : float
        Lifetime value added per enrolled member (discounted).
    cost : float
        Set-up, rewards and running cost per enrolled member (discounted).
    payback_period : int or None
        First period whose cumulative net value is positive (None: never
        within the horizon).
    time_unit : str
        The period of the schedule and of every rate.
    """

    schedule: pd.DataFrame
    incremental_clv: float
    cost: float
    payback_period: int | None
    time_unit: str

    @property
    def net_value(self) -> float:
        """``incremental_clv - cost`` per enrolled member."""
        return self.incremental_clv - self.cost

    @property
    def roi(self) -> float:
        """Return on the program's cost: ``net_value / cost`` (inf when it costs nothing)."""
        return self.net_value / self.cost if self.cost > 0 else np.inf


def program_value(*, margin: float, retention_rate: float, margin_lift: float,
                  dropout_reduction: float, reward_cost: float, operating_cost: float,
                  discount_rate: float, horizon: int, setup_cost: float = 0.0,
                  time_unit: str = "M", discount_rate_unit: str = "year") -> ProgramValue:
    """Incremental lifetime value of enrolling a member, less the program's cost.

    Parameters
    ----------
    margin : float
        Margin an active member brings per period without the program.
    retention_rate : float
        Share of members still active from one period to the next, without it.
    margin_lift : float
        Relative margin lift of an active member in the program (0.10 = 10%).
    dropout_reduction : float
        Relative cut in the per-period dropout: ``1 - r`` becomes
        ``(1 - r)(1 - dropout_reduction)``; negative when members leave more.
    reward_cost, operating_cost : float
        Rewards redeemed and running cost per active member in the program
        per period.
    discount_rate : float
        Per year by default (``discount_rate_unit``), converted to the period.
    horizon : int
        Periods valued (at least 1).
    setup_cost : float, default 0
        Paid once per enrolled member when they join (a card, a welcome gift).
    time_unit : {"W", "M", "Q", "Y"}, default "M"
        The period of every per-period number.
    discount_rate_unit : {"year", "period"}, default "year"

    Returns
    -------
    ProgramValue

    Raises
    ------
    DataError
        For a number out of range or an unknown unit.
    """
    unit = units.check_unit(time_unit, allowed=("W", "M", "Q", "Y"), name="time_unit")
    horizon = require_whole_number("horizon", horizon, low=1)
    r = require_number("retention_rate", retention_rate, low=0, high=1)
    lift = require_number("margin_lift", margin_lift, low=-1)
    cut = require_number("dropout_reduction", dropout_reduction, high=1)
    for name, value in (("margin", margin), ("reward_cost", reward_cost),
                        ("operating_cost", operating_cost), ("setup_cost", setup_cost)):
        require_number(name, value, low=0)
    if discount_rate_unit not in ("year", "period"):
        raise DataError(_("discount_rate_unit must be 'year' or 'period', got "
                          "{unit!r}.").format(unit=discount_rate_unit))
    rate = require_number("discount_rate", discount_rate, low=-1, low_open=True)
    if discount_rate_unit == "year":
        rate = units.convert_rate(rate, "Y", unit)
    r_program = min(1.0, 1.0 - (1.0 - r) * (1.0 - cut))
    base = retention_clv_schedule(margin, r, rate, horizon)
    program = retention_clv_schedule(margin * (1 + lift), r_program, rate, horizon)
    running = retention_clv_schedule(reward_cost + operating_cost, r_program, rate, horizon)
    schedule = pd.DataFrame({
        "period": base["period"],
        "survival": base["survival"],
        "survival_program": program["survival"],
        "incremental_margin": program["expected_margin"] - base["expected_margin"],
        "cost": running["expected_margin"],
    })
    schedule["cumulative_net_value"] = (schedule["incremental_margin"]
                                        - schedule["cost"]).cumsum() - setup_cost
    paid = schedule.loc[schedule["cumulative_net_value"] > 0, "period"]
    return ProgramValue(schedule=schedule,
                        incremental_clv=float(schedule["incremental_margin"].sum()),
                        cost=float(schedule["cost"].sum()) + setup_cost,
                        payback_period=int(paid.iloc[0]) if len(paid) else None,
                        time_unit=unit)


@dataclass(frozen=True)
class PilotTerms:
    """The numbers a pilot gives :func:`program_value`, per member and month."""

    margin: float
    retention_rate: float
    margin_lift: float
    dropout_reduction: float
    reward_cost: float
    members_treated: int
    members_control: int

    def value_arguments(self) -> dict[str, float]:
        """The keyword arguments of :func:`program_value` these terms fill."""
        return {"margin": self.margin, "retention_rate": self.retention_rate,
                "margin_lift": self.margin_lift, "dropout_reduction": self.dropout_reduction,
                "reward_cost": self.reward_cost}


def _member_sums(post: pd.DataFrame) -> pd.DataFrame:
    """Per member over the post months: active months, revenue and rewards while active,
    and whether they were active in the first and in the last post month."""
    post = post.assign(on=post["active"] > 0)
    active = post[post["on"]]
    first_month, last_month = post["month"].min(), post["month"].max()
    sums = pd.DataFrame({
        "months": post.groupby("member_id")["on"].sum(),
        "revenue": active.groupby("member_id")["revenue"].sum(),
        "rewards": active.groupby("member_id")["rewards"].sum(),
        "first": post[post["month"] == first_month].groupby("member_id")["on"].any(),
        "last": post[post["month"] == last_month].groupby("member_id")["on"].any(),
    }).fillna(0.0)
    sums.attrs["months"] = post["month"].nunique()
    return sums.astype(float)


def _terms(sums: np.ndarray, treated: np.ndarray, months: int, margin_rate: float
           ) -> PilotTerms:
    """PilotTerms from per-member sums (columns months, revenue, rewards, first, last)."""
    def arm(rows: np.ndarray) -> tuple[float, float, float]:
        total = sums[rows].sum(axis=0)
        member_months = max(total[0], 1.0)
        start = max(total[3], 1.0)
        still = float((sums[rows, 3] * sums[rows, 4]).sum())
        kept = (still / start) ** (1.0 / max(months - 1, 1)) if still else 0.0
        return total[1] / member_months, total[2] / member_months, kept

    revenue_c, _rewards_c, retention_c = arm(~treated)
    revenue_t, rewards_t, retention_t = arm(treated)
    dropout_c = 1.0 - retention_c
    return PilotTerms(
        margin=margin_rate * revenue_c, retention_rate=retention_c,
        margin_lift=revenue_t / revenue_c - 1.0 if revenue_c > 0 else 0.0,
        dropout_reduction=1.0 - (1.0 - retention_t) / dropout_c if dropout_c > 0 else 0.0,
        reward_cost=rewards_t, members_treated=int(treated.sum()),
        members_control=int((~treated).sum()))


def _pilot_sums(panel: pd.DataFrame, members: pd.DataFrame, post_from: str, treatment: str
                ) -> tuple[np.ndarray, np.ndarray, int]:
    """Validated per-member sums of the post months, the treated flags and the months."""
    require_columns(panel, ["member_id", "month", "revenue", "rewards", "active"], "pilot panel")
    require_columns(members, ["member_id", treatment], "pilot members")
    treated = pd.Series(require_treatment(members, treatment, "pilot members"),
                        index=members["member_id"].astype(str))
    ids = panel["member_id"].astype(str)
    post = panel[(panel["month"].astype(str) >= str(post_from)) & ids.isin(treated.index)]
    if post.empty:
        raise DataError(_("pilot panel: no month from post_from {post_from!r} on for these "
                          "members; pass the program's first month as 'YYYY-MM'.").format(
                              post_from=post_from))
    sums = _member_sums(post.assign(member_id=post["member_id"].astype(str)))
    flags = treated.reindex(sums.index).to_numpy(dtype=bool)
    if flags.all() or not flags.any():
        raise DataError(_("pilot panel: the post months have members of one arm only; both "
                          "the treated and the controls are needed."))
    return sums.to_numpy(), flags, int(sums.attrs["months"])


def pilot_terms(panel: pd.DataFrame, members: pd.DataFrame, *, post_from: str,
                margin_rate: float, treatment: str = "enrolled") -> PilotTerms:
    """Margin, retention and the program's lifts and reward cost, from a pilot panel.

    Over the months from ``post_from`` on, for the members of ``members``
    (one design): margin per active member-month of the controls
    (``margin_rate`` x revenue), the monthly retention of the controls (the
    share active in the first post month still active in the last, per
    month), the treated members' relative margin lift and relative cut in
    monthly dropout, and their rewards per active member-month.

    Parameters
    ----------
    panel : pandas.DataFrame
        ``member_id``, ``month`` ("YYYY-MM"), ``revenue``, ``rewards``,
        ``active`` (1 while a customer).
    members : pandas.DataFrame
        ``member_id`` and the 0/1 ``treatment`` column.
    post_from : str
        The first month of the program ("YYYY-MM").
    margin_rate : float
        Share of revenue that is margin.
    treatment : str, default "enrolled"

    Returns
    -------
    PilotTerms

    Raises
    ------
    DataError
        For a missing column, a treatment that is not 0/1, an empty arm or
        no month from ``post_from`` on.
    """
    margin_rate = require_number("margin_rate", margin_rate, low=0, high=1)
    sums, treated, months = _pilot_sums(panel, members, post_from, treatment)
    return _terms(sums, treated, months, margin_rate)


def bootstrap_program_value(panel: pd.DataFrame, members: pd.DataFrame, *, post_from: str,
                            margin_rate: float, operating_cost: float, discount_rate: float,
                            horizon: int, setup_cost: float = 0.0, replicates: int = 200,
                            seed: int = 0, treatment: str = "enrolled") -> pd.DataFrame:
    """Net value, ROI and payback per member under members redrawn within each arm.

    Arguments as :func:`pilot_terms` and :func:`program_value`; ``replicates``
    redraws (at least 20), seeded by ``seed``.

    Returns
    -------
    pandas.DataFrame
        One row per replicate: ``margin_lift``, ``dropout_reduction``,
        ``net_value``, ``roi``, ``payback_period`` (NaN when it does not pay
        back). ``attrs["estimate"]`` holds the observed pilot's ``net_value``,
        ``roi`` and ``payback_period``.
    """
    replicates = require_whole_number("replicates", replicates, low=20)
    seed = require_whole_number("seed", seed, low=0)
    margin_rate = require_number("margin_rate", margin_rate, low=0, high=1)
    money = {"operating_cost": operating_cost, "discount_rate": discount_rate,
             "horizon": horizon, "setup_cost": setup_cost}
    sums, treated, months = _pilot_sums(panel, members, post_from, treatment)
    estimate = program_value(**_terms(sums, treated, months, margin_rate).value_arguments(),
                             **money)
    rng = np.random.default_rng(seed)
    arms = [np.flatnonzero(treated), np.flatnonzero(~treated)]
    flags = np.r_[np.ones(len(arms[0]), bool), np.zeros(len(arms[1]), bool)]
    rows: list[dict[str, Any]] = []
    for _replicate in range(replicates):
        # Members drawn with replacement within each arm; a member drawn twice counts twice.
        drawn = np.r_[rng.choice(arms[0], len(arms[0])), rng.choice(arms[1], len(arms[1]))]
        redrawn = _terms(sums[drawn], flags, months, margin_rate)
        value = program_value(**redrawn.value_arguments(), **money)
        rows.append({"margin_lift": redrawn.margin_lift,
                     "dropout_reduction": redrawn.dropout_reduction,
                     "net_value": value.net_value, "roi": value.roi,
                     "payback_period": value.payback_period})
    draws = pd.DataFrame(rows).astype({"payback_period": float})
    draws.attrs["estimate"] = {"net_value": estimate.net_value, "roi": estimate.roi,
                               "payback_period": estimate.payback_period}
    return draws


def rollout_decision(net_values: pd.Series | np.ndarray, members: float, *,
                     wait_periods: int, discount_rate: float, time_unit: str = "M",
                     cost_of_waiting: float = 0.0) -> dict[str, Any]:
    """Roll out now, or run another phase first? The expected value of each.

    Rolling out now earns ``members x E[net value]``, good draws and bad.
    Waiting ``wait_periods`` for another phase that would settle the question
    earns, discounted, ``members x E[max(net value, 0)]`` — the program is
    then rolled out only if it pays — less ``cost_of_waiting``. The larger
    expected value wins; the difference before the delay's discounting is the
    value of the information the phase would buy.

    Parameters
    ----------
    net_values : sequence of float
        Draws of the net value per member (e.g. ``bootstrap_program_value``'s
        ``net_value``).
    members : float
        Members the rollout would enrol.
    wait_periods : int
        Length of another phase, in ``time_unit``.
    discount_rate : float
        Per year.
    time_unit : str, default "M"
    cost_of_waiting : float, default 0
        What running the extra phase costs.

    Returns
    -------
    dict
        ``roll_out_now``, ``wait``, ``probability_pays``, ``decision``
        ("roll out", "wait for another phase" or "stop").

    Examples
    --------
    >>> rollout_decision([100.0, -50.0, 30.0], 1000, wait_periods=3, discount_rate=0.12)[
    ...     "decision"]
    'wait for another phase'
    """
    draws = np.asarray(net_values, dtype=float)
    if draws.ndim != 1 or len(draws) < 2 or not np.isfinite(draws).all():
        raise DataError(_("net_values must be at least two finite draws of the net value per "
                          "member."))
    members = require_number("members", members, low=0)
    wait_periods = require_whole_number("wait_periods", wait_periods, low=0)
    cost_of_waiting = require_number("cost_of_waiting", cost_of_waiting, low=0)
    rate = units.convert_rate(require_number("discount_rate", discount_rate, low=-1,
                                             low_open=True), "Y",
                              units.check_unit(time_unit, name="time_unit"))
    now = members * float(draws.mean())
    wait = members * float(np.maximum(draws, 0).mean()) / (1 + rate) ** wait_periods \
        - cost_of_waiting
    if max(now, wait) <= 0:
        decision = "stop"
    else:
        decision = "roll out" if now >= wait else "wait for another phase"
    return {"roll_out_now": now, "wait": wait, "probability_pays": float((draws > 0).mean()),
            "decision": decision}
