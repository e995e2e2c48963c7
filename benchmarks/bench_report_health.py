"""Time the customer-base-health report on a 1-million-line export, alone and by region.

Run from the repository root::

    python benchmarks/bench_report_health.py [rows]

The export (seeded, written as a CSV in a temporary folder): about one
customer per 12 lines (some 85,000 at 1,000,000 lines) over two years,
2024-2025; about half buy once, the others return at a rate of their own; orders of one
to several lines with an ``order_id`` and a ``category``; 2% of the lines are
returns (a negative line carrying its order's id, up to a month later); each
customer lives in one of five regions.

Three timings, in the same run:

1. ``rl.reports.render("customer-base-health", csv)``, the whole report: the
   kernel start, the read, every section, the executed notebook and the HTML
   (target: under 60 s on a 2-core machine). Papermill records each cell's
   duration in the executed notebook, so the script prints where the report's
   time goes: before papermill, the kernel start, each cell, the HTML export.
2. The baseline: the package calls the template makes, in this process,
   without papermill, plots or HTML (the per-customer CSV file is written, as
   the template does). The ratio report / baseline is what making the
   analysis a shareable report costs. When the report misses its target, the
   baseline is run again under cProfile and the functions that dominate are
   printed.
3. ``rl.reports.render_by(..., "region")``: five reports and an index. Each
   value's time is read from what the batch wrote: the report's own time runs
   from papermill's start (the executed notebook's metadata) to its HTML
   file's modification time; its slot runs from the previous value's HTML (the
   batch's start, for the first value) to its own, so it also counts reading
   and splitting the source and handing the part over as Parquet.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("RELMARK_REPORT_KEY", "bench")  # keyed pseudonyms, no key file written

from _timing import best_of  # noqa: E402

from relmark_lab import differentiate as dif  # noqa: E402
from relmark_lab import engines, identify, rfm  # noqa: E402
from relmark_lab import reports as rep  # noqa: E402

TEMPLATE = "customer-base-health"
TARGET_SECONDS = 60.0
START, END = pd.Timestamp("2024-01-01"), pd.Timestamp("2025-12-31 23:59")
#: Region -> share of customers (exactly five regions).
REGIONS = {"Metropolitana": 0.34, "Occidente": 0.22, "Norte": 0.18, "Centro": 0.15, "Sur": 0.11}
#: Category -> (share of lines, median line amount).
CATEGORIES = {"hogar": (0.25, 450.0), "ropa": (0.30, 380.0), "electrónica": (0.10, 2200.0),
              "alimentos": (0.25, 160.0), "juguetes": (0.10, 520.0)}
RETURN_SHARE = 0.02


def _orders(customers: int, rng: np.random.Generator) -> pd.DataFrame:
    """Orders of ``customers`` buyers: a first purchase, then repeats at a rate of their own."""
    days = (END.normalize() - START).days + 1
    first_day = rng.integers(0, days, customers)
    repeater = rng.random(customers) < 0.5  # the others buy once
    rate_per_day = rng.gamma(2.0, 3.5, customers) / 365  # about seven orders a year on average
    repeats = np.where(repeater, rng.poisson(rate_per_day * (days - first_day)), 0)
    owner = np.repeat(np.arange(customers), 1 + repeats)
    first = np.repeat(first_day, 1 + repeats)
    is_first = np.r_[True, owner[1:] != owner[:-1]]
    # A repeat falls on any day from the first purchase to the end of the window.
    day = np.where(is_first, first, first + rng.integers(0, days - first))
    minute = rng.integers(8 * 60, 22 * 60, len(owner))  # shop hours
    return pd.DataFrame({"customer": owner, "stamp": day * 1440 + minute})


def make_lines(rows: int, seed: int = 0) -> pd.DataFrame:
    """``rows`` transaction lines: purchases in orders of 1+ lines, and 2% returns.

    Examples
    --------
    >>> lines = make_lines(2_000)
    >>> len(lines), lines["region"].nunique(), bool((lines["amount"] < 0).any())
    (2000, 5, True)
    """
    rng = np.random.default_rng(seed)
    returns = round(rows * RETURN_SHARE)
    purchases = rows - returns
    customers = max(50, rows // 9)  # more than needed; the surplus is cut
    while True:  # enough orders for the purchase lines (the first draw almost always is)
        orders = _orders(customers, rng)
        per_order = 1 + rng.poisson(1.6, len(orders))
        if per_order.sum() >= purchases:
            break
        customers = int(customers * 1.3)
    # Keep whole orders up to the wanted number of lines; the last one is cut short.
    kept = int(np.searchsorted(np.cumsum(per_order), purchases)) + 1
    orders, per_order = orders.iloc[:kept], per_order[:kept].copy()
    per_order[-1] -= per_order.sum() - purchases
    order_of_line = np.repeat(np.arange(kept), per_order)
    names = list(CATEGORIES)
    shares = np.array([share for share, _ in CATEGORIES.values()])
    category = rng.choice(len(names), purchases, p=shares)
    medians = np.array([median for _, median in CATEGORIES.values()])
    amount = np.round(medians[category] * rng.lognormal(0.0, 0.6, purchases), 2)
    customer = orders["customer"].to_numpy()[order_of_line]
    minutes = orders["stamp"].to_numpy()[order_of_line]
    # Returns: a negative copy of a bought line, with its order's id, up to 30 days later.
    returned = rng.choice(purchases, returns, replace=False)
    last_minute = (END - START) // pd.Timedelta(minutes=1)
    return_minutes = minutes[returned] + rng.integers(1, 30, returns) * 1440
    too_late = return_minutes > last_minute  # then the last day of the window, same hour
    return_minutes[too_late] = minutes[returned][too_late] + (
        (last_minute - minutes[returned][too_late]) // 1440 * 1440)
    region_names = np.array(list(REGIONS))
    region_of_customer = rng.choice(len(REGIONS), orders["customer"].max() + 1,
                                    p=list(REGIONS.values()))
    customer = np.r_[customer, customer[returned]]
    lines = pd.DataFrame({
        "customer_id": np.char.add("C", np.char.zfill(customer.astype(str), 6)),
        "order_id": np.char.add("O", np.char.zfill(
            np.r_[order_of_line, order_of_line[returned]].astype(str), 8)),
        "date": START + pd.to_timedelta(np.r_[minutes, return_minutes], unit="m"),
        "amount": np.r_[amount, -amount[returned]],
        "category": np.array(names)[np.r_[category, category[returned]]],
        "region": region_names[region_of_customer[customer]],
    })
    return lines.sort_values("date", kind="stable", ignore_index=True)  # an export by date


def baseline(csv: Path, output_dir: Path) -> dict[str, float]:
    """The template's package calls, in this process; seconds per section.

    The calls are those of ``relmark_lab/templates/customer_base_health.ipynb``
    (keep them in step when the template changes), less its plots and displays.
    """
    seconds, clock = {}, time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name], clock = now - clock, now

    transactions, _ = rep.read_source(str(csv), None, {}, None, {})
    end = str(engines.date_range(transactions)[1].date())
    lap("read_transactions")
    status = identify.customer_status(transactions, end, active_within_days=365)
    identify.status_counts(status)
    stages = identify.lifecycle_stage(transactions, end, active_within_days=365)
    identify.stage_funnel(stages)
    lap("status and lifecycle stage")
    segmented = rfm.assign_segments(rfm.rfm_table(transactions, end),
                                    rfm.default_segment_rules())
    summary = rfm.segment_summary(segmented)
    summary["average_order_value"].map(lambda v: rep.money(v, None))
    lap("RFM segments")
    revenue = engines.net_by_customer(transactions).rename(columns={"amount": "profit"})
    dif.whale_curve(revenue)
    lap("whale curve")
    customers = (status[["customer_id", "status", "days_since_last_purchase"]]
                 .merge(stages[["customer_id", "stage"]], on="customer_id", how="left")
                 .merge(segmented[["customer_id", "r_score", "f_score", "m_score", "segment"]],
                        on="customer_id", how="left")
                 .merge(revenue.rename(columns={"profit": "net_revenue"}), on="customer_id",
                        how="left"))
    rep.save_csv(customers, output_dir / "customer_base_health_customers.csv")
    lap("per-customer table and CSV")
    return seconds


def _epoch(stamp: str) -> float:
    return dt.datetime.fromisoformat(stamp).timestamp()


def cell_breakdown(notebook: Path, started: float, finished: float) -> list[tuple[str, float]]:
    """Where one report's wall time went, from papermill's timings in the executed notebook.

    ``started`` and ``finished`` are the epoch seconds around the ``render``
    call; the parts add up to the whole.
    """
    book = json.loads(notebook.read_text(encoding="utf-8"))
    run = book["metadata"]["papermill"]
    code = [c for c in book["cells"] if c["cell_type"] == "code"]
    parts = [("before papermill (checks, imports)", _epoch(run["start_time"]) - started),
             ("kernel start", _epoch(code[0]["metadata"]["papermill"]["start_time"])
              - _epoch(run["start_time"]))]
    for number, cell in enumerate(code, 1):
        source = "".join(cell["source"]).splitlines()
        tags = cell["metadata"].get("tags", [])
        code_lines = [line for line in source if line and not line.startswith("#")]
        first = next((line for line in code_lines if not line.startswith(("import ", "from "))),
                     "")
        if code_lines and code_lines[0].startswith(("import ", "from ")):
            first = f"imports; {first}"
        label = "parameters" if "parameters" in tags else (
            "injected parameters" if "injected-parameters" in tags else first[:60])
        parts.append((f"cell {number}: {label}", cell["metadata"]["papermill"]["duration"]))
    executing = _epoch(run["end_time"]) - _epoch(code[0]["metadata"]["papermill"]["start_time"])
    in_cells = sum(cell["metadata"]["papermill"]["duration"] for cell in code)
    parts.append(("Markdown cells, papermill saving the notebook", executing - in_cells))
    parts.append(("HTML export, clean-up", finished - _epoch(run["end_time"])))
    return parts


def profile_baseline(csv: Path, output_dir: Path, top: int = 18) -> None:
    """Print the package functions that dominate the baseline (cumulative time)."""
    profiler = cProfile.Profile()
    profiler.runcall(baseline, csv, output_dir)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).sort_stats("cumulative")
    stats.print_stats(r"relmark_lab", top)
    stats.sort_stats("tottime").print_stats(12)
    print(text.getvalue())


def main(rows: int = 1_000_000) -> dict[str, float]:
    lines = make_lines(rows)
    buys = lines[lines["amount"] > 0]
    orders_per_customer = buys.groupby("customer_id")["order_id"].nunique()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv = folder / "transactions.csv"
        lines.to_csv(csv, index=False, date_format="%Y-%m-%d %H:%M:%S")
        print(f"{len(lines):,} lines, {orders_per_customer.size:,} customers "
              f"({(orders_per_customer == 1).mean():.0%} bought once), "
              f"{(lines['amount'] < 0).sum():,} return lines, {lines['region'].nunique()} "
              f"regions; {csv.stat().st_size / 1e6:.0f} MB CSV; load average "
              f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")

        started = time.time()
        single, run = best_of(lambda: rep.render(TEMPLATE, csv, output=folder / "single"))
        parts = cell_breakdown(run.notebook, started, started + single)
        base_dir = folder / "baseline"
        base_dir.mkdir()
        base, sections = best_of(lambda: baseline(csv, base_dir))
        print(f"report ({TEMPLATE}, kernel to HTML): {single:6.1f} s  "
              f"(target < {TARGET_SECONDS:g} s: {'met' if single < TARGET_SECONDS else 'MISSED'})")
        print(f"baseline (the package calls, in process): {base:6.1f} s  "
              f"ratio report / baseline {single / base:.2f}")
        for name, seconds in sections.items():
            print(f"  baseline {name:<38} {seconds:6.2f} s")
        print("where the report's time goes:")
        for name, seconds in parts:
            print(f"  {name:<72} {seconds:6.2f} s")

        started = time.time()
        total, batch = best_of(lambda: rep.render_by(TEMPLATE, csv, "region",
                                                     output=folder / "batch", progress=False))
        assert not batch.failed, batch.failed
        print(f"render_by region: {len(batch.runs)} reports and an index, {total:.1f} s")
        previous = started
        for value, report in batch.runs.items():
            book = json.loads(report.notebook.read_text(encoding="utf-8"))
            done = report.html.stat().st_mtime
            own = done - _epoch(book["metadata"]["papermill"]["start_time"])
            part = int((lines["region"] == value).sum())
            print(f"  {value:<14} {part:>9,} lines  report {own:6.1f} s  "
                  f"slot {done - previous:6.1f} s")
            previous = done
        print(f"  index and finishing: {started + total - previous:.1f} s")

        if single >= TARGET_SECONDS:
            print("profile of the baseline (cProfile, so slower than above):")
            profile_baseline(csv, base_dir)
    return {"report": single, "baseline": base, "ratio": single / base, "by_region": total}


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
