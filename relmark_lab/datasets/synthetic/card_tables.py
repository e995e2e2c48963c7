"""The data card's per-file sections and lesson 06's figures (pilot, experiments, stores).

:mod:`.card` assembles the card from its head, :data:`_TABLES` (one section per
file), the generative story with :data:`_PROGRAM_STEPS` in it, and the raw
export's section; :func:`_program_figures` computes the figures of the
program-evaluation tables from the tables and ``truth.json -> programs``.
"""

# The template's Markdown table rows and filled-in formulas are long lines.
# ruff: noqa: E501

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from relmark_lab.datasets.synthetic.retailer import SyntheticRetailer

#: One section per file, in the order of the card's file table.
_TABLES = r"""### customers.csv

| Column | Type | Meaning |
|---|---|---|
| customer_id | text | `C` + 5 digits, numbered by signup date |
| name | text | first name + two last names, with accents (José Núñez Peña) |
| email | text | derived from the name, accents removed, lower case; unique across customers and leads |
| phone | text | 10-digit Mexican number `"55 1234 5678"`. The first two digits depend on the region (55/56 Metropolitana, 33 Occidente, 81/61 Norte, 44/22 Centro, 99/96 Sur) |
| signup_date | date | date of the first purchase, {start} … {signup_end} |
| acquisition_channel | text | tienda, web, referido, redes sociales, televisión, correo directo |
| acquisition_cost | MXN, 2 dp | channel mean x Gamma(16, 1/16) noise (CV 25%) |
| region | text | Norte, Centro, Sur, Occidente, Metropolitana |
| payment_terms | text | contado, 30 días, 60 días |
| referred_by | text or empty | who referred a *referido* customer: the `customer_id` of an earlier customer still active on this signup day. Empty for every other channel ({lc[referrals]} referrals; {lc[referrals_without_referrer]} *referido* customers had no candidate) |

### transactions.csv

One row per order line. There are {orders} purchase orders with {lines_min} to {lines_max} lines each.
Each line in an order has a different category. There are also {returns} return lines.

| Column | Type | Meaning |
|---|---|---|
| order_id | text | `O` + 7 digits, numbered in time order. A return has its own order id |
| customer_id | text | the customer |
| timestamp | `YYYY-MM-DD HH:MM:SS` | store hours, {hours} |
| category | text | Electrónica, Hogar, Moda, Alimentos, Deportes, Belleza, Juguetes |
| quantity | int | units. Negative on returns |
| amount | MXN, 2 dp | line revenue. Negative on returns. The lines of an order add up to the order value |
| margin | MXN, 2 dp | gross margin = amount x (category rate ± 2 points). Negative on returns |
| days_late | int | days the payment was late. Always 0 for *contado* and for returns |
| discount | MXN, 2 dp | taken off the list price: list value = amount + discount. 0 on undiscounted lines. A return carries minus its line's discount |
| cost_to_serve | MXN, 2 dp | picking, delivery and service of the line; falls with tenure. 0 on returns (their handling is not modelled) |

Count **orders with amount > 0** as purchases: a return is a separate, negative
order and not a visit.

### leads.csv

lead_id, name, email, phone (the same rules as for customers), created_date
(any day in the window), source_channel (the acquisition channels), region.

### survey.csv

| Column | Type | Meaning |
|---|---|---|
| customer_id | text | a {survey_share} random sample of customers, one answer each |
| survey_date | date | a day while the customer was still a customer (signup … last purchase, or … {end} if still alive) |
| satisfaction | int 1–5 | latent satisfaction `s` + noise, cut into 5 levels |
| recommend | int 0–10 | likelihood to recommend, ≈ 6.5 + 1.7·s + noise |
| share_of_wallet | 0–1, 2 dp | share of the customer's spend in our categories that goes to us. Beta-distributed, mean rises with s |
| perceived_value | int 0–10 | value for effort, built from the five ratings: {vd[formula]}, rounded and kept within 0–10 |
| price_rating | int 1–5 | the five weapons of value for effort, each rated 1–5 (higher is better): price; fewer inconveniences; service; fewer insecurities (reassurance); product and brand. Each is `halo·s + √(1 − halo²)·u + shift`, u ~ N(0, 1), cut at {vd[cuts]}, so the ratings correlate through s. Halo: {vd[halo]} |
| convenience_rating | int 1–5 | see price_rating |
| service_rating | int 1–5 | see price_rating |
| reassurance_rating | int 1–5 | see price_rating |
| product_brand_rating | int 1–5 | see price_rating |

### voice_of_customer.csv

| Column | Type | Meaning |
|---|---|---|
| contact_id | text | `V` + 5 digits, by date |
| customer_id | text | the customer |
| date | date | contact date |
| channel | text | exactly: focus group, complaint box, suggestion coupon, toll-free line, e-mail, personal attention, letter |
| contact_type | text | complaint, suggestion, question, praise |
| resolved | True/False | **only meaningful for complaints**. Other contacts are always `True` |
| days_to_resolve | int or empty | empty exactly when `resolved` is False. For non-complaints it is the time taken to answer |

Complaints ({complaints}) come more often from dissatisfied customers. Whether a complaint
is resolved depends only on its channel: personal attention {resolved[personal attention]}, toll-free line {resolved[toll-free line]},
e-mail {resolved[e-mail]}, letter {resolved[letter]}, complaint box {resolved[complaint box]}, suggestion coupon {resolved[suggestion coupon]}. The mean days to
resolve also depend on the channel, from 1 (personal attention) to 20 (letter).
Focus-group contacts come in {sessions} sessions of {session_sizes} customers on the same date.
They are suggestions, questions or praise, never complaints. Praise is more likely
from satisfied customers.

### pilot_members.csv

Lesson 06's loyalty-program pilot is a **separate panel** of members. The `M…` ids
are not customer ids, so the panel cannot contradict `transactions.csv`. One row
per member, under three designs.

| Column | Type | Meaning |
|---|---|---|
| member_id | text | `{pg[ids][randomized][0]}`–`{pg[ids][randomized][1]}` randomized, `{pg[ids][self_selected][0]}`–`{pg[ids][self_selected][1]}` self-selected, `{pg[ids][rollout][0]}`–`{pg[ids][rollout][1]}` rollout |
| design | text | randomized ({pg[members][randomized]} members, {pg[enrolled][randomized]} enrolled), self_selected ({pg[members][self_selected]}, {pg[enrolled][self_selected]} enrolled), rollout ({pg[members][rollout]}, {pg[enrolled][rollout]} enrolled) |
| region | text | the five regions. The rollout has the same number of members in each |
| tier | text | light, moderate, heavy: terciles of the latent purchase rate λ (cuts at {pg[cut_low]} and {pg[cut_high]} orders a month) |
| tenure_months | int | whole months as a customer before {pg[launch]} (at least {pg[min_tenure]}) |
| prior_orders | int | orders in {pg[first]} … {pg[pre_last]}, the six months before the launch (the panel's sum) |
| prior_spend | MXN, 2 dp | revenue in the same months (the panel's sum) |
| prior_year_orders | int | orders in the 12 months before the panel ({pg[year_before]}): Poisson(12·λ), the record self-selected members judge their gain by |
| prior_year_spend | MXN, 2 dp | revenue of those orders |
| satisfaction | int 1–5 or empty | survey score, a noisy reading of a latent satisfaction. Empty for the {pg[unsurveyed]} members not surveyed |
| enrolled | 0/1 | 1 if ever in the program. Randomized: half of each region × tier stratum. Self-selected: the member's choice. Rollout: every member of a region with a wave |
| program_start | `YYYY-MM` or empty | first month in the program: {pg[launch]} for randomized and self-selected members. Rollout waves: {pg[waves]} |

### loyalty_pilot.csv

The monthly panel: one row per member and month, {pg[first]} … {pg[last]} ({pg[n_months]} months, launch {pg[launch]}).

| Column | Type | Meaning |
|---|---|---|
| member_id | text | the member of `pilot_members.csv` |
| month | `YYYY-MM` | the month |
| orders | int | orders in the month (0 once the member has left) |
| revenue | MXN, 2 dp | sum of the month's order values (0 when there are no orders) |
| rewards | MXN, 2 dp | rewards redeemed: {pg[reward_share]} of the revenue in months in the program, else 0 |
| active | 0/1 | 1 while still a customer. Everyone is active up to {pg[launch]}; once 0, always 0 |

### complaint_recovery.csv

complaint_id (`K` + 5 digits), group (`call_back` or `usual`, half each: a fast
personal call-back or the usual process), channel (the complaint's channel),
prior_spend (MXN spent in the 6 months before the complaint), retained (1 if still
buying 6 months later). There are {pg[complaints]} complaints. In {which} data {pg[rec_obs][call_back]} of the
call-back group and {pg[rec_obs][usual]} of the usual group were retained.

### follow_up.csv

order_id (`F` + 6 digits, not orders of `transactions.csv`), group (`contacted` or
`control`, half each: a follow-up contact after the sale, or none), tier (light,
moderate, heavy, a third each), order_value (MXN), repeat_90d (1 if the customer
bought again within 90 days). There are {pg[follow_ups]} orders. In {which} data {pg[fu_obs][contacted]} of the contacted
and {pg[fu_obs][control]} of the control orders were followed by a repeat purchase.

### stores.csv

| Column | Type | Meaning |
|---|---|---|
| store_id | text | `S01` … `S{pg[stores]}` |
| region | text | stores in proportion to the regions' shares |
| staff_satisfaction | 1–10, 1 dp | mean answer of the store's staff survey |
| customer_satisfaction | 1–5, 2 dp | mean answer of the store's customer survey |
| retention | share, 3 dp | share of the store's customers still buying a year later |
| customers | int | the store's customers a year earlier |

### identity_map.csv

`raw_customer_id`, `customer_id`: every customer id in the raw export that belongs
to a real customer, mapped to the true id. There are {identity_rows} identity rows and {variant_ids}
variant ids (`C9xxxxx` or `LEG-xxxxx`). Test ids and empty ids are not in it.

### customer_truth.csv (ground truth, 6 dp)

customer_id, purchase_rate_weekly (λ), dropout_probability (p),
spend_rate_nu (ν), expected_order_value (p_gg/ν), satisfaction_latent (s),
churn_score, complaints, unresolved_complaints, repeat_purchases,
alive_at_end (True/False). In {which} data, {alive} of {customers} customers are alive at the end.
"""

