"""Analyst reports: rendered on the kit's export, on CDNOW and on DuckDB, fit to share."""

from __future__ import annotations

import html
import re

import duckdb
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import reports
from relmark_lab.cli import main

PAYLOAD = "<script>alert('x')</script>"
RAW_OPTIONS = {"observation_end": "2025-12-31", "currency": PAYLOAD,
               "read_options": {"test_customer_pattern": "^TEST", "drop_duplicates": True,
                                "drop_zero_amounts": True}}


def _raw_report(folder, language):
    run = reports.render("customer-base-health",
                         rl.datasets.data_dir() / "transactions_raw.csv",
                         columns=rl.datasets.RAW_EXPORT_COLUMNS, parameters=RAW_OPTIONS,
                         output=folder, language=language)
    return run, run.html.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def raw_report(tmp_path_factory):
    """The health report on the kit's raw export: names, e-mails, phones and all."""
    return _raw_report(tmp_path_factory.mktemp("raw"), "en")


@pytest.fixture(scope="module")
def raw_report_es(tmp_path_factory):
    """The same report in Spanish."""
    return _raw_report(tmp_path_factory.mktemp("raw_es"), "es")


def test_the_spanish_edition_says_the_same_in_spanish(raw_report, raw_report_es, same_report):
    same_report(raw_report[0], raw_report_es[0])
    page = raw_report_es[1]
    for heading in ("Salud de la base de clientes", "Qué se leyó", "Clientes por estado",
                    "Segmentos RFM", "La curva de la ballena", "Resultados por cliente"):
        assert heading in page
    assert PAYLOAD not in page and "&lt;script&gt;" in page


def test_the_spanish_page_in_a_browser(raw_report_es, inspect_page):
    visit = inspect_page(raw_report_es[0].html, "customer_base_health_raw_export_es")
    visit.assert_clean(images=2)
    assert "Fecha de ejecución:" in visit.text


def test_the_page_has_no_code_no_parameters_and_every_section(raw_report):
    run, page = raw_report
    assert run.notebook.exists() and not (run.notebook.parent / ".work" / run.html.name).exists()
    assert "import relmark_lab" not in page and "data_path" not in page
    assert "injected-parameters" not in page
    for heading in ("Customer base health", "What was read", "Customers by status",
                    "RFM segments", "The whale curve", "Per-customer results"):
        assert heading in page
    assert len(re.findall(r'<img [^>]*src="data:image/png', page)) >= 2
    assert "transactions_raw.csv" in page and "relmark-lab 0.1.0" in page


def test_no_personal_data_reaches_the_page_and_the_csv_keeps_real_ids(raw_report):
    run, page = raw_report
    raw = rl.datasets.load_raw_export(parse=False)
    for column in ("Cliente", "Nombre", "Correo", " Teléfono "):
        values = raw[column].replace("", pd.NA).dropna().unique()
        leaked = [v for v in values if len(v) > 4 and v in page]
        assert not leaked, (column, leaked[:3])
    assert re.search(r"C-[0-9a-f]{10}", page)
    (csv,) = run.files
    customers = pd.read_csv(csv, dtype={"customer_id": str})
    assert set(customers["customer_id"]) <= set(raw["Cliente"].str.strip())  # the real ids
    assert {"status", "stage", "segment", "net_revenue"} <= set(customers.columns)


def test_text_from_the_data_and_parameters_is_escaped(raw_report):
    _, page = raw_report
    assert PAYLOAD not in page
    assert "&lt;script&gt;" in page


def test_the_page_in_a_browser(raw_report, inspect_page):
    run, _ = raw_report
    visit = inspect_page(run.html, "customer_base_health_raw_export")
    visit.assert_clean(images=2)
    assert PAYLOAD in visit.text  # shown as text, not run
    raw = rl.datasets.load_raw_export(parse=False)
    for column in ("Cliente", "Correo", " Teléfono "):
        values = raw[column].replace("", pd.NA).dropna().unique()
        assert not [v for v in values if len(v) > 4 and v in visit.text], column
    assert "What was read" in visit.text and "Per-customer results" in visit.text


