"""Self-checks for the exercises of lesson 02, customer differentiation.

Each function takes the student's function, runs it on the kit's data and on
data the student has not seen, and returns a
:class:`~relmark_lab.checks.CheckResult`; the reference answer is what
:mod:`relmark_lab.differentiate` computes. 02.7 is a decision: the check
scores the student's contact plan on what the customers bring next year (the
simulator's truth) and compares it with the best plan. 02.8, another
decision, scores the weapon of value for effort the student would invest in
on respondents the student has not seen; 02.8 and 02.9 live in
:mod:`._differentiate_value`.

Examples
--------
>>> from relmark_lab.checks import differentiate as check
>>> def net_promoter_score(survey):
...     raise NotImplementedError()
>>> check.net_promoter_score(net_promoter_score).status
'unanswered'
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from relmark_lab import differentiate as dif
from relmark_lab.checks._cases import kit_cases, unseen_data_dir, unseen_label, unseen_rng
from relmark_lab.checks._core import Case, CheckResult, Hints, Mistake, check_function
from relmark_lab.checks._differentiate_contacts import (
    CAMPAIGN_BUDGET,
    by_customer,
    campaign_case,
    campaign_tiers,
    channel_case,
    each_pair,
    kit_table,
    profitability,
    unseen_channels,
)
from relmark_lab.checks._differentiate_value import (
    WEAPON_BUDGET,
    WEAPON_COSTS,
    choose_weapon,
    level_segments,
    relationship_level,
)
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = [
    "CAMPAIGN_BUDGET",
    "WEAPON_BUDGET",
    "WEAPON_COSTS",
    "best_channel",
    "campaign_tiers",
    "choose_weapon",
    "frequency_zscore",
    "level_segments",
    "net_promoter_score",
    "plan_campaign",
    "quadrant_labels",
    "relationship_level",
    "tied_medians_frame",
    "value_destroying_share",
    "wallet_left_on_table",
]


def net_promoter_score(func: Callable, data_dir=None) -> CheckResult:
    """Check 02.1: NPS in points (−100 to 100) from the survey's ``recommend`` answers."""

    def build(folder):
        survey = kit_table("survey", folder)
        expected = float(dif.net_promoter_score(survey)["nps"].iloc[0])
        scores = survey["recommend"]
        mistakes = [
            Mistake(
                100 * float((scores >= 7).mean() - (scores <= 6).mean()),
                N_("passives (7–8) were counted as promoters: a passive is satisfied but would "
                   "switch for a better offer, so it does not spread the word."),
                N_("promoters answer 9 or 10 only: `scores >= 9`."),
            ),
            Mistake(
                100 * float((scores >= 9).mean() - (scores <= 5).mean()),
                N_("a 6 was left out of the detractors: anyone who answers 0 to 6 is unhappy "
                   "enough to talk the firm down."),
                N_("detractors answer 0 to 6: `scores <= 6`."),
            ),
            Mistake(
                100 * float((scores >= 9).mean()),
                N_("that is the share of promoters alone; NPS nets the detractors out."),
                N_("subtract the share of answers 0–6 from the share of answers 9–10."),
            ),
            Mistake(
                100 * float((scores >= 9).sum() - (scores <= 6).sum()),
                N_("you subtracted counts of people; NPS subtracts shares of the respondents."),
                N_("take the mean of each True/False Series (a share) before subtracting."),
            ),
        ]
        return (survey,), expected, mistakes

    return check_function(
        "02.1 net_promoter_score", func, kit_cases(build, data_dir),
        hints=Hints(
            N_("NPS is the share of promoters (who would recommend the firm) minus the share of "
               "detractors (who would talk it down), in points from −100 to 100."),
            N_("promoters answer 9–10 and detractors 0–6 on `recommend`; take the mean of each "
               "True/False Series and multiply the difference by 100."),
        ),
    )


