"""Value for effort: which of the five weapons drives perceived value, and where to invest.

Lesson 02, section 7. The course notes' fourth step of loyalty is designing
the *value for effort (valor por esfuerzo)* well, with five weapons: price,
fewer inconveniences, service, fewer insecurities and product/brand. A
survey rates each weapon and the overall perceived value; a *key-driver
analysis* asks how much each rating moves the overall one.

* :func:`key_drivers` regresses the overall rating on the weapons' ratings
  (statsmodels OLS, robust standard errors): the weight of each (points of
  the outcome per rating point) and its standardized weight (beta), with
  intervals, plus each driver's **Shapley share of R²** (the average R² it
  adds over every order of entering the model; Lipovetsky & Conklin 2001),
  which splits the explained variance fairly when ratings correlate.
* :func:`importance_performance` crosses importance with the mean rating
  (Martilla & James 1977): *keep up the good work*, *concentrate here*, *low
  priority*, *possible overkill*.
* :func:`rating_gain` is what raising one weapon's ratings would add to the
  outcome, at a given weight: the arithmetic of choosing where to invest.

Examples
--------
>>> rng = np.random.default_rng(0)
>>> survey = pd.DataFrame({"price": rng.integers(1, 6, 400),
...                        "service": rng.integers(1, 6, 400)})
>>> survey["value"] = (1 + 0.6 * survey["price"] + 0.3 * survey["service"]  # the truth
...                    + rng.normal(0, 1, 400))
>>> table = key_drivers(survey, "value", ["price", "service"])
>>> table[["driver", "weight", "importance"]].round(2)
    driver  weight  importance
0    price    0.58        0.76
1  service    0.33        0.24
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from relmark_lab._validate import (
    column_error,
    require_columns,
    require_number,
    require_numbers,
    require_probability,
)
from relmark_lab.errors import DataError
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = [
    "IPA_QUADRANTS",
    "KIT_WEAPONS",
    "MAX_SHAPLEY_DRIVERS",
    "importance_performance",
    "key_drivers",
    "rating_gain",
    "shapley_r2",
]

#: The kit survey's column for each of the notes' five weapons (ratings 1-5, higher is better).
KIT_WEAPONS = {
    "price": "price_rating",
    "fewer inconveniences": "convenience_rating",
    "service": "service_rating",
    "fewer insecurities": "reassurance_rating",
    "product/brand": "product_brand_rating",
}
#: Shapley shares fit every subset of drivers: 2**p regressions.
MAX_SHAPLEY_DRIVERS = 12
#: Importance-performance quadrants, by (important?, performs well?).
IPA_QUADRANTS = {
    (True, False): "concentrate here",
    (True, True): "keep up the good work",
    (False, False): "low priority",
    (False, True): "possible overkill",
}


def _answers(survey: pd.DataFrame, outcome: str, drivers: Sequence[str]) -> pd.DataFrame:
    """Outcome and drivers as floats, complete answers only; the rest counted in attrs."""
    names = [drivers] if isinstance(drivers, str) else list(drivers)
    if not names:
        raise DataError(_("drivers must name at least one column."))
    if outcome in names or len(set(names)) < len(names):
        raise DataError(_("drivers must be distinct columns other than the outcome "
                          "{outcome!r}; got {names}.").format(outcome=outcome, names=names))
    require_columns(survey, [outcome, *names], "survey")
    answers = pd.DataFrame({c: require_numbers(survey, c, "survey", allow_missing=True)
                            for c in [outcome, *names]}, index=survey.index)
    complete = answers.notna().all(axis=1)
    if complete.sum() < len(names) + 3:
        raise DataError(_("survey: {count:,} respondents answered {outcome!r} and all "
                          "{drivers} drivers; a key-driver analysis needs at least {needed}.")
                        .format(count=int(complete.sum()), outcome=outcome, drivers=len(names),
                                needed=len(names) + 3))
    answers = answers[complete]
    flat = [c for c in names if answers[c].nunique() < 2]
    if flat:
        raise column_error("survey", flat[0], len(answers),
                           N_("the same in every complete answer"),
                           survey.loc[answers.index[0], flat[0]],
                           N_("A rating nobody varies on explains nothing: leave it out."))
    answers.attrs["incomplete"] = int((~complete).sum())
    return answers


def _r_squared(y: np.ndarray, x: np.ndarray) -> float:
    """R² of an OLS of centred ``y`` on centred ``x`` (an intercept is implied)."""
    if x.shape[1] == 0:
        return 0.0
    coefficients = np.linalg.lstsq(x, y, rcond=None)[0]
    residual = y - x @ coefficients
    return float(1.0 - residual @ residual / (y @ y))


def shapley_r2(survey: pd.DataFrame, outcome: str, drivers: Sequence[str]) -> pd.Series:
    """Each driver's Shapley share of R²: its added R² averaged over all orders of entry.

    For driver j among p, ``sum over subsets S of the others of |S|! (p - |S|
    - 1)! / p! x (R²(S + j) - R²(S))``. The shares add up to the full
    model's R² (so they split it, unlike squared betas when drivers
    correlate); Budescu's general dominance is the same number.

    Parameters
    ----------
    survey : pandas.DataFrame
        One row per respondent; rows missing any of the columns are left out.
    outcome : str
        The overall rating (e.g. ``perceived_value``).
    drivers : sequence of str
        The attribute ratings, at most :data:`MAX_SHAPLEY_DRIVERS`.

    Returns
    -------
    pandas.Series
        ``shapley_r2`` by driver; ``attrs["r_squared"]`` is the full model's.

    Examples
    --------
    >>> survey = pd.DataFrame({"a": [1, 2, 3, 4, 5, 2], "b": [2, 1, 4, 3, 5, 5],
    ...                        "y": [1.0, 2.5, 3.0, 4.5, 5.0, 3.0]})
    >>> shares = shapley_r2(survey, "y", ["a", "b"])
    >>> bool(abs(shares.sum() - shares.attrs["r_squared"]) < 1e-12)
    True
    """
    answers = _answers(survey, outcome, drivers)
    names = list(answers.columns[1:])
    p = len(names)
    if p > MAX_SHAPLEY_DRIVERS:
        raise DataError(_("shapley_r2 fits 2**p regressions; {drivers} drivers are more than "
                          "the {most} it takes. Group related ratings first.")
                        .format(drivers=p, most=MAX_SHAPLEY_DRIVERS))
    centred = answers - answers.mean()
    y, x = centred[outcome].to_numpy(), centred[names].to_numpy()
    fit = {subset: _r_squared(y, x[:, list(subset)])
           for k in range(p + 1) for subset in itertools.combinations(range(p), k)}
    shares = np.zeros(p)
    for j in range(p):
        others = [i for i in range(p) if i != j]
        for k in range(p):
            weight = math.factorial(k) * math.factorial(p - k - 1) / math.factorial(p)
            for subset in itertools.combinations(others, k):
                shares[j] += weight * (fit[tuple(sorted((*subset, j)))] - fit[subset])
    result = pd.Series(shares, index=pd.Index(names, name="driver"), name="shapley_r2")
    result.attrs["r_squared"] = fit[tuple(range(p))]
    return result


def key_drivers(survey: pd.DataFrame, outcome: str, drivers: Sequence[str], *,
                level: float = 0.95, cov_type: str = "HC1") -> pd.DataFrame:
    """What drives an overall rating: weights, standardized weights and shares of R².

    Fits ``outcome ~ drivers`` by OLS (statsmodels formula API) with
    heteroskedasticity-robust standard errors. The **weight** is the change
    in the outcome per rating point, the other ratings held fixed; the
    **standardized weight** (beta) is the same in standard deviations of
    both, comparable across drivers on different scales; the **Shapley
    share** of R² (:func:`shapley_r2`) is robust to correlated ratings, and
    ``importance`` is that share as a fraction of R² (adding up to one).

    Parameters
    ----------
    survey : pandas.DataFrame
        One row per respondent. Rows missing the outcome or any driver are
        left out and counted in ``attrs["incomplete"]``.
    outcome : str
        The overall rating (perceived value, likelihood to recommend).
    drivers : sequence of str
        The attribute ratings (e.g. the values of :data:`KIT_WEAPONS`).
    level : float, default 0.95
        Confidence level of the intervals.
    cov_type : str, default "HC1"
        statsmodels' robust covariance (``"HC0"`` … ``"HC3"``, or ``"nonrobust"``).

    Returns
    -------
    pandas.DataFrame
        One row per driver, by ``importance`` (largest first): ``driver``,
        ``weight``, ``weight_lower``, ``weight_upper``, ``standardized``,
        ``standardized_lower``, ``standardized_upper``, ``p_value``,
        ``shapley_r2``, ``importance`` and ``mean_rating``. ``attrs``:
        ``outcome``, ``respondents``, ``incomplete``, ``r_squared``, ``level``.

    Examples
    --------
    >>> survey = pd.DataFrame({"price": [1, 2, 3, 4, 5, 1, 3, 5],
    ...                        "service": [2, 2, 3, 5, 4, 3, 1, 5],
    ...                        "value": [2, 3, 5, 8, 8, 3, 4, 9]})
    >>> table = key_drivers(survey, "value", ["price", "service"])
    >>> table["driver"].tolist(), round(float(table["importance"].sum()), 6)
    (['price', 'service'], 1.0)
    """
    level = require_probability("level", level)
    answers = _answers(survey, outcome, drivers)
    names = list(answers.columns[1:])
    data = answers.set_axis([f"x{i}" if i else "y" for i in range(len(names) + 1)], axis=1)
    if np.linalg.matrix_rank(data.iloc[:, 1:].to_numpy() - data.iloc[:, 1:].mean().to_numpy()) \
            < len(names):
        raise DataError(_("survey: the drivers {drivers} are linear combinations of each "
                          "other in the complete answers (one rating repeated, or one the sum "
                          "of others): leave one out.")
                        .format(drivers=", ".join(map(repr, names))))
    try:
        fit = smf.ols(f"y ~ {' + '.join(data.columns[1:])}", data).fit(cov_type=cov_type)
    except ValueError as error:  # an unknown cov_type
        raise DataError(_("cov_type {cov_type!r} is not one statsmodels knows: use 'HC0', "
                          "'HC1', 'HC2', 'HC3' or 'nonrobust'.").format(cov_type=cov_type)
                        ) from error
    terms = list(data.columns[1:])
    bounds = fit.conf_int(alpha=1 - level).loc[terms]
    scale = (answers[names].std().to_numpy() / answers[outcome].std())
    shares = shapley_r2(answers, outcome, names)
    table = pd.DataFrame({
        "driver": names,
        "weight": fit.params[terms].to_numpy(),
        "weight_lower": bounds[0].to_numpy(),
        "weight_upper": bounds[1].to_numpy(),
        "standardized": fit.params[terms].to_numpy() * scale,
        "standardized_lower": bounds[0].to_numpy() * scale,
        "standardized_upper": bounds[1].to_numpy() * scale,
        "p_value": fit.pvalues[terms].to_numpy(),
        "shapley_r2": shares.to_numpy(),
        "importance": shares.to_numpy() / shares.attrs["r_squared"],
        "mean_rating": answers[names].mean().to_numpy(),
    }).sort_values("importance", ascending=False, kind="stable").reset_index(drop=True)
    table.attrs = {"outcome": outcome, "respondents": len(answers),
                   "incomplete": answers.attrs["incomplete"],
                   "r_squared": float(fit.rsquared), "level": level}
    return table


def importance_performance(drivers: pd.DataFrame, *, importance: str = "importance",
                           performance: str = "mean_rating",
                           cuts: tuple[float, float] | None = None) -> pd.DataFrame:
    """Place each driver in an importance-performance quadrant (Martilla & James 1977).

    A driver is *important* when its importance is at least the cut, and
    *performs well* when its mean rating is at least the other cut. By
    default the cuts are the drivers' mean importance and mean performance
    (the data-centred map): the quadrants then compare the drivers with each
    other, not with an absolute standard.

    Parameters
    ----------
    drivers : pandas.DataFrame
        One row per driver, e.g. :func:`key_drivers`.
    importance, performance : str
        The two columns.
    cuts : (float, float), optional
        The importance and performance cuts; by default their means.

    Returns
    -------
    pandas.DataFrame
        ``drivers`` with ``quadrant`` (values of :data:`IPA_QUADRANTS`);
        ``attrs["cuts"]`` holds the two cuts.

    Examples
    --------
    >>> table = pd.DataFrame({"driver": ["price", "service", "brand"],
    ...                       "importance": [0.5, 0.4, 0.1], "mean_rating": [2.5, 4.0, 4.2]})
    >>> importance_performance(table)["quadrant"].tolist()
    ['concentrate here', 'keep up the good work', 'possible overkill']
    """
    require_columns(drivers, [importance, performance], "drivers")
    weight = require_numbers(drivers, importance, "drivers")
    rating = require_numbers(drivers, performance, "drivers")
    if cuts is None:
        cuts = (float(weight.mean()), float(rating.mean()))
    elif len(cuts) != 2:
        raise DataError(_("cuts must be two numbers (importance, performance); got "
                          "{cuts!r}.").format(cuts=cuts))
    low_weight, low_rating = (require_number("cuts", c) for c in cuts)
    placed = drivers.copy()
    placed["quadrant"] = [IPA_QUADRANTS[(bool(w >= low_weight), bool(r >= low_rating))]
                          for w, r in zip(weight, rating, strict=True)]
    placed.attrs = {**drivers.attrs, "cuts": (low_weight, low_rating)}
    return placed


def rating_gain(survey: pd.DataFrame, rating: str, points: float, weight: float, *,
                top: float = 5.0) -> float:
    """The mean rise in the outcome if every respondent's ``rating`` rose ``points``, capped.

    ``weight x mean(min(rating + points, top) - rating)``: a respondent
    already at the top of the scale cannot rate it higher, so the rise is
    worth less where ratings are already high. Respondents without the
    rating are left out.

    Parameters
    ----------
    survey : pandas.DataFrame
        One row per respondent.
    rating : str
        The rating column (e.g. ``service_rating``).
    points : float
        Rating points bought per respondent (0 or more; may be fractional).
    weight : float
        Outcome points per rating point (a ``key_drivers`` weight, or the truth).
    top : float, default 5.0
        The top of the rating scale.

    Returns
    -------
    float
        Outcome points per respondent.

    Examples
    --------
    >>> survey = pd.DataFrame({"service": [2, 4, 5]})
    >>> round(rating_gain(survey, "service", 1.5, 0.6), 4)  # rises of 1.5, 1 and 0
    0.5
    """
    require_columns(survey, [rating], "survey")
    points = require_number("points", points, low=0)
    weight = require_number("weight", weight)
    values = require_numbers(survey, rating, "survey", allow_missing=True, high=top).dropna()
    if values.empty:
        raise DataError(_("survey: column {column!r} has no answers to raise.")
                        .format(column=rating))
    return float(weight * (np.minimum(values + points, top) - values).mean())

