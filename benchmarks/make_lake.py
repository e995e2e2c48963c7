"""Write a lake of order lines as Parquet, partitioned by month, for the engine benchmarks.

Run from the repository root::

    python benchmarks/make_lake.py [rows] [--out PATH] [--customers N] [--int-ids]

``rows`` defaults to 100,000,000 (``30M``, ``1e7`` and ``2_000_000`` are read
too); the lake goes to ``/tmp/relmark_lake_<rows>`` unless ``--out`` names a
folder (which must be new or empty; ``--force`` replaces an earlier lake).
Nothing here is committed.

The shop: ``rows / 10`` customers (``--customers``) are acquired evenly over
three years (2022-01-01 to 2024-12-31), each with a first order on their
first day, a purchase rate drawn from a gamma distribution (a few buy every
week, most a few times in all), a lifetime drawn from an exponential with a
gamma-distributed mean (many stop buying), and a spend level of their own.
Repeat orders follow each customer's rate while they are alive. An order has
1 + Poisson(1.5) lines stamped with its time (several orders can fall on one
day). Returns, about 3% of the lines: 2% of the purchase lines come back under
their order's id, minutes to weeks later (some in a later month, a few after
2024-12-31); 2.5% of the orders are cancelled the same day by a line without
an order id for the order's total; 0.5% of the purchase lines have no order id.

Months are written one at a time (``year=2024/month=3/part-0.parquet``), so
the script holds one month of lines and the customers' parameters: 1.4 GiB
resident at 100M lines and 10M customers (171 s, 1.2 GiB on disk). The line count is
exact: each month gets its share of ``rows`` by its expected orders, and the
month's last order is cut to fit. Prints the rows, files, size on disk, time,
and the observation end to pass to ``bench_engines.py``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

START = pd.Timestamp("2022-01-01")
MONTHS = 36
#: The last day of the simulated shop; returns after it are lines after the observation end.
END = "2024-12-31"
DAY = 86_400
LINES_PER_ORDER = 1 + 1.5  # 1 + Poisson(1.5) purchase lines
RETURN_SHARE = 0.02  # purchase lines that come back under their order's id
CANCEL_SHARE = 0.025  # orders cancelled the same day by a line without an id
NO_ID_SHARE = 0.005  # purchase lines without an order id
#: Expected lines an order brings, returns and cancellations included.
LINES_PER_ORDER_ALL = LINES_PER_ORDER * (1 + RETURN_SHARE) + CANCEL_SHARE


def parse_count(text: str) -> int:
    """A count written as 100000000, 100_000_000, 1e8, 100M or 500k."""
    cleaned = text.strip().replace("_", "").replace(",", "")
    scale = {"k": 1_000, "m": 1_000_000, "g": 1_000_000_000}.get(cleaned[-1:].lower(), 1)
    if scale > 1:
        cleaned = cleaned[:-1]
    return int(float(cleaned) * scale)


def month_bounds(months: int) -> np.ndarray:
    """Seconds from START to the first instant of each month, ``months + 1`` values."""
    starts = pd.date_range(START, periods=months + 1, freq="MS")
    return ((starts - START) // pd.Timedelta(seconds=1)).to_numpy(dtype="int64")


class Customers:
    """Each customer's first day, end of life (clipped to the period), rate and spend level."""

    def __init__(self, count: int, period_seconds: int, rng: np.random.Generator) -> None:
        self.birth = np.sort(rng.integers(0, period_seconds, count))
        mean_life_years = rng.gamma(1.2, 1.5, count)
        life = rng.exponential(mean_life_years * 365 * DAY)
        self.end = np.minimum(self.birth + life.astype("int64"), period_seconds)
        self.rate = rng.gamma(0.5, 1.0, count)  # relative: scaled to the line budget below
        self.spend = rng.gamma(3.0, 1 / 3, count).astype("float32")

    def exposure(self, start: int, stop: int) -> np.ndarray:
        """Rate times seconds alive within [start, stop): the weight of each for repeats."""
        alive = np.minimum(self.end, stop) - np.maximum(self.birth, start)
        return self.rate * np.clip(alive, 0, None)


def text_ids(numbers: np.ndarray, prefix: str, width: int, missing: np.ndarray | None = None
             ) -> pa.Array:
    """Numbers as ids such as C00012345, null where ``missing``."""
    digits = pa.array(numbers, mask=missing).cast(pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(digits, width, "0"), "")


