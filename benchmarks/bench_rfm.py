"""Time rfm_table against a bare pandas groupby on 3 million transactions.

Run from the repository root::

    python benchmarks/bench_rfm.py [rows]

The bare groupby computes the same three measures as ``rfm_table`` under the
same netting rule (the kit's one rule, in ``relmark_lab/_orders.py``), with
plain pandas groupbys: the lines of the window are netted into orders by
(customer, order id), lines without an order id making one order per
customer-day. Per customer-day, the negative orders (returns without their
order's id) cancel the day's purchases up to what was bought that day; larger
ones return earlier purchases and leave the day's purchases standing (nets
rounded to a millionth, as the kit does). A purchase day has a positive net,
or a free order (0 without a return line); a purchase order is an order with a
positive amount, or a free one, on a purchase day. Recency is whole days from
the last purchase day to the observation end, frequency the purchase orders,
monetary the net revenue (every line of the window). It does no checking and
no scoring. ``rfm_table`` also validates its input, counts the later lines and
the customers without a purchase, and adds the scores and the cells.

It also prints the ratio against the plainest baseline, one groupby of the
last date, the line count and the amount's sum (no orders, no netting), on
the lines with their order ids and on the same lines without that column
(target: at most 1.5 for both).

The data have two lines per order, 3% return lines inside their order, 1%
of lines without an order id, 1% of lines cancelled by a line with its own
id ten minutes later, and lines after the observation end. The script checks
that both give the same numbers, prints both timings and the ratio
``rfm_table / bare groupby`` (target: at most 1.5).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _timing import best_of  # noqa: E402

from relmark_lab.rfm import rfm_table  # noqa: E402

END = pd.Timestamp("2024-12-15")


def make_transactions(rows: int, customers: int = 200_000, seed: int = 0) -> pd.DataFrame:
    """Order lines as read_transactions returns them: text ids, dates, returns, blank ids."""
    rng = np.random.default_rng(seed)
    seconds = np.sort(rng.integers(0, 3 * 365 * 86_400, rows))
    amount = np.round(rng.gamma(2.0, 30.0, rows), 2)
    amount[rng.random(rows) < 0.03] *= -1
    orders = np.arange(rows) // 2  # two lines per order on average
    customer_of_order = rng.integers(1, customers, orders[-1] + 1)
    order_id = np.char.add("O", np.char.zfill(orders.astype(str), 8)).astype(object)
    order_id[rng.random(rows) < 0.01] = ""  # lines without an order id
    lines = pd.DataFrame(
        {
            "customer_id": pd.array(
                np.char.add("C", np.char.zfill(customer_of_order[orders].astype(str), 6)),
                dtype="str",
            ),
            "date": pd.Timestamp("2022-01-01") + pd.to_timedelta(seconds, unit="s"),
            "amount": amount,
            "order_id": pd.array(order_id, dtype="str"),
        }
    )
    # Cancellations: a negative line with its own id, ten minutes after the line it undoes.
    cancelled = lines[(rng.random(rows) < 0.01) & (lines["amount"] > 0)]
    cancels = cancelled.assign(
        date=cancelled["date"] + pd.Timedelta(minutes=10), amount=-cancelled["amount"],
        order_id=pd.array(np.char.add("C", np.arange(len(cancelled)).astype(str)), dtype="str"),
    )
    return pd.concat([lines, cancels], ignore_index=True)


def bare_groupby(transactions: pd.DataFrame) -> pd.DataFrame:
    """Recency (days), frequency (purchase orders) and net monetary with plain pandas."""
    day = transactions["date"].dt.normalize()
    inside = day <= END
    lines = transactions.loc[inside, ["customer_id", "amount", "order_id"]].assign(
        day=day[inside]
    )
    has_id = lines["order_id"].notna() & lines["order_id"].str.strip().ne("")
    lines["order_key"] = lines["order_id"].where(has_id, "")
    lines["no_id_day"] = lines["day"].where(~has_id)  # NaT for the lines with an id
    # Id-less purchase lines of a customer-day are one order, their returns another.
    lines["no_id_return"] = (lines["amount"] < 0) & ~has_id
    orders = lines.groupby(
        ["customer_id", "order_key", "no_id_day", "no_id_return"], sort=False, dropna=False
    ).agg(amount=("amount", "sum"), day=("day", "min"), lowest=("amount", "min"))
    orders["amount"] = orders["amount"].round(6)  # what a cancelled purchase leaves is 0
    orders["bought"] = orders["amount"].clip(lower=0)
    orders["returned"] = orders["bought"] - orders["amount"]  # the negative orders, positive
    # A free order: 0 without a return line (CDNOW's $0 records), a visit all the same.
    orders["free"] = orders["amount"].eq(0) & orders["lowest"].ge(0)
    per_day = orders.groupby(["customer_id", "day"])[["bought", "returned", "free"]].transform(
        "sum")
    # Returns cancel the day's purchases up to what was bought; a larger one returns an
    # earlier purchase and leaves them standing.
    bought, returned = per_day["bought"].round(6), per_day["returned"].round(6)
    net = bought.where(returned > bought, bought - returned).round(6)
    buys = (orders["amount"] > 0) | orders["free"]
    day_buys = (net > 0) | (net.eq(0) & per_day["free"].gt(0))
    purchases = orders[buys & day_buys]
    by_customer = purchases.groupby(level="customer_id")
    frequency = by_customer.size()
    revenue = lines.groupby("customer_id")["amount"].sum()
    return pd.DataFrame(
        {
            "recency_days": (END - by_customer["day"].max()).dt.days,
            "frequency": frequency,
            "monetary": revenue.reindex(frequency.index),
        }
    ).rename_axis("customer_id").reset_index()


def plain_groupby(transactions: pd.DataFrame) -> pd.DataFrame:
    """The plainest per-customer table: last date, number of lines, sum of amounts."""
    return transactions.groupby("customer_id").agg(last=("date", "max"),
                                                   lines=("amount", "size"),
                                                   revenue=("amount", "sum"))


def plain_ratios(transactions: pd.DataFrame, repeats: int) -> None:
    """rfm_table against the plain groupby, with and without the order ids."""
    for label, lines in (("with order ids", transactions),
                         ("without order ids", transactions.drop(columns="order_id"))):
        plain_times, ours_times = [], []
        for _ in range(repeats):
            plain_times.append(best_of(lambda lines=lines: plain_groupby(lines), 1)[0])
            ours_times.append(best_of(lambda lines=lines: rfm_table(lines, END), 1)[0])
        ratio = min(ours_times) / min(plain_times)
        print(f"{label:>18}: plain groupby {min(plain_times):5.2f} s, rfm_table "
              f"{min(ours_times):5.2f} s, ratio {ratio:.2f}  (target <= 1.5)")


def main(rows: int = 3_000_000, repeats: int = 5) -> float:
    transactions = make_transactions(rows)
    # Interleave the runs so that a busy moment of the machine hits both alike.
    bare_times, ours_times = [], []
    for _ in range(repeats):
        seconds, bare = best_of(lambda: bare_groupby(transactions), 1)
        bare_times.append(seconds)
        seconds, ours = best_of(lambda: rfm_table(transactions, END), 1)
        ours_times.append(seconds)
    columns = ["customer_id", "recency_days", "frequency", "monetary"]
    expected = bare.sort_values("customer_id", ignore_index=True)
    pd.testing.assert_frame_equal(ours[columns], expected[columns], check_dtype=False)
    later = int((transactions["date"].dt.normalize() > END).sum())
    assert ours.attrs["lines_after_observation_end"] == later
    without = transactions.loc[transactions["date"].dt.normalize() <= END, "customer_id"]
    assert ours.attrs["customers_without_purchases"] == without.nunique() - len(bare)
    bare_best, ours_best = min(bare_times), min(ours_times)
    ratio = ours_best / bare_best
    print(f"rows: {len(transactions):,}  customers: {len(ours):,}  (best of {repeats}); "
          f"later lines {later:,}, customers without a purchase "
          f"{ours.attrs['customers_without_purchases']:,}")
    print(f"bare pandas groupby: {bare_best:6.2f} s")
    print(f"rfm_table:           {ours_best:6.2f} s")
    print(f"ratio rfm_table / bare groupby: {ratio:.2f}  (target <= 1.5)")
    plain_ratios(transactions, repeats)
    return ratio


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3_000_000)
