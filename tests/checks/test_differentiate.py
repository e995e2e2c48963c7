"""Lesson 02's checks pass computed answers, fail fixed ones, name known mistakes, hide answers."""

import itertools
import re

import numpy as np
import pandas as pd
import pytest

from relmark_lab import datasets
from relmark_lab import differentiate as dif
from relmark_lab.checks import differentiate as check
from relmark_lab.checks import reset_attempts
from relmark_lab.checks._cases import unseen_data_dir


def _stub(*args):
    raise NotImplementedError()


@pytest.fixture(scope="module")
def lesson():
    """The lesson's tables, loaded once for the whole module."""
    transactions = datasets.load_transactions()
    end = datasets.load_truth()["observation_end"]
    profitability = dif.customer_profitability(
        transactions, end, customers=datasets.load_customers(),
        contacts=datasets.load_voice_of_customer())
    frame = profitability[["customer_id", "profit"]].merge(
        dif.projected_loyalty(transactions, end)[["customer_id", "projected_loyalty"]],
        on="customer_id")
    return {"transactions": transactions, "profitability": profitability, "frame": frame,
            "survey": datasets.load_survey(), "spend": dif.annual_spend(transactions, end)}


def _hidden(verdict, value: float) -> bool:
    """True when the verdict shows none of the usual renderings of ``value`` as a number."""
    shown = [f"{value:,.4g}", f"{value:.4f}", str(round(value, 2))]
    if abs(value) >= 100:
        shown.append(f"{value:,.0f}")
    # A rendering inside a longer number (0.34 in the student's own 0.3426) is not it.
    return not any(re.search(rf"(?<![\d.,]){re.escape(s)}(?![\d])", str(verdict))
                   for s in shown)


def _two_hints(func, wrong):
    reset_attempts()
    first, second = func(wrong), func(wrong)
    assert first.status == second.status == "wrong"
    assert first.hint != second.hint


# --- 02.1 net promoter score --------------------------------------------------------


def test_nps_passes_computed_answers_and_names_mistakes(lesson):
    def right(survey):
        r = survey["recommend"]
        return 100 * ((r >= 9).mean() - (r <= 6).mean())

    def passives(survey):
        r = survey["recommend"]
        return 100 * ((r >= 7).mean() - (r <= 6).mean())

    assert check.net_promoter_score(right).passed
    assert check.net_promoter_score(_stub).status == "unanswered"
    assert "passives" in str(check.net_promoter_score(passives))
    r = "recommend"
    assert "a 6 was left out" in check.net_promoter_score(
        lambda s: 100 * ((s[r] >= 9).mean() - (s[r] <= 5).mean())).because
    assert "promoters alone" in check.net_promoter_score(
        lambda s: 100 * (s[r] >= 9).mean()).because
    assert "counts of people" in check.net_promoter_score(
        lambda s: 100 * ((s[r] >= 9).sum() - (s[r] <= 6).sum())).because
    assert "100 times too large" in check.net_promoter_score(
        lambda s: 100 * right(s)).because
    fixed = right(lesson["survey"])
    result = check.net_promoter_score(lambda survey: fixed)
    assert "right answer on the lesson's data but not on" in result.because
    assert _hidden(result, right(datasets.load_survey(unseen_data_dir())))


# --- 02.2 value-destroying share ----------------------------------------------------


def share_right(profitability):
    return (profitability["profit"] < 0).mean()


def test_value_destroying_share_passes_and_fails_a_fixed_answer(lesson):
    assert check.value_destroying_share(share_right).passed
    assert check.value_destroying_share(_stub).status == "unanswered"
    fixed = share_right(lesson["profitability"])
    result = check.value_destroying_share(lambda p: fixed)
    assert "right answer on the lesson's data but not on new data" in result.because
    assert "fixed numbers" in result.because
    unseen = dif.customer_profitability(
        datasets.load_transactions(unseen_data_dir()),
        datasets.load_truth(unseen_data_dir())["observation_end"],
        customers=datasets.load_customers(unseen_data_dir()),
        contacts=datasets.load_voice_of_customer(unseen_data_dir()))
    assert _hidden(result, share_right(unseen))


