"""Loyalty connectors: referrals, discounts and cost to serve follow the truth they are drawn from.

Each true function of tenure (``truth.json -> loyalty_connectors``) is
recovered from the tables alone, as lesson 05 does: who could refer whom is
rebuilt from signup dates, last purchases and ``alive_at_end``; tenure is
days since signup / 365.25 on the order day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from relmark_lab import DataError, read_transactions
from relmark_lab._orders import ObservedLines
from relmark_lab.datasets import load_transactions, synthetic
from relmark_lab.datasets.synthetic import retailer as retailer_module
from relmark_lab.datasets.synthetic.connectors import _draw_referrers

START = pd.Timestamp(synthetic.OBSERVATION_START)
LAST_DAY = (pd.Timestamp(synthetic.OBSERVATION_END) - START).days
TRUTH = synthetic.CONNECTORS_TRUTH


def _days(dates: pd.Series) -> np.ndarray:
    return (dates.dt.normalize() - START).dt.days.to_numpy()


def _activity(retailer: synthetic.SyntheticRetailer) -> tuple[np.ndarray, np.ndarray]:
    """Signup day and last active day (last purchase, or the end if alive) per customer."""
    customers, lines = retailer.customers, retailer.transactions
    bought = lines[lines["amount"] > 0]
    last = bought.groupby("customer_id")["timestamp"].max().reindex(customers["customer_id"])
    alive = retailer.customer_truth["alive_at_end"].to_numpy()
    return _days(customers["signup_date"]), np.where(alive, LAST_DAY, _days(last))


def _referral_events(retailer: synthetic.SyntheticRetailer) -> list[tuple[np.ndarray, int]]:
    """Per referral: the candidates' tenures (years) and the position of the one chosen."""
    signup, last_active = _activity(retailer)
    ids = retailer.customers["customer_id"].to_numpy()
    events = []
    for j in np.flatnonzero(retailer.customers["referred_by"].notna().to_numpy()):
        candidates = np.flatnonzero((signup < signup[j]) & (last_active >= signup[j]))
        chosen = np.flatnonzero(ids[candidates] == retailer.customers["referred_by"].iloc[j])
        assert chosen.size == 1, ids[j]  # the referrer was a candidate
        events.append(((signup[j] - signup[candidates]) / 365.25, int(chosen[0])))
    return events


def _line_tenure(retailer: synthetic.SyntheticRetailer) -> np.ndarray:
    signup = retailer.customers.set_index("customer_id")["signup_date"]
    lines = retailer.transactions
    return _days(lines["timestamp"]) - _days(lines["customer_id"].map(signup))


@pytest.fixture(scope="module")
def purchases(retailer: synthetic.SyntheticRetailer) -> pd.DataFrame:
    lines = retailer.transactions.assign(tau=_line_tenure(retailer) / 365.25)
    return lines[lines["amount"] > 0]


def test_truth_records_the_connectors(retailer: synthetic.SyntheticRetailer) -> None:
    truth = retailer.truth["loyalty_connectors"]
    assert truth["referral_weight"] == {"intercept": 1.0, "per_year": 0.8}
    assert truth["discount_probability"] == {"at_signup": 0.4, "yearly_factor": 0.7}
    assert truth["discount_depth"] == {"low": 0.1, "high": 0.3}
    assert truth["cost_to_serve"] == {"at_signup": 30.0, "yearly_factor": 0.75,
                                      "noise_sigma": 0.25, "returns": 0.0}
    referred = retailer.customers["referred_by"].notna()
    assert truth["referrals"] == referred.sum() == 614
    assert truth["referrals_without_referrer"] == 0