#: Steps 9 and 10 of "How it was generated".
_PROGRAM_STEPS = r"""9. **Loyalty pilot (lesson 06).** A member's purchase rate is λ ~ Gamma(shape {pg[shape]}, rate {pg[rate]})
   orders a month (mean λ̄ = {pg[mean_rate]}), with a gamma-gamma ν for spend. An active member's orders in month t
   are Poisson((λ + trend_t)·(1 + effect·ramp)). The trend is {pg[growth]}·(t − 1) plus {pg[seasonal]}. It is
   *added*, the same for every member, so parallel trends hold in levels: the enrolled buy more anyway, but
   their counts do not rise faster. The full effect on the rate is {pg[effects]} (Liu 2007:
   heavy buyers do not change), times a personal factor Gamma({pg[k]}, rate {pg[k]}) with mean one. The ramp, the share of the
   full effect by months in the program, is {pg[ramp]}. Members are customers active in the launch month, {pg[launch]}.
   From {pg[dropout_from]} an active member leaves with the monthly hazard `{pg[h1]}·({pg[mean_rate]} + {pg[offset]})/(λ + {pg[offset]})` (light buyers
   leave sooner), {pg[reduction]} lower after a month in the program (times that month's ramp). Revenue is
   Gamma({gg[p]}·orders, rate ν). Running the program costs the rewards plus {pg[cost]} MXN per member-month
   (in `truth.json` only). *Self-selected* members enrol with probability `logistic({pg[logit]})`,
   where λ̂ = (prior_year_orders + 0.5)/12 is the member's rate as last year's record shows it (orders in the
   12 months before the panel, Poisson(12·λ)), and gain = effect·(λ̂ + mean trend after the launch), the extra
   orders a month the member expects. Joining depends on λ only through that record.
   `truth.json → programs` holds the settings and, per design, the effects per member-month, computed in
   closed form from the members' latent traits (not read from the files). Randomized: the ATE over the six
   months from the launch is {pg[ate][orders]} orders and {pg[ate][revenue]} MXN (light {pg[tier][light]}, moderate {pg[tier][moderate]}, heavy {pg[tier][heavy]} orders).
   Self-selected: the ATT is {pg[att][orders]} orders. The naive post-period comparison expects {pg[naive]} ({pg[ratio]} times the
   ATT; Leenheer et al. 2007 report about seven) and difference-in-differences {pg[did]}. In {which} data the naive
   gap is {pg[naive_obs]} and DiD {pg[did_obs]}. Rollout: the ATT over the months in the program is {pg[r_att]} orders; two-way fixed
   effects expect {pg[twfe]}: the effect grows with months in the program and with the season, and TWFE uses
   earlier waves as controls for later ones (`truth.json → programs → rollout → twfe_bias`).
10. **Complaint recovery, follow-up, stores.** Retention is logistic in the group plus {pg[rec_slope]}·z, z the
   standardized log prior spend (log-normal, median {pg[rec_median]} MXN). The intercepts make the population rates
   exactly {pg[rec_true][usual]} (usual) and {pg[rec_true][call_back]} (call-back). A repeat purchase is logistic in the group plus a tier shift
   ({pg[fu_shift]}). The intercepts make the rates {pg[fu_true][control]} (control) and {pg[fu_true][contacted]} (contacted). The stores follow a service-profit
   chain with q ~ N(0, 1), a store confounder (local affluence, manager quality) nobody observes:
   staff = {pg[chain][staff]}; customer = {pg[chain][customer]}; retention = {pg[chain][retention]}.
   A store's retention is Binomial(customers, that share)/customers. The causal slope of customer on staff
   satisfaction is {pg[causal]}, but a naive regression expects {pg[naive_slope]}. In {which} data it finds {pg[naive_slope_obs]}.
"""