def value_destroying_share(func: Callable, data_dir=None) -> CheckResult:
    """Check 02.2: share of customers (0 to 1) whose profit is below zero."""

    def build(folder):
        table = profitability(folder)
        profit = table["profit"]
        destroys = profit < 0
        expected = float(destroys.mean())
        mistakes = [
            Mistake(
                100 * expected,
                N_("that is a percentage; the exercise asks for a share between 0 and 1 (a "
                   "quarter of the customers is 0.25)."),
                N_("leave out the × 100: the mean of a True/False Series is already a share."),
            ),
            Mistake(
                int(destroys.sum()),
                N_("that is the number of value-destroying customers, not their share of the "
                   "customer base."),
                N_("divide the count by the number of customers, or take the mean of the "
                   "True/False Series."),
            ),
            Mistake(
                1 - expected,
                N_("that is the share of customers who make money for the firm, not of those who "
                   "destroy value."),
                N_("a customer destroys value when profit < 0."),
            ),
            Mistake(
                float(-profit[destroys].sum() / profit.sum()),
                N_("that is the profit they destroy as a share of total profit; the question is "
                   "how many customers destroy value."),
                N_("count customers, not money: the share of rows with profit below zero."),
            ),
            Mistake(
                float((table["margin"] < 0).mean()),
                N_("you looked at the gross margin; a customer destroys value when serving them "
                   "costs more than the margin they bring."),
                N_("use the 'profit' column (margin minus cost to serve)."),
            ),
        ]
        return (table,), expected, mistakes

    return check_function(
        "02.2 value_destroying_share", func, kit_cases(build, data_dir),
        hints=Hints(
            N_("a customer destroys value when serving them costs more than the margin they "
               "bring; the question is what part of the customer base they are, from 0 to 1."),
            N_("compare the 'profit' column with 0 and take the mean of the True/False Series."),
        ),
    )


def tied_medians_frame() -> pd.DataFrame:
    """A small table where three customers sit exactly on each median (check 02.3).

    Examples
    --------
    >>> frame = tied_medians_frame()
    >>> int((frame["profit"] == frame["profit"].median()).sum())
    3
    """
    return pd.DataFrame({
        "customer_id": [f"tie-{k}" for k in range(1, 10)],
        "profit": [400.0, 30.0, -40.0, 30.0, 150.0, 5.0, 30.0, 90.0, 60.0],
        "projected_loyalty": [0.5, 0.9, 0.5, 0.0, 0.2, 0.5, 1.0, 0.35, 0.7],
    })


def _quadrants(frame, cut=pd.Series.median, at_cut_high=False, swap=False) -> pd.Series:
    """Each customer's quadrant by one rule, right or mistaken, as a Series by customer_id."""
    high = {}
    for column in ("profit", "projected_loyalty"):
        values = frame[column]
        high[column] = values >= cut(values) if at_cut_high else values > cut(values)
    profit, loyal = high["profit"], high["projected_loyalty"]
    if swap:
        profit, loyal = loyal, profit
    names = np.select([profit & loyal, profit, loyal], ["true friends", "butterflies",
                                                       "barnacles"], "strangers")
    return by_customer(names, frame["customer_id"])


def _quadrant_case(frame: pd.DataFrame) -> tuple:
    matrix = dif.reinartz_kumar(frame)
    expected = by_customer(matrix["quadrant"].astype(str), matrix["customer_id"])
    mistakes = [
        Mistake(_quadrants(frame, at_cut_high=True),
                N_("customers exactly at a median were counted as high; 'high' means above the "
                   "typical customer, so a customer right at the median is low."),
                N_("use a strict `>` against the median, not `>=`.")),
        Mistake(_quadrants(frame, swap=True),
                N_("butterflies and barnacles are swapped: butterflies are profitable but leave "
                   "soon, barnacles stay but bring little profit."),
                N_("butterflies = high profit and low loyalty; barnacles = low profit and high "
                   "loyalty.")),
        Mistake(_quadrants(frame, cut=pd.Series.mean),
                N_("the thresholds are the means; a few very profitable customers pull the mean "
                   "up, so the exercise cuts at the medians."),
                N_("compare each column with its .median().")),
    ]
    return (frame,), expected, mistakes


