"""Simulate the kit's fictional retailer, with the ground truth the lessons recover.

*Tienda Relmark* is an imaginary multi-category retailer in Mexico (amounts in
MXN). Every table the lessons use is drawn here from explicit generative
processes and a fixed seed, so each estimate in a lesson can be compared with
the value that produced the data.

The generative story, one customer at a time:

1. **Signup.** The customer's first purchase (the signup date) falls between
   2023-01-01 and 2025-06-30, slightly more often later (the business grows).
   Acquisition channel, region and payment terms are drawn independently.
2. **Satisfaction and complaints.** A latent satisfaction ``s ~ N(0, 1)``.
   Complaints arrive more often when ``s`` is low; whether each one is
   resolved depends only on the channel it came through, not on ``s``.
3. **Dropout (BG/NBD).** A churn score ``c = -w1*s + w2*[unresolved complaint]
   + noise`` is turned into a rank ``u = (rank(c) - 0.5) / N`` and the dropout
   probability is ``p = BetaInv(u; a, b)``. Unhappy customers get a larger
   ``p``, yet the ``p`` values taken together are exactly the quantiles of
   ``Beta(a, b)``, so a BG/NBD fit can still recover ``a`` and ``b``.
4. **Purchases (BG/NBD, in weeks).** The purchase rate is
   ``lambda ~ Gamma(shape r, rate alpha)``, independent of everything above.
   Repeat purchases arrive as a Poisson process with rate ``lambda``. Right
   after each repeat purchase the customer leaves for good with probability
   ``p``. The simulation stops at the observation end, 2025-12-31.
5. **Spend (gamma-gamma).** Each order's value is ``z ~ Gamma(shape p_gg,
   rate nu)`` with ``nu ~ Gamma(shape q, rate gamma)`` per customer. Spend is
   independent of the purchase process. The order total is split over one to
   three lines, each in a different category. Margins use category rates.
   A few lines are returned later (negative lines with their own order id).
6. **Around the ledger.** A survey of about 30% of customers, contacts
   through seven voice-of-the-customer channels, leads who never bought, a
   loyalty-program pilot panel with a known effect, and a raw Excel export
   of the transactions with injected defects whose counts are known.

Each process draws from its own random stream (children of
``numpy.random.default_rng(seed)``), so changing one table's process leaves
the others' draws unchanged.

Examples
--------
>>> retailer = simulate(n_customers=300)
>>> retailer.truth["bgnbd"]["r"]
0.75
>>> sorted(retailer.tables())[:3]
['customer_truth', 'customers', 'identity_map']
"""

from __future__ import annotations

import csv
import io
import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from relmark_lab.data import DROP_REASONS
from relmark_lab.errors import DataError
from relmark_lab.identify import VOC_CHANNELS  # the seven tools of the course notes

__all__ = [
    "BGNBD_TRUTH",
    "CATEGORY_MARGIN_RATES",
    "DEFAULT_N_CUSTOMERS",
    "DEFAULT_SEED",
    "DROPOUT_LINK",
    "GAMMA_GAMMA_TRUTH",
    "LEDGER_REASONS",
    "OBSERVATION_END",
    "OBSERVATION_START",
    "PILOT_TRUTH",
    "RAW_HEADER",
    "VOC_CHANNELS",
    "SyntheticRetailer",
    "simulate",
    "write_datasets",
]

OBSERVATION_START = "2023-01-01"
OBSERVATION_END = "2025-12-31"
#: Last possible signup: leaves every customer at least 26 weeks to be observed.
SIGNUP_END = "2025-06-30"
DEFAULT_SEED = 20261125
DEFAULT_N_CUSTOMERS = 5000

#: BG/NBD truth; time unit is the week.
BGNBD_TRUTH = {"r": 0.75, "alpha": 6.0, "a": 0.65, "b": 3.5}
#: Gamma-gamma truth (Fader-Hardie notation); mean order = p * gamma / (q - 1) = 400 MXN.
GAMMA_GAMMA_TRUTH = {"p": 6.0, "q": 4.0, "gamma": 200.0}
#: How satisfaction and unresolved complaints rank customers for dropout.
DROPOUT_LINK = {
    "satisfaction_weight": 1.0,
    "unresolved_complaint_weight": 1.0,
    "noise_sd": 0.5,
}
#: Loyalty pilot: common trend from pre to post, and the true treatment effect.
PILOT_TRUTH = {
    "true_effect_relative": 0.10,
    "time_trend": 1.08,
    "weeks_per_period": 26,
    "members_per_design_per_5000_customers": 2000,
    "rate_shape": 2.0,
    "rate_rate": 5.0,
    "self_selection_steepness": 4.0,
}

#: Gross margin rate by category (mean; each line varies by +-2 points).
CATEGORY_MARGIN_RATES = {
    "Electrónica": 0.18,
    "Hogar": 0.32,
    "Moda": 0.45,
    "Alimentos": 0.22,
    "Deportes": 0.35,
    "Belleza": 0.50,
    "Juguetes": 0.38,
}
_CATEGORY_SHARE = np.array([0.12, 0.18, 0.20, 0.20, 0.10, 0.12, 0.08])
_CATEGORY_UNIT_PRICE = np.array([1500.0, 350.0, 450.0, 60.0, 500.0, 180.0, 300.0])
_CATEGORY_RETURN_RATE = np.array([0.04, 0.02, 0.06, 0.01, 0.03, 0.02, 0.03])

#: channel -> (share of customers, mean acquisition cost in MXN)
_ACQUISITION = {
    "tienda": (0.30, 150.0),
    "web": (0.22, 220.0),
    "referido": (0.12, 80.0),
    "redes sociales": (0.18, 260.0),
    "televisión": (0.08, 480.0),
    "correo directo": (0.10, 330.0),
}
#: region -> (share, two-digit lead of the 10-digit phone number)
_REGIONS = {
    "Metropolitana": (0.30, ("55", "56")),
    "Centro": (0.22, ("44", "22")),
    "Occidente": (0.18, ("33",)),
    "Norte": (0.18, ("81", "61")),
    "Sur": (0.12, ("99", "96")),
}
#: terms -> (share, Beta parameters of the customer's lateness propensity, mean days late)
_PAYMENT_TERMS = {
    "contado": (0.60, None, 0.0),
    "30 días": (0.30, (1.2, 8.0), 9.0),
    "60 días": (0.10, (1.5, 6.0), 15.0),
}

#: channel -> (share of complaints, probability a complaint is resolved, mean days to resolve)
_VOC_CHANNEL_PROFILE = {
    "focus group": (0.00, 1.00, 7.0),
    "complaint box": (0.15, 0.45, 12.0),
    "suggestion coupon": (0.05, 0.40, 14.0),
    "toll-free line": (0.30, 0.75, 3.0),
    "e-mail": (0.25, 0.65, 5.0),
    "personal attention": (0.20, 0.85, 1.0),
    "letter": (0.05, 0.55, 20.0),
}

