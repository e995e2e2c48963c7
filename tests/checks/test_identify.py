"""Self-checks of lesson 01: right answers pass, fixed answers and known mistakes do not."""

import numpy as np
import pandas as pd
import pytest

from relmark_lab import datasets, identify
from relmark_lab.checks import identify as check

STAGES = list(identify.STAGES)


def _todo(*args):
    raise NotImplementedError()


# --- the solutions, written as a student would --------------------------------------------


def normalize_email(email):
    return email.strip().lower()


def count_people_by_email(raw, normalise=lambda s: s.str.strip().str.lower()):
    keys = normalise(raw["Correo"]).replace("", pd.NA)
    per_id = keys.groupby(raw["customer_id"]).first()
    return per_id.nunique() + int(per_id.isna().sum())


def status_with(strict=False, returns=False, midnight=False, clock=False, future=False,
                all_leads=False):
    """01.3's solution, or the solution with one known mistake."""

    def customer_status(transactions, leads, observation_end, active_within_days):
        day = pd.Timestamp(observation_end)
        cut = day if midnight else day + pd.Timedelta(days=1)
        lines = transactions if returns else transactions[transactions["amount"] > 0]
        if not future:
            lines = lines[lines["date"] < cut]
        last = lines.groupby("customer_id")["date"].max()
        since = (day - (last if clock else last.dt.normalize())).dt.days
        active = since < active_within_days if strict else since <= active_within_days
        status = pd.Series(np.where(active, "active", "inactive"), index=last.index)
        known = leads if all_leads else leads[leads["created_date"] < cut]
        known = known[~known["lead_id"].isin(status.index)]
        return pd.concat([status, pd.Series("potential", index=known["lead_id"])])

    return customer_status


def stage_conversion(stages, reached_from_top=False):
    in_stage = stages["stage"].astype(str).value_counts().reindex(STAGES, fill_value=0)
    reached = in_stage.cumsum() if reached_from_top else in_stage[::-1].cumsum()[::-1]
    return (reached / reached.shift(1)).loc[STAGES[1:]]


def resolution_rate_by_channel(contacts):
    complaints = contacts[contacts["contact_type"] == "complaint"]
    return complaints.groupby("channel")["resolved"].mean()


def complainer_active_gap(contacts, status, how="all", only_complaints=True):
    complaints = contacts[contacts["contact_type"] == "complaint"] if only_complaints else contacts
    all_resolved = getattr(complaints.groupby("customer_id")["resolved"], how)()
    table = status.set_index("customer_id")
    table = table.loc[table.index.intersection(all_resolved.index)]
    active = table["status"] == "active"
    groups = all_resolved.loc[table.index].astype(bool)
    return active[groups].mean() - active[~groups].mean()


RESPONSE_RATE, RESPONSE_RATE_UNRESOLVED, MARGIN_RATE = 0.25, 0.05, 0.30


