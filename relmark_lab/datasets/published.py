"""Published figures that lessons reproduce, typed in from the papers.

These are small tables printed in papers, not files shipped by a package:
each function cites its source, and the lessons fit models to them and
compare the estimates with the published ones.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["load_sbg_cohorts"]

#: Percent of each 1,000-customer cohort still subscribed, years 0-12
#: (Fader & Hardie 2007, "How to Project Customer Retention", Table 1).
_PAPER_PERCENT_ALIVE = {
    "regular": [100.0, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1, 22.3, 20.7, 19.4, 18.3, 17.3],
    "high_end": [100.0, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1, 46.8, 44.5, 42.7, 40.9, 39.4],
}


def load_sbg_cohorts() -> pd.DataFrame:
    """The two cohorts of Fader & Hardie (2007): percent still subscribed by year.

    Two cohorts of 1,000 customers ("regular" and "high end" subscribers)
    followed for 12 years. The paper fits years 0–7 and projects 8–12.

    Returns
    -------
    pandas.DataFrame
        Columns ``segment`` ("regular", "high_end"), ``year`` (0–12),
        ``percent_alive`` and ``n_alive`` (out of 1,000).
        ``attrs["time_unit"]`` is ``"Y"``: one period is a year, which
        :class:`relmark_lab.clv.ShiftedBetaGeometric` reads when fitted on
        a column of it.

    Examples
    --------
    >>> cohorts = load_sbg_cohorts()
    >>> cohorts.query("year == 7")["n_alive"].tolist(), cohorts.attrs["time_unit"]
    ([241.0, 491.0], 'Y')
    """
    rows = [
        (segment, year, percent)
        for segment, percents in _PAPER_PERCENT_ALIVE.items()
        for year, percent in enumerate(percents)
    ]
    frame = pd.DataFrame(rows, columns=["segment", "year", "percent_alive"])
    frame["n_alive"] = (frame["percent_alive"] * 10).round()
    frame.attrs["time_unit"] = "Y"
    return frame
