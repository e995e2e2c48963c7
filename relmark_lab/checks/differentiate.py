"""Self-checks for the exercises of lesson 02, customer differentiation.

Each function takes the student's function, runs it on the kit's data and
returns a :class:`~relmark_lab.checks.CheckResult`; the reference answer is
what :mod:`relmark_lab.differentiate` computes.

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

import pandas as pd

from relmark_lab import datasets
from relmark_lab import differentiate as dif
from relmark_lab.checks._cases import kit_cases
from relmark_lab.checks._core import CheckResult, Hints, Mistake, check_function

__all__ = [
    "best_channel",
    "frequency_zscore",
    "net_promoter_score",
    "quadrant_counts",
    "value_destroying_share",
    "wallet_left_on_table",
]


def _end(data_dir) -> str:
    """The kit's last observed day."""
    return datasets.load_truth(data_dir)["observation_end"]


def _profitability(data_dir) -> pd.DataFrame:
    return dif.customer_profitability(
        datasets.load_transactions(data_dir), _end(data_dir),
        customers=datasets.load_customers(data_dir),
        contacts=datasets.load_voice_of_customer(data_dir),
    )


def net_promoter_score(func: Callable, data_dir=None) -> CheckResult:
    """Check 02.1: NPS in points (−100 to 100) from the survey's ``recommend`` answers."""

    def build(folder):
        survey = datasets.load_survey(folder)
        expected = float(dif.net_promoter_score(survey)["nps"].iloc[0])
        scores = survey["recommend"]
        mistakes = [
            Mistake(
                100 * float((scores >= 7).mean() - (scores <= 6).mean()),
                "passives (7–8) were counted as promoters: a passive is satisfied but would "
                "switch for a better offer, so it does not spread the word.",
                "promoters answer 9 or 10 only: `scores >= 9`.",
            ),
            Mistake(
                100 * float((scores >= 9).mean() - (scores <= 5).mean()),
                "a 6 was left out of the detractors: anyone who answers 0 to 6 is unhappy "
                "enough to talk the firm down.",
                "detractors answer 0 to 6: `scores <= 6`.",
            ),
            Mistake(
                100 * float((scores >= 9).mean()),
                "that is the share of promoters alone; NPS nets the detractors out.",
                "subtract the share of answers 0–6 from the share of answers 9–10.",
            ),
            Mistake(
                100 * float((scores >= 9).sum() - (scores <= 6).sum()),
                "you subtracted counts of people; NPS subtracts shares of the respondents.",
                "take the mean of each True/False Series (a share) before subtracting.",
            ),
        ]
        return (survey,), expected, mistakes

    return check_function(
        "02.1 net_promoter_score", func, kit_cases(build, data_dir),
        hints=Hints(
            "NPS is the share of promoters (who would recommend the firm) minus the share of "
            "detractors (who would talk it down), in points from −100 to 100.",
            "promoters answer 9–10 and detractors 0–6 on `recommend`; take the mean of each "
            "True/False Series and multiply the difference by 100.",
        ),
    )


def value_destroying_share(func: Callable, data_dir=None) -> CheckResult:
    """Check 02.2: share of customers whose profit is below zero."""
    profitability = _profitability(data_dir)
    profit = profitability["profit"]
    expected = float((profit < 0).mean())
    mistakes = [
        Mistake(
            int((profit < 0).sum()),
            "that is the number of value-destroying customers, not their share.",
            "divide by the number of customers, or take the mean of a True/False Series.",
        ),
        Mistake(
            float(-profit[profit < 0].sum() / profit.sum()),
            "that is the profit they destroy as a share of total profit.",
            "the question asks for the share of customers.",
        ),
        Mistake(
            float((profitability["margin"] < 0).mean()),
            "you used the gross margin; the cost to serve has to come off first.",
            "use the 'profit' column (margin minus cost to serve).",
        ),
    ]
    return check_function(
        "02.2 value_destroying_share", func, [profitability], expected,
        hint="a customer destroys value when profit < 0.", mistakes=mistakes,
    )


def quadrant_counts(func: Callable, data_dir=None) -> CheckResult:
    """Check 02.3: customers per Reinartz–Kumar quadrant, median thresholds."""
    transactions = datasets.load_transactions(data_dir)
    frame = _profitability(data_dir)[["customer_id", "profit"]].merge(
        dif.projected_loyalty(transactions, _end(data_dir))[
            ["customer_id", "projected_loyalty"]],
        on="customer_id",
    )
    order = list(dif.REINARTZ_KUMAR_QUADRANTS)

    def counts(profit_cut, loyalty_cut, swap=False):
        matrix = dif.reinartz_kumar(frame, profit_threshold=profit_cut,
                                    loyalty_threshold=loyalty_cut)
        result = matrix["quadrant"].value_counts().reindex(order).astype("int64")
        result.index = pd.Index(order, name="quadrant")
        if swap:
            result = result.rename({"butterflies": "barnacles", "barnacles": "butterflies"})
            result = result.reindex(order)
        return result

    expected = counts(None, None)
    mistakes = [
        Mistake(
            counts(frame["profit"].mean(), frame["projected_loyalty"].mean()),
            "the thresholds are the means; the exercise asks for the medians.",
            "use .median() of each column.",
        ),
        Mistake(
            counts(None, None, swap=True),
            "butterflies and barnacles are swapped.",
            "butterflies are profitable but not loyal; barnacles loyal but not profitable.",
        ),
    ]
    return check_function(
        "02.3 quadrant_counts", func, [frame], expected,
        hint="high = strictly above the median; return a Series indexed by quadrant name "
        "(true friends, butterflies, barnacles, strangers).",
        mistakes=mistakes,
    )