#: Reasons the reader drops a raw-export row, in its order. A text export cannot
#: hold the numeric infinities behind "non-finite amount", so that one is not injected.
LEDGER_REASONS = tuple(reason for reason in DROP_REASONS if reason != "non-finite amount")
#: Header of the raw export, stray spaces included, as the point-of-sale system writes it.
RAW_HEADER = (
    "Pedido", "Cliente", "Nombre", "Correo", " Teléfono ", "Fecha",
    "Categoría", "Cantidad", " Importe ", "Margen", "Días de atraso",
)
_UNPARSEABLE_DATES = ("31/02/2025", "30/02/2024 14:05", "sin fecha", "32/01/2025", "00/00/0000")
_NON_NUMERIC_AMOUNTS = ("N/D", "error", "#¡VALOR!", "pendiente", "sin dato")

_FEMALE_NAMES = (
    "María", "Guadalupe", "Ana", "Sofía", "Valeria", "Fernanda", "Lucía", "Ximena",
    "Camila", "Daniela", "Mariana", "Andrea", "Verónica", "Leticia", "Rocío", "Mónica",
    "Araceli", "Inés", "Itzel", "Renata", "Paulina", "Beatriz", "Noemí", "María José",
)
_MALE_NAMES = (
    "José", "Juan", "Luis", "Carlos", "Jorge", "Miguel", "Jesús", "Alejandro",
    "Fernando", "Ricardo", "Andrés", "Sebastián", "Martín", "Raúl", "Óscar", "Iván",
    "Joaquín", "Rubén", "Héctor", "Ramón", "Emilio", "Tomás", "Julián", "José Luis",
)
_LAST_NAMES = (
    "Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez",
    "Sánchez", "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Jiménez",
    "Reyes", "Díaz", "Torres", "Gutiérrez", "Ruiz", "Mendoza", "Aguilar", "Ortiz",
    "Castillo", "Moreno", "Romero", "Álvarez", "Méndez", "Chávez", "Rivera", "Juárez",
    "Domínguez", "Herrera", "Medina", "Castro", "Vargas", "Guzmán", "Velázquez",
    "Muñoz", "Núñez", "Peña", "Ibáñez", "Ávila", "Salazar", "Cortés", "Ríos", "Luna",
    "Ordóñez", "Zúñiga",
)
_EMAIL_DOMAINS = {
    "gmail.com": 0.45, "hotmail.com": 0.25, "outlook.com": 0.12,
    "yahoo.com.mx": 0.10, "prodigy.net.mx": 0.05, "icloud.com": 0.03,
}
#: Opening hours: orders are stamped between 10:00 and 20:59, busier in the evening.
_STORE_HOUR_WEIGHTS = np.array([2, 3, 4, 5, 5, 4, 4, 5, 6, 6, 4], dtype=float)
_STREAMS = (
    "customers", "satisfaction", "purchases", "spend", "lines", "returns", "lateness",
    "leads", "survey", "voc", "pilot", "raw",
)
_START = pd.Timestamp(OBSERVATION_START)
_END = pd.Timestamp(OBSERVATION_END)
_HORIZON_DAYS = (_END - _START).days  # day offset of the last observed day


@dataclass(frozen=True, eq=False)
class SyntheticRetailer:
    """All tables of one simulation, plus the truth that generated them.

    Attributes
    ----------
    customers, transactions, leads, survey, voice_of_customer, loyalty_pilot,
    identity_map : pandas.DataFrame
        The clean tables, one per CSV file of the same name.
    transactions_raw : pandas.DataFrame
        The raw export as text cells, columns named by :data:`RAW_HEADER`.
    customer_truth : pandas.DataFrame
        Per-customer latent values: purchase rate, dropout probability,
        spend rate, satisfaction, whether the customer is still alive.
    truth : dict
        True parameters, defect counts and table sizes (``truth.json``).

    Examples
    --------
    >>> retailer = simulate(n_customers=300)
    >>> len(retailer.customers)
    300
    """

    customers: pd.DataFrame
    transactions: pd.DataFrame
    leads: pd.DataFrame
    survey: pd.DataFrame
    voice_of_customer: pd.DataFrame
    loyalty_pilot: pd.DataFrame
    identity_map: pd.DataFrame
    transactions_raw: pd.DataFrame
    customer_truth: pd.DataFrame
    truth: dict[str, Any]

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table keyed by its file name without ``.csv``.

        Examples
        --------
        >>> "transactions_raw" in simulate(n_customers=300).tables()
        True
        """
        return {
            "customers": self.customers,
            "transactions": self.transactions,
            "leads": self.leads,
            "survey": self.survey,
            "voice_of_customer": self.voice_of_customer,
            "loyalty_pilot": self.loyalty_pilot,
            "identity_map": self.identity_map,
            "transactions_raw": self.transactions_raw,
            "customer_truth": self.customer_truth,
        }


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def _fold_accents(text: str) -> str:
    """``"Núñez"`` -> ``"Nunez"``: e-mail addresses and old systems have no accents."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _day(offset: np.ndarray) -> pd.DatetimeIndex:
    """Calendar dates from day offsets counted from the observation start."""
    return _START + pd.to_timedelta(np.asarray(offset, dtype="int64"), unit="D")


def _store_time(rng: np.random.Generator, day_offset: np.ndarray) -> pd.DatetimeIndex:
    """Timestamps on the given days, inside store hours."""
    n = len(day_offset)
    share = _STORE_HOUR_WEIGHTS / _STORE_HOUR_WEIGHTS.sum()
    hour = 10 + rng.choice(len(share), n, p=share)
    seconds = hour * 3600 + rng.integers(0, 3600, n)
    return _day(day_offset) + pd.to_timedelta(seconds, unit="s")


def _pick(rng: np.random.Generator, options: dict[str, Any], n: int) -> np.ndarray:
    """Draw ``n`` keys of ``options``; the first element of each value is its share."""
    names = list(options)
    shares = np.array([v[0] if isinstance(v, tuple) else v for v in options.values()])
    return np.array(names, dtype=object)[rng.choice(len(names), n, p=shares / shares.sum())]