def _share(values: Any) -> str:
    return f"{float(np.mean(values)):.0%}"


def _observed_programs(retailer: SyntheticRetailer) -> dict[str, Any]:
    """Figures read off the program tables; they change with the seed and the size."""
    members, panel = retailer.pilot_members, retailer.loyalty_pilot
    by_design = members.groupby("design")
    chosen = members.loc[members["design"] == "self_selected", ["member_id", "enrolled"]]
    launch = retailer.truth["programs"]["launch_month"]
    rows = panel.merge(chosen, on="member_id").assign(post=lambda p: p["month"] >= launch)
    mean = rows.groupby(["enrolled", "post"])["orders"].mean()
    naive = mean[1, True] - mean[0, True]
    recovery, follow_up, stores = retailer.complaint_recovery, retailer.follow_up, retailer.stores
    slope = np.polyfit(stores["staff_satisfaction"], stores["customer_satisfaction"], 1)[0]
    return {
        "ids": by_design["member_id"].agg(["min", "max"]).T.to_dict("list"),
        "members_total": f"{len(members):,}",
        "members": {d: f"{k:,}" for d, k in by_design.size().items()},
        "enrolled": {d: f"{k:,}" for d, k in by_design["enrolled"].sum().items()},
        "unsurveyed": f"{members['satisfaction'].isna().sum():,}",
        "naive_obs": f"{naive:.3f}",
        "did_obs": f"{naive - (mean[1, False] - mean[0, False]):.3f}",
        "complaints": f"{len(recovery):,}",
        "rec_obs": {g: _share(r) for g, r in recovery.groupby("group")["retained"]},
        "follow_ups": f"{len(follow_up):,}",
        "fu_obs": {g: _share(r) for g, r in follow_up.groupby("group")["repeat_90d"]},
        "stores": f"{len(stores)}",
        "naive_slope_obs": f"{slope:.3f}",
    }


