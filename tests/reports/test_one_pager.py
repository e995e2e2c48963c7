"""The segment one-pager, one per region with an index, read in a browser as well."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import reports
from relmark_lab.cli import main

END = "2025-12-31"


@pytest.fixture(scope="module")
def regional_lines(payloads):
    """A sample of the kit's lines by region, one region's name a payload, one only returns."""
    customers = rl.datasets.load_customers()[["customer_id", "region", "email", "name"]]
    lines = rl.datasets.load_transactions().merge(customers, on="customer_id")
    regions = sorted(lines["region"].unique())[:2]
    kept = lines[lines["region"].isin(regions)]
    sample = kept[kept["customer_id"].isin(kept["customer_id"].drop_duplicates().sample(
        900, random_state=3))].copy()
    sample["region"] = sample["region"].replace(regions[1], payloads[1])
    refunds = sample.head(5).assign(region="Refunds only",
                                    amount=lambda t: -t["amount"].abs())
    return pd.concat([sample, refunds], ignore_index=True), regions[0]


def _batch(lines, folder, language):
    return reports.render_by("segment-one-pager", lines, "region",
                             parameters={"observation_end": END, "currency": "MXN"},
                             output=folder, progress=False, language=language)


@pytest.fixture(scope="module")
def batch(regional_lines, tmp_path_factory):
    return _batch(regional_lines[0], tmp_path_factory.mktemp("by_region"), "en")


@pytest.fixture(scope="module")
def batch_es(regional_lines, tmp_path_factory):
    return _batch(regional_lines[0], tmp_path_factory.mktemp("by_region_es"), "es")


def test_the_spanish_batch_says_the_same_in_spanish(batch, batch_es, same_report, payloads):
    assert list(batch_es.runs) == list(batch.runs) and list(batch_es.failed) == ["Refunds only"]
    for value, run in batch.runs.items():
        same_report(run, batch_es.runs[value])
        assert run.html.with_name("segment_one_pager_figures.json").read_bytes() == (
            batch_es.runs[value].html.with_name("segment_one_pager_figures.json").read_bytes())
    page = next(iter(batch_es.runs.values())).html.read_text(encoding="utf-8")
    for heading in ("Cifras clave", "Mes a mes", "Quiénes son los clientes", "Qué compran"):
        assert heading in page
    assert "Ningún cliente compró nada hasta el 2025-12-31" in batch_es.failed["Refunds only"]
    index = batch_es.index.read_text(encoding="utf-8")
    assert "<html lang='es'>" in index and "Informes con falla: 1." in index
    assert "<th>clientes</th>" in index and payloads[1] not in index


def test_one_page_per_region_and_the_figures_match_the_lines(regional_lines, batch):
    lines, region = regional_lines
    run = batch.runs[region]
    page = run.html.read_text(encoding="utf-8")
    figures = json.loads(run.html.with_name("segment_one_pager_figures.json").read_text())
    part = lines[lines["region"] == region]
    assert figures["customers"] == part["customer_id"].nunique()
    assert figures["net_revenue"] == pytest.approx(part["amount"].sum())
    last = part.groupby("customer_id")["date"].max()
    active = (pd.Timestamp(END) - last.dt.normalize()).dt.days <= 365
    assert figures["active_share"] == pytest.approx(active.mean())
    assert f"{part['amount'].sum():,.0f} MXN" in page
    for heading in ("Key figures", "Month by month", "Who the customers are", "What they buy"):
        assert heading in page
    assert len(re.findall(r'<img [^>]*src="data:image/png', page)) == 3
    assert f"a pandas DataFrame ({len(lines):,} rows), region = {region}" in page
    (csv,) = run.files
    assert set(pd.read_csv(csv)["customer_id"]) == set(part["customer_id"])  # real ids


def test_a_region_that_fails_is_named_and_the_others_are_written(batch):
    assert list(batch.failed) == ["Refunds only"]
    assert "No customer bought anything up to 2025-12-31" in batch.failed["Refunds only"]
    assert "stopped in cell" in batch.failed["Refunds only"]
    assert len(batch.runs) == 2
    index = batch.index.read_text(encoding="utf-8")
    assert ("Refunds only: failed, DataError: No customer bought anything up to 2025-12-31 "
            "in these data") in index and "1 report(s) failed." in index
    assert "partial notebook</a>" in index and "/tmp" not in index  # no local path shared
    assert not re.search(r"\.\. ", batch.failed["Refunds only"])


def test_the_index_sets_the_regions_side_by_side(regional_lines, batch, payloads):
    _, region = regional_lines
    index = batch.index.read_text(encoding="utf-8")
    assert payloads[1] not in index and "&lt;img src=x onerror=" in index
    for column in ("customers", "net revenue", "active share", "average order value",
                   "top fifth revenue share"):
        assert f"<th>{column}</th>" in index
    figures = json.loads(batch.runs[region].html.with_name(
        "segment_one_pager_figures.json").read_text())
    assert f"<td>{figures['active_share']:.1%}</td>" in index
    assert f"{figures['average_order_value']:,.0f} MXN" in index


def test_every_page_of_the_batch_in_a_browser(regional_lines, batch, payloads, inspect_page):
    lines, _ = regional_lines
    index = inspect_page(batch.index, "segment_one_pager_index")
    index.assert_clean(images=0)
    assert payloads[1] in index.text  # the region's name, shown as text
    for value, run in batch.runs.items():
        visit = inspect_page(run.html, f"segment_one_pager_{value[:12]}")
        visit.assert_clean(images=3)
        part = lines[lines["region"] == value]
        for column in ("customer_id", "email", "name"):
            assert not [v for v in part[column].unique() if v in visit.text], column


def test_the_command_exits_non_zero_when_a_value_fails(regional_lines, tmp_path, capsys):
    lines, _ = regional_lines
    source = tmp_path / "lines.csv"
    lines[lines["region"] == "Refunds only"].to_csv(source, index=False)
    assert main(["report", "segment-one-pager", "--data", str(source), "--by", "region",
                 "--output", str(tmp_path / "out")]) == 1
    assert "region='Refunds only' failed: The report 'segment-one-pager' stopped" in (
        capsys.readouterr().err)
    assert main(["report", "program-evaluation", "--data", str(source), "--by", "region"]) == 2
    assert "--by splits transactions" in capsys.readouterr().err


def test_a_by_column_the_data_lack_is_one_sentence(regional_lines, tmp_path):
    lines, _ = regional_lines
    with pytest.raises(rl.DataError, match="--by names the column 'area', which the "
                                           "transactions do not have"):
        reports.render_by("segment-one-pager", lines, "area", output=tmp_path, progress=False)


def test_the_one_pager_on_cdnow_without_categories(tmp_path, inspect_page):
    run = reports.render("segment-one-pager", rl.datasets.load_cdnow(), output=tmp_path,
                         parameters={"currency": "USD"})
    page = run.html.read_text(encoding="utf-8")
    figures = json.loads(run.html.with_name("segment_one_pager_figures.json").read_text())
    assert figures["customers"] == 2357
    assert figures["net_revenue"] == pytest.approx(rl.datasets.load_cdnow()["amount"].sum())
    assert "The data have no <code>category</code> column" in page
    inspect_page(run.html, "segment_one_pager_cdnow").assert_clean(images=2)