@pytest.mark.parametrize("wrong, words", [
    (lambda p: 100 * (p["profit"] < 0).mean(), "that is a percentage"),
    (lambda p: int((p["profit"] < 0).sum()), "number of value-destroying customers"),
    (lambda p: (p["profit"] >= 0).mean(), "who make money"),
    (lambda p: -p.loc[p["profit"] < 0, "profit"].sum() / p["profit"].sum(), "profit they destroy"),
    (lambda p: (p["margin"] < 0).mean(), "gross margin"),
])
def test_value_destroying_share_names_mistakes_without_the_answer(lesson, wrong, words):
    result = check.value_destroying_share(wrong)
    assert words in result.because
    assert _hidden(result, share_right(lesson["profitability"]))


def test_value_destroying_share_hints_get_concrete():
    _two_hints(check.value_destroying_share, lambda p: 100 * (p["profit"] < 0).mean())


# --- 02.3 quadrant labels -----------------------------------------------------------


def _labels(frame, at_median_high=False, cut="median"):
    def high(column):
        threshold = getattr(frame[column], cut)()
        return frame[column] >= threshold if at_median_high else frame[column] > threshold

    profit, loyal = high("profit"), high("projected_loyalty")
    names = np.select([profit & loyal, profit, loyal],
                      ["true friends", "butterflies", "barnacles"], "strangers")
    return pd.Series(names, index=frame["customer_id"])


def test_quadrant_labels_passes_and_fails_a_fixed_answer(lesson):
    assert check.quadrant_labels(_labels).passed
    assert check.quadrant_labels(_stub).status == "unanswered"
    fixed = _labels(lesson["frame"])
    result = check.quadrant_labels(lambda frame: fixed)
    assert "right answer on the lesson's data but not on new data" in result.because


def test_quadrant_labels_tells_apart_ties_at_the_median():
    frame = check.tied_medians_frame()
    assert (_labels(frame) != _labels(frame, at_median_high=True)).any()
    result = check.quadrant_labels(lambda f: _labels(f, at_median_high=True))
    assert "exactly at a median were counted as high" in result.because
    assert "fixed numbers" not in result.because


def test_quadrant_labels_names_swaps_and_means():
    def swapped(frame):
        return _labels(frame).replace({"butterflies": "barnacles", "barnacles": "butterflies"})

    assert "butterflies and barnacles are swapped" in check.quadrant_labels(swapped).because
    means = check.quadrant_labels(lambda f: _labels(f, cut="mean"))
    assert "thresholds are the means" in means.because


def test_quadrant_labels_refuses_a_list_briefly():
    result = check.quadrant_labels(lambda f: _labels(f).tolist())
    assert "Series indexed by customer_id" in result.because and len(str(result)) < 400
    _two_hints(check.quadrant_labels, lambda f: _labels(f).tolist())


# --- 02.4 frequency z-score ---------------------------------------------------------


def _orders(transactions):
    return transactions[transactions["amount"] > 0].groupby("customer_id")["order_id"].nunique()


def z_right(transactions):
    orders = _orders(transactions)
    return (orders - orders.mean()) / orders.std(ddof=0)


def test_frequency_zscore_passes_and_fails_a_fixed_answer(lesson):
    assert check.frequency_zscore(z_right).passed
    assert check.frequency_zscore(_stub).status == "unanswered"
    fixed = z_right(lesson["transactions"])
    result = check.frequency_zscore(lambda t: fixed)
    assert "right answer on the lesson's data but not on new data" in result.because
    assert len(str(check.frequency_zscore(lambda t: fixed.tolist()))) < 400


