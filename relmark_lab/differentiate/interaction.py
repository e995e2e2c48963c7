"""Interaction: a contact budget split across value tiers, with a channel for each.

Lesson 02, section 10. The notes' third step of a relationship program puts
direct channels where the value is and mass media where it is not:
:func:`contact_plan` picks each tier's channel by expected net value per
contact and shares the budget by value, with a floor and a cap.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relmark_lab._validate import require_columns, require_number, require_numbers
from relmark_lab.differentiate._tables import whole_if_integral
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import gettext as _

__all__ = ["DEFAULT_CHANNELS", "contact_plan"]


#: Channels of the course notes with illustrative prices (MXN per contact) and response rates.
DEFAULT_CHANNELS = pd.DataFrame(
    [
        ("television", "mass media", 0.8, 0.002),
        ("radio", "mass media", 0.5, 0.0015),
        ("press and magazines", "mass media", 1.5, 0.004),
        ("e-mail", "direct", 0.3, 0.008),
        ("direct mail", "direct", 12.0, 0.03),
        ("telemarketing", "direct", 35.0, 0.07),
        ("face to face", "direct", 180.0, 0.20),
    ],
    columns=["channel", "kind", "cost_per_contact", "response_rate"],
)


def contact_plan(
    segments: pd.DataFrame,
    budget: float,
    *,
    segment: str = "tier",
    customers: str = "customers",
    value: str = "value_per_customer",
    channels: pd.DataFrame | None = None,
    profit_threshold: float = 0.0,
    floor_contacts: float = 1.0,
    max_contacts_per_customer: float = 12.0,
) -> pd.DataFrame:
    """Split a contact budget across value tiers and pick a channel for each.

    The rule, in three steps:

    1. **Channel.** For every tier and channel the expected net value of one
       contact is ``response_rate x value − cost_per_contact``, where
       ``value`` is what a response is worth (e.g. the tier's mean profit
       per customer). The tier gets the channel with the highest expected
       net value. Tiers at or below ``profit_threshold`` may only use
       mass-media channels: the firm lowers the cost of serving them.
    2. **Floor.** Tiers at or below the threshold, and tiers for which no
       channel has a positive expected net value, get just enough budget for
       ``floor_contacts`` contacts per customer through their channel. A
       budget too small for that (even 0) is shared among them in proportion
       to what their floor costs, and nothing is left for the other tiers
       (``.attrs["floor_covered"]``, the share of the floor paid, is below 1).
    3. **Rest.** The remaining budget goes to the other tiers in proportion
       to their total value (customers x value), but no tier gets more than
       ``max_contacts_per_customer`` contacts per customer; what a capped
       tier cannot use is shared among the others, and what nobody can use
       stays unspent (``.attrs["unspent"]``).

    Parameters
    ----------
    segments : pandas.DataFrame
        One row per tier (at least one) with the ``segment``, ``customers``
        and ``value`` columns.
    budget : float
        Money to spend on contacts (MXN), 0 or more.
    segment, customers, value : str
        Column names.
    channels : pandas.DataFrame, optional
        ``channel``, ``kind`` ("mass media" or "direct"), ``cost_per_contact``
        (MXN) and ``response_rate`` (0–1); default :data:`DEFAULT_CHANNELS`.
    profit_threshold : float, default 0.0
        Value at or below which a tier is served through mass media only.
    floor_contacts : float, default 1.0
        Contacts per customer kept for tiers that get only the floor.
    max_contacts_per_customer : float, default 12.0
        Cap on contacts per customer in the planning period (e.g. one a
        month for a yearly budget).

    Returns
    -------
    pandas.DataFrame
        Per tier: the input columns, ``channel``, ``kind``,
        ``cost_per_contact``, ``response_rate``, ``budget`` (MXN),
        ``budget_share``, ``contacts``, ``contacts_per_customer``,
        ``expected_responses`` and ``expected_net_value`` (MXN).
        ``.attrs`` holds ``unspent`` (MXN) and ``floor_covered`` (share of
        the floor the budget pays for, 1 when it covers it).

    Examples
    --------
    >>> import pandas as pd
    >>> tiers = pd.DataFrame({"tier": ["top", "low"], "customers": [10, 100],
    ...                       "value_per_customer": [1000.0, -5.0]})
    >>> plan = contact_plan(tiers, 5000.0)
    >>> plan["channel"].tolist(), plan["contacts_per_customer"].round(2).tolist()
    (['telemarketing', 'radio'], [12.0, 1.0])
    """
    channels = DEFAULT_CHANNELS if channels is None else channels
    require_columns(channels, ["channel", "kind", "cost_per_contact", "response_rate"],
                    "channel table")
    channels = channels.assign(
        response_rate=require_numbers(channels, "response_rate", "channel table", low=0,
                                      high=1),
        cost_per_contact=require_numbers(channels, "cost_per_contact", "channel table",
                                         low=0),
    ).reset_index(drop=True)
    free = (channels["cost_per_contact"] <= 0).to_numpy()
    if free.any():
        # column_error's words, written out: "0" alone has no verb to carry in Spanish
        template = (_("channel table: column 'cost_per_contact' is 0 in {count:,} row, e.g. "
                      "{example}. Every contact costs something: give its price in MXN.")
                    if free.sum() == 1 else
                    _("channel table: column 'cost_per_contact' is 0 in {count:,} rows, e.g. "
                      "{example}. Every contact costs something: give its price in MXN."))
        raise DataError(template.format(count=int(free.sum()), example=describe_example(0.0)))
    mass = channels[channels["kind"] == "mass media"]
    if mass.empty:
        raise DataError(_("channel table: column 'kind' has no 'mass media' channel (e.g. "
                          "{example}); tiers below the threshold need one.")
                        .format(example=describe_example(channels["kind"].iloc[0])))
    require_columns(segments, [segment, customers, value], "tier table")
    if segments.empty:
        raise DataError(_("tier table: the table has no rows; give one row per tier with its "
                          "{customers!r} and {value!r}, e.g. value_by_segment of the tiers.")
                        .format(customers=customers, value=value))
    budget = require_number("budget", budget, low=0)
    profit_threshold = require_number("profit_threshold", profit_threshold)
    floor_contacts = require_number("floor_contacts", floor_contacts, low=0)
    max_contacts_per_customer = require_number(
        "max_contacts_per_customer", max_contacts_per_customer, low=floor_contacts)

    plan = pd.DataFrame({
        segment: segments[segment].reset_index(drop=True),
        customers: whole_if_integral(require_numbers(segments, customers, "tier table",
                                                     low=0).to_numpy()),
        value: require_numbers(segments, value, "tier table").to_numpy(),
    })
    below = plan[value] <= profit_threshold
    chosen, best_net = [], []
    for tier_value, is_below in zip(plan[value], below, strict=True):
        allowed = mass if is_below else channels
        net = allowed["response_rate"] * tier_value - allowed["cost_per_contact"]
        chosen.append(allowed.loc[net.idxmax()])
        best_net.append(net.max())
    plan = pd.concat([plan, pd.DataFrame(chosen).reset_index(drop=True)], axis=1)
    floor_only = below | (np.array(best_net) <= 0)

    unit_cost = plan[customers] * plan["cost_per_contact"]  # one contact for everyone in the tier
    floor = (unit_cost * floor_contacts).where(floor_only, 0.0)
    # A budget short of the floor pays the same share of every low tier's floor.
    covered = min(1.0, budget / floor.sum()) if floor.sum() > 0 else 1.0
    allocation = floor * covered
    cap = unit_cost * max_contacts_per_customer
    weight = (plan[customers] * plan[value]).where(~floor_only, 0.0)
    open_tiers = weight > 0
    remaining = budget - floor.sum()
    # Water-filling: share in proportion to value, cap, pass the excess on.
    while remaining > 1e-9 and open_tiers.any():
        share = remaining * weight.where(open_tiers, 0.0) / weight[open_tiers].sum()
        room = (cap - allocation).where(open_tiers, 0.0)
        given = np.minimum(share, room)
        allocation += given
        remaining -= given.sum()
        open_tiers &= allocation < cap - 1e-9
    plan["budget"] = allocation
    plan["budget_share"] = plan["budget"] / budget if budget > 0 else 0.0
    plan["contacts"] = plan["budget"] / plan["cost_per_contact"]
    plan["contacts_per_customer"] = plan["contacts"] / plan[customers].where(plan[customers] > 0)
    plan["expected_responses"] = plan["contacts"] * plan["response_rate"]
    plan["expected_net_value"] = plan["expected_responses"] * plan[value] - plan["budget"]
    plan.attrs["unspent"] = float(budget - allocation.sum())
    plan.attrs["floor_covered"] = covered
    return plan
