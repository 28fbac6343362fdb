"""k predictors learning together: where each method ends (docs/theory.md#markets)."""

from __future__ import annotations

import numpy as np
import pytest

from core.markets import Market
from core.markets.learning import train_market
from core.model.rules import ScoringRule
from core.model.worlds import LinearWorld

P_STAR, ALPHA, K = 0.25, 0.4, 10
#: The symmetric equilibrium by hand (tests/core/markets/test_markets.py): (2(1 − α)p* − α/k)/(2(1 − α) − 2α/k).
EQUILIBRIUM = (2 * (1 - ALPHA) * P_STAR - ALPHA / K) / (2 * (1 - ALPHA) - 2 * ALPHA / K)
MARKET = Market.equal(LinearWorld(p_star=P_STAR, alpha=ALPHA), ScoringRule("quadratic"), K)
FIXED = np.array([[P_STAR, 1 - P_STAR]])


def test_stop_gradient_learning_ends_at_the_fixed_point() -> None:
    run = train_market(MARKET, "stop-gradient", 2000, 0.1, 0, FIXED)
    assert run["distance"][-1] == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(run["reports"][:, 0], P_STAR, atol=1e-9)  # every report equals f(A) = p*


def test_full_gradient_learning_ends_at_the_equilibrium() -> None:
    run = train_market(MARKET, "full-gradient", 2000, 0.1, 0, FIXED)
    np.testing.assert_allclose(run["reports"][:, 0], EQUILIBRIUM, atol=1e-9)
    assert run["distance"][-1] == pytest.approx(abs(EQUILIBRIUM - P_STAR), abs=1e-9)


def test_random_search_comes_close_to_the_equilibrium() -> None:
    run = train_market(MARKET, "random-search", 3000, 0.02, 1, FIXED)
    assert run["announcement"][-1, 0] == pytest.approx(EQUILIBRIUM, abs=2e-3)
    assert run["distance"][0] > run["distance"][-1]


def test_bad_method_and_steps_name_the_field() -> None:
    with pytest.raises(ValueError, match="^method:"):
        train_market(MARKET, "newton", 10, 0.1, 0, FIXED)
    with pytest.raises(ValueError, match="^steps:"):
        train_market(MARKET, "stop-gradient", 0, 0.1, 0, FIXED)
