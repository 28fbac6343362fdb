"""The scoring-rules figures (figures/scoring_rules.py): bars of the given numbers, G rescaled to [0, 1]."""

from __future__ import annotations

import numpy as np

from core.curves import g_curves
from core.model.rules import ScoringRule
from figures.scoring_rules import g_figure, rules_bar_figure
from tests.figures.helpers import checked, legend


def test_bars_show_inaccuracy_beside_the_bound() -> None:
    fig = checked(rules_bar_figure(["log", "linear"], [0.1, 0.4], [0.2, None]))
    inaccuracy, bound = fig.data
    assert list(inaccuracy.x) == ["log", "linear"] and list(inaccuracy.y) == [0.1, 0.4]
    assert bound.y[0] == 0.2 and np.isnan(bound.y[1])  # no theorem for the improper rule: no bar
    assert legend(fig) == ["inaccuracy of p̂", "theorem's bound"]


def test_g_curves_are_rescaled_to_the_unit_interval() -> None:
    rules = [ScoringRule("quadratic"), ScoringRule("log"), ScoringRule("spherical")]
    curves = g_curves(rules, points=101)
    fig = checked(g_figure(curves, "rain"))
    assert legend(fig) == [r.label for r in rules]
    for trace, (xs, g) in zip(fig.data, curves.values()):
        y = np.asarray(trace.y, dtype=float)
        np.testing.assert_array_equal(trace.x, xs)
        assert np.nanmin(y) == 0.0 and np.nanmax(y) == 1.0
        # An affine image of G: rescaling keeps where G is smallest (x = 1/2 for these symmetric rules).
        assert xs[np.nanargmin(y)] == 0.5
        finite = np.isfinite(g)
        np.testing.assert_allclose(y[finite], (g[finite] - g[finite].min()) / np.ptp(g[finite]), atol=1e-12)
    quadratic = np.asarray(fig.data[0].y, dtype=float)
    x = curves[rules[0].label][0]
    np.testing.assert_allclose(quadratic, (x**2 + (1 - x) ** 2 - 0.5) / 0.5, atol=1e-12)  # G ∈ [1/2, 1]
    assert fig.layout.xaxis.title.text == "P(rain)"