@pytest.mark.parametrize(("seed", "n"), [(None, None), (0, 200)])
def test_only_referidos_have_a_real_earlier_active_referrer(retailer, seed, n) -> None:
    sim = retailer if seed is None else synthetic.simulate(seed=seed, n_customers=n)
    customers = sim.customers
    referred = customers["referred_by"].notna()
    is_referido = customers["acquisition_channel"] == "referido"
    assert not (referred & ~is_referido).any()
    without = is_referido & ~referred
    assert without.sum() == sim.truth["loyalty_connectors"]["referrals_without_referrer"]
    assert referred.sum() == sim.truth["loyalty_connectors"]["referrals"]
    signup, last_active = _activity(sim)
    position = pd.Index(customers["customer_id"]).get_indexer(customers["referred_by"][referred])
    assert (position >= 0).all()  # real customer ids
    assert (signup[position] < signup[referred]).all()  # signed up strictly before
    assert (last_active[position] >= signup[referred]).all()  # still active that day
    for j in np.flatnonzero(without):  # nobody could have referred them
        assert not ((signup < signup[j]) & (last_active >= signup[j])).any()
    if seed == 0:
        assert without.sum() == 1  # the case is exercised


def test_draw_referrers_picks_among_earlier_active_customers() -> None:
    signup = np.array([0, 0, 5, 10])
    last_active = np.array([3, 20, 20, 20])
    referred = np.array([True, False, True, True])
    rng = np.random.default_rng(0)
    picks = np.array([_draw_referrers(rng, signup, last_active, referred) for _ in range(2000)])
    assert (picks[:, 0] == -1).all()  # nobody signed up before day 0
    assert (picks[:, 1] == -1).all()  # not referred
    assert (picks[:, 2] == 1).all()  # customer 0 left on day 3, before day 5
    # Day 10: customer 1 (10 days of tenure) or 2 (5 days), weighted 1 + 0.8 * tau.
    w1, w2 = 1 + 0.8 * 10 / 365.25, 1 + 0.8 * 5 / 365.25
    assert set(picks[:, 3]) == {1, 2}
    assert (picks[:, 3] == 1).mean() == pytest.approx(w1 / (w1 + w2), abs=0.035)


def test_referral_weight_rises_with_the_referrers_tenure(retailer) -> None:
    events = _referral_events(retailer)

    def neg_log_likelihood(per_year: float) -> float:
        return -sum(np.log1p(per_year * tau[k]) - np.log(np.sum(1 + per_year * tau))
                    for tau, k in events)

    fit = optimize.minimize_scalar(neg_log_likelihood, bounds=(0, 20), method="bounded")
    h = 1e-3
    curvature = (neg_log_likelihood(fit.x + h) - 2 * fit.fun + neg_log_likelihood(fit.x - h))
    se = 1 / np.sqrt(curvature / h**2)
    assert abs(fit.x - TRUTH["referral_weight"]["per_year"]) < 3 * se  # 0.64 +- 0.21
    assert 2 * (neg_log_likelihood(0.0) - fit.fun) > stats.chi2.ppf(0.99, 1)  # not flat
    # Share of referrals made by referrers of a year or more: as w says, above even odds.
    veteran = np.array([tau[k] >= 1 for tau, k in events]).mean()
    under_w = np.mean([(1 + 0.8 * tau)[tau >= 1].sum() / (1 + 0.8 * tau).sum()
                       for tau, _ in events])
    flat = np.mean([(tau >= 1).mean() for tau, _ in events])
    se_share = np.sqrt(under_w * (1 - under_w) / len(events))
    assert abs(veteran - under_w) < 3 * se_share
    assert veteran - flat > 3 * se_share