def _uniform_day(rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """One integer day offset per row, uniform on ``[low, high]`` (inclusive)."""
    low = np.asarray(low, dtype="int64")
    high = np.maximum(np.asarray(high, dtype="int64"), low)
    return low + np.floor(rng.random(len(low)) * (high - low + 1)).astype("int64")


def _format_mxn(values: np.ndarray) -> list[str]:
    """Spanish-locale Excel currency text: ``1234.5 -> "$1.234,50"``, ``-45 -> "-$45,00"``."""
    swap = str.maketrans(",.", ".,")
    return [
        ("-$" if v < 0 else "$") + f"{abs(v):,.2f}".translate(swap) for v in np.asarray(values)
    ]


def _plain(value: Any) -> Any:
    """numpy scalars and containers -> plain Python, so ``json.dumps`` is stable."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return round(float(value), 6)
    return value


# ---------------------------------------------------------------------------
# People: names, e-mails, phones (shared by customers and leads)
# ---------------------------------------------------------------------------


def _draw_people(rng: np.random.Generator, regions: np.ndarray) -> pd.DataFrame:
    """Spanish names with accents, e-mails derived from them, Mexican phones.

    E-mails and phones are unique across everyone drawn in one call, so a
    lesson on identity resolution can trust them as keys of the clean data.
    """
    n = len(regions)
    female = rng.random(n) < 0.5
    first = np.where(female, rng.choice(_FEMALE_NAMES, n), rng.choice(_MALE_NAMES, n))
    last1 = rng.choice(_LAST_NAMES, n)
    last2 = rng.choice(_LAST_NAMES, n)
    names = [f"{f} {a} {b}" for f, a, b in zip(first, last1, last2, strict=True)]

    def slug(text: str) -> str:
        return _fold_accents(text).lower().replace(" ", "")

    pattern = rng.integers(0, 4, n)
    year = rng.integers(60, 106, n) % 100  # birth-year-like suffixes, 60..99 and 00..05
    with_year = rng.random(n) < 0.5
    local = []
    for i in range(n):
        f, a, b = slug(first[i]), slug(last1[i]), slug(last2[i])
        stem = (f"{f}.{a}", f"{f}_{a}", f"{f[0]}{a}{b[0]}", f"{f}.{a}.{b}")[pattern[i]]
        local.append(stem + (f"{year[i]:02d}" if with_year[i] else ""))
    domains = _pick(rng, _EMAIL_DOMAINS, n)
    emails = pd.Series([f"{u}@{d}" for u, d in zip(local, domains, strict=True)])
    while (clash := emails.duplicated()).any():  # add a digit before "@" until unique
        digit = rng.integers(0, 10, int(clash.sum()))
        emails[clash] = [
            e.replace("@", f"{d}@", 1) for e, d in zip(emails[clash], digit, strict=True)
        ]
    phones = _draw_phones(rng, regions)
    return pd.DataFrame({"name": names, "email": emails.to_numpy(), "phone": phones})


def _draw_phones(rng: np.random.Generator, regions: np.ndarray) -> np.ndarray:
    """Unique 10-digit numbers written ``"55 1234 5678"``, area by region."""
    n = len(regions)
    lead = np.array([rng.choice(_REGIONS[r][1]) for r in regions], dtype=object)
    rest = rng.integers(10**7, 10**8, n)
    while True:
        number = pd.Series(lead + pd.Series(rest).astype(str).to_numpy())
        clash = number.duplicated().to_numpy()
        if not clash.any():
            break
        rest[clash] = rng.integers(10**7, 10**8, int(clash.sum()))
    return np.array([f"{x[:2]} {x[2:6]} {x[6:]}" for x in number], dtype=object)


# ---------------------------------------------------------------------------
# Customers and their latent traits
# ---------------------------------------------------------------------------


def _draw_signup_days(rng: np.random.Generator, n: int) -> np.ndarray:
    """Signup day offsets, sorted; the last signup day is 1.6 times as likely as the first."""
    last = (pd.Timestamp(SIGNUP_END) - _START).days
    days = np.arange(last + 1)
    weight = 1.0 + 0.6 * days / last
    return np.sort(rng.choice(days, n, p=weight / weight.sum()))


def _draw_complaints(rng: np.random.Generator, satisfaction: np.ndarray) -> pd.DataFrame:
    """One row per complaint: who complained, through which channel, whether it was resolved.

    Unhappy customers complain more often (rate ``0.12 * exp(-0.9 s)`` over
    their lifetime). Resolution depends on the channel only, so "unresolved"
    carries information about the service, not about the customer's mood.
    """
    count = rng.poisson(0.12 * np.exp(-0.9 * satisfaction))
    customer = np.repeat(np.arange(len(satisfaction)), count)
    complaint_share = {k: v[0] for k, v in _VOC_CHANNEL_PROFILE.items() if v[0] > 0}
    channel = _pick(rng, complaint_share, len(customer))
    p_resolved = np.array([_VOC_CHANNEL_PROFILE[c][1] for c in channel], dtype=float)
    resolved = rng.random(len(customer)) < p_resolved
    return pd.DataFrame({"customer": customer, "channel": channel, "resolved": resolved})


def _dropout_probabilities(
    rng: np.random.Generator, satisfaction: np.ndarray, has_unresolved: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """BG/NBD dropout probabilities that rise with dissatisfaction.

    The churn score orders the customers; each one then receives the Beta(a, b)
    quantile at its rank's midpoint. The link therefore decides *who* gets a
    high ``p`` while the set of ``p`` values stays exactly Beta(a, b).

    Returns
    -------
    p : numpy.ndarray
        Dropout probability after each repeat purchase.
    score : numpy.ndarray
        The churn score ``-w1*s + w2*unresolved + noise``.
    """
    link = DROPOUT_LINK
    score = (
        -link["satisfaction_weight"] * satisfaction
        + link["unresolved_complaint_weight"] * has_unresolved
        + rng.normal(0.0, link["noise_sd"], len(satisfaction))
    )
    rank = stats.rankdata(score, method="ordinal")  # continuous noise: no ties
    u = (rank - 0.5) / len(score)
    return stats.beta.ppf(u, BGNBD_TRUTH["a"], BGNBD_TRUTH["b"]), score


def _simulate_repeat_purchases(
    rng: np.random.Generator, rate: np.ndarray, p: np.ndarray, horizon_weeks: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The BG/NBD purchase process after the first purchase, all customers at once.

    Each round draws every still-active customer's next exponential waiting
    time. A purchase inside the horizon is recorded, then the customer drops
    out with probability ``p``. As in BG/NBD, nobody drops out at the first
    purchase, only after repeat purchases.

    Returns
    -------
    customer : numpy.ndarray
        Customer index of each repeat purchase.
    weeks : numpy.ndarray
        Time of each repeat purchase, in weeks since the first purchase.
    alive : numpy.ndarray
        Whether each customer is still active at the observation end.
    """
    clock = np.zeros(len(rate))
    alive = np.ones(len(rate), dtype=bool)
    active = np.arange(len(rate))
    customers, times = [], []
    while active.size:
        next_time = clock[active] + rng.exponential(1.0 / rate[active])
        inside = next_time < horizon_weeks[active]
        active, next_time = active[inside], next_time[inside]
        customers.append(active)
        times.append(next_time)
        clock[active] = next_time
        leaves = rng.random(active.size) < p[active]
        alive[active[leaves]] = False
        active = active[~leaves]
    return np.concatenate(customers), np.concatenate(times), alive


def _build_customers(
    rng: np.random.Generator, people: pd.DataFrame, signup_day: np.ndarray, regions: np.ndarray
) -> pd.DataFrame:
    """The customer master; acquisition cost = channel mean x Gamma noise (CV 25%)."""
    n = len(signup_day)
    channel = _pick(rng, _ACQUISITION, n)
    mean_cost = np.array([_ACQUISITION[c][1] for c in channel])
    cost = np.round(mean_cost * rng.gamma(16.0, 1.0 / 16.0, n), 2)
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:05d}" for i in range(1, n + 1)],
            "name": people["name"].to_numpy(),
            "email": people["email"].to_numpy(),
            "phone": people["phone"].to_numpy(),
            "signup_date": _day(signup_day),
            "acquisition_channel": channel,
            "acquisition_cost": cost,
            "region": regions,
            "payment_terms": _pick(rng, _PAYMENT_TERMS, n),
        }
    )


# ---------------------------------------------------------------------------
# Transactions: orders -> lines -> returns
# ---------------------------------------------------------------------------


def _order_values(rng: np.random.Generator, spend_rate: np.ndarray) -> np.ndarray:
    """Gamma-gamma order values ``z ~ Gamma(shape p, rate nu)``, in MXN (cents)."""
    return np.round(rng.gamma(GAMMA_GAMMA_TRUTH["p"], 1.0 / spend_rate), 2)


