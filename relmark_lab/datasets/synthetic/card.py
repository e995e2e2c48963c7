"""The data card: the ``README.md`` written with a data set, every figure computed.

:func:`data_card` fills the prose of ``datasets/README.md`` with figures from the
tables, the truth (``truth.json``) and the bytes written. Generator settings that
``truth.json`` does not record (lines per order, lateness...) stay in the prose.
The per-file sections and lesson 06's figures live in :mod:`.card_tables`.
"""

# The template's Markdown table rows and filled-in formulas are long lines.
# ruff: noqa: E501

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from relmark_lab.datasets.synthetic._common import DEFAULT_N_CUSTOMERS, DEFAULT_SEED
from relmark_lab.datasets.synthetic.card_tables import _PROGRAM_STEPS, _TABLES, _program_figures

if TYPE_CHECKING:
    from relmark_lab.datasets.synthetic.retailer import SyntheticRetailer

__all__ = ["CARD_TITLE", "data_card"]

#: The first line of every data card (how a folder's README.md is known to be one).
CARD_TITLE = "# Data card: Tienda Relmark (synthetic)"
#: The card's prose; ``{field}`` marks a figure that :func:`data_card` computes.
_TEMPLATE = r"""# Data card: Tienda Relmark (synthetic)

*Tienda Relmark* is a **fictional** multi-category retailer in Mexico. Every
file in this folder was simulated by `relmark_lab.datasets.synthetic` from
explicit generative processes, with seed `{seed}` and {customers} customers.
No real person, company or transaction is in it; names, e-mails and phone
numbers are invented combinations. Amounts are in Mexican pesos (**MXN**). The
observation window runs from **{start} to {end} inclusive** (the whole
last day counts). Because the data are simulated, the true parameters are known
(`truth.json`, `customer_truth.csv`). Lessons can check what an estimator
recovers against them.

## Regenerate

```bash
{command}
```

or, from Python, `write_datasets("datasets", seed={seed}, n_customers={n})`.
The output is byte-for-byte identical on every run. Clean CSVs are UTF-8 with
`\n` line ends and a fixed number of decimals. `truth.json` has sorted keys.
Another seed or size gives a different but equally documented data set
(`n_customers` from 200 to 99,999; leads, survey, defects, the pilot and the two
experiments scale with it, the last three with a floor; there are always 40 stores). `simulate()` takes about 2 s.

## Files

| File | Rows | Size | What it holds |
|---|---:|---:|---|
| `customers.csv` | {rows[customers]} | {size[customers.csv]} | customer master |
| `transactions.csv` | {rows[transactions]} | {size[transactions.csv]} | clean order lines, returns included |
| `leads.csv` | {rows[leads]} | {size[leads.csv]} | prospects who never bought |
| `survey.csv` | {rows[survey]} | {size[survey.csv]} | one survey answer from {survey_share} of customers |
| `voice_of_customer.csv` | {rows[voice_of_customer]} | {size[voice_of_customer.csv]} | contacts through seven channels |
| `pilot_members.csv` | {rows[pilot_members]} | {size[pilot_members.csv]} | loyalty pilot members, three designs |
| `loyalty_pilot.csv` | {rows[loyalty_pilot]} | {size[loyalty_pilot.csv]} | the pilot's monthly panel ({pg[members_total]} members x {pg[n_months]} months) |
| `complaint_recovery.csv` | {rows[complaint_recovery]} | {size[complaint_recovery.csv]} | complainers randomized to a call-back |
| `follow_up.csv` | {rows[follow_up]} | {size[follow_up.csv]} | orders randomized to a follow-up contact |
| `stores.csv` | {rows[stores]} | {size[stores.csv]} | stores along a service-profit chain |
| `identity_map.csv` | {rows[identity_map]} | {size[identity_map.csv]} | raw export id → true customer id |
| `transactions_raw.csv` | {rows[transactions_raw]} | {size[transactions_raw.csv]} | the raw Excel export, with defects |
| `customer_truth.csv` | {rows[customer_truth]} | {size[customer_truth.csv]} | per-customer latent truth (not observable in practice) |
| `truth.json` | – | {size[truth.json]} | true parameters, defect counts, expected ledger |

Ids are text with leading zeros: `C00001` (customer), `O0000001` (order),
`L00001` (lead), `V00001` (contact), `M00001` (pilot member), `K00001`
(complaint of the recovery test), `F000001` (order of the follow-up test),
`S01` (store). Read them as strings (`dtype=str`) so the zeros stay.

""" + _TABLES + "\n" + r"""## How it was generated

Each process draws from its own child stream of
`numpy.random.default_rng(seed)`.

1. **Signups.** First-purchase days are spread over {start} … {signup_end}. The
   density rises linearly, so the last day is 1.6 times as likely as the first.
   Region, channel and payment terms are drawn independently.
2. **Satisfaction and complaints.** Latent `s ~ N(0, 1)`. The lifetime number of
   complaints is Poisson with mean `{complaint_rate}`. Each complaint's channel is
   drawn independently of `s`, and the channel's probability decides whether it
   is resolved.
3. **Dropout linked to dissatisfaction, with an exact Beta marginal.** The churn
   score is `c = -{link[satisfaction_weight]}·s + {link[unresolved_complaint_weight]}·[has an unresolved complaint] + N(0, {link[noise_sd]}²)`. Then
   `u_i = (rank(c_i) - 0.5)/N` and `p_i = scipy.stats.beta.ppf(u_i, a, b)`. The
   score decides who leaves sooner, while the {customers} values of `p` are exactly the
   Beta(a, b) quantiles. A BG/NBD fit can therefore still recover `a` and `b`.
   Customers answering satisfaction ≤ 2 have a mean p of about {p_unhappy}. Those
   answering ≥ 4 have about {p_happy}.
4. **Purchases: BG/NBD in weeks.** The rate is `λ_i ~ Gamma(shape r = {bg[r]}, rate
   α = {bg[alpha]})` (mean {rate_mean} per week), independent of s and p. After the first
   purchase, repeat purchases follow a Poisson process with rate λ_i. After each
   *repeat* purchase the customer leaves for good with probability p_i, with
   `p ~ Beta(a = {bg[a]}, b = {bg[b]})` and mean {p_mean}. The simulation is censored at
   {end}. A purchase at week t falls on the signup day plus ⌊7t⌋ days, at a
   random store hour. Several purchases can fall on the same day.
5. **Spend: gamma-gamma (Fader–Hardie).** `ν_i ~ Gamma(shape q = {gg[q]}, rate
   γ = {gg[gamma]})` and the order value is `z ~ Gamma(shape p = {gg[p]}, rate ν_i)`. The mean
   order is p·γ/(q−1) = {mean_order} MXN. Spend is independent of the purchase process.
   The number of lines per order is 1/2/3 with probability 0.65/0.25/0.10, in
   distinct categories drawn from the customer's Dirichlet category preference.
   The order value is split over the lines by Dirichlet shares. Quantity comes
   from a typical unit price per category.
6. **Margins.** Category rates are Electrónica {margin[Electrónica]}, Hogar {margin[Hogar]}, Moda {margin[Moda]},
   Alimentos {margin[Alimentos]}, Deportes {margin[Deportes]}, Belleza {margin[Belleza]} and Juguetes {margin[Juguetes]}. Each line varies
   by N(0, 0.02).
7. **Returns.** A line is returned whole with a category probability from 1%
   (Alimentos) to 6% (Moda). The return comes 1–30 days later and only if that
   day is still inside the window. It has its own order id and negative quantity,
   amount and margin.
8. **Late payment.** *Contado* customers always pay on time. Credit customers
   have a lateness propensity from Beta(1.2, 8) for 30 días or Beta(1.5, 6) for
   60 días. A late order is 1 + Poisson(8) days late for 30 días and
   1 + Poisson(14) days late for 60 días. About {late_share} of lines are late.
""" + _PROGRAM_STEPS + r"""11. **Survey, voice of the customer, leads:** as described in the tables above.
12. **Loyalty connectors (Reichheld).** Each is a function of tenure τ in years (days
   since signup / 365.25). A *referido* customer's referrer is drawn among the customers
   who signed up earlier and are still active that day (last purchase, or alive), with
   weight `{lc[referral_weight][intercept]} + {lc[referral_weight][per_year]}·τ` (the referrer's tenure). A purchase line is discounted with
   probability `{lc[discount_probability][at_signup]}·{lc[discount_probability][yearly_factor]}^τ` by d ~ U({lc[discount_depth][low]}, {lc[discount_depth][high]}) of its list price, so
   discount = amount·d/(1−d): {discounted} of purchase lines are discounted. Serving a purchase line costs
   `{lc[cost_to_serve][at_signup]}·{lc[cost_to_serve][yearly_factor]}^τ` MXN times LogNormal(−σ²/2, σ = {lc[cost_to_serve][noise_sigma]}) (mean one), at least 0.01.
   These columns come last and from their own streams; amounts, margins and every other
   value are as without them. `truth.json → loyalty_connectors` holds the parameters.

## The raw export: `transactions_raw.csv`

This is what the point-of-sale system gives you: a Spanish-locale Excel
"CSV UTF-8". It is UTF-8 **with BOM**, uses the delimiter `;`, and writes amounts
as `$1.234,50` and `-$45,00` (decimal comma, thousands dot). Lines end with `\n`.
The header has stray spaces:

```
{header}
```

The file contains **every line of `transactions.csv`** (same amounts and margins)
plus injected rows. Each injected row has exactly one defect. The date format is
chosen per order: `dd/mm/yyyy HH:MM` ({formats[dd/mm/yyyy HH:MM]} clean lines),
`yyyy-mm-dd HH:MM:SS` ({formats[yyyy-mm-dd HH:MM:SS]}) and `dd/mm/yyyy` without time ({formats[dd/mm/yyyy]}).

Defects (counts for {which} data; always see `truth.json → raw_export`):

| Injected defect | Rows | What it looks like |
|---|---:|---|
| exact duplicate | {defects[exact duplicate]} | a clean line repeated verbatim |
| missing customer_id | {defects[missing customer_id]} | empty `Cliente` (the name is still there) |
| test customer | {defects[test customer]} | `Cliente` `{testers[0]}`…`{testers[1]}`, name "Prueba Sistema", `prueba…@tiendarelmark.mx`, order ids `O9…` |
| missing date | {defects[missing date]} | empty `Fecha` |
| unparseable date | {defects[unparseable date]} | `31/02/2025`, `30/02/2024 14:05`, `sin fecha`, `32/01/2025`, `00/00/0000` |
| after observation end | {defects[after observation end]} | the same day and time in 2031 |
| missing amount | {defects[missing amount]} | empty `Importe` |
| non-numeric amount | {defects[non-numeric amount]} | `N/D`, `error`, `#¡VALOR!`, `pendiente`, `sin dato` |
| zero amount | {defects[zero amount]} | `$0,00` (margin `$0,00` too) |

Other problems do **not** make a row invalid:

- **One person, several ids.** {variants[customers]} customers have some of their lines ({variants[rows]} rows)
  exported under a second, legacy id (`C9xxxxx` or `LEG-xxxxx`). Those rows also
  have a variant name (upper case or without accents), a variant e-mail (upper
  case and/or surrounding spaces) and a variant phone (`+52 55 1234 5678`,
  `5512345678` or `(55) 1234-5678`). Each such customer keeps at least one line
  under the true id. `identity_map.csv` is the answer key.
- {no_email} valid rows have an empty `Correo` and {no_phone} have an empty ` Teléfono `.

**Expected ledger** when the file is read with `observation_end="{ledger[observation_end]}"` and
test pattern `{ledger[test_customer_pattern]}`, checking the reasons in the order of the table above (the
first match wins; the first copy of a duplicate is kept):
rows_in {ledger[rows_in]}, rows_kept {ledger[rows_kept]} (= the clean lines, identity-variant rows
included). The dropped rows are exactly the counts in the defect table.

## Known simplifications

- Acquisition channel, region and payment terms do not change λ, p or ν. The
  only behavioural link is satisfaction/complaints → dropout. Referrals, discounts
  and cost to serve change no purchase.
- A purchase time in weeks is rounded down to a calendar day and given a random
  store hour. Two orders of one customer can share a day.
- Returns are whole lines. Complaints are dated between signup and two weeks
  after the last purchase, and at most 60 days before the end of the window.
- The pilot's members, the two experiments and the stores are separate populations
  with their own ids; none of them changes `customers.csv` or `transactions.csv`. In
  the pilot, region, tenure, satisfaction and last year's orders change no purchase:
  they only drive who enrols in the self-selected design.
"""