def test_discount_chance_by_tenure_year_follows_the_truth(purchases) -> None:
    chance = TRUTH["discount_probability"]
    p = chance["at_signup"] * chance["yearly_factor"] ** purchases["tau"]
    by_year = pd.DataFrame({"year": purchases["tau"].astype(int),
                            "discounted": purchases["discount"] > 0, "p": p}).groupby("year")
    observed, expected, n = by_year["discounted"].mean(), by_year["p"].mean(), by_year.size()
    assert list(n.index) == [0, 1, 2]
    assert (abs(observed - expected) < 4 * np.sqrt(expected * (1 - expected) / n)).all()
    assert observed.is_monotonic_decreasing

    def neg_log_likelihood(params: np.ndarray) -> float:
        q = np.clip(params[0] * params[1] ** purchases["tau"].to_numpy(), 1e-9, 1 - 1e-9)
        hit = (purchases["discount"] > 0).to_numpy()
        return -np.sum(np.where(hit, np.log(q), np.log1p(-q)))

    fit = optimize.minimize(neg_log_likelihood, [0.3, 0.9], bounds=[(0.01, 0.99)] * 2)
    assert fit.x[0] == pytest.approx(0.40, abs=0.01)
    assert fit.x[1] == pytest.approx(0.70, abs=0.03)


def test_discount_depth_is_uniform_on_its_range(purchases) -> None:
    hit = purchases[purchases["discount"] > 0]
    list_value = hit["amount"] + hit["discount"]
    depth = hit["discount"] / list_value
    slack = 0.005 / list_value + 1e-9  # the discount is rounded to the cent
    assert (depth >= 0.10 - slack).all() and (depth <= 0.30 + slack).all()
    assert depth.mean() == pytest.approx(0.20, abs=0.002)
    large = depth[hit["amount"] >= 100]  # the paid amount, not the list value, is d-free
    assert stats.kstest(large, stats.uniform(0.10, 0.20).cdf).pvalue > 0.01
    # discount = round(amount * d / (1 - d), 2): the depth rebuilds the cent.
    assert np.allclose(np.round(hit["amount"] * depth / (1 - depth), 2), hit["discount"])


def test_cost_to_serve_falls_with_tenure_as_the_truth(purchases) -> None:
    cost = TRUTH["cost_to_serve"]
    assert (purchases["cost_to_serve"] >= 0.01).all()
    expected = cost["at_signup"] * cost["yearly_factor"] ** purchases["tau"]
    year = purchases["tau"].astype(int)
    ratio = purchases.groupby(year)["cost_to_serve"].mean() / expected.groupby(year).mean()
    assert np.allclose(ratio, 1.0, atol=0.02)  # the noise has mean one
    log_cost = np.log(purchases["cost_to_serve"].to_numpy())
    design = np.column_stack([np.ones(len(purchases)), purchases["tau"]])
    coef, *_ = np.linalg.lstsq(design, log_cost, rcond=None)
    residual_sd = (log_cost - design @ coef).std()
    assert np.exp(coef[1]) == pytest.approx(cost["yearly_factor"], abs=0.01)
    assert np.exp(coef[0] + residual_sd**2 / 2) == pytest.approx(cost["at_signup"], rel=0.02)
    assert residual_sd == pytest.approx(cost["noise_sigma"], abs=0.01)


def test_returns_negate_their_lines_discount_and_cost_nothing(retailer) -> None:
    lines = retailer.transactions
    back = lines[lines["amount"] < 0]
    assert (back["cost_to_serve"] == 0).all()
    assert ((lines["amount"] + lines["discount"] >= 0) == (lines["amount"] > 0)).all()
    key = ["customer_id", "category", "quantity", "amount", "margin"]
    negated = back.assign(**{c: -back[c] for c in ("quantity", "amount", "margin")})
    pairs = negated.reset_index().merge(lines[lines["amount"] > 0], on=key,
                                        suffixes=("", "_line"))
    pairs = pairs[(pairs["timestamp"] > pairs["timestamp_line"])
                  & (pairs["timestamp"] - pairs["timestamp_line"] <= pd.Timedelta(days=31))]
    assert pairs["index"].nunique() == len(back)
    assert (pairs["discount"] == -pairs["discount_line"]).all()
    assert (back["discount"] < 0).sum() > 0.2 * len(back)  # discounted lines come back too
    assert not np.signbit(lines.loc[lines["discount"] == 0, "discount"]).any()  # no -0.00


