"""Per-customer tables computed in an engine: the CLV summary, its patterns, RFM's inputs.

Each function reads its source with :func:`.engine_table`, checks it with
:class:`.EngineLines`, aggregates in the engine with :mod:`.orders` and
fetches one row per customer (or per pattern). The results equal the pandas
path's (``relmark_lab.clv.summary``, ``relmark_lab.rfm.table``) rule for
rule; durations are divided by the time unit in numpy, as there.

Examples
--------
>>> import ibis
>>> lines = ibis.memtable({"customer_id": ["a", "a", "b", "c"],
...                        "date": ["2025-01-01", "2025-01-29", "2025-01-08", "2025-01-08"],
...                        "amount": [10.0, 20.0, 7.0, 3.0]})
>>> summarize(lines, "2025-02-26", compress=True)
   frequency  recency    T  weights
0          0      0.0  7.0      2.0
1          1      4.0  8.0      1.0
>>> rfm_inputs(lines, "2025-02-26")[0]["recency_days"].tolist()
[28, 49, 49]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from relmark_lab import units
from relmark_lab._ids import ID_DTYPE
from relmark_lab._time import observation_end_day
from relmark_lab.engines.lines import EngineLines
from relmark_lab.engines.orders import per_customer, purchase_days
from relmark_lab.engines.sources import engine_table, fetch
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["rfm_inputs", "summarize"]

_EPOCH = pd.Timestamp("1970-01-01")


def _by_customer(frame: pd.DataFrame) -> pd.DataFrame:
    """Sorted by id as text, as every pandas-path table is."""
    frame = frame.assign(customer_id=frame["customer_id"].astype(ID_DTYPE))
    return frame.sort_values("customer_id", kind="stable").reset_index(drop=True)


def summarize(source: Any, observation_end: Any, *, calibration_end: Any = None,
              time_unit: str = "W", timezone: Any = None, compress: bool = False
              ) -> pd.DataFrame:
    """:func:`relmark_lab.clv.summarize` on an engine source (see there for the columns).

    With ``compress=True`` the result is the purchase model's patterns:
    one row per distinct (``frequency``, ``recency``, ``T``) with
    ``weights``, the number of customers sharing it, which every CLV
    estimator fits directly.
    """
    step = units.days_per_unit(time_unit)
    lines = EngineLines(engine_table(source), observation_end, timezone=timezone)
    end = lines.observation_end
    cal_end = end if calibration_end is None else observation_end_day(
        calibration_end, timezone, name="calibration_end")
    if cal_end > end:
        raise DataError(_("calibration_end ({calibration_end}) is after observation_end "
                          "({observation_end}); the holdout period must follow the calibration "
                          "period.").format(calibration_end=cal_end.date(),
                                            observation_end=end.date()))
    if compress and calibration_end is not None:
        raise DataError(_("compress=True gives the purchase model's patterns; the holdout "
                          "check needs each customer. Leave out calibration_end or compress."))
    cal_day = int((cal_end - _EPOCH).days)
    if lines.first_day > cal_day:
        raise DataError(_("transactions: no line is dated on or before calibration_end "
                          "{date}, so no customer had bought by then.")
                        .format(date=cal_end.date()))
    cal_lines = lines if cal_end == end else lines.until(cal_end, timezone)
    # every observed customer comes back (so they are counted without another scan);
    # those without a purchase day are dropped here
    stats = per_customer(cal_lines.lines).select("customer_id", "purchase_days", "first_day",
                                                 "last_day", "repeat_spend")
    if compress:
        return _patterns(stats, cal_day, step, lines, time_unit)
    holdout = first_in_holdout = None
    if cal_end != end:
        # as the pandas path: a later return under the order's id can leave the whole window
        # without a purchase, though the calibration lines alone show one; that is refused
        if int(fetch(purchase_days(lines.lines).count())) == 0:
            raise DataError(_("transactions: none of the {count:,} customers made a "
                              "purchase (only returns or cancelled orders); there is nothing "
                              "to summarize.").format(count=lines.counts()["customers"]))
        later = purchase_days(lines.lines)
        later = later.filter(later.day > cal_day)
        holdout = later.group_by("customer_id").aggregate(frequency_holdout=later.count(),
                                                          spend_holdout=later.net.sum())
        buyers = stats.filter(stats.purchase_days > 0)
        first_in_holdout = holdout.anti_join(buyers, "customer_id").count()
        stats = stats.left_join(holdout, "customer_id").select(
            *stats.columns, "frequency_holdout", "spend_holdout")
    observed = fetch(stats)
    n_observed = len(observed)
    found = _by_customer(observed[observed["purchase_days"] > 0])
    del observed  # counted; freed before the summary is built (10M customers are GiBs)
    if found.empty:
        raise DataError(_("transactions: no customer made a purchase on or before {date} "
                          "(only returns or cancelled orders); there is nothing to summarize.")
                        .format(date=cal_end.date()))
    frequency = found["purchase_days"].to_numpy(dtype="int64") - 1
    first = found["first_day"].to_numpy(dtype="int64")
    spend = found["repeat_spend"].to_numpy(dtype="float64")
    summary = pd.DataFrame({
        "customer_id": found["customer_id"],
        "frequency": frequency,
        "recency": (found["last_day"].to_numpy(dtype="int64") - first) / step,
        "T": (cal_day - first) / step,
        "monetary_value": np.divide(spend, frequency, out=np.zeros(len(found)),
                                    where=frequency > 0),
    })
    newcomers = 0
    if holdout is not None:
        h_frequency = found["frequency_holdout"].fillna(0).to_numpy(dtype="int64")
        h_spend = found["spend_holdout"].fillna(0).to_numpy(dtype="float64")
        summary["frequency_holdout"] = h_frequency
        summary["monetary_value_holdout"] = np.divide(
            h_spend, h_frequency, out=np.zeros(len(found)), where=h_frequency > 0)
        summary["duration_holdout"] = (end - cal_end).days / step
        newcomers = int(fetch(first_in_holdout))
    # without a holdout the calibration's customers are all the observed ones
    attrs = lines.attrs(len(summary) + newcomers,
                        customers=None if holdout is not None else n_observed)
    summary.attrs.update(attrs, calibration_end=cal_end,
                         customers_first_buying_in_holdout=newcomers, time_unit=time_unit)
    return summary


def _patterns(stats: Any, cal_day: int, step: float, lines: EngineLines,
              time_unit: str) -> pd.DataFrame:
    """The distinct (frequency, recency, T) and how many customers share each."""
    keyed = stats.mutate(frequency=stats.purchase_days - 1,
                         recency_days=stats.last_day - stats.first_day,
                         age_days=cal_day - stats.first_day)
    grouped = fetch(keyed.group_by(["frequency", "recency_days", "age_days"])
                    .aggregate(weights=keyed.count()))
    found = grouped[grouped["frequency"] >= 0]  # frequency -1: no purchase day
    if found.empty:
        raise DataError(_("transactions: no customer made a purchase (only returns or "
                          "cancelled orders); there is nothing to summarize."))
    found = found.sort_values(["frequency", "recency_days", "age_days"]).reset_index(drop=True)
    patterns = pd.DataFrame({
        "frequency": found["frequency"].to_numpy(dtype="int64"),
        "recency": found["recency_days"].to_numpy(dtype="int64") / step,
        "T": found["age_days"].to_numpy(dtype="int64") / step,
        "weights": found["weights"].to_numpy(dtype="float64"),
    })
    patterns.attrs.update(lines.attrs(int(patterns["weights"].sum()),
                                      customers=int(grouped["weights"].sum())),
                          calibration_end=lines.observation_end,
                          customers_first_buying_in_holdout=0, time_unit=time_unit)
    return patterns


def rfm_inputs(source: Any, observation_end: Any, *, timezone: Any = None
               ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The buyers' ``customer_id``, ``recency_days``, ``frequency`` (purchase orders) and
    ``revenue``, sorted by id, and the contract's ``attrs``: what ``rfm_table`` scores."""
    lines = EngineLines(engine_table(source), observation_end, timezone=timezone)
    customers = fetch(per_customer(lines.lines).select("customer_id", "last_day", "orders",
                                                        "revenue"))
    n_observed = len(customers)
    found = _by_customer(customers[customers["orders"] > 0])
    del customers  # counted; freed before the table is built
    table = pd.DataFrame({
        "customer_id": found["customer_id"],
        "recency_days": lines.end_day - found["last_day"].to_numpy(dtype="int64"),
        "frequency": found["orders"].to_numpy(dtype="int64"),
        "revenue": found["revenue"].to_numpy(dtype="float64"),
    })
    return table, lines.attrs(len(table), customers=n_observed)