class Lake:
    """Writes the months one by one, carrying returns that fall in a later month."""

    def __init__(self, out: Path, rows: int, customers: int, seed: int, int_ids: bool) -> None:
        self.out, self.rows, self.int_ids = out, rows, int_ids
        self.rng = np.random.default_rng(seed)
        self.bounds = month_bounds(MONTHS + 3)  # returns may land up to two months later
        period = int(self.bounds[MONTHS])
        self.customers = Customers(customers, period, self.rng)
        self.id_width = max(8, len(str(customers)))
        c = self.customers
        births = np.diff(np.searchsorted(c.birth, self.bounds[: MONTHS + 1]))
        exposures = np.array([c.exposure(self.bounds[m], self.bounds[m + 1]).sum()
                              for m in range(MONTHS)])
        repeats = rows / LINES_PER_ORDER_ALL - customers
        if repeats < 0:
            raise SystemExit(f"{customers:,} customers need at least "
                             f"{int(customers * LINES_PER_ORDER_ALL):,} lines; ask for more "
                             "rows or fewer customers.")
        self.repeat_rate = repeats / exposures.sum()  # repeat orders per unit of exposure
        expected = births + self.repeat_rate * exposures
        shares = np.round(rows * np.cumsum(expected) / expected.sum()).astype("int64")
        self.budgets = np.diff(shares, prepend=0)  # lines each month's orders bring
        self.carried: dict[int, list[pd.DataFrame]] = {}
        self.next_order = 1
        self.files = 0
        self.written = 0

    def _orders(self, month: int) -> tuple[np.ndarray, np.ndarray]:
        """The month's first orders, then repeats drawn by exposure: customers and times."""
        c, rng = self.customers, self.rng
        start, stop = self.bounds[month], self.bounds[month + 1]
        first = np.arange(*np.searchsorted(c.birth, [start, stop]))
        weight = np.cumsum(c.exposure(start, stop))
        draws = int(self.repeat_rate * weight[-1] * 1.2) + 1_000  # more than the budget needs
        who = np.searchsorted(weight, rng.random(draws) * weight[-1], side="right")
        who = np.minimum(who, len(weight) - 1)
        low, high = np.maximum(c.birth[who], start), np.minimum(c.end[who], stop)
        when = low + (rng.random(draws) * (high - low)).astype("int64")
        return np.concatenate([first, who]), np.concatenate([c.birth[first], when])

    def _lines(self, month: int) -> pd.DataFrame:
        """The lines the month's orders bring, exactly its budget, before carrying."""
        rng, budget = self.rng, int(self.budgets[month])
        customer, when = self._orders(month)
        n_orders = len(customer)
        bought = 1 + rng.poisson(1.5, n_orders)
        cancelled = rng.random(n_orders) < CANCEL_SHARE
        # Expected lines per order, to know where the budget ends before drawing the lines.
        reach = np.cumsum(bought * (1 + RETURN_SHARE) + cancelled)
        # A margin over the budget, as the returns are random: the surplus is cut below.
        n_orders = min(int(np.searchsorted(reach, budget * 1.002 + 200)) + 1, n_orders)
        if reach[n_orders - 1] < budget and n_orders == len(customer):
            raise RuntimeError(f"month {month}: not enough orders drawn for {budget:,} lines")
        customer, when = customer[:n_orders], when[:n_orders]
        bought, cancelled = bought[:n_orders], cancelled[:n_orders]
        order = np.repeat(np.arange(n_orders), bought)
        amount = np.round(rng.lognormal(2.8, 0.9, len(order))
                          * self.customers.spend[customer[order]], 2)
        order_number = self.next_order + order
        has_id = rng.random(len(order)) >= NO_ID_SHARE
        returned = rng.random(len(order)) < RETURN_SHARE
        delay = np.clip(rng.exponential(5 * DAY, int(returned.sum())), 600, 30 * DAY)
        delay = delay.astype("int64")
        back = order[returned]
        total = np.bincount(order, weights=amount, minlength=n_orders)
        undone = np.flatnonzero(cancelled)
        left_today = DAY - 1 - when[undone] % DAY  # a cancellation stays on the order's day
        later = (rng.random(len(undone)) * np.minimum(3 * 3_600, left_today)).astype("int64")
        lines = pd.DataFrame({
            "customer": np.concatenate([customer[order], customer[back], customer[undone]]),
            "order_number": np.concatenate([order_number, order_number[returned],
                                            self.next_order + undone]),
            "has_id": np.concatenate([has_id, has_id[returned],
                                      np.zeros(len(undone), dtype=bool)]),
            "seconds": np.concatenate([when[order], when[back] + delay, when[undone] + later]),
            "amount": np.concatenate([amount, -amount[returned], -np.round(total[undone], 2)]),
        })
        self.next_order += n_orders
        if len(lines) < budget:  # the margin above makes this all but impossible
            raise RuntimeError(f"month {month}: {len(lines):,} lines for a budget of {budget:,}")
        # Cut the surplus from the month's last orders (their returns may go with them).
        keep = np.ones(len(lines), dtype=bool)
        drop = len(lines) - budget
        if drop:
            keep[np.argsort(-lines["order_number"].to_numpy(), kind="stable")[:drop]] = False
        return lines[keep]

    def _write(self, month: int, lines: pd.DataFrame) -> None:
        lines = lines.sort_values("seconds", kind="stable")
        missing = ~lines["has_id"].to_numpy()
        if self.int_ids:
            customer_id = pa.array(lines["customer"].to_numpy() + 1)
            order_id = pa.array(lines["order_number"].to_numpy(), mask=missing)
        else:
            customer_id = text_ids(lines["customer"].to_numpy() + 1, "C", self.id_width)
            order_id = text_ids(lines["order_number"].to_numpy(), "O", 10, missing)
        stamps = (START.to_datetime64().astype("datetime64[us]")
                  + lines["seconds"].to_numpy().astype("timedelta64[s]"))
        table = pa.table({"customer_id": customer_id, "order_id": order_id,
                          "date": pa.array(stamps, pa.timestamp("us")),
                          "amount": pa.array(lines["amount"].to_numpy(), pa.float64())})
        first_day = START + pd.DateOffset(months=month)
        folder = self.out / f"year={first_day.year}" / f"month={first_day.month}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, folder / "part-0.parquet")
        self.files += 1
        self.written += len(table)

    def write(self, progress: bool = True) -> None:
        started = time.perf_counter()
        for month in range(MONTHS + 2):
            parts = self.carried.pop(month, [])
            if month < MONTHS:
                lines = self._lines(month)
                target = np.searchsorted(self.bounds, lines["seconds"].to_numpy(),
                                         side="right") - 1
                for later in np.unique(target[target > month]):
                    self.carried.setdefault(int(later), []).append(lines[target == later])
                parts.append(lines[target == month])
            if parts:
                self._write(month, pd.concat(parts, ignore_index=True))
            if progress and month % 6 == 5:
                print(f"  month {month + 1:2d}: {self.written:,} lines written, "
                      f"{time.perf_counter() - started:.0f} s", flush=True)
        if self.carried:
            raise RuntimeError(f"returns left over for months {sorted(self.carried)}")


