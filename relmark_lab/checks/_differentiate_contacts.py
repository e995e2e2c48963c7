"""The data and decisions behind lesson 02's checks of channels and contacts (private).

:mod:`relmark_lab.checks.differentiate` holds the checks; this module builds
what they run on: the kit's tables of a folder (cached, so a check answers at
once the second time), channel tables with response values where each channel
wins (02.6), and the contact campaign of 02.7, whose plans are scored on what
the customers bring next year by the simulator's truth, never shown to the
student.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from relmark_lab import datasets
from relmark_lab import differentiate as dif
from relmark_lab.checks._cases import by_case, per_case
from relmark_lab.checks._compare import show
from relmark_lab.checks._core import Case, Mistake
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

WEEKS_PER_YEAR = 365.25 / 7
#: Budget of exercise 02.7's campaign on the lesson's data (MXN).
CAMPAIGN_BUDGET = 75_000.0


def end(folder) -> str:
    """The kit's last observed day."""
    return datasets.load_truth(folder)["observation_end"]


def _key(folder) -> str | None:
    return None if folder is None else str(Path(folder).resolve())


def kit_table(name: str, folder) -> pd.DataFrame:
    """One of the tables lesson 02's checks use, computed once per folder (a copy).

    ``name`` is a loader's (``"transactions"``, ``"survey"``) or one of
    ``"profitability"`` (default cost model), ``"loyalty"`` (active share of
    tenure), ``"spend"`` (MXN per year) and ``"vip_zscores"``.
    """
    return _kit_table(name, _key(folder)).copy()


@functools.cache
def _kit_table(name: str, folder: str | None) -> pd.DataFrame:
    if name in ("transactions", "survey", "customers", "voice_of_customer"):
        return getattr(datasets, f"load_{name}")(folder)
    transactions = _kit_table("transactions", folder)
    if name == "profitability":
        return dif.customer_profitability(
            transactions, end(folder), customers=_kit_table("customers", folder),
            contacts=_kit_table("voice_of_customer", folder))
    if name == "loyalty":
        return dif.projected_loyalty(transactions, end(folder))
    if name == "spend":
        return dif.annual_spend(transactions, end(folder))
    return dif.vip_components(transactions, end(folder), method="zscore")


def profitability(folder) -> pd.DataFrame:
    """Each customer's profit with the default cost model."""
    return kit_table("profitability", folder)


def by_customer(values, ids) -> pd.Series:
    """Values as a Series indexed by customer_id."""
    return pd.Series(np.asarray(values), index=pd.Index(ids, name="customer_id"))


# --- 02.6: the best channel for a value ---------------------------------------------


def _net_per_contact(channels: pd.DataFrame, value: float) -> pd.Series:
    return channels["response_rate"] * value - channels["cost_per_contact"]


def _winner(value: float, channels: pd.DataFrame) -> str:
    return str(channels.loc[_net_per_contact(channels, value).idxmax(), "channel"])


def _values_with_distinct_winners(channels: pd.DataFrame) -> list[float]:
    """One response value inside each stretch of values where one channel wins (up to 4)."""
    grid = np.geomspace(40, 8000, 400)
    net = np.outer(grid, channels["response_rate"]) - channels["cost_per_contact"].to_numpy()
    winners = net.argmax(axis=1)
    pairs = zip(winners, grid, strict=True)
    stretches = [list(g) for _winner, g in itertools.groupby(pairs, key=lambda pair: pair[0])]
    middle = [float(np.round(np.sqrt(s[0][1] * s[-1][1]), -1)) for s in stretches]
    return middle[-4:]


def unseen_channels(rng: np.random.Generator) -> pd.DataFrame:
    """The kit's channels with other prices and response rates, in another order."""
    table = dif.DEFAULT_CHANNELS.sample(frac=1, random_state=rng).reset_index(drop=True)
    return table.assign(
        cost_per_contact=(table["cost_per_contact"] * rng.lognormal(0, 0.5, len(table))).round(2),
        response_rate=np.clip(table["response_rate"] * rng.lognormal(0, 0.4, len(table)),
                              0.0005, 0.6).round(4),
    )


def each_pair(func: Callable) -> Callable:
    """The student's scalar function run on every (value, channels) pair of one case."""
    if not callable(func):
        return func
    return lambda pairs: per_case(func, pairs)()