def _size(n_bytes: int) -> str:
    """A file size as the card prints it: ``3 KB``, ``0.58 MB``, ``2.8 MB``."""
    if n_bytes < 10_000:  # truth.json, and the smallest CSVs of a small data set
        return f"{n_bytes / 1e3:.0f} KB"
    return f"{n_bytes / 1e6:.2f} MB" if n_bytes < 1_000_000 else f"{n_bytes / 1e6:.1f} MB"


def _counts(counts: Mapping[str, Any]) -> dict[str, Any]:
    """Whole numbers with thousands separators (``45,833``); other values unchanged."""
    return {k: f"{v:,}" if isinstance(v, int) else v for k, v in counts.items()}


def _observed(retailer: SyntheticRetailer, test_pattern: str) -> dict[str, Any]:
    """Figures read off the tables themselves; they change with the seed and the size."""
    lines, contacts = retailer.transactions, retailer.voice_of_customer
    survey = retailer.survey
    lines_per_order = lines[lines["amount"] > 0].groupby("order_id").size()
    sessions = contacts[contacts["channel"] == "focus group"].groupby("date").size()
    truth_of = retailer.customer_truth.set_index("customer_id")["dropout_probability"]
    dropout = survey["customer_id"].map(truth_of)
    same_id = retailer.identity_map.eval("raw_customer_id == customer_id")
    raw_ids = retailer.transactions_raw["Cliente"]
    testers = sorted(raw_ids[raw_ids.str.contains(test_pattern)].unique())
    return {
        "rows": _counts({name: len(table) for name, table in retailer.tables().items()}),
        "survey_share": f"{len(survey) / len(retailer.customers):.0%}",
        "orders": f"{len(lines_per_order):,}",
        "lines_min": lines_per_order.min(), "lines_max": lines_per_order.max(),
        "returns": f"{(lines['amount'] < 0).sum():,}",
        "hours": "{}:00–{}:59".format(*lines["timestamp"].dt.hour.agg(["min", "max"])),
        "complaints": f"{(contacts['contact_type'] == 'complaint').sum():,}",
        "sessions": len(sessions),
        "session_sizes": "–".join(str(k) for k in sorted({sessions.min(), sessions.max()})),
        "identity_rows": f"{same_id.sum():,}", "variant_ids": f"{(~same_id).sum():,}",
        "alive": f"{retailer.customer_truth['alive_at_end'].sum():,}",
        "p_unhappy": f"{dropout[survey['satisfaction'] <= 2].mean():.2f}",
        "p_happy": f"{dropout[survey['satisfaction'] >= 4].mean():.2f}",
        "late_share": f"{(lines['days_late'] > 0).mean():.0%}",
        "discounted": f"{(lines.loc[lines['amount'] > 0, 'discount'] > 0).mean():.0%}",
        "testers": (testers[0], testers[-1]),
        "header": ";".join(retailer.transactions_raw.columns),
    }