def test_frequency_zscore_names_mistakes():
    def sample(transactions):
        orders = _orders(transactions)
        return (orders - orders.mean()) / orders.std()

    def with_returns(transactions):
        orders = transactions.groupby("customer_id")["order_id"].nunique()
        return (orders - orders.mean()) / orders.std(ddof=0)

    def lines(transactions):
        counts = transactions[transactions["amount"] > 0].groupby("customer_id").size()
        return (counts - counts.mean()) / counts.std(ddof=0)

    assert "population" in check.frequency_zscore(sample).because
    assert "returns were counted as purchases" in check.frequency_zscore(with_returns).because
    assert "order lines, not orders" in check.frequency_zscore(lines).because
    assert "raw order counts" in check.frequency_zscore(
        lambda t: _orders(t).astype(float)).because
    _two_hints(check.frequency_zscore, lines)


# --- 02.5 wallet left on the table --------------------------------------------------


def _merged(survey, spend):
    merged = survey.merge(spend, on="customer_id")
    return merged[(merged["share_of_wallet"] > 0) & (merged["spend_per_year"] >= 0)]


def wallet_right(survey, spend):
    m = _merged(survey, spend)
    return (m["spend_per_year"] * (1 / m["share_of_wallet"] - 1)).sum()


def test_wallet_left_on_table_passes_and_fails_a_fixed_answer(lesson):
    assert check.wallet_left_on_table(wallet_right).passed
    assert check.wallet_left_on_table(_stub).status == "unanswered"
    fixed = wallet_right(lesson["survey"], lesson["spend"])
    result = check.wallet_left_on_table(lambda s, p: fixed)
    assert "right answer on the lesson's data but not on new data" in result.because
    folder = unseen_data_dir()
    unseen = wallet_right(datasets.load_survey(folder), dif.annual_spend(
        datasets.load_transactions(folder), datasets.load_truth(folder)["observation_end"]))
    assert _hidden(result, unseen)


@pytest.mark.parametrize("wrong, words", [
    (lambda s, p: (_merged(s, p)["spend_per_year"] / _merged(s, p)["share_of_wallet"]).sum(),
     "whole spending"),
    (lambda s, p: (_merged(s, p)["spend_per_year"] * (1 - _merged(s, p)["share_of_wallet"])).sum(),
     "scales our own spend"),
    (lambda s, p: (_merged(s, p)["spend_per_year"]
                   * (1 / _merged(s, p)["share_of_wallet"] - 1)).mean(), "per surveyed customer"),
    (lambda s, p: (s.merge(p, on="customer_id").eval("spend_per_year / share_of_wallet")
                   - s.merge(p, on="customer_id")["spend_per_year"]).sum(), "share of 0"),
])
def test_wallet_left_on_table_names_mistakes_without_the_answer(lesson, wrong, words):
    result = check.wallet_left_on_table(wrong)
    assert words in result.because
    assert _hidden(result, wallet_right(lesson["survey"], lesson["spend"]))


# --- 02.6 best channel --------------------------------------------------------------


def channel_right(value, channels):
    net = channels["response_rate"] * value - channels["cost_per_contact"]
    return channels.loc[net.idxmax(), "channel"]


def test_best_channel_passes_and_no_fixed_channel_does():
    assert check.best_channel(channel_right).passed
    assert check.best_channel(_stub).status == "unanswered"
    for channel in dif.DEFAULT_CHANNELS["channel"]:
        assert not check.best_channel(lambda v, c, name=channel: name).passed


def test_best_channel_fails_a_rule_that_fits_the_lesson_table_only():
    lesson_channels = dif.DEFAULT_CHANNELS

    def by_position(value, channels):  # the lesson table's winners, by position
        return channels["channel"].iloc[lesson_channels.index.get_loc(
            (lesson_channels["response_rate"] * value
             - lesson_channels["cost_per_contact"]).idxmax())]

    result = check.best_channel(by_position)
    assert "right answer on the lesson's data but not on a channel table" in result.because


@pytest.mark.parametrize("wrong, words", [
    (lambda v, c: c.loc[c["response_rate"].idxmax(), "channel"], "most responses"),
    (lambda v, c: c.loc[c["cost_per_contact"].idxmin(), "channel"], "cheapest channel"),
    (lambda v, c: (c["response_rate"] * v - c["cost_per_contact"]).idxmax(), "row number"),
])
def test_best_channel_names_mistakes(wrong, words):
    assert words in check.best_channel(wrong).because
    assert len(str(check.best_channel(wrong))) < 400


