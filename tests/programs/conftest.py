"""A small simulated randomized pilot with a known effect, shared by the program tests."""

import numpy as np
import pandas as pd
import pytest

from relmark_lab.programs import stratified_assignment

#: The program's true effect on revenue per member per month in the simulated pilot.
TRUE_EFFECT = 8.0


def simulate_pilot(n: int, seed: int, effect: float = TRUE_EFFECT) -> pd.DataFrame:
    """Members with pre-period covariates, a stratified assignment and a monthly revenue.

    Revenue depends on prior spend (a strong pre-period predictor) and tier,
    plus ``effect`` for the treated members and normal noise (sd 30).
    """
    rng = np.random.default_rng(seed)
    members = pd.DataFrame({
        "member_id": [f"m{i:05d}" for i in range(n)],
        "region": rng.choice(["north", "south", "east"], n),
        "tier": rng.choice(["basic", "silver", "gold"], n, p=[0.6, 0.3, 0.1]),
        "tenure_months": rng.integers(1, 60, n),
        "prior_spend": rng.gamma(2.0, 50.0, n),
    })
    members["treated"] = stratified_assignment(members, ["region", "tier"], seed=seed)
    tier_lift = members["tier"].map({"basic": 0.0, "silver": 10.0, "gold": 25.0}).to_numpy()
    members["revenue"] = (20.0 + 0.8 * members["prior_spend"] + tier_lift
                          + effect * members["treated"] + rng.normal(0.0, 30.0, n))
    return members


@pytest.fixture(scope="session")
def pilot() -> pd.DataFrame:
    return simulate_pilot(1200, seed=2024)


@pytest.fixture(scope="session")
def true_effect() -> float:
    return TRUE_EFFECT


@pytest.fixture(scope="session")
def simulate():
    """``simulate(n, seed, effect=TRUE_EFFECT)``: a fresh simulated pilot."""
    return simulate_pilot