def frequency_zscore(func: Callable, data_dir=None) -> CheckResult:
    """Check 02.4: z-score of each customer's number of purchase orders (ddof=0)."""
    transactions = datasets.load_transactions(data_dir)
    components = dif.vip_components(transactions, _end(data_dir), method="zscore")
    components = components.set_index("customer_id")
    expected = components["z_frequency"].rename(None)
    orders = components["orders"]
    lines = transactions[transactions["amount"] > 0].groupby("customer_id").size()
    all_orders = transactions.groupby("customer_id")["order_id"].nunique()

    def z(counts: pd.Series) -> pd.Series:
        return (counts - counts.mean()) / counts.std(ddof=0)

    mistakes = [
        Mistake(
            (orders - orders.mean()) / orders.std(ddof=1),
            "pandas' .std() divides by n − 1 (the sample standard deviation); the VIP score "
            "uses the population standard deviation.",
            "use .std(ddof=0).",
        ),
        Mistake(
            z(lines),
            "you counted order lines, not orders: an order has one to three lines.",
            "count distinct order_id per customer with .nunique().",
        ),
        Mistake(
            z(all_orders),
            "returns have their own order_id and were counted as purchase orders.",
            "keep the lines with amount > 0 before counting orders.",
        ),
        Mistake(
            orders.astype("float64"),
            "these are the raw order counts, not standardized.",
            "subtract the mean and divide by the standard deviation.",
        ),
    ]
    return check_function(
        "02.4 frequency_zscore", func, [transactions], expected,
        hint="orders = distinct order_id of the lines with amount > 0, per customer; "
        "z = (orders − mean) / std(ddof=0); return a Series indexed by customer_id.",
        mistakes=mistakes,
    )


def wallet_left_on_table(func: Callable, data_dir=None) -> CheckResult:
    """Check 02.5: MXN per year surveyed customers spend with competitors."""
    transactions = datasets.load_transactions(data_dir)
    survey = datasets.load_survey(data_dir)
    spend = dif.annual_spend(transactions, _end(data_dir))
    wallets = dif.wallet_left_on_table(survey, spend)
    expected = float(wallets["left_on_table"].sum())
    usable = wallets[wallets["usable"]]
    mistakes = [
        Mistake(
            float(usable["wallet"].sum()),
            "that is the whole wallet (spend / share); our own spend is part of it.",
            "subtract our spend: spend × (1/share − 1).",
        ),
        Mistake(
            float((usable["spend"] * (1 - usable["share_of_wallet"])).sum()),
            "spend × (1 − share) is not what goes to competitors.",
            "the wallet is spend / share; what is left is wallet − spend.",
        ),
    ]
    return check_function(
        "02.5 wallet_left_on_table", func, [survey, spend], expected,
        hint="merge spend onto the survey, keep share_of_wallet > 0, sum "
        "spend_per_year × (1/share_of_wallet − 1).",
        mistakes=mistakes, rel_tol=1e-6,
    )


def best_channel(func: Callable) -> CheckResult:
    """Check 02.6: channel with the highest expected net value per contact for a tier."""
    value = 900.0
    channels = dif.DEFAULT_CHANNELS.copy()
    tier = pd.DataFrame({"tier": ["Gold"], "customers": [1], "value_per_customer": [value]})
    expected = str(dif.contact_plan(tier, 1e6)["channel"].iloc[0])
    mistakes = [
        Mistake(
            str(channels.loc[channels["response_rate"].idxmax(), "channel"]),
            "the channel with the most responses is not the one that pays most: its cost "
            "per contact eats the value.",
            "compare response_rate × value − cost_per_contact.",
        ),
        Mistake(
            str(channels.loc[channels["cost_per_contact"].idxmin(), "channel"]),
            "the cheapest channel is not the one that pays most.",
            "compare response_rate × value − cost_per_contact.",
        ),
    ]
    return check_function(
        "02.6 best_channel", func, [value, channels], expected,
        hint="expected net value per contact = response_rate × value − cost_per_contact; "
        "return the channel name where it is largest.",
        mistakes=mistakes,
    )