def _constant_connectors(streams, customers, transactions, *_):
    """The new columns as constants: no draws, every other value as the simulation makes it."""
    truth = {**TRUTH, "referrals": 0, "referrals_without_referrer": 0}
    return (customers.assign(referred_by=pd.Series(None, index=customers.index, dtype="str")),
            transactions.assign(discount=0.0, cost_to_serve=0.0), truth)


def test_the_connectors_only_add_columns(monkeypatch, tmp_path) -> None:
    """Every other value, and every byte of every other column, is as without them."""
    with_them = synthetic.write_datasets(tmp_path / "with", seed=9, n_customers=300)
    monkeypatch.setattr(retailer_module, "_add_loyalty_connectors", _constant_connectors)
    without = synthetic.write_datasets(tmp_path / "without", seed=9, n_customers=300)
    new_columns = {"customers.csv": 1, "transactions.csv": 2}
    for path, old in zip(with_them, without, strict=True):
        assert path.name == old.name
        if path.suffix != ".csv":
            continue
        text, old_text = path.read_text(encoding="utf-8-sig"), old.read_text(encoding="utf-8-sig")
        k = new_columns.get(path.name, 0)
        if k:  # the cells before the new ones, byte for byte
            text, old_text = ("\n".join(line.rsplit(",", k)[0] for line in t.split("\n"))
                              for t in (text, old_text))
        assert text == old_text, path.name
    assert (tmp_path / "with" / "customers.csv").read_text(encoding="utf-8").split("\n")[0] \
        .endswith(",payment_terms,referred_by")
    assert (tmp_path / "with" / "transactions.csv").read_text(encoding="utf-8").split("\n")[0] \
        .endswith(",days_late,discount,cost_to_serve")


def test_read_transactions_keeps_discount_and_cost_to_serve() -> None:
    loaded = load_transactions()
    assert list(loaded.columns[-2:]) == ["discount", "cost_to_serve"]
    assert loaded["discount"].dtype == loaded["cost_to_serve"].dtype == np.float64
    raw = pd.DataFrame({"customer_id": ["a", "b"], "date": ["2025-01-02", "2025-01-03"],
                        "amount": ["90", "50"], "Discount": ["10", "0"],
                        "cost_to_serve": ["12", "x"]})
    lines, ledger = read_transactions(raw)
    assert lines["discount"].dtype == np.float64  # money, even when every value is whole
    assert lines["discount"].tolist() == [10.0, 0.0]
    assert lines["cost_to_serve"].iloc[0] == 12.0 and np.isnan(lines["cost_to_serve"].iloc[1])
    assert any("'cost_to_serve'" in note and "'x'" in note for note in ledger.notes)


def test_observed_lines_read_the_connector_columns_when_asked() -> None:
    lines = pd.DataFrame({"customer_id": ["a", "a", "b"], "order_id": ["1", "1", "2"],
                          "date": pd.to_datetime(["2025-01-02"] * 3),
                          "amount": [90.0, 40.0, 50.0], "discount": [10.0, 0.0, 5.0],
                          "cost_to_serve": [12.0, 8.0, 9.0]})
    observed = ObservedLines(lines, "2025-12-31", optional=("discount", "cost_to_serve"))
    assert set(observed.numbers) == {"discount", "cost_to_serve"}
    orders = observed.orders_frame()
    assert orders["discount"].tolist() == [10.0, 5.0]
    assert orders["cost_to_serve"].tolist() == [20.0, 9.0]
    assert ObservedLines(lines.drop(columns="discount"), "2025-12-31",
                         optional=("discount",)).numbers == {}
    with pytest.raises(DataError, match=r"column 'cost_to_serve' is below 0 in 1 row, e\.g\. -1"):
        ObservedLines(lines.assign(cost_to_serve=[1.0, -1.0, 2.0]), "2025-12-31",
                      optional=("cost_to_serve",))