def size_on_disk(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*.parquet"))


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", default="100M", type=parse_count)
    parser.add_argument("--out", type=Path, help="folder to write (default under /tmp)")
    parser.add_argument("--customers", type=parse_count, help="default: rows / 10")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--int-ids", action="store_true",
                        help="write customer_id and order_id as int64 instead of text")
    parser.add_argument("--force", action="store_true", help="replace an earlier lake there")
    args = parser.parse_args(argv)
    out = args.out or Path(f"/tmp/relmark_lake_{args.rows}")
    if out.exists() and any(out.iterdir()):
        if not (args.force and all(p.name.startswith("year=") for p in out.iterdir())):
            raise SystemExit(f"{out} is not empty; pass --force to replace a lake written here.")
        shutil.rmtree(out)
    customers = args.customers or max(args.rows // 10, 1)
    started = time.perf_counter()
    lake = Lake(out, args.rows, customers, args.seed, args.int_ids)
    print(f"writing {args.rows:,} lines of {customers:,} customers to {out}", flush=True)
    lake.write()
    seconds = time.perf_counter() - started
    size = size_on_disk(out)
    print(f"rows: {lake.written:,}  files: {lake.files}  size on disk: {size / 2**30:.2f} GiB "
          f"({size / lake.written:.1f} bytes a line)  time: {seconds:.0f} s")
    print(f"customers: {customers:,}; observation end for the benchmarks: {END} "
          f"(returns dated later are lines after it)")
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