# --- 02.7 the contact plan, a decision ----------------------------------------------


def plan_right(tiers, channels, budget):
    choices = []
    for tier in tiers.itertuples():
        options = [(None, 0.0, 0.0)]
        for ch in channels.itertuples():
            cost = tier.customers * ch.cost_per_contact
            options.append((ch.channel, cost,
                            tier.customers * ch.response_rate * tier.value_next_year - cost))
        choices.append(options)
    best, best_net = None, -np.inf
    for plan in itertools.product(*choices):
        cost, net = sum(o[1] for o in plan), sum(o[2] for o in plan)
        if cost <= budget and net > best_net:
            best, best_net = plan, net
    return {tier: option[0] for tier, option in zip(tiers["tier"], best, strict=True)}


def _plan_with(column):
    def plan(tiers, channels, budget):
        return plan_right(tiers.assign(value_next_year=tiers[column]), channels, budget)
    return plan


def test_the_best_plan_passes_and_the_stub_is_unanswered():
    assert check.plan_campaign(plan_right).passed
    assert check.plan_campaign(_stub).status == "unanswered"


def test_a_fixed_plan_fails_on_new_budgets():
    tiers = check.campaign_tiers()
    fixed = plan_right(tiers, dif.DEFAULT_CHANNELS, check.CAMPAIGN_BUDGET)
    result = check.plan_campaign(lambda t, c, b: fixed)
    assert result.status == "wrong"
    assert result.because.startswith("on new data you have not seen")


def test_a_naive_plan_is_scored_against_the_best():
    result = check.plan_campaign(lambda t, c, b: {"VIP": "telemarketing"})
    assert "% of what the best decision earns" in result.because
    assert "on outcomes you have not seen" in result.because
    _two_hints(check.plan_campaign, lambda t, c, b: {"VIP": "telemarketing"})


@pytest.mark.parametrize("wrong, words", [
    (_plan_with("profit_mean"), "past profit"),
    (lambda t, c, b: dict.fromkeys(t["tier"], "e-mail"), "cheapest channel for everyone"),
    (lambda t, c, b: dict.fromkeys(t["tier"], "face to face"), "most responses"),
])
def test_known_plans_are_named(wrong, words):
    assert words in check.plan_campaign(wrong).because


def test_a_plan_that_ignores_the_budget_is_named():
    def no_budget(tiers, channels, budget):
        return plan_right(tiers, channels, np.inf)

    assert "as if money were no object" in check.plan_campaign(no_budget).because


@pytest.mark.parametrize("plan, words", [
    ({"VIP": "fax"}, "'fax', for tier 'VIP', is not a channel"),
    ({"Platinum": "e-mail"}, "'Platinum' is not one of the tiers"),
    (["e-mail"] * 5, "a dict from tier to channel is expected"),
    ({"VIP": "face to face", "Gold": "face to face"}, "more than the budget of 75,000 MXN"),
])
def test_an_invalid_plan_gets_a_sentence(plan, words):
    result = check.plan_campaign(lambda t, c, b: plan)
    assert "cannot be carried out" in result.because and words in result.because
    assert len(str(result)) < 400


def test_a_plan_verdict_hides_the_best_score():
    from relmark_lab.checks._differentiate_contacts import campaign_case

    case = campaign_case("l", None, dif.DEFAULT_CHANNELS, check.CAMPAIGN_BUDGET, True)
    assert case.score(plan_right(*case.args)) == pytest.approx(case.best)
    result = check.plan_campaign(lambda t, c, b: {"VIP": "telemarketing"})
    assert f"{case.best:,.0f}" not in str(result)