def quadrant_labels(func: Callable, data_dir=None) -> CheckResult:
    """Check 02.3: each customer's Reinartz–Kumar quadrant, thresholds at the medians.

    Labels per customer, not counts per quadrant (swapped butterflies and
    barnacles can give the same counts), and a small table with ties at both
    medians, where ``>=`` and ``>`` disagree.
    """

    def build(folder):
        return _quadrant_case(profitability(folder)[["customer_id", "profit"]].merge(
            kit_table("loyalty", folder)[["customer_id", "projected_loyalty"]],
            on="customer_id"))

    args, expected, mistakes = _quadrant_case(tied_medians_frame())
    # Shown to the student (tied_medians_frame), so its verdicts need no "On new data".
    ties = Case(N_("the small table with customers exactly on the medians"), args, expected,
                tuple(mistakes))
    return check_function(
        "02.3 quadrant_labels", func, [*kit_cases(build, data_dir), ties],
        hints=Hints(
            N_("Reinartz and Kumar ask two questions about each customer: does the firm earn more "
               "from them than from the typical customer, and will they stay longer than the "
               "typical customer? A customer who is exactly typical is not 'high'."),
            N_("high = strictly above the column's median (`>`); name each customer by the pair "
               "(true friends, butterflies, barnacles, strangers) and return a Series indexed by "
               "customer_id."),
        ),
    )


def frequency_zscore(func: Callable, data_dir=None) -> CheckResult:
    """Check 02.4: z-score of each customer's number of purchase orders (ddof=0)."""

    def build(folder):
        transactions = kit_table("transactions", folder)
        components = kit_table("vip_zscores", folder)
        expected = by_customer(components["z_frequency"], components["customer_id"])
        orders = by_customer(components["orders"], components["customer_id"])
        purchases = transactions[transactions["amount"] > 0]

        def z(counts: pd.Series) -> pd.Series:
            return (counts - counts.mean()) / counts.std(ddof=0)

        mistakes = [
            Mistake((orders - orders.mean()) / orders.std(ddof=1),
                    N_("pandas' .std() divides by n − 1 (the sample standard deviation); the VIP "
                       "score describes all the customers, so it uses the population one."),
                    N_("use .std(ddof=0).")),
            Mistake(z(purchases.groupby("customer_id").size()),
                    N_("you counted order lines, not orders: one order has one to three lines, so "
                       "a customer who buys several things at once looks more frequent."),
                    N_("count distinct order_id per customer with .nunique().")),
            Mistake(z(transactions.groupby("customer_id")["order_id"].nunique()),
                    N_("returns were counted as purchases: a return has an order id of its own, "
                       "and a customer who sends goods back is not buying more often."),
                    N_("keep the lines with amount > 0 before counting orders.")),
            Mistake(orders.astype("float64"),
                    N_("these are the raw order counts: a VIP score adds components measured in "
                       "different units, so each one is put on a common scale first."),
                    N_("subtract the mean and divide by the standard deviation.")),
        ]
        return (transactions,), expected, mistakes

    return check_function(
        "02.4 frequency_zscore", func, kit_cases(build, data_dir),
        hints=Hints(
            N_("frequency is how many times a customer bought (orders, not lines, and not "
               "returns); the z-score says how many standard deviations a customer is above or "
               "below the average customer."),
            N_("orders = distinct order_id of the lines with amount > 0, per customer; z = "
               "(orders − mean) / std(ddof=0); return a Series indexed by customer_id."),
        ),
    )


def wallet_left_on_table(func: Callable, data_dir=None) -> CheckResult:
    """Check 02.5: MXN per year surveyed customers spend with competitors."""

    def build(folder):
        survey, spend = kit_table("survey", folder), kit_table("spend", folder)
        wallets = dif.wallet_left_on_table(survey, spend)
        usable = wallets[wallets["usable"]]
        expected = float(usable["left_on_table"].sum())
        mistakes = [
            Mistake(float(usable["wallet"].sum()),
                    N_("that is the customers' whole spending in our categories; what they spend "
                       "with us is part of it, and only the rest goes to competitors."),
                    N_("subtract our spend: spend × (1/share − 1).")),
            Mistake(float((usable["spend"] * (1 - usable["share_of_wallet"])).sum()),
                    N_("spend × (1 − share) scales our own spend, not the wallet: a customer who "
                       "gives us a tenth of the wallet spends nine times as much elsewhere."),
                    N_("the wallet is spend / share; what is left is wallet − spend.")),
            Mistake(float(usable["left_on_table"].mean()),
                    N_("that is the wallet left on the table per surveyed customer; the exercise "
                       "asks for the total."),
                    N_("use .sum(), not .mean().")),
            Mistake(float("inf"),
                    N_("answers with a share of 0 were kept: their wallet cannot be computed "
                       "(spend / 0), so they are left out."),
                    N_("keep the rows with share_of_wallet > 0.")),
        ]
        return (survey, spend), expected, mistakes

    return check_function(
        "02.5 wallet_left_on_table", func, kit_cases(build, data_dir),
        hints=Hints(
            N_("if a customer's spend with us is a share of what they spend in our categories, "
               "the rest of that spending goes to competitors: that is the wallet left on the "
               "table, which cross-selling could win back."),
            N_("merge spend onto the survey, keep share_of_wallet > 0, sum spend_per_year × "
               "(1/share_of_wallet − 1)."),
        ),
    )


