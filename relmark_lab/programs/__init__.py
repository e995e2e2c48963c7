"""Program evaluation: pilot first, measure rigorously, roll out in phases, prove it pays.

Lesson 06's stage, one file per idea as :mod:`relmark_lab.clv` has one per
model. :mod:`.design` sizes the pilot (prueba piloto): members per arm, the
minimum detectable effect, power curves and a simulation check of the
formula; :mod:`.assignment` randomizes within strata and checks balance;
:mod:`.randomized` measures the effect of a randomized pilot (Welch,
regression adjustment, CUPED, subgroups with multiplicity-adjusted
p-values). :mod:`.did` (naive comparison, difference-in-differences, event
study), :mod:`.propensity` (scores, weighting) with :mod:`.matching` and :mod:`.staggered`
(phased rollout: TWFE and group-time effects) evaluate self-selected and
phased programs. :mod:`.recovery` measures the randomized recovery of
dissatisfied customers and the post-sale follow-up (two shares) and values
them, :mod:`.chain` reads the service-profit chain across stores, and
:mod:`.value` turns a pilot's lifts into lifetime value, ROI, payback and a
go/no-go for the next phase. Every estimate is an :class:`Effect`.

Examples
--------
>>> from relmark_lab import programs
>>> design = programs.sample_size(0.5, sd=1.0)
>>> design.members_treated, design.members_control
(64, 64)
"""

from __future__ import annotations

from relmark_lab.programs._effect import Effect, display_method
from relmark_lab.programs.assignment import balance_table, stratified_assignment
from relmark_lab.programs.chain import OBSERVATIONAL_CAVEAT, service_profit_chain
from relmark_lab.programs.design import (
    PilotDesign,
    minimum_detectable_effect,
    power_curve,
    sample_size,
)
from relmark_lab.programs.did import (
    PreTrendTest,
    difference_in_differences,
    event_study,
    naive_difference,
    pre_trend_test,
    program_panel,
)
from relmark_lab.programs.matching import balance_before_after, matched_effect
from relmark_lab.programs.pilot_file import pilot_launch, read_pilot_panel
from relmark_lab.programs.propensity import ipw_effect, ipw_weights, propensity_scores
from relmark_lab.programs.randomized import (
    adjusted_effect,
    cuped,
    difference_in_means,
    effects_by_group,
)
from relmark_lab.programs.recovery import proportion_effect, recovery_value
from relmark_lab.programs.simulated_power import SimulatedPower, simulated_power
from relmark_lab.programs.staggered import StaggeredResult, staggered_effect, twfe_effect
from relmark_lab.programs.value import (
    PilotTerms,
    ProgramValue,
    bootstrap_program_value,
    pilot_terms,
    program_value,
    rollout_decision,
)

__all__ = [
    "Effect",
    "OBSERVATIONAL_CAVEAT",
    "PilotDesign",
    "PilotTerms",
    "PreTrendTest",
    "ProgramValue",
    "SimulatedPower",
    "StaggeredResult",
    "adjusted_effect",
    "balance_before_after",
    "balance_table",
    "bootstrap_program_value",
    "cuped",
    "difference_in_differences",
    "difference_in_means",
    "display_method",
    "effects_by_group",
    "event_study",
    "ipw_effect",
    "ipw_weights",
    "matched_effect",
    "minimum_detectable_effect",
    "naive_difference",
    "pilot_launch",
    "pilot_terms",
    "power_curve",
    "pre_trend_test",
    "program_panel",
    "program_value",
    "propensity_scores",
    "proportion_effect",
    "read_pilot_panel",
    "recovery_value",
    "rollout_decision",
    "sample_size",
    "service_profit_chain",
    "simulated_power",
    "staggered_effect",
    "stratified_assignment",
    "twfe_effect",
]