def channel_case(label: str, channels: pd.DataFrame, seen: bool) -> Case:
    """Check 02.6's case on one channel table: a value inside each channel's winning stretch."""
    # The labels index the answers, so they are in the language in use when the case is built.
    pairs = {_("a response worth {value} MXN").format(value=f"{v:,.0f}"): (v, channels)
             for v in _values_with_distinct_winners(channels)}

    def pick(rule: Callable[[float, pd.DataFrame], object]) -> pd.Series:
        return by_case(pairs, lambda v, c: str(c.loc[rule(v, c), "channel"]))

    mistakes = [
        Mistake(pick(lambda v, c: c["response_rate"].idxmax()),
                N_("the channel with the most responses is not always the one that pays most: for "
                   "a tier worth little, its cost per contact eats the value."),
                N_("compare response_rate × value − cost_per_contact.")),
        Mistake(pick(lambda v, c: c["cost_per_contact"].idxmin()),
                N_("the cheapest channel is not always the one that pays most: for a valuable "
                   "tier, a dearer channel with more responses earns more."),
                N_("compare response_rate × value − cost_per_contact.")),
        Mistake(by_case(pairs, lambda v, c: int(_net_per_contact(c, v).idxmax())),
                N_("that is the row number of the channel, not its name."),
                N_("take the 'channel' of the row where the net value is largest, e.g. with "
                   ".loc[...].")),
    ]
    expected = by_case(pairs, _winner).rename_axis("case")
    return Case(label, (pairs,), expected, tuple(mistakes), seen=seen)


# --- 02.7: the contact campaign ---------------------------------------------------


def campaign_tiers(folder=None) -> pd.DataFrame:
    """The value tiers of exercise 02.7, with what a customer of each is worth.

    Customers are cut by profit into :data:`~relmark_lab.differentiate.DEFAULT_TIERS`,
    value destroyers in a tier of their own (as in the lesson's section 10).
    ``value_next_year`` estimates next year's profit per customer from the
    data alone: profit per year as a customer times projected loyalty (the
    lesson's proxy for still buying).

    Parameters
    ----------
    folder : path, optional
        The kit's data folder (None: ``datasets/``).

    Returns
    -------
    pandas.DataFrame
        ``tier``, ``customers``, ``profit_mean`` (MXN per customer over the
        whole history) and ``value_next_year`` (MXN per customer).
    """
    return _campaign(_key(folder))[0].copy()


@functools.cache
def _campaign(folder: str | None) -> tuple[pd.DataFrame, np.ndarray]:
    """The tier table and each tier's true profit per customer next year (held out)."""
    transactions = _kit_table("transactions", folder)
    frame = dif.assign_tiers(_kit_table("profitability", folder), "profit", below=0.0).merge(
        _kit_table("loyalty", folder)[["customer_id", "T", "projected_loyalty"]],
        on="customer_id")
    years = frame["T"] / WEEKS_PER_YEAR
    frame["value_next_year"] = (frame["profit"] / years.where(years > 0)
                                * frame["projected_loyalty"]).fillna(0.0)
    truth = _next_year_profit(folder, transactions)
    frame["truth"] = truth.reindex(frame["customer_id"]).to_numpy()
    table = frame.groupby("tier", observed=True).agg(
        customers=("customer_id", "size"), profit_mean=("profit", "mean"),
        value_next_year=("value_next_year", "mean"), truth=("truth", "mean")).reset_index()
    table["tier"] = table["tier"].astype(str)
    return table.drop(columns="truth"), table["truth"].to_numpy(float)


def _next_year_profit(folder, transactions: pd.DataFrame, cost_per_order: float = 60.0):
    """Each customer's expected profit over the next year, from the simulator's truth.

    A customer still alive buys at their weekly rate and leaves after each
    purchase with their dropout probability (BG/NBD), so they place
    ``(1 − exp(−rate × dropout × weeks)) / dropout`` orders in expectation;
    each brings their expected order value at their own margin rate, less
    the cost of an order.
    """
    truth = datasets.load_customer_truth(folder).set_index("customer_id")
    rate, dropout = truth["purchase_rate_weekly"], truth["dropout_probability"].clip(lower=1e-9)
    orders = truth["alive_at_end"].astype(float) * -np.expm1(
        -rate * dropout * WEEKS_PER_YEAR) / dropout
    purchases = transactions[transactions["amount"] > 0].groupby("customer_id")
    margin_rate = purchases["margin"].sum() / purchases["amount"].sum()
    margin_rate = margin_rate.reindex(truth.index).fillna(margin_rate.mean())
    return orders * (truth["expected_order_value"] * margin_rate - cost_per_order)


