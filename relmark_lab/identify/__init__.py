"""Customer identification: who is who, where they stand, what they tell us.

The first step of relationship marketing is to know each customer as one
person. This stage turns raw records into that *single customer view* and
describes each customer's relationship, one module per section of lesson 01:

* :mod:`~relmark_lab.identify.normalize` — matching keys:
  :func:`normalize_email`, :func:`normalize_phone`, :func:`normalize_name`;
* :mod:`~relmark_lab.identify.resolution` — :func:`resolve_identities` links
  raw ids that share a normalised e-mail, phone or name into one customer
  key (connected components, so chains of links merge);
  :func:`merge_report` and :func:`score_resolution` say how many ids were
  merged and how well, against a known answer key; :func:`apply_identity_map`
  gives the single customer view;
* :mod:`~relmark_lab.identify.status` — :func:`customer_status` labels
  customers *active*, *inactive* or *potential* from purchase history and
  leads; :func:`status_counts` counts them;
* :mod:`~relmark_lab.identify.lifecycle` — :func:`lifecycle_stage` places
  each one in the five stages prospecting → acquisition → satisfaction →
  maintenance → loyalty, and :func:`stage_funnel` gives the conversion
  between stages;
* :mod:`~relmark_lab.identify.voice` — :func:`contacts_by_channel`,
  :func:`complaint_resolution` and :func:`complainer_retention` analyse the
  voice-of-the-customer log;
* :mod:`~relmark_lab.identify.feedback` — :func:`customer_table`
  gathers all of it in one row per customer, the table the feedback loop
  keeps up to date.

Every function that reads transaction lines follows the kit's one contract:
``observation_end`` (the last observed day, required, the whole day counts)
is the second parameter; lines after it are left out and counted; orders,
returns and purchase days come from :mod:`relmark_lab._orders`; the
``timezone`` option means what it means everywhere (None keeps the clock
time each date shows, so a purchase at 23:30 in Mexico City stays on its
day). Leads, survey answers and contacts dated after the end's day are left
out by the same day rule and counted, in ``attrs["leads_after_observation_end"]``,
``attrs["survey_answers_after_observation_end"]`` and
``attrs["contacts_after_observation_end"]`` of every table built from them.
Durations are whole days (the names say so); ``customer_id`` is text in every
table returned.

Examples
--------
Two raw ids that share an e-mail are one person, active at the end of 2025:

>>> import pandas as pd
>>> tx = pd.DataFrame({"customer_id": ["A", "B"], "email": ["ana@x.mx", " ANA@x.mx"],
...                    "amount": [10.0, 5.0], "date": ["2025-03-01", "2025-12-01"]})
>>> mapping = resolve_identities(tx, phone_column=None, name_column=None)
>>> customer_status(apply_identity_map(tx, mapping), "2025-12-31")[["customer_id", "status"]]
  customer_id  status
0           A  active
"""

from relmark_lab.identify.feedback import customer_table
from relmark_lab.identify.lifecycle import STAGES, lifecycle_stage, stage_funnel
from relmark_lab.identify.normalize import normalize_email, normalize_name, normalize_phone
from relmark_lab.identify.resolution import (
    IDENTITY_RULES,
    apply_identity_map,
    merge_report,
    resolve_identities,
    score_resolution,
)
from relmark_lab.identify.status import STATUSES, customer_status, status_counts
from relmark_lab.identify.voice import (
    MISSING_TYPE,
    VOC_CHANNELS,
    complainer_retention,
    complaint_resolution,
    contacts_by_channel,
)

__all__ = [
    "IDENTITY_RULES",
    "MISSING_TYPE",
    "STAGES",
    "STATUSES",
    "VOC_CHANNELS",
    "apply_identity_map",
    "complainer_retention",
    "complaint_resolution",
    "contacts_by_channel",
    "customer_status",
    "customer_table",
    "lifecycle_stage",
    "merge_report",
    "normalize_email",
    "normalize_name",
    "normalize_phone",
    "resolve_identities",
    "score_resolution",
    "stage_funnel",
    "status_counts",
]