def _true_programs(programs: dict[str, Any]) -> dict[str, Any]:
    """Figures from ``truth.json -> programs``: the settings and the true effects."""
    rate, trend, dropout = programs["purchase_rate"], programs["trend"], programs["dropout"]
    months = programs["month_labels"]
    seasonal = [f"{v:.2f} in {m}" for m, v in trend["seasonal"].items()]
    ramp = [f"{v:.0%} in month {k}" for k, v in programs["ramp"].items()]
    ramp[-1] = ramp[-1].replace(" in month ", " from month ")
    logit = programs["enrolment_logit"]
    randomized, chosen = programs["randomized"], programs["self_selected"]
    recovery, follow_up = programs["complaint_recovery"], programs["follow_up"]
    stores = programs["stores"]
    staff, customer = stores["staff_satisfaction"], stores["customer_satisfaction"]
    return {
        "shape": f"{rate['shape']:g}", "rate": f"{rate['rate']:g}",
        "mean_rate": f"{rate['shape'] / rate['rate']:g}",
        "growth": f"{trend['growth_per_month']:g}",
        "seasonal": ", ".join(seasonal[:-1]) + " and " + seasonal[-1],
        "effects": ", ".join(f"+{v:.0%} {k}" for k, v in programs["effect_by_tier"].items()),
        "k": f"{programs['personal_effect_shape']:g}",
        "ramp": ", ".join(ramp[:-1]) + " and " + ramp[-1],
        "launch": programs["launch_month"], "first": months[0], "last": months[-1],
        "pre_last": months[months.index(programs["launch_month"]) - 1],
        "year_before": f"{pd.Period(months[0], 'M') - 12} … {pd.Period(months[0], 'M') - 1}",
        "n_months": programs["months"], "min_tenure": programs["tenure"]["minimum_months"],
        "cut_low": f"{programs['tier_cutoffs_orders_per_month']['light_below']:.2f}",
        "cut_high": f"{programs['tier_cutoffs_orders_per_month']['heavy_from']:.2f}",
        "waves": ", ".join(f"{r} {m}" for r, m in programs["rollout_waves"].items() if m)
        + "; " + ", ".join(f"{r} never" for r, m in programs["rollout_waves"].items() if not m),
        "reward_share": f"{programs['reward_share']:.0%}",
        "cost": f"{programs['operating_cost_per_member_month']:g}",
        "dropout_from": dropout["first_month"], "h1": f"{dropout['monthly_hazard_at_mean_rate']:g}",
        "offset": f"{dropout['rate_offset']:g}", "reduction": f"{dropout['reduction_in_program']:.0%}",
        "logit": f"{logit['intercept']:g} + {logit['log_last_year_rate']:g}·ln(λ̂/λ̄)"
        f" + {logit['satisfaction']:g}·s + {logit['log_tenure']:g}·ln(tenure/24) + "
        f"{logit['personal_gain']:g}·gain",
        "ate": {"orders": f"{randomized['ate']['orders']:.3f}",
                "revenue": f"{randomized['ate']['revenue']:.1f}"},
        "tier": {k: f"{v['orders']:.3f}" for k, v in randomized["by_tier"].items()},
        "att": {"orders": f"{chosen['att']['orders']:.3f}"},
        "naive": f"{chosen['expected_naive_difference']['orders']:.3f}",
        "ratio": f"{chosen['naive_to_att']['orders']:.1f}",
        "did": f"{chosen['expected_difference_in_differences']['orders']:.3f}",
        "r_att": f"{programs['rollout']['att']['orders']:.3f}",
        "twfe": f"{programs['rollout']['expected_twfe']['orders']:.3f}",
        "rec_slope": f"{recovery['logit_per_sd_of_log_spend']:g}",
        "rec_median": f"{np.exp(recovery['prior_spend_log_mean']):,.0f}",
        "rec_true": {k: f"{v:.0%}" for k, v in recovery["retention_6_months"].items()},
        "fu_shift": ", ".join(f"{k} {v:+.1f}" for k, v in follow_up["tier_logit_shift"].items()),
        "fu_true": {k: f"{v:.0%}" for k, v in follow_up["repeat_90d"].items()},
        "chain": {
            "staff": f"{staff['mean']:g} + {staff['confounder']:g}·q + N(0, {staff['noise_sd']:g}²)",
            "customer": f"{customer['intercept']:g} + {customer['staff_satisfaction']:g}·staff + "
            f"{customer['confounder']:g}·q + N(0, {customer['noise_sd']:g}²)",
            "retention": f"{stores['retention']['intercept']:g} + "
            f"{stores['retention']['customer_satisfaction']:g}·customer",
        },
        "causal": f"{stores['causal']['customer_on_staff']:g}",
        "naive_slope": f"{stores['naive_ols']['customer_on_staff']:.3f}",
    }


def _program_figures(retailer: SyntheticRetailer) -> dict[str, Any]:
    """Every ``{pg[...]}`` figure of the program sections: the truth's, then the tables'."""
    return {"pg": _true_programs(retailer.truth["programs"]) | _observed_programs(retailer)}