def whom_to_win_back(table, budget, cost_per_call, use_complaints=True, only_positive=True):
    lapsed = table[table["status"] == "inactive"]
    response = np.where((lapsed["unresolved_complaints"] > 0) & use_complaints,
                        RESPONSE_RATE_UNRESOLVED, RESPONSE_RATE)
    gain = response * MARGIN_RATE * lapsed["revenue"] / lapsed["orders"] - cost_per_call
    worth = lapsed.assign(gain=gain).sort_values("gain", ascending=False)
    if only_positive:
        worth = worth[worth["gain"] > 0]
    return worth["customer_id"].head(int(budget // cost_per_call)).tolist()


SOLUTIONS = {
    check.normalize_email: normalize_email,
    check.count_people_by_email: count_people_by_email,
    check.customer_status: status_with(),
    check.stage_conversion: stage_conversion,
    check.resolution_rate_by_channel: resolution_rate_by_channel,
    check.complainer_active_gap: complainer_active_gap,
    check.whom_to_win_back: whom_to_win_back,
}
CHECKS = list(SOLUTIONS)
NAMES = [run.__name__ for run in CHECKS]


@pytest.fixture(scope="module")
def lesson():
    """The lesson's tables, and each solution's answer on them (what a fixed answer returns)."""
    raw, _ = datasets.load_raw_export()
    tx, leads = datasets.load_transactions(), datasets.load_leads()
    contacts = datasets.load_voice_of_customer()
    end = datasets.load_truth()["observation_end"]
    stages = identify.lifecycle_stage(tx, end, leads=leads, survey=datasets.load_survey())
    status = identify.customer_status(tx, end)
    table = identify.customer_table(tx, end, leads=leads, contacts=contacts,
                                    customers=datasets.load_customers(),
                                    survey=datasets.load_survey())
    return {
        "raw": raw, "stages": stages[["customer_id", "stage"]], "contacts": contacts,
        "status": status, "table": table, "transactions": tx, "leads": leads,
        "people": count_people_by_email(raw),
        "conversion": stage_conversion(stages),
        "rates": resolution_rate_by_channel(contacts),
        "gap": complainer_active_gap(contacts, status),
        "calls": whom_to_win_back(table, 6_000.0, 30.0),
    }


@pytest.mark.parametrize("run", CHECKS, ids=NAMES)
def test_the_solution_passes_and_the_stub_is_unanswered(run):
    assert run(SOLUTIONS[run]).passed
    assert run(_todo).status == "unanswered"
    crashed = run(lambda *args: args[0]["no such column"])
    assert crashed.status == "wrong" and "stopped with" in crashed.because


def _fixed(lesson, name):
    """A function that returns the lesson's answer whatever it is given."""
    if name == "normalize_email":
        seen = {e: normalize_email(e) for e in lesson["raw"]["Correo"].dropna()}
        return lambda email: seen.get(email, email)
    if name == "customer_status":
        answer = status_with()(*_status_case_args())
        return lambda *args: answer
    key = {"count_people_by_email": "people", "stage_conversion": "conversion",
           "resolution_rate_by_channel": "rates", "complainer_active_gap": "gap",
           "whom_to_win_back": "calls"}[name]
    return lambda *args: lesson[key]


@pytest.mark.parametrize("run", CHECKS, ids=NAMES)
def test_a_fixed_answer_does_not_hold_on_new_data(run, lesson):
    result = run(_fixed(lesson, run.__name__))
    assert result.status == "wrong" and "new data you have not seen" in result.because


def _leaks(text: str, values) -> list[str]:
    shown = []
    for x in np.atleast_1d(np.asarray(values, dtype=float)):
        shown += [f"{x:,.4g}", f"{x:.4f}", str(round(x, 2))]
    return [v for v in shown if v in text and len(v) > 3]


@pytest.mark.parametrize(("run", "wrong", "expected"), [
    (check.count_people_by_email, lambda raw: 4_321, "people"),
    (check.stage_conversion, lambda s: stage_conversion(s) * 0.9, "conversion"),
    (check.resolution_rate_by_channel, lambda c: resolution_rate_by_channel(c) + 0.01, "rates"),
    (check.complainer_active_gap, lambda c, s: 0.5, "gap"),
], ids=["people", "conversion", "rates", "gap"])
def test_no_verdict_shows_the_expected_value(run, wrong, expected, lesson):
    first, second = run(wrong), run(wrong)
    assert first.status == second.status == "wrong"
    assert first.hint != second.hint  # the idea first, then the concrete step
    for verdict in (first, second):
        assert not _leaks(str(verdict), lesson[expected])


MISTAKES = [
    (check.normalize_email, lambda e: e.lower(), "spaces around some addresses"),
    (check.normalize_email, lambda e: e.lstrip().lower(), "only the spaces at the start"),
    (check.normalize_email, lambda e: e.rstrip().lower(), "only the spaces at the end"),
    (check.normalize_email, lambda e: e.strip(), "capital letters were kept"),
    (check.normalize_email, lambda e: e, "as they were typed"),
    (check.count_people_by_email, lambda raw: count_people_by_email(raw, lambda s: s),
     "as typed"),
    (check.count_people_by_email,
     lambda raw: count_people_by_email(raw, lambda s: s.str.lower()), "spaces around"),
    (check.count_people_by_email,
     lambda raw: count_people_by_email(raw, lambda s: s.str.strip()), "capital letters"),
    (check.count_people_by_email, lambda raw: raw["customer_id"].nunique(), "nothing was merged"),
    (check.count_people_by_email,
     lambda raw: raw["Correo"].str.strip().str.lower().replace("", pd.NA).nunique(),
     "never gave one"),
    (check.count_people_by_email,
     lambda raw: raw["Correo"].str.strip().str.lower().replace("", pd.NA).nunique()
     + int((raw["Correo"].str.strip() == "").sum()), "every order line"),
    (check.count_people_by_email,
     lambda raw: raw["Correo"].str.strip().str.lower().replace("", pd.NA).nunique()
     + raw.loc[raw["Correo"].str.strip() == "", "customer_id"].nunique(), "counted twice"),
    (check.customer_status, status_with(strict=True), "were called inactive"),
    (check.customer_status, status_with(returns=True), "returns were taken for purchases"),
    (check.customer_status, status_with(midnight=True), "observation_end day itself"),
    (check.customer_status, status_with(clock=True), "clock time"),
    (check.customer_status, status_with(future=True), "have not happened yet"),
    (check.customer_status, status_with(all_leads=True), "leads created after"),
    (check.stage_conversion,
     lambda s: (lambda n: (n / n.shift(1)).loc[STAGES[1:]])(
         s["stage"].astype(str).value_counts().reindex(STAGES, fill_value=0)), "*in* each stage"),
    (check.stage_conversion, lambda s: stage_conversion(s, reached_from_top=True), "*earlier*"),
    (check.stage_conversion,
     lambda s: (lambda r: (r / r.iloc[0]).loc[STAGES[1:]])(
         s["stage"].astype(str).value_counts().reindex(STAGES, fill_value=0)[::-1].cumsum()[::-1]),
     "everyone who entered"),
    (check.stage_conversion, lambda s: 1 - stage_conversion(s), "did *not* go on"),
    (check.stage_conversion, lambda s: 100 * stage_conversion(s), "percentage"),
    (check.resolution_rate_by_channel, lambda c: c.groupby("channel")["resolved"].mean(),
     "every contact was counted"),
    (check.resolution_rate_by_channel,
     lambda c: c[c["contact_type"] == "complaint"].groupby("channel")["resolved"].sum(),
     "counts of resolved"),
    (check.resolution_rate_by_channel, lambda c: 1 - resolution_rate_by_channel(c),
     "*un*resolved"),
    (check.resolution_rate_by_channel,
     lambda c: (lambda k: k.groupby("channel")["resolved"].sum() / len(k))(
         c[c["contact_type"] == "complaint"]), "divided by all complaints"),
    (check.complainer_active_gap, lambda c, s: complainer_active_gap(c, s, how="any"),
     "not *any*"),
    (check.complainer_active_gap, lambda c, s: -complainer_active_gap(c, s), "wrong sign"),
    (check.complainer_active_gap, lambda c, s: 100 * complainer_active_gap(c, s), "percentage"),
    (check.complainer_active_gap,
     lambda c, s: complainer_active_gap(c, s, only_complaints=False), "only asked or praised"),
]


def _per_complaint(contacts, status):
    complaints = contacts[contacts["contact_type"] == "complaint"]
    complaints = complaints[complaints["customer_id"].isin(status["customer_id"])]
    active = complaints["customer_id"].map(status.set_index("customer_id")["status"]) == "active"
    by = active.groupby(complaints["resolved"].to_numpy()).mean()
    return by[True] - by[False]


def _against_everyone(contacts, status):
    complaints = contacts[contacts["contact_type"] == "complaint"]
    unsolved = complaints.loc[~complaints["resolved"].astype(bool), "customer_id"]
    active = status.set_index("customer_id")["status"].astype(str) == "active"
    left = active.index.isin(unsolved)
    return active[~left].mean() - active[left].mean()


MISTAKES += [(check.complainer_active_gap, _per_complaint, "compared complaints"),
             (check.complainer_active_gap, _against_everyone, "never complained")]


@pytest.mark.parametrize(("run", "wrong", "phrase"), MISTAKES,
                         ids=[f"{m[0].__name__}-{m[2]}" for m in MISTAKES])
def test_known_mistakes_are_named(run, wrong, phrase):
    first = run(wrong)
    assert first.status == "wrong" and phrase in first.because, first.because
    second = run(wrong)
    assert phrase in second.because and second.hint != first.hint


def test_status_labels_are_compared_customer_by_customer(lesson):
    # Returning the old exercise's counts instead of labels is told apart by the index.
    counts = check.customer_status(
        lambda *args: status_with()(*args).value_counts())
    assert "index is not right" in counts.because and len(str(counts)) < 400
    assert "list or an array" in check.customer_status(
        lambda *args: list(status_with()(*args))).because


def _status_case_args():
    """The day and threshold 01.3 is checked with on the lesson's data (not the lesson's own)."""
    return check._cases(check._status_cases, None, False)[0].args


def test_the_lesson_case_has_customers_exactly_at_its_threshold():
    transactions, _, end, days = _status_case_args()
    since = identify.customer_status(transactions, end)["days_since_last_purchase"]
    assert end != datasets.load_truth()["observation_end"] and (since == days).sum() > 0


def test_a_list_answer_gets_a_short_message():
    result = check.normalize_email(lambda email: [email])
    assert result.status == "wrong" and len(str(result)) < 400


# --- 01.7, the decision ----------------------------------------------------------------------


def test_win_back_naive_decisions_fall_short_of_the_best(lesson):
    def a_third_of_the_budget(table, budget, cost):  # too cautious: good calls left unmade
        return whom_to_win_back(table, budget / 3, cost)

    result = check.whom_to_win_back(a_third_of_the_budget)
    assert result.status == "wrong" and "% of what the best decision earns" in result.because
    named = {
        "total revenue grows": lambda t, b, c: t[t["status"] == "inactive"].nlargest(
            int(b // c), "revenue")["customer_id"].tolist(),
        "unresolved complaint answer far less": lambda t, b, c: whom_to_win_back(
            t, b, c, use_complaints=False),
        "less than they cost": lambda t, b, c: whom_to_win_back(t, b, c, only_positive=False),
        "every inactive customer": lambda t, b, c: t.loc[t["status"] == "inactive",
                                                         "customer_id"].tolist(),
    }
    for phrase, decision in named.items():
        verdict = check.whom_to_win_back(decision)
        assert verdict.status == "wrong" and phrase in verdict.because, verdict.because


@pytest.mark.parametrize(("decision", "phrase"), [
    (lambda t, b, c: t.loc[t["status"] == "inactive", "customer_id"].head(int(b // c) + 1)
     .tolist(), "more than the budget"),
    (lambda t, b, c: ["C99999"], "not in the table"),
    (lambda t, b, c: t.loc[t["status"] == "active", "customer_id"].head(3).tolist(),
     "go to inactive customers"),
    (lambda t, b, c: 42, "return a list of customer_id values"),
])
def test_an_invalid_decision_gets_a_sentence(decision, phrase):
    result = check.whom_to_win_back(decision)
    assert result.status == "wrong" and phrase in result.because, result.because
    assert "cannot be carried out" in result.because


def test_a_decision_may_be_a_table_of_the_chosen_customers():
    def as_table(table, budget, cost):
        return table[table["customer_id"].isin(whom_to_win_back(table, budget, cost))]

    assert check.whom_to_win_back(as_table).passed
