"""The program-evaluation report: its numbers against the estimators, the truth and a placebo."""

from __future__ import annotations

import gzip
import re

import duckdb
import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import programs, reports

LAUNCH = "2024-07"
REPLICATES = 40
SPANISH = {"member_id": "Socio", "month": "Mes", "orders": "Pedidos", "revenue": "Ingresos",
           "rewards": "Recompensas", "active": "Activo", "enrolled": "Inscrito"}
NUMBER = r"([+-]?[\d,]+(?:\.\d+)?)"


def kit_design(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One design's members and their monthly panel, from the kit's pilot data."""
    members = rl.datasets.load_pilot_members()
    members = members[members["design"] == name]
    panel = rl.datasets.load_loyalty_pilot()
    return members, panel[panel["member_id"].isin(members["member_id"])]


def visible(page: str) -> str:
    """The page without its images, styles and scripts: what a reader can see."""
    page = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", page)
    return re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.DOTALL)


def effect_on_page(page: str, outcome: str, currency: str = "") -> tuple[float, ...]:
    unit = re.escape(f" {currency}") if currency else ""
    found = re.search(rf"Effect on {outcome}:</b> {NUMBER}{unit} per member and month "
                      rf"\(95% interval {NUMBER}{unit} to {NUMBER}{unit}\)", page)
    assert found, f"no effect on {outcome} on the page"
    return tuple(float(v.replace(",", "")) for v in found.groups())


def headline(run: reports.ReportRun) -> pd.DataFrame:
    summary = pd.read_csv(run.notebook.parent / "program_evaluation_summary.csv")
    return summary[summary["headline"]].set_index("quantity")


def _randomized(folder, language):
    members, panel = kit_design("randomized")
    rows = panel.merge(members[["member_id", "enrolled"]], on="member_id")
    rows.rename(columns=SPANISH).to_csv(folder / "piloto.csv", index=False)
    run = reports.render("program-evaluation", folder / "piloto.csv", columns=SPANISH,
                         parameters={"launch_month": LAUNCH, "currency": "MXN",
                                     "bootstrap_replicates": REPLICATES, "seed": 7,
                                     "rollout_members": 20_000},
                         output=folder / "out", language=language)
    return run, run.html.read_text(encoding="utf-8"), members, panel


@pytest.fixture(scope="module")
def randomized(tmp_path_factory):
    """The kit's randomized pilot, as a CSV export with its own column names."""
    return _randomized(tmp_path_factory.mktemp("randomized"), "en")


@pytest.fixture(scope="module")
def randomized_es(tmp_path_factory):
    """The same report in Spanish."""
    return _randomized(tmp_path_factory.mktemp("randomized_es"), "es")


def test_the_spanish_edition_says_the_same_in_spanish(randomized, randomized_es, same_report,
                                                      inspect_page):
    same_report(randomized[0], randomized_es[0])
    page = randomized_es[1]
    for heading in ("El efecto en pedidos e ingresos", "¿Es rentable?", "Efecto en los pedidos:",
                    "Siguiente fase para 20,000 miembros"):
        assert heading in page, heading
    inspect_page(randomized_es[0].html, "program_evaluation_randomized_es").assert_clean(
        images=2)


@pytest.fixture(scope="module")
def self_selected(tmp_path_factory):
    """The kit's self-selected pilot, from a DuckDB database; the launch read from the starts."""
    folder = tmp_path_factory.mktemp("selected")
    database = folder / "pilot.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.register("panel_frame", rl.datasets.load_loyalty_pilot())
        connection.register("members_frame", rl.datasets.load_pilot_members())
        connection.execute("create table panel as select * from panel_frame")
        connection.execute("create table members as select * from members_frame")
    query = ("select p.*, m.enrolled, m.program_start from panel p join members m "
             "using (member_id) where m.design = 'self_selected'")
    run = reports.render("program-evaluation", database, query=query,
                         parameters={"design": "self-selected", "currency": "MXN",
                                     "bootstrap_replicates": REPLICATES},
                         output=folder / "out")
    return run, run.html.read_text(encoding="utf-8"), *kit_design("self_selected")


@pytest.fixture(scope="module")
def placebo(tmp_path_factory):
    """CDNOW by customer and month, a random half 'enrolled' in a program that never ran."""
    cdnow = rl.datasets.load_cdnow().assign(month=lambda t: t["date"].dt.strftime("%Y-%m"))
    months = pd.period_range("1997-01", "1998-06", freq="M").strftime("%Y-%m")
    ids = cdnow["customer_id"].unique()
    grid = pd.MultiIndex.from_product([ids, months], names=["customer_id", "month"])
    monthly = cdnow.groupby(["customer_id", "month"]).agg(
        orders=("amount", "size"), revenue=("amount", "sum")).reindex(grid, fill_value=0)
    enrolled = np.random.default_rng(2026).permutation(np.arange(len(ids)) % 2)
    frame = monthly.reset_index().assign(
        enrolled=lambda t: t["customer_id"].map(dict(zip(ids, enrolled, strict=True))))
    run = reports.render("program-evaluation", frame, columns={"member_id": "customer_id"},
                         parameters={"launch_month": "1997-10", "currency": "<USD>",
                                     "bootstrap_replicates": REPLICATES},
                         output=tmp_path_factory.mktemp("placebo"))
    return run, run.html.read_text(encoding="utf-8"), frame


def per_member_means(members: pd.DataFrame, panel: pd.DataFrame) -> pd.DataFrame:
    after = panel[panel["month"] >= LAUNCH].groupby("member_id")[["orders", "revenue"]].mean()
    before = panel[panel["month"] < LAUNCH].groupby("member_id")[["orders", "revenue"]].mean()
    return members[["member_id", "enrolled"]].merge(after.reset_index(), on="member_id").merge(
        before.add_suffix("_before").reset_index(), on="member_id")


def test_the_randomized_effects_are_cuped_on_the_page_and_cover_the_truth(randomized):
    run, page, members, panel = randomized
    truth = rl.datasets.load_truth()["programs"]["randomized"]["ate"]
    pilot = per_member_means(members, panel)
    summary = headline(run)
    for outcome, digits, currency in (("orders", 3, ""), ("revenue", 2, "MXN")):
        direct = programs.cuped(pilot, outcome, "enrolled", f"{outcome}_before")
        shown = effect_on_page(page, outcome, currency)
        assert shown == pytest.approx((direct.estimate, direct.lower, direct.upper),
                                      abs=0.6 * 10 ** -digits)
        row = summary.loc[f"{outcome} per member-month"]
        assert (row["estimate"], row["lower"], row["upper"]) == pytest.approx(
            (direct.estimate, direct.lower, direct.upper), rel=1e-9)
        assert direct.covers(truth[outcome]), (outcome, direct, truth[outcome])
    plain = programs.difference_in_means(pilot, "orders", "enrolled")
    assert f"{plain.estimate:+.3f}" in page  # the unadjusted estimate is listed too


def test_the_randomized_roi_is_the_value_functions_and_their_bootstrap(randomized):
    run, page, members, panel = randomized
    money = {"operating_cost": 12.0, "setup_cost": 50.0, "discount_rate": 0.12, "horizon": 24}
    terms = programs.pilot_terms(panel, members, post_from=LAUNCH, margin_rate=0.3)
    value = programs.program_value(**terms.value_arguments(), **money)
    draws = programs.bootstrap_program_value(panel, members, post_from=LAUNCH, margin_rate=0.3,
                                             replicates=REPLICATES, seed=7, **money)
    low, high = draws["roi"].quantile([0.025, 0.975])
    found = re.search(r"ROI \(net value / cost\): <b>([+-]\d+)%</b> \(95% interval "
                      r"([+-]\d+)% to ([+-]\d+)%\)", page)
    assert found and [int(v) for v in found.groups()] == [
        round(100 * v) for v in (value.roi, low, high)]
    net = re.search(rf"net value: <b>{NUMBER} MXN</b>", page)
    assert net and float(net.group(1).replace(",", "")) == pytest.approx(value.net_value, abs=1)
    assert headline(run).loc["ROI", "estimate"] == pytest.approx(value.roi, rel=1e-9)
    decision = programs.rollout_decision(draws["net_value"], 20_000, wait_periods=3,
                                         discount_rate=0.12)
    assert f"Next phase for 20,000 members: {decision['decision']}." in page


def test_the_member_file_keeps_real_ids_and_each_members_means(randomized):
    run, _, members, panel = randomized
    assert [p.name for p in run.files] == ["program_evaluation_members.csv",
                                           "program_evaluation_summary.csv"]
    written = pd.read_csv(run.files[0], dtype={"member_id": str}).set_index("member_id")
    assert set(written.index) == set(members["member_id"])
    direct = per_member_means(members, panel).set_index("member_id")
    assert np.allclose(written.loc[direct.index, "orders_after"], direct["orders"])
    assert np.allclose(written.loc[direct.index, "revenue_before"], direct["revenue_before"])
    assert (written["months_before"] == 6).all() and (written["arm"] == "program").sum() == 499


def test_a_self_selected_pilot_from_duckdb_uses_did_and_warns(self_selected):
    run, page, members, panel = self_selected
    truth = rl.datasets.load_truth()["programs"]["self_selected"]["att"]
    assert "DuckDB database pilot.duckdb, query: select p.*" in page
    assert "Warning: members chose to join." in page and "read from the enrolled" in page
    assert "Event study" in page or "event study" in page
    assert re.search(r"Test of the 5 months before it: p = 0\.\d\d", page)
    assert len(re.findall(r'<img [^>]*src="data:image/png', page)) >= 3
    for outcome, digits, currency in (("orders", 3, ""), ("revenue", 2, "MXN")):
        did = programs.difference_in_differences(panel, members, outcome, post_from=LAUNCH)
        naive = programs.naive_difference(panel, members, outcome, post_from=LAUNCH)
        shown = effect_on_page(page, outcome, currency)
        assert shown == pytest.approx((did.estimate, did.lower, did.upper),
                                      abs=0.6 * 10 ** -digits)
        assert did.covers(truth[outcome]) and not naive.covers(truth[outcome])
    assert "The naive comparison would have claimed a net value of" in page


def test_a_placebo_on_cdnow_finds_no_effect(placebo):
    run, page, _ = placebo
    summary = headline(run)
    for outcome in ("orders", "revenue"):
        row = summary.loc[f"{outcome} per member-month"]
        assert row["lower"] < 0 < row["upper"], (outcome, row.to_dict())
    assert "the interval includes 0: the pilot cannot tell the effect from chance" in page
    assert "No rewards column" in page and "No active column" in page
    assert "42,426 member-months of 2,357 members, 1997-01 to 1998-06" in page
    assert "&lt;USD&gt;" in page and "<USD>" not in page


def test_no_member_id_no_code_and_no_parameters_cell_on_any_page(randomized, self_selected,
                                                                  placebo):
    for _, page, *_ in (randomized, self_selected):
        assert not re.search(r"M\d{5}", visible(page))
    _, page, frame = placebo
    shown = visible(page)
    assert not [i for i in frame["customer_id"].unique() if i in shown]
    for _, page, *_ in (randomized, self_selected, placebo):
        for code in ("import relmark_lab", "read_pilot_panel", "data_path", "injected-parameters"):
            assert code not in page
        for heading in ("Program evaluation", "What was read", "The effect on orders and "
                        "revenue", "Does it pay?", "Per-member results"):
            assert heading in page


def test_every_program_page_in_a_browser(randomized, self_selected, placebo, inspect_page):
    for name, (run, *_) in {"randomized": randomized, "self_selected": self_selected,
                            "cdnow_placebo": placebo}.items():
        visit = inspect_page(run.html, f"program_evaluation_{name}")
        visit.assert_clean(images=2)
        assert not re.search(r"M\d{5}", visit.text) and "Does it pay?" in visit.text


@pytest.mark.parametrize("change, words", [
    (dict(enrolled=2), "pilot panel: column 'enrolled' is not 0/1 in 12 rows, e.g. 2. Mark the "
                       "members in the program 1 and the others 0."),
    (dict(design="matched"), "design is 'matched', but it must be 'randomized' or "
                             "'self-selected'"),
])
def test_bad_input_stops_the_report_with_its_sentence(tmp_path, change, words):
    members, panel = kit_design("randomized")
    rows = panel[panel["member_id"].isin(members["member_id"].head(20))].merge(
        members[["member_id", "enrolled"]], on="member_id")
    rows.loc[rows["member_id"] == rows["member_id"].iloc[0], "enrolled"] = change.get(
        "enrolled", 1)
    parameters = {"launch_month": LAUNCH, **{k: v for k, v in change.items() if k != "enrolled"}}
    with pytest.raises(reports.ReportFailed, match=re.escape(words)):
        reports.render("program-evaluation", rows, parameters=parameters, output=tmp_path)
    assert not (tmp_path / "program_evaluation.html").exists()


def small_panel(**columns) -> pd.DataFrame:
    frame = pd.DataFrame({"member_id": ["a", "a", "b", "b"],
                          "month": ["2024-06", "2024-07"] * 2, "orders": [1, 2, 0, 1],
                          "revenue": [10.0, 20.0, 0.0, 8.0], "enrolled": [1, 1, 0, 0]})
    return frame.assign(**columns)


@pytest.mark.parametrize("frame, words", [
    (small_panel().drop(columns="enrolled"),
     "The pilot panel has no column 'enrolled' (required: member_id, month, orders, revenue, "
     "enrolled). Columns found: 'member_id', 'month', 'orders', 'revenue'."),
    (small_panel(enrolled=["1", "1", "yes", "0"]),
     "column 'enrolled' is not 0/1 in 1 row, e.g. 'yes'."),
    (small_panel(enrolled=[1, 0, 0, 0]),
     "column 'enrolled' changes between the rows of 1 member, e.g. member 'a' has 1 and 0."),
    (small_panel(month=["2024-06", "July", "2024-13", "2024-07"]),
     "column 'month' is not a month in 2 rows, e.g. 'July'. Write months as 'YYYY-MM'"),
    (small_panel(orders=[1, -2, 0, 1]), "column 'orders' is negative in 1 row, e.g. -2."),
    (small_panel(month=["2024-06", "2024-06-15", "2024-06", "2024-07"]),
     "1 row repeats a member's month, e.g. member 'a' in 2024-06."),
    (small_panel(revenue=["10", "n/d", "0", "8"]),
     "column 'revenue' is not a number in 1 row, e.g. 'n/d'."),
    (small_panel(member_id=["a", " ", "b", "b"]),
     "column 'member_id' is empty in 1 row, e.g. row 1."),
    (small_panel(active=[1, 1, 1, 3]), "column 'active' is not 0/1 in 1 row, e.g. 3."),
    (small_panel(program_start=["2024-07", "2024-07", "2024-07", "2024-07"]),
     "1 member with a 'program_start' that does not match 'enrolled', e.g. member 'b'"),
])
def test_read_pilot_panel_names_the_problem(frame, words):
    with pytest.raises(rl.DataError, match=re.escape(words)):
        programs.read_pilot_panel(frame)


def test_read_pilot_panel_reads_exports_and_counts_what_it_sets_aside(tmp_path):
    text = ("Socio;Mes;Pedidos;Ingresos;Inscrito;rewards;Region\n"
            "007;2024-06;1;1.234,50;1;;north\n;;;;;;\n007;2024-07;2;20,5;1;3,5;north\n"
            "b;2024/06;0;0;0;0;south\nb;2024-07-01;1;8;0;0;south\n")
    source = tmp_path / "piloto.csv.gz"
    source.write_bytes(gzip.compress(text.encode("utf-8")))
    mapping = {"member_id": "socio", "month": "Mes", "orders": "Pedidos",
               "revenue": "Ingresos", "enrolled": "Inscrito"}
    panel, members, notes = programs.read_pilot_panel(source, mapping)
    assert panel["member_id"].tolist() == ["007", "007", "b", "b"]
    assert panel["month"].tolist() == ["2024-06", "2024-07"] * 2
    assert panel["revenue"].tolist() == [1234.5, 20.5, 0.0, 8.0]
    assert panel["rewards"].tolist() == [0.0, 3.5, 0.0, 0.0] and panel["active"].eq(1).all()
    assert members.to_dict("list") == {"member_id": ["007", "b"], "enrolled": [1, 0]}
    joined = " ".join(notes)
    for words in ("1 wholly empty row of the source set aside", "1 empty rewards cell read as 0",
                  "No active column", "Columns not used by the report: 'Region'"):
        assert words in joined
    excel = tmp_path / "piloto.xlsx"
    small_panel(month=pd.to_datetime(["2024-06-01", "2024-07-01"] * 2)).to_excel(excel,
                                                                                 index=False)
    assert programs.read_pilot_panel(excel)[0]["month"].tolist() == ["2024-06", "2024-07"] * 2
    with pytest.raises(rl.DataError, match=r"columns= maps 'orders' to 'Compras', but there is "
                                           r"no such column"):
        programs.read_pilot_panel(small_panel(), {"orders": "Compras"})


def test_the_launch_is_given_or_read_from_one_start():
    panel, members, _ = programs.read_pilot_panel(small_panel(
        program_start=["2024-07", "2024-07", None, None]))
    assert programs.pilot_launch(panel, members) == "2024-07"
    assert programs.pilot_launch(panel, members, "2024-07") == "2024-07"
    with pytest.raises(rl.DataError, match="Pass launch_month='YYYY-MM'.*no program_start"):
        programs.pilot_launch(panel, members.drop(columns="program_start"))
    with pytest.raises(rl.DataError, match="leaves no month from the launch in the panel, "
                                           "which runs from 2024-06 to 2024-07"):
        programs.pilot_launch(panel, members, "2024-09")
    with pytest.raises(rl.DataError, match="launch_month must be a month written 'YYYY-MM'"):
        programs.pilot_launch(panel, members, "soon")
    staggered = members.assign(enrolled=1, program_start=["2024-06", "2024-07"])
    with pytest.raises(rl.DataError, match="started in 2 different months"):
        programs.pilot_launch(panel, staggered)