def _split_into_lines(
    rng: np.random.Generator, order_total: np.ndarray, preference: np.ndarray
) -> pd.DataFrame:
    """Split each order total over 1-3 lines in distinct categories.

    Categories are drawn without replacement from the customer's preference
    (Gumbel top-k), so two lines of an order never look alike. Shares are
    Dirichlet(3, 3, 3) shrunk towards equal, so no line is nearly zero; the
    last line absorbs the rounding so the lines add up to the order total.
    """
    n_orders = len(order_total)
    n_lines = rng.choice([1, 2, 3], n_orders, p=[0.65, 0.25, 0.10])
    gumbel = rng.gumbel(size=preference.shape)
    ranked = np.argsort(-(np.log(preference + 1e-12) + gumbel), axis=1)
    share = rng.gamma(3.0, size=(n_orders, 3)) * (np.arange(3) < n_lines[:, None])
    share = share / share.sum(axis=1, keepdims=True)
    share = (share + 0.05) / (1 + 0.05 * n_lines[:, None])

    order = np.repeat(np.arange(n_orders), n_lines)
    position = np.concatenate([np.arange(k) for k in n_lines]) if n_orders else np.array([], int)
    amount = np.round(order_total[order] * share[order, position], 2)
    is_last = position == n_lines[order] - 1
    others = np.bincount(order, weights=np.where(is_last, 0.0, amount), minlength=n_orders)
    amount[is_last] = np.round(order_total - others, 2)
    if (amount <= 0).any():  # impossible with the shrunk shares; guards the ledger's "zero amount"
        raise RuntimeError("an order line came out with a non-positive amount")
    return pd.DataFrame(
        {"order": order, "position": position, "category": ranked[order, position],
         "amount": amount}
    )


def _line_details(rng: np.random.Generator, lines: pd.DataFrame) -> pd.DataFrame:
    """Quantity from a typical unit price, margin from the category's rate (+-2 points)."""
    category = lines["category"].to_numpy()
    amount = lines["amount"].to_numpy()
    units = amount / _CATEGORY_UNIT_PRICE[category] * rng.lognormal(0.0, 0.3, len(amount))
    rates = np.array(list(CATEGORY_MARGIN_RATES.values()))[category]
    rate = np.clip(rates + rng.normal(0.0, 0.02, len(amount)), 0.05, 0.8)
    return lines.assign(
        quantity=np.clip(np.rint(units), 1, 24).astype("int64"),
        margin=np.round(amount * rate, 2),
    )


def _days_late(
    rng: np.random.Generator, order_customer: np.ndarray, payment_terms: np.ndarray
) -> np.ndarray:
    """Days each order's payment was late.

    Cash customers pay at the till (always 0). Credit customers have their own
    propensity to pay late, Beta-distributed by terms; a late payment is
    ``1 + Poisson(mean - 1)`` days late, longer on 60-day terms.
    """
    n_customers = len(payment_terms)
    propensity = np.zeros(n_customers)
    mean_days = np.zeros(n_customers)
    for terms, (_, beta_params, days) in _PAYMENT_TERMS.items():
        has = payment_terms == terms
        if beta_params is not None:
            propensity[has] = rng.beta(*beta_params, int(has.sum()))
        mean_days[has] = days
    late = rng.random(len(order_customer)) < propensity[order_customer]
    days = 1 + rng.poisson(np.maximum(mean_days[order_customer] - 1, 0))
    return np.where(late, days, 0).astype("int64")


def _build_transactions(
    streams: dict[str, np.random.Generator],
    customers: pd.DataFrame,
    signup_day: np.ndarray,
    repeat_customer: np.ndarray,
    repeat_weeks: np.ndarray,
    spend_rate: np.ndarray,
) -> pd.DataFrame:
    """All order lines, returns included, ordered by order id (chronological).

    ``spend_rate`` is each customer's gamma-gamma ``nu``.
    """
    n = len(customers)
    order_customer = np.concatenate([np.arange(n), repeat_customer])
    week_offset = np.concatenate([np.zeros(n), repeat_weeks])
    order_day = signup_day[order_customer] + np.floor(7 * week_offset).astype("int64")
    order_time = _store_time(streams["purchases"], order_day)
    order_total = _order_values(streams["spend"], spend_rate[order_customer])

    preference = streams["lines"].dirichlet(4.0 * _CATEGORY_SHARE, n)
    lines = _split_into_lines(streams["lines"], order_total, preference[order_customer])
    lines = _line_details(streams["lines"], lines)
    late = _days_late(streams["lateness"], order_customer, customers["payment_terms"].to_numpy())
    lines["customer"] = order_customer[lines["order"]]
    lines["day"] = order_day[lines["order"]]
    lines["timestamp"] = order_time[lines["order"].to_numpy()]
    lines["days_late"] = late[lines["order"]]
    lines["is_return"] = False

    returns = _draw_returns(streams["returns"], lines)
    # Purchases and returns share one id sequence, numbered in time order.
    everything = pd.concat([lines, returns], ignore_index=True)
    everything["order_key"] = np.where(
        everything["is_return"], len(order_total) + everything.index, everything["order"]
    )
    first_seen = everything.groupby("order_key")["timestamp"].transform("min")
    everything = everything.assign(first_seen=first_seen).sort_values(
        ["first_seen", "order_key", "position"], kind="stable"
    )
    number = pd.factorize(everything["order_key"])[0] + 1
    categories = np.array(list(CATEGORY_MARGIN_RATES), dtype=object)
    return pd.DataFrame(
        {
            "order_id": [f"O{k:07d}" for k in number],
            "customer_id": customers["customer_id"].to_numpy()[everything["customer"]],
            "timestamp": everything["timestamp"].to_numpy(),
            "category": categories[everything["category"]],
            "quantity": everything["quantity"].to_numpy(),
            "amount": everything["amount"].to_numpy(),
            "margin": everything["margin"].to_numpy(),
            "days_late": everything["days_late"].to_numpy(),
        }
    )


def _draw_returns(rng: np.random.Generator, lines: pd.DataFrame) -> pd.DataFrame:
    """Returned lines: the whole line comes back 1-30 days later, if still in the window.

    Return rates differ by category (fashion is returned most). A return is a
    negative copy of the line with its own order id and no late payment.
    """
    returned = rng.random(len(lines)) < _CATEGORY_RETURN_RATE[lines["category"].to_numpy()]
    delay = rng.integers(1, 31, len(lines))
    returned &= lines["day"].to_numpy() + delay <= _HORIZON_DAYS
    back = lines[returned].copy()
    back["day"] = back["day"] + delay[returned]
    back["timestamp"] = _store_time(rng, back["day"].to_numpy())
    for column in ("quantity", "amount", "margin"):
        back[column] = -back[column]
    back["days_late"] = 0
    back["position"] = 0
    back["is_return"] = True
    return back


# ---------------------------------------------------------------------------
# Leads, survey, voice of the customer
# ---------------------------------------------------------------------------


def _build_leads(
    rng: np.random.Generator, people: pd.DataFrame, regions: np.ndarray
) -> pd.DataFrame:
    """Prospects who left their details but never bought."""
    n = len(people)
    created = _uniform_day(rng, np.zeros(n, "int64"), np.full(n, _HORIZON_DAYS))
    return pd.DataFrame(
        {
            "lead_id": [f"L{i:05d}" for i in range(1, n + 1)],
            "name": people["name"].to_numpy(),
            "email": people["email"].to_numpy(),
            "phone": people["phone"].to_numpy(),
            "created_date": _day(np.sort(created)),
            "source_channel": _pick(rng, _ACQUISITION, n),
            "region": regions,
        }
    )