def _true(truth: Mapping[str, Any]) -> dict[str, Any]:
    """Figures from ``truth.json``: the window, the true parameters, the export's defects."""
    bg, gg, raw = truth["bgnbd"], truth["gamma_gamma"], truth["raw_export"]
    # "0.12 * exp(-0.9 * s) complaints per customer lifetime" -> "0.12·exp(-0.9·s)"
    complaint_rate = truth["dropout_link"]["complaint_rate"].split(" complaints")[0]
    return {
        "start": truth["observation_start"], "end": truth["observation_end"],
        "signup_end": truth["signup_end"],
        "bg": bg, "gg": {k: f"{v:g}" for k, v in gg.items()}, "link": truth["dropout_link"],
        "complaint_rate": complaint_rate.replace(" * ", "·"),
        "rate_mean": f"{bg['r'] / bg['alpha']:.3f}",
        "p_mean": f"{bg['a'] / (bg['a'] + bg['b']):.3f}",
        "mean_order": f"{truth['mean_order_value']:g}",
        "margin": {k: f"{v:.2f}" for k, v in truth["category_margin_rates"].items()},
        "resolved": {k: f"{v:.0%}" for k, v in truth["complaint_resolution_probability"].items()},
        "formats": _counts(raw["date_formats_of_clean_rows"]),
        "defects": _counts(raw["defects"]), "variants": _counts(raw["identity_variants"]),
        "no_email": f"{raw['rows_missing_email']:,}", "no_phone": f"{raw['rows_missing_phone']:,}",
        "ledger": _counts(raw["expected_ledger"]),
        "lc": _counts(truth["loyalty_connectors"]),
        "vd": _value_drivers(truth["value_drivers"]),
    }