def test_the_same_key_gives_the_same_pseudonyms_and_show_ids_shows_them(tmp_path, raw_report):
    _, page = raw_report
    frame = rl.datasets.load_cdnow()
    first = reports.render("customer-base-health", frame, output=tmp_path / "a")
    second = reports.render("customer-base-health", frame, output=tmp_path / "b",
                            show_ids=True)
    names = set(re.findall(r"C-[0-9a-f]{10}", first.html.read_text(encoding="utf-8")))
    top = pd.read_csv(first.files[0], dtype={"customer_id": str}).sort_values(
        "net_revenue", ascending=False)["customer_id"].head(3)
    assert set(reports.pseudonymize(top)) <= names
    assert top.iloc[0] in second.html.read_text(encoding="utf-8")
    assert "a pandas DataFrame (6,919 rows)" in first.html.read_text(encoding="utf-8")


@pytest.mark.parametrize("template", [t for t in reports.TEMPLATES if t != "program-evaluation"])
def test_a_duckdb_database_with_a_query(tmp_path, template):
    database = tmp_path / "shop.duckdb"
    lines = rl.datasets.load_transactions()
    with duckdb.connect(str(database)) as connection:
        connection.register("lines", lines)
        connection.execute("create table sales as select * from lines")
    run = reports.render(template, database,
                         query="select customer_id, date, amount from sales "
                               "where date < '2025-07-01'", output=tmp_path / "out")
    page = run.html.read_text(encoding="utf-8")
    assert "DuckDB database shop.duckdb, query: select customer_id" in page
    assert pd.read_csv(run.files[0])["customer_id"].nunique() > 1000
    assert not re.search(r"C\d{5}", page)  # the kit's ids are pseudonyms on the page
    import nbformat

    cells = nbformat.read(run.notebook, as_version=4).cells
    injected = next(c.source for c in cells if "injected-parameters" in c.metadata.get("tags", []))
    # The health and value templates run the query in DuckDB (the engine path); the one-pager
    # gets the rows as Parquet.
    assert ('query = "select customer_id' in injected) == (template != "segment-one-pager")


@pytest.mark.parametrize("call, words", [
    (dict(template="nope", data="x.csv"), "There is no report template 'nope'"),
    (dict(template="customer-base-health", data="x.csv", parameters={"colour": 1}),
     "has no parameter 'colour'. Its parameters: observation_end, currency"),
    (dict(template="customer-base-health", data="missing.csv"), "File not found"),
])
def test_bad_input_is_one_sentence(tmp_path, call, words):
    with pytest.raises(rl.DataError, match=re.escape(words)):
        reports.render(**call, output=tmp_path)


def test_duckdb_without_a_query_or_with_a_bad_one(tmp_path):
    database = tmp_path / "shop.duckdb"
    duckdb.connect(str(database)).close()
    with pytest.raises(rl.DataError, match="is a DuckDB database: pass the rows"):
        reports.render("customer-base-health", database, output=tmp_path)
    with pytest.raises(rl.DataError, match="The query on 'shop.duckdb' failed: Catalog Error"):
        reports.render("customer-base-health", database, query="select * from nowhere",
                       output=tmp_path)


def test_a_template_that_stops_names_the_cell_and_keeps_the_partial_notebook(tmp_path):
    with pytest.raises(reports.ReportFailed, match=r"The report 'customer-base-health' stopped "
                                                   r"in cell \d+: DataError: columns= maps"):
        reports.render("customer-base-health", rl.datasets.data_dir() / "transactions.csv",
                       columns={"customer_id": "nobody"}, output=tmp_path)
    assert (tmp_path / "customer_base_health.failed.ipynb").exists()
    assert not (tmp_path / "customer_base_health.html").exists()


def test_the_command(tmp_path, capsys):
    assert main(["report", "--list"]) == 0
    assert "customer-base-health\n  shows: what was read" in capsys.readouterr().out
    assert main(["report", "nope", "--data", "x.csv", "--output", str(tmp_path)]) == 2
    assert "There is no report template 'nope'" in capsys.readouterr().err
    assert main(["report"]) == 2
    assert "needs a TEMPLATE and --data SOURCE" in capsys.readouterr().err
    assert main(["report", "customer-base-health", "--data",
                 str(rl.datasets.data_dir() / "transactions.csv"), "--columns",
                 "customer_id=nobody", "--output", str(tmp_path)]) == 1
    assert "stopped in cell" in capsys.readouterr().err