def _ordinal(latent: np.ndarray, cuts: tuple[float, ...]) -> np.ndarray:
    """Cut a continuous latent score into 1, 2, ... ``len(cuts) + 1``."""
    return (np.searchsorted(np.array(cuts), latent) + 1).astype("int64")


def _build_survey(
    rng: np.random.Generator,
    customers: pd.DataFrame,
    satisfaction: np.ndarray,
    signup_day: np.ndarray,
    last_active_day: np.ndarray,
) -> pd.DataFrame:
    """A 30% sample answers once, on a day when they were still a customer.

    Every answer is a noisy reading of the latent satisfaction ``s``, so the
    survey predicts dropout without being the cause of it.
    """
    n = len(customers)
    who = np.sort(rng.choice(n, round(0.3 * n), replace=False))
    s = satisfaction[who]
    k = len(who)
    day = _uniform_day(rng, signup_day[who], last_active_day[who])
    wallet_mean = 1.0 / (1.0 + np.exp(-(-0.4 + 0.5 * s)))
    share = rng.beta(6.0 * wallet_mean, 6.0 * (1.0 - wallet_mean))
    recommend = np.rint(6.5 + 2.0 * (0.85 * s + 0.5 * rng.normal(size=k)))
    return pd.DataFrame(
        {
            "customer_id": customers["customer_id"].to_numpy()[who],
            "survey_date": _day(day),
            "satisfaction": _ordinal(s + 0.5 * rng.normal(size=k), (-1.4, -0.6, 0.3, 1.1)),
            "recommend": np.clip(recommend, 0, 10).astype("int64"),
            "share_of_wallet": np.round(share, 2),
            "perceived_value": _ordinal(
                0.6 * s + 0.8 * rng.normal(size=k), (-1.3, -0.5, 0.4, 1.2)
            ),
        }
    )


def _contact_types(rng: np.random.Generator, satisfaction: np.ndarray) -> np.ndarray:
    """Suggestion, question or praise; praise is likelier from satisfied customers."""
    weight = np.column_stack(
        [np.ones_like(satisfaction), np.full_like(satisfaction, 0.8), np.exp(0.8 * satisfaction)]
    )
    cumulative = np.cumsum(weight / weight.sum(axis=1, keepdims=True), axis=1)
    pick = (rng.random(len(satisfaction))[:, None] > cumulative).sum(axis=1)
    return np.array(["suggestion", "question", "praise"], dtype=object)[np.minimum(pick, 2)]


def _focus_group_sessions(
    rng: np.random.Generator, signup_day: np.ndarray, n_sessions: int
) -> pd.DataFrame:
    """Sessions of 10-12 customers on one date, invited among those already signed up."""
    days = np.sort(rng.integers(59, _HORIZON_DAYS - 30, n_sessions))  # Mar 2023 .. Nov 2025
    rows = []
    for day in days:
        eligible = np.flatnonzero(signup_day <= day)
        size = min(int(rng.integers(10, 13)), len(eligible))
        for customer in np.sort(rng.choice(eligible, size, replace=False)):
            rows.append((customer, day))
    return pd.DataFrame(rows, columns=["customer", "day"], dtype="int64")


def _build_voice_of_customer(
    rng: np.random.Generator,
    customers: pd.DataFrame,
    complaints: pd.DataFrame,
    satisfaction: np.ndarray,
    signup_day: np.ndarray,
    last_purchase_day: np.ndarray,
) -> pd.DataFrame:
    """Complaints (drawn before dropout, dated here) plus other contacts and focus groups.

    Complaints are dated between signup and two weeks after the last
    purchase (capped 60 days before the end, so resolutions fall inside the
    window). Other contacts are spread over the customer's time with us.
    ``resolved`` is drawn for complaints only; other contacts count as
    resolved and ``days_to_resolve`` is then the time to answer them.
    """
    n = len(customers)
    c = complaints["customer"].to_numpy()
    complaint_day = _uniform_day(
        rng, signup_day[c], np.minimum(last_purchase_day[c] + 14, _HORIZON_DAYS - 60)
    )
    other_channels = {
        "complaint box": 0.05, "suggestion coupon": 0.20, "toll-free line": 0.20,
        "e-mail": 0.30, "personal attention": 0.20, "letter": 0.05,
    }
    o = np.repeat(np.arange(n), rng.poisson(0.3, n))
    other_day = _uniform_day(
        rng, signup_day[o], np.minimum(last_purchase_day[o] + 60, _HORIZON_DAYS - 60)
    )
    focus = _focus_group_sessions(rng, signup_day, max(2, round(n / 400)))
    f = focus["customer"].to_numpy()

    contacts = pd.DataFrame(
        {
            "customer": np.concatenate([c, o, f]),
            "day": np.concatenate([complaint_day, other_day, focus["day"].to_numpy()]),
            "channel": np.concatenate(
                [complaints["channel"].to_numpy(), _pick(rng, other_channels, len(o)),
                 np.full(len(f), "focus group", dtype=object)]
            ),
            "contact_type": np.concatenate(
                [np.full(len(c), "complaint", dtype=object),
                 _contact_types(rng, satisfaction[o]), _contact_types(rng, satisfaction[f])]
            ),
            "resolved": np.concatenate(
                [complaints["resolved"].to_numpy(), np.ones(len(o) + len(f), dtype=bool)]
            ),
        }
    )
    mean_days = contacts["channel"].map({k: v[2] for k, v in _VOC_CHANNEL_PROFILE.items()})
    days = rng.poisson(mean_days.to_numpy(dtype=float))
    contacts["days_to_resolve"] = pd.array(days, dtype="Int64")
    contacts.loc[~contacts["resolved"], "days_to_resolve"] = pd.NA
    contacts["customer_id"] = customers["customer_id"].to_numpy()[contacts["customer"]]
    contacts = contacts.sort_values(["day", "customer_id", "channel"], kind="stable")
    return pd.DataFrame(
        {
            "contact_id": [f"V{i:05d}" for i in range(1, len(contacts) + 1)],
            "customer_id": contacts["customer_id"].to_numpy(),
            "date": _day(contacts["day"].to_numpy()),
            "channel": contacts["channel"].to_numpy(),
            "contact_type": contacts["contact_type"].to_numpy(),
            "resolved": contacts["resolved"].to_numpy(),
            "days_to_resolve": contacts["days_to_resolve"].array,
        }
    )


# ---------------------------------------------------------------------------
# Loyalty-program pilot (a separate panel with a known effect)
# ---------------------------------------------------------------------------


def _revenue(rng: np.random.Generator, orders: np.ndarray, spend_rate: np.ndarray) -> np.ndarray:
    """Sum of ``orders`` gamma-gamma order values = Gamma(p * orders, rate nu)."""
    shape = GAMMA_GAMMA_TRUTH["p"] * orders
    total = rng.gamma(np.where(orders > 0, shape, 1.0), 1.0 / spend_rate)
    return np.round(np.where(orders > 0, total, 0.0), 2)