def _value_drivers(drivers: Mapping[str, Any]) -> dict[str, str]:
    """The survey's value-for-effort formula, cut points and halos, as the card prints them."""
    weapons = drivers["weapons"].values()
    value = drivers["perceived_value"]
    terms = " + ".join(f"{w['weight']:g}·{w['column']}" for w in weapons)
    return {
        "formula": f"{value['intercept']:g} + {terms} + {value['noise_sd']:g}·N(0, 1)",
        "cuts": ", ".join(f"{c:g}" for c in drivers["rating_cuts"]),
        "halo": ", ".join(f"{w['column'].removesuffix('_rating')} {w['halo']:g}"
                          for w in weapons),
    }


def data_card(retailer: SyntheticRetailer, sizes: Mapping[str, int]) -> str:
    """The data card (``README.md``) of one simulated data set, as Markdown.

    The prose is fixed; every figure is computed: the seed, size, window, true
    parameters and defects from ``retailer.truth`` (``truth.json``), counts and
    averages from the tables (the CSV files), file sizes from ``sizes``.

    Parameters
    ----------
    retailer : SyntheticRetailer
        The simulation whose files the card describes.
    sizes : mapping of str to int
        Bytes written per file name: every ``<table>.csv`` and ``truth.json``.

    Returns
    -------
    str
        The card, ending with a newline.

    Examples
    --------
    >>> from relmark_lab.datasets.synthetic import simulate
    >>> retailer = simulate(seed=3, n_customers=300)
    >>> sizes = {f"{name}.csv": 25_000 for name in retailer.tables()} | {"truth.json": 3_400}
    >>> card = data_card(retailer, sizes)
    >>> "with seed `3` and 300 customers" in card, "| `customers.csv` | 300 | 0.03 MB |" in card
    (True, True)
    """
    truth = retailer.truth
    seed, n = truth["seed"], truth["n_customers"]
    default = seed == DEFAULT_SEED and n == DEFAULT_N_CUSTOMERS
    options = "" if default else f" --seed {seed} --customers {n}"
    arguments = "" if default else f", seed={seed}, n_customers={n}"
    figures = {
        "seed": seed, "n": n, "customers": f"{n:,}", "which": "the default" if default else "this",
        "command": f"{'relmark datasets' + options:<27} # calls "
        f'relmark_lab.datasets.synthetic.write_datasets("datasets"{arguments})',
        "size": {name: _size(n_bytes) for name, n_bytes in sizes.items()},
        **_true(truth),
        **_observed(retailer, truth["raw_export"]["expected_ledger"]["test_customer_pattern"]),
        **_program_figures(retailer),
    }
    return _TEMPLATE.format_map(figures)