def test_checks_never_raise_on_broken_answers():
    for func in (check.net_promoter_score, check.value_destroying_share, check.quadrant_labels,
                 check.frequency_zscore):
        result = func(lambda *args: args[0]["no such column"])
        assert result.status == "wrong" and "KeyError" in str(result)
    assert check.wallet_left_on_table(lambda s, p: None).status == "wrong"
    assert check.best_channel(lambda v, c: np.nan).status == "wrong"
    assert check.plan_campaign(lambda t, c, b: None).status == "wrong"
    assert check.plan_campaign("not a function").status == "wrong"


# --- 02.8 which weapon of value for effort, a decision ------------------------------


def weapon_right(survey, costs, budget):
    columns = list(costs)
    x = np.column_stack([np.ones(len(survey)), survey[columns].to_numpy(float)])
    weights = np.linalg.lstsq(x, survey["perceived_value"].to_numpy(float), rcond=None)[0][1:]
    gains = {c: w * (np.minimum(survey[c] + budget / costs[c], 5) - survey[c]).mean()
             for c, w in zip(columns, weights, strict=True)}
    return max(gains, key=gains.get)


def test_the_best_weapon_passes_and_a_fixed_one_fails():
    assert check.choose_weapon(weapon_right).passed
    assert check.choose_weapon(_stub).status == "unanswered"
    fixed = weapon_right(datasets.load_survey(), check.WEAPON_COSTS, check.WEAPON_BUDGET)
    result = check.choose_weapon(lambda s, c, b: fixed)
    assert result.status == "wrong" and "on a survey you have not seen" in result.because


@pytest.mark.parametrize("wrong, words", [
    (lambda s, c, b: "service_rating", "moves perceived value most, whatever the point costs"),
    (lambda s, c, b: min(c, key=c.get), "the cheapest points are not the best buy"),
    (lambda s, c, b: "price_rating", "the weapon rated worst"),
])
def test_the_usual_wrong_choices_are_named(wrong, words):
    result = check.choose_weapon(wrong)
    assert result.status == "wrong" and words in result.because
    _two_hints(check.choose_weapon, wrong)


def test_a_choice_without_the_cap_is_named_and_a_bad_name_gets_a_sentence():
    def uncapped(survey, costs, budget):
        # ratings shifted far below 5 never reach the cap; the weights do not change
        return weapon_right(survey.assign(**{c: survey[c] - 100 for c in costs}), costs, budget)

    assert "a rating cannot rise above 5" in check.choose_weapon(uncapped).because
    result = check.choose_weapon(lambda s, c, b: "delivery")
    assert "cannot be carried out: 'delivery' is not one of the rating columns" in result.because
    assert check.choose_weapon(lambda s, c, b: None).status == "wrong"


def test_a_weapon_verdict_hides_the_gains():
    from relmark_lab.checks._differentiate_value import WEAPON_COSTS, weapon_case

    case = weapon_case("l", datasets.load_survey(), WEAPON_COSTS, check.WEAPON_BUDGET, True, 1)
    assert case.score(weapon_right(*case.args)) == pytest.approx(case.best)
    result = check.choose_weapon(lambda s, c, b: min(c, key=c.get))
    assert f"{case.best:,.0f}" not in str(result) and "price_rating" not in str(result)


# --- 02.9 relationship levels -------------------------------------------------------


def test_levels_pass_as_a_list_or_series_and_the_cuts_are_checked():
    assert check.relationship_level(lambda s: dif.relationship_levels(s)["level"]).passed
    assert check.relationship_level(
        lambda s: dif.relationship_levels(s)["level"].tolist()).passed
    assert check.relationship_level(_stub).status == "unanswered"
    strict = check.relationship_level(lambda s: dif.relationship_levels(
        s, many_share=0.25 + 1e-9, high_multiple=2 + 1e-9)["level"])
    assert "a segment exactly on a cut belongs to the upper side" in strict.because
    fixed = dif.relationship_levels(check.level_segments())["level"].tolist()
    assert check.relationship_level(lambda s: fixed).status == "wrong"
    _two_hints(check.relationship_level, lambda s: ["basic"] * len(s))