def _read_plan(decision, tiers: pd.Series, channels: pd.DataFrame) -> list[int]:
    """The option each tier gets (a channel's row; len(channels) for no contact)."""
    if isinstance(decision, pd.DataFrame) and {"tier", "channel"} <= set(decision.columns):
        decision = dict(zip(decision["tier"], decision["channel"], strict=True))
    if isinstance(decision, pd.Series):
        decision = decision.to_dict()
    if not isinstance(decision, Mapping):
        raise ValueError(_("a dict from tier to channel is expected, got {decision}.").format(
            decision=show(decision)))
    names = [str(name) for name in channels["channel"]]
    unknown = [tier for tier in decision if tier not in set(tiers)]
    if unknown:
        raise ValueError(_("{tier} is not one of the tiers ({tiers}).").format(
            tier=show(unknown[0]), tiers=", ".join(tiers)))
    options = []
    for tier in tiers:
        pick = decision.get(tier)
        if pick is None or (not isinstance(pick, str) and pd.isna(pick)) or pick == "":
            options.append(len(names))
        elif isinstance(pick, str) and pick in names:
            options.append(names.index(pick))
        else:
            raise ValueError(_("{pick}, for tier {tier}, is not a channel of the channel "
                               "table (use None for no contact).").format(pick=show(pick),
                                                                          tier=show(tier)))
    return options


def campaign_case(label: str, folder, channels: pd.DataFrame, budget: float,
                  seen: bool) -> Case:
    """One budget on one data set: the student's plan scored on next year's truth."""
    tiers, truth = _campaign(_key(folder))
    tiers = tiers.copy()
    n = tiers["customers"].to_numpy(float)
    rate = np.append(channels["response_rate"].to_numpy(float), 0.0)
    price = np.append(channels["cost_per_contact"].to_numpy(float), 0.0)
    plans = np.array(list(itertools.product(range(len(rate)), repeat=len(n))))
    cost = (n * price[plans]).sum(axis=1)
    fits = cost <= budget + 1e-6

    def net(values, options=plans):
        return (n * (rate[options] * np.asarray(values) - price[options])).sum(axis=-1)

    def best_plan(values, allowed=fits) -> np.ndarray:
        return plans[np.where(allowed, net(values), -np.inf).argmax()]

    def score(decision) -> float:
        options = np.array(_read_plan(decision, tiers["tier"], channels))
        spent = float((n * price[options]).sum())
        if spent > budget + 1e-6:
            raise ValueError(_("the plan costs {spent} MXN, more than the budget of {budget} "
                               "MXN.").format(spent=f"{spent:,.0f}", budget=f"{budget:,.0f}"))
        return float(net(truth, options))

    def as_plan(options) -> pd.Series:
        names = [*channels["channel"].astype(str), None]
        return pd.Series([names[k] for k in options], index=pd.Index(tiers["tier"], name="tier"),
                         dtype="object")

    reference = best_plan(tiers["value_next_year"])
    each_best = np.argmax(n[:, None] * (np.outer(tiers["value_next_year"], rate) - price), axis=1)
    candidates = [
        (best_plan(tiers["profit_mean"]),
         N_("you valued a response at the tier's past profit: up to three years of it, much of it "
            "from customers who have since left; a contact is worth what the customer brings next "
            "year."),
         N_("value a response at value_next_year, not profit_mean.")),
        (each_best,
         N_("each tier got its best channel as if money were no object, and the plan does not fit "
            "the budget: the budget must go where it earns most in total."),
         N_("add up customers × cost_per_contact of a plan; among the plans that fit the budget, "
            "take the one with the largest expected net value.")),
        (best_plan(tiers["value_next_year"], fits & (plans < len(channels)).all(axis=1)),
         N_("every tier got a contact, even a tier for which no channel pays for itself: such "
            "contacts lose money whatever the budget."),
         N_("give None to a tier where response_rate × value − cost_per_contact is negative for "
            "every channel.")),
        (np.full(len(n), channels["cost_per_contact"].to_numpy().argmin()),
         N_("the cheapest channel for everyone reaches every customer for little, but hardly "
            "anyone responds: the valuable tiers repay a dearer, more personal channel, and the "
            "value destroyers are not worth even a cheap contact."),
         N_("compare response_rate × value − cost_per_contact of every channel for every tier.")),
        (np.full(len(n), channels["response_rate"].to_numpy().argmax()),
         N_("the channel with the most responses, for everyone: its responses cost more than most "
            "tiers are worth, so a tier gets it only when a response is worth its price."),
         N_("compare response_rate × value − cost_per_contact of every channel for every tier.")),
    ]
    best = float(net(truth, reference))
    mistakes = []
    for options, because, hint in candidates:
        weaker = not fits[np.ravel_multi_index(options, [len(rate)] * len(n))] or \
            net(truth, options) < best - 0.05 * abs(best)
        if (options != reference).any() and weaker:
            mistakes.append(Mistake(as_plan(options), because, hint))
    return Case(label, (tiers, channels.copy(), budget), mistakes=tuple(mistakes), seen=seen,
                score=score, best=best, unit="MXN")