def _build_loyalty_pilot(
    rng: np.random.Generator, members_per_design: int
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Pre and post orders and revenue of pilot members, under two designs.

    Everyone's weekly rate is multiplied by ``time_trend`` in the post period
    (the second half of the year sells more); treated members' post rate is
    further multiplied by ``1 + true_effect_relative``. In the randomized
    design a coin decides treatment. In the self-selected design the chance
    of enrolling is a steep logistic function of the member's own rate, so
    heavy buyers enrol: comparing post-period means overstates the effect,
    while difference-in-differences removes most of that bias.

    Returns
    -------
    panel : pandas.DataFrame
        One row per member and period.
    truth : dict
        Expected extra orders and revenue per treated member, by design.
    """
    t = PILOT_TRUTH
    weeks, trend, effect = t["weeks_per_period"], t["time_trend"], t["true_effect_relative"]
    typical_rate = t["rate_shape"] / t["rate_rate"]
    frames, truth = [], {}
    for number, design in enumerate(("randomized", "self_selected")):
        n = members_per_design
        rate = rng.gamma(t["rate_shape"], 1.0 / t["rate_rate"], n)
        spend_rate = rng.gamma(GAMMA_GAMMA_TRUTH["q"], 1.0 / GAMMA_GAMMA_TRUTH["gamma"], n)
        if design == "randomized":
            treated = rng.random(n) < 0.5
        else:
            steep = t["self_selection_steepness"]
            enrol = 1.0 / (1.0 + np.exp(-steep * np.log(rate / typical_rate)))
            treated = rng.random(n) < enrol
        pre = rng.poisson(rate * weeks)
        post = rng.poisson(rate * weeks * trend * (1.0 + effect * treated))
        ids = [f"M{number * n + i:05d}" for i in range(1, n + 1)]
        frames.append(
            pd.DataFrame(
                {
                    "member_id": np.repeat(ids, 2),
                    "design": design,
                    "group": np.repeat(np.where(treated, "treatment", "control"), 2),
                    "period": np.tile(["pre", "post"], n),
                    "orders": np.column_stack([pre, post]).ravel(),
                    "revenue": np.column_stack(
                        [_revenue(rng, pre, spend_rate), _revenue(rng, post, spend_rate)]
                    ).ravel(),
                }
            )
        )
        extra_orders = effect * trend * weeks * rate[treated]
        mean_order = GAMMA_GAMMA_TRUTH["p"] / spend_rate[treated]
        truth[design] = {
            "members": n,
            "treated": int(treated.sum()),
            "expected_extra_orders_per_treated_member": float(extra_orders.mean()),
            "expected_extra_revenue_per_treated_member": float((extra_orders * mean_order).mean()),
        }
    gg = GAMMA_GAMMA_TRUTH
    population_extra = effect * trend * weeks * typical_rate
    truth["population"] = {
        "expected_extra_orders_per_treated_member": population_extra,
        "expected_extra_revenue_per_treated_member": population_extra
        * gg["p"] * gg["gamma"] / (gg["q"] - 1),
    }
    panel = pd.concat(frames, ignore_index=True)
    panel["orders"] = panel["orders"].astype("int64")
    return panel, truth


# ---------------------------------------------------------------------------
# The raw export: every clean line, Excel-style, plus injected defects
# ---------------------------------------------------------------------------

_RAW_DATE_FORMATS = {
    "dd/mm/yyyy HH:MM": ("%d/%m/%Y %H:%M", 0.85),
    "yyyy-mm-dd HH:MM:SS": ("%Y-%m-%d %H:%M:%S", 0.10),
    "dd/mm/yyyy": ("%d/%m/%Y", 0.05),
}


def _render_raw_rows(
    rng: np.random.Generator, transactions: pd.DataFrame, customers: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Clean lines as the point-of-sale export writes them (one date format per order)."""
    by_id = customers.set_index("customer_id")
    order_codes, order_index = np.unique(transactions["order_id"].to_numpy(), return_inverse=True)
    shares = np.array([v[1] for v in _RAW_DATE_FORMATS.values()])
    format_of_line = rng.choice(len(shares), len(order_codes), p=shares)[order_index]
    fecha = np.empty(len(transactions), dtype=object)
    for code, (strftime, _) in enumerate(_RAW_DATE_FORMATS.values()):
        rows = format_of_line == code
        fecha[rows] = transactions["timestamp"][rows].dt.strftime(strftime).to_numpy()
    cid = transactions["customer_id"]
    raw = pd.DataFrame(
        {
            "Pedido": transactions["order_id"].to_numpy(),
            "Cliente": cid.to_numpy(),
            "Nombre": cid.map(by_id["name"]).to_numpy(),
            "Correo": cid.map(by_id["email"]).to_numpy(),
            " Teléfono ": cid.map(by_id["phone"]).to_numpy(),
            "Fecha": fecha,
            "Categoría": transactions["category"].to_numpy(),
            "Cantidad": transactions["quantity"].astype(str).to_numpy(),
            " Importe ": _format_mxn(transactions["amount"].to_numpy()),
            "Margen": _format_mxn(transactions["margin"].to_numpy()),
            "Días de atraso": transactions["days_late"].astype(str).to_numpy(),
        },
        dtype=object,
    )
    counts = {
        label: int((format_of_line == code).sum())
        for code, label in enumerate(_RAW_DATE_FORMATS)
    }
    return raw, counts


def _identity_variants(
    rng: np.random.Generator, raw: pd.DataFrame, n_customers: int
) -> tuple[np.ndarray, dict[str, str]]:
    """Re-export some lines of ~3% of customers under a second, legacy id.

    Those rows carry the same person with a different id and sloppier
    contact data: upper case or accent-free name, upper case or padded
    e-mail, phone with country code, without spaces or with parentheses.
    Every chosen customer keeps at least one line under the true id.

    Returns
    -------
    is_variant : numpy.ndarray
        Boolean mask of the raw rows that now carry a variant id.
    raw_to_true : dict
        Variant raw id -> true customer id.
    """
    lines_per_customer = raw["Cliente"].value_counts()
    eligible = np.sort(lines_per_customer.index[lines_per_customer >= 2].to_numpy())
    chosen = rng.choice(eligible, min(len(eligible), max(3, round(0.03 * n_customers))),
                        replace=False)
    numbers = rng.choice(10**5, len(chosen), replace=False)
    is_variant = np.zeros(len(raw), dtype=bool)
    raw_to_true = {}
    for true_id, number in zip(np.sort(chosen), numbers, strict=True):
        raw_id = f"C9{number:05d}" if number % 2 else f"LEG-{number:05d}"
        raw_to_true[raw_id] = true_id
        rows = np.flatnonzero(raw["Cliente"].to_numpy() == true_id)
        moved = rng.random(len(rows)) < 0.5
        moved[rng.integers(len(rows))] = True  # at least one line under the variant id
        moved[rng.integers(len(rows))] = False  # ... and at least one under the true id
        if not moved.any():
            moved[0 if rows.size == 1 else 1] = True
        target = rows[moved]
        is_variant[target] = True
        first = target[0]
        name, email, phone = (raw.at[first, c] for c in ("Nombre", "Correo", " Teléfono "))
        digits = phone.replace(" ", "")
        raw.loc[target, "Cliente"] = raw_id
        raw.loc[target, "Nombre"] = (name.upper(), _fold_accents(name))[rng.integers(2)]
        raw.loc[target, "Correo"] = (email.upper(), f"  {email} ", f" {email.upper()}")[
            rng.integers(3)
        ]
        raw.loc[target, " Teléfono "] = (
            f"+52 {phone}", digits, f"({digits[:2]}) {digits[2:6]}-{digits[6:]}"
        )[rng.integers(3)]
    return is_variant, raw_to_true


def _inject_defects(
    rng: np.random.Generator, raw: pd.DataFrame, candidates: np.ndarray, scale: float
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Corrupted copies of clean lines, exactly one defect per injected row.

    Each kind gets its own template lines (never shared), so no two injected
    rows coincide and every injected row is dropped for exactly its reason
    when a reader checks :data:`LEDGER_REASONS` in order.
    """
    counts = {reason: max(2, round(int(rng.integers(20, 81)) * scale)) for reason in LEDGER_REASONS}
    templates = rng.choice(candidates, sum(counts.values()), replace=False)
    pieces, start = [], 0
    for reason, count in counts.items():
        rows = raw.loc[templates[start:start + count]].copy()
        start += count
        if reason == "missing customer_id":
            rows["Cliente"] = ""
        elif reason == "test customer":
            tester = np.arange(count) % 5 + 1
            rows["Pedido"] = [f"O9{k:06d}" for k in range(1, count + 1)]
            rows["Cliente"] = [f"TEST-{k:03d}" for k in tester]
            rows["Nombre"] = "Prueba Sistema"
            rows["Correo"] = [f"prueba{k}@tiendarelmark.mx" for k in tester]
            rows[" Teléfono "] = "55 0000 0000"
        elif reason == "missing date":
            rows["Fecha"] = ""
        elif reason == "unparseable date":
            rows["Fecha"] = rng.choice(_UNPARSEABLE_DATES, count)
        elif reason == "after observation end":
            rows["Fecha"] = [_year_2031(text) for text in rows["Fecha"]]
        elif reason == "missing amount":
            rows[" Importe "] = ""
        elif reason == "non-numeric amount":
            rows[" Importe "] = rng.choice(_NON_NUMERIC_AMOUNTS, count)
        elif reason == "zero amount":
            rows[" Importe "] = "$0,00"
            rows["Margen"] = "$0,00"
        pieces.append(rows)  # "exact duplicate": the clean line verbatim
    return pd.concat(pieces, ignore_index=True), counts


def _year_2031(fecha: str) -> str:
    """Same day and time in 2031, as the export's main format (29 Feb becomes 28 Feb)."""
    for strftime, _ in _RAW_DATE_FORMATS.values():
        try:
            moment = pd.to_datetime(fecha, format=strftime)
            break
        except ValueError:
            continue
    day = min(moment.day, 28) if moment.month == 2 else moment.day
    return moment.replace(year=2031, day=day).strftime("%d/%m/%Y %H:%M")


def _build_raw_export(
    rng: np.random.Generator, transactions: pd.DataFrame, customers: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """The raw export, the identity map and the export's truth (defects and ledger)."""
    raw, date_formats = _render_raw_rows(rng, transactions, customers)
    is_variant, raw_to_true = _identity_variants(rng, raw, len(customers))

    # Missing contact data on otherwise valid rows: a nuisance, not a reason to drop.
    plain = np.flatnonzero(~is_variant)
    no_email = rng.choice(plain, round(0.015 * len(raw)), replace=False)
    no_phone = rng.choice(plain, round(0.02 * len(raw)), replace=False)
    raw.loc[no_email, "Correo"] = ""
    raw.loc[no_phone, " Teléfono "] = ""

    candidates = np.flatnonzero(~is_variant & (transactions["amount"].to_numpy() > 0))
    injected, defects = _inject_defects(rng, raw, candidates, len(customers) / 5000)
    # Injected rows land at random places among the clean lines, which keep their order.
    position = np.concatenate([np.arange(len(raw)), rng.random(len(injected)) * len(raw)])
    export = pd.concat([raw, injected], ignore_index=True)
    export = export.iloc[np.argsort(position, kind="stable")].reset_index(drop=True)
    if int(export.duplicated().sum()) != defects["exact duplicate"]:
        raise RuntimeError("the raw export has duplicates beyond the injected ones")

    true_ids = customers["customer_id"]
    seen = export["Cliente"]
    identity = pd.concat(
        [
            pd.DataFrame({"raw_customer_id": true_ids[true_ids.isin(seen)].to_numpy(),
                          "customer_id": true_ids[true_ids.isin(seen)].to_numpy()}),
            pd.DataFrame({"raw_customer_id": list(raw_to_true),
                          "customer_id": list(raw_to_true.values())}),
        ]
    ).sort_values("raw_customer_id", ignore_index=True)

    truth = {
        "defects": defects,
        "identity_variants": {"customers": len(raw_to_true), "rows": int(is_variant.sum())},
        "rows_missing_email": len(no_email),
        "rows_missing_phone": len(no_phone),
        "date_formats_of_clean_rows": date_formats,
        "encoding": "utf-8-sig",
        "delimiter": ";",
        "decimal": ",",
        "thousands": ".",
        "expected_ledger": {
            "rows_in": len(export),
            "rows_kept": len(transactions),
            "dropped": {reason: defects[reason] for reason in LEDGER_REASONS},
            "observation_end": OBSERVATION_END,
            "test_customer_pattern": "^TEST",
        },
    }
    return export, identity, truth


# ---------------------------------------------------------------------------
# Putting it together
# ---------------------------------------------------------------------------


def _check_arguments(seed: int, n_customers: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise DataError(f"seed must be a non-negative integer, got {seed!r}.")
    if (
        isinstance(n_customers, bool)
        or not isinstance(n_customers, int | np.integer)
        or not 200 <= n_customers <= 99_999
    ):
        raise DataError(
            f"n_customers must be an integer from 200 to 99999 (ids have five digits), "
            f"got {n_customers!r}."
        )


def simulate(
    seed: int = DEFAULT_SEED, n_customers: int = DEFAULT_N_CUSTOMERS
) -> SyntheticRetailer:
    """Simulate the retailer's tables and the truth behind them.

    The generative processes are described in the module docstring. Dropout
    is linked to dissatisfaction by ranks: customers are ordered by the churn
    score ``-w1*s + w2*[unresolved complaint] + noise`` and receive the
    Beta(a, b) quantiles at their rank midpoints, so dissatisfied customers
    leave sooner while the dropout probabilities keep the Beta(a, b) marginal
    that a BG/NBD fit estimates. The purchase rate is independent of this.

    Parameters
    ----------
    seed : int, default 20261125
        Seed of ``numpy.random.default_rng``; same seed, same tables.
    n_customers : int, default 5000
        Number of customers (200 to 99999). Leads, survey, pilot members and
        injected defects scale with it.

    Returns
    -------
    SyntheticRetailer
        The tables and ``truth``.

    Raises
    ------
    DataError
        If ``seed`` or ``n_customers`` is not usable.

    Examples
    --------
    >>> retailer = simulate(seed=1, n_customers=300)
    >>> bool(retailer.transactions["customer_id"].isin(retailer.customers["customer_id"]).all())
    True
    >>> retailer.truth["raw_export"]["expected_ledger"]["rows_kept"] == len(
    ...     retailer.transactions)
    True
    """
    _check_arguments(seed, n_customers)
    streams = dict(zip(_STREAMS, np.random.default_rng(seed).spawn(len(_STREAMS)), strict=True))
    n = int(n_customers)
    n_leads = round(0.4 * n)

    # Who the customers (and leads) are.
    regions = _pick(streams["customers"], _REGIONS, n + n_leads)
    people = _draw_people(streams["customers"], regions)
    signup_day = _draw_signup_days(streams["customers"], n)
    customers = _build_customers(streams["customers"], people.iloc[:n], signup_day, regions[:n])
    leads = _build_leads(streams["leads"], people.iloc[n:].reset_index(drop=True), regions[n:])

    # Latent traits: satisfaction -> complaints -> dropout; rate and spend independent.
    satisfaction = streams["satisfaction"].normal(size=n)
    complaints = _draw_complaints(streams["satisfaction"], satisfaction)
    unresolved = np.bincount(complaints["customer"][~complaints["resolved"]], minlength=n)
    dropout_p, churn_score = _dropout_probabilities(
        streams["satisfaction"], satisfaction, unresolved > 0
    )
    bg = BGNBD_TRUTH
    rate = streams["purchases"].gamma(bg["r"], 1.0 / bg["alpha"], n)
    gg = GAMMA_GAMMA_TRUTH
    spend_rate = streams["spend"].gamma(gg["q"], 1.0 / gg["gamma"], n)

    # Purchases, in weeks since the first purchase; the horizon ends on 2025-12-31.
    horizon_weeks = (_HORIZON_DAYS + 1 - signup_day) / 7.0
    repeat_customer, repeat_weeks, alive = _simulate_repeat_purchases(
        streams["purchases"], rate, dropout_p, horizon_weeks
    )
    transactions = _build_transactions(
        streams, customers, signup_day, repeat_customer, repeat_weeks, spend_rate
    )
    last_purchase_day = signup_day.copy()
    np.maximum.at(
        last_purchase_day, repeat_customer, signup_day[repeat_customer]
        + np.floor(7 * repeat_weeks).astype("int64")
    )
    last_active_day = np.where(alive, _HORIZON_DAYS, last_purchase_day)

    survey = _build_survey(streams["survey"], customers, satisfaction, signup_day, last_active_day)
    voice = _build_voice_of_customer(
        streams["voc"], customers, complaints, satisfaction, signup_day, last_purchase_day
    )
    members = max(100, round(PILOT_TRUTH["members_per_design_per_5000_customers"] * n / 5000))
    pilot, pilot_truth = _build_loyalty_pilot(streams["pilot"], members)
    raw, identity_map, raw_truth = _build_raw_export(streams["raw"], transactions, customers)

    customer_truth = pd.DataFrame(
        {
            "customer_id": customers["customer_id"],
            "purchase_rate_weekly": rate,
            "dropout_probability": dropout_p,
            "spend_rate_nu": spend_rate,
            "expected_order_value": gg["p"] / spend_rate,
            "satisfaction_latent": satisfaction,
            "churn_score": churn_score,
            "complaints": np.bincount(complaints["customer"], minlength=n),
            "unresolved_complaints": unresolved,
            "repeat_purchases": np.bincount(repeat_customer, minlength=n),
            "alive_at_end": alive,
        }
    )
    retailer_tables = {
        "customers": customers, "transactions": transactions, "leads": leads,
        "survey": survey, "voice_of_customer": voice, "loyalty_pilot": pilot,
        "identity_map": identity_map, "transactions_raw": raw,
        "customer_truth": customer_truth,
    }
    truth = {
        "seed": int(seed),
        "n_customers": n,
        "currency": "MXN",
        "observation_start": OBSERVATION_START,
        "observation_end": OBSERVATION_END,
        "signup_end": SIGNUP_END,
        "time_unit": "W",
        "bgnbd": dict(bg),
        "gamma_gamma": dict(gg),
        "mean_order_value": gg["p"] * gg["gamma"] / (gg["q"] - 1),
        "dropout_link": {
            **DROPOUT_LINK,
            "method": "p_i = scipy.stats.beta.ppf((rank(churn_score) - 0.5) / N, a, b)",
            "complaint_rate": "0.12 * exp(-0.9 * s) complaints per customer lifetime",
        },
        "category_margin_rates": dict(CATEGORY_MARGIN_RATES),
        "acquisition_cost_mean": {k: v[1] for k, v in _ACQUISITION.items()},
        "complaint_resolution_probability": {
            k: v[1] for k, v in _VOC_CHANNEL_PROFILE.items() if v[0] > 0
        },
        "loyalty_pilot": {**PILOT_TRUTH, **pilot_truth},
        "raw_export": raw_truth,
        "alive_at_end": int(alive.sum()),
        "returns": int((transactions["amount"] < 0).sum()),
        "counts": {name: len(table) for name, table in retailer_tables.items()},
    }
    return SyntheticRetailer(**retailer_tables, truth=_plain(truth))


def _csv_text(table: pd.DataFrame, decimals: int) -> str:
    """A clean table as CSV text: ISO dates, fixed decimals, ``\\n`` line ends."""
    table = table.copy()
    for column in table.columns:
        if pd.api.types.is_datetime64_any_dtype(table[column]):
            fmt = "%Y-%m-%d %H:%M:%S" if column == "timestamp" else "%Y-%m-%d"
            table[column] = table[column].dt.strftime(fmt)
    return table.to_csv(index=False, lineterminator="\n", float_format=f"%.{decimals}f")


def _excel_csv_bytes(table: pd.DataFrame) -> bytes:
    """Spanish-locale Excel "CSV UTF-8": byte-order mark, ``;`` between cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.itertuples(index=False, name=None))
    return buffer.getvalue().encode("utf-8-sig")


def write_datasets(
    directory: str | os.PathLike,
    seed: int = DEFAULT_SEED,
    n_customers: int = DEFAULT_N_CUSTOMERS,
) -> list[Path]:
    """Simulate and write every table as CSV plus ``truth.json``.

    Output is byte-identical for the same arguments: clean tables are UTF-8
    with ``\\n`` line ends and fixed decimals (2, or 6 in ``customer_truth``);
    ``transactions_raw.csv`` is written like a Spanish-locale Excel export
    (BOM, ``;``, ``$1.234,50``); ``truth.json`` has sorted keys and indent 2.

    Parameters
    ----------
    directory : path
        Folder to write into; created if missing. Existing files of the same
        names are overwritten, other files are left alone.
    seed : int, default 20261125
    n_customers : int, default 5000

    Returns
    -------
    list of pathlib.Path
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in write_datasets(folder, n_customers=300)][-1]
    'truth.json'
    """
    retailer = simulate(seed=seed, n_customers=n_customers)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in retailer.tables().items():
        path = folder / f"{name}.csv"
        if name == "transactions_raw":
            path.write_bytes(_excel_csv_bytes(table))
        else:
            decimals = 6 if name == "customer_truth" else 2
            path.write_bytes(_csv_text(table, decimals).encode("utf-8"))
        paths.append(path)
    truth_path = folder / "truth.json"
    text = json.dumps(retailer.truth, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    truth_path.write_bytes(text.encode("utf-8"))
    paths.append(truth_path)
    return paths