def best_channel(func: Callable) -> CheckResult:
    """Check 02.6: channel with the highest expected net value per contact for a tier.

    Several tier values on the lesson's channel table and on a table with
    other prices and response rates, each value inside another channel's
    winning stretch, so no fixed channel passes.
    """
    cases = [channel_case(N_("the lesson's channels"), dif.DEFAULT_CHANNELS.copy(), True),
             channel_case(N_("a channel table with prices and response rates you have not seen"),
                          unseen_channels(unseen_rng(26)), False)]
    return check_function(
        "02.6 best_channel", each_pair(func), cases,
        hints=Hints(
            N_("a contact is worth the chance that the customer responds times what a response is "
               "worth, less what the contact costs; the best channel is the one that leaves the "
               "most, and it changes with the value of the tier."),
            N_("expected net value per contact = response_rate × value − cost_per_contact; return "
               "the name in 'channel' where it is largest."),
        ),
    )


def plan_campaign(func: Callable, data_dir=None) -> CheckResult:
    """Check 02.7, a decision: which tier gets which channel on a contact budget.

    The student's plan (tier → channel, or None for no contact; one contact
    per customer of each contacted tier) is scored on what the customers
    bring next year by the simulator's truth, which the student never sees:
    responses (response rate × customers) times each tier's true profit per
    customer next year, less the cost of the contacts. The best decision is
    the plan that earns most by the estimates the student has; it passes at
    95% of what that plan earns. Run on the lesson's data and on new data
    with other budgets and channel prices.
    """
    rng = unseen_rng(27)
    unseen = unseen_data_dir()
    size = len(kit_table("customers", unseen))
    tight, loose = (float(np.round(rng.uniform(*span) * size, -2)) for span in ((2, 8), (10, 30)))
    # Labels in the language in use (the cases are built anew at every check).
    lesson = _("the lesson's data with a budget of {budget} MXN").format(
        budget=f"{CAMPAIGN_BUDGET:,.0f}")
    tight_label = _("{unseen} with a budget of {budget} MXN").format(
        unseen=_(unseen_label()), budget=f"{tight:,.0f}")
    loose_label = _("{unseen}, other channel prices and a budget of {budget} MXN").format(
        unseen=_(unseen_label()), budget=f"{loose:,.0f}")
    cases = [
        campaign_case(lesson, data_dir, dif.DEFAULT_CHANNELS, CAMPAIGN_BUDGET, True),
        campaign_case(tight_label, unseen, dif.DEFAULT_CHANNELS, tight, False),
        campaign_case(loose_label, unseen, unseen_channels(rng), loose, False),
    ]
    return check_function(
        "02.7 plan_campaign", func, cases,
        hints=Hints(
            N_("a contact pays when what it brings (the chance of a response times what a "
               "responder is worth next year) is more than it costs; a limited budget goes where "
               "it earns most in total, and a tier for which no channel pays gets no contact."),
            N_("for every tier and channel, net per contact = response_rate × value_next_year − "
               "cost_per_contact; try every combination of one channel or None per tier "
               "(itertools.product), keep those whose cost Σ customers × cost_per_contact fits "
               "the budget, and return the one with the largest Σ customers × net as a dict."),
        ),
    )