@pytest.fixture(scope="module")
def cdnow_value(tmp_path_factory):
    """The value report on CDNOW, in English and in Spanish."""
    return {language: reports.render("customer-value", rl.datasets.load_cdnow(),
                                     output=tmp_path_factory.mktemp(f"cdnow_{language}"),
                                     parameters={"currency": "USD", "horizon": 52},
                                     language=language)
            for language in ("en", "es")}


def test_the_value_report_in_spanish_says_the_same(cdnow_value, same_report):
    same_report(cdnow_value["en"], cdnow_value["es"])
    page = cdnow_value["es"].html.read_text(encoding="utf-8")
    for heading in ("Valor de los clientes", "¿Predice el modelo?", "Cuánto vale cada cliente",
                    "Clientes valiosos probablemente perdidos"):
        assert heading in page


def test_the_value_report_on_cdnow_values_every_customer_and_lists_the_lost(cdnow_value):
    run = cdnow_value["en"]
    tmp_path = run.html.parent
    page = run.html.read_text(encoding="utf-8")
    for heading in ("Customer value", "A holdout check", "What each customer is worth",
                    "Valuable customers probably lost"):
        assert heading in page
    values = pd.read_csv(tmp_path / "customer_value_customers.csv", dtype={"customer_id": str})
    lost = pd.read_csv(tmp_path / "customer_value_probably_lost.csv",
                       dtype={"customer_id": str})
    assert len(values) == 2357 and values["clv"].gt(0).all()
    assert set(lost["customer_id"]) <= set(values["customer_id"])
    assert (lost["p_alive"] < 0.5).all() and lost["decile"].le(3).all()
    equity = re.search(r"Customer equity \(the sum of the CLVs\): <b>([\d,]+) USD</b>", page)
    assert equity and float(equity.group(1).replace(",", "")) == pytest.approx(
        values["clv"].sum(), abs=1)


def test_a_dataframe_parquet_cannot_hold_gets_a_sentence(tmp_path):
    mixed = pd.DataFrame({"customer_id": ["a", "b"], "date": ["2024-01-01"] * 2,
                          "amount": [1.0, 2.0], "note": pd.Series([7, "seven"], dtype=object)})
    with pytest.raises(rl.DataError, match="could not be handed to the template as Parquet"):
        reports.render("customer-base-health", mixed, output=tmp_path)


def test_the_value_report_adds_up_equity_by_acquisition_channel(tmp_path):
    lines = rl.datasets.load_transactions().merge(
        rl.datasets.load_customers()[["customer_id", "acquisition_channel"]], on="customer_id")
    run = reports.render("customer-value", lines, output=tmp_path,
                         parameters={"channel_column": "acquisition_channel",
                                     "currency": "MXN"})
    page = run.html.read_text(encoding="utf-8")
    assert "Customer equity by acquisition channel" in page
    values = pd.read_csv(tmp_path / "customer_value_customers.csv")
    channels = rl.datasets.load_customers().set_index("customer_id")["acquisition_channel"]
    assert (values["channel"] == values["customer_id"].map(channels)).all()
    top = values.groupby("channel")["clv"].sum().idxmax()
    assert html.escape(top) in page


def test_the_browser_check_catches_a_page_that_fetches_runs_or_breaks(tmp_path, inspect_page,
                                                                     payloads):
    leaky = tmp_path / "leaky.html"
    leaky.write_text("<html><body><script src='https://cdn.example/x.js'></script>"
                     f"<p>{payloads[0]}</p><img src='missing.png'>"
                     "<div class='jp-CodeCell'><div class='jp-InputArea'>import relmark_lab"
                     "</div></div></body></html>", encoding="utf-8")
    visit = inspect_page(leaky, "leaky_page_check")
    assert visit.payload_ran == "script" and visit.requests
    assert visit.visible_code_cells == 1 and visit.images == [(True, 0, 0)]
    with pytest.raises(AssertionError):
        visit.assert_clean()


@pytest.mark.parametrize("template", list(reports.TEMPLATES))
def test_each_template_notebook_is_its_percent_script(template):
    import jupytext

    from relmark_lab.reports.render import TEMPLATE_DIR

    stem = template.replace("-", "_")
    script = jupytext.read(TEMPLATE_DIR / f"{stem}.py")
    notebook = jupytext.read(TEMPLATE_DIR / f"{stem}.ipynb")
    assert [c.source for c in script.cells] == [c.source for c in notebook.cells], (
        f"run jupytext --sync relmark_lab/templates/{stem}.py")
