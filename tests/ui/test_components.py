"""The results table (ui.components.results_table) shows Analysis.report(): the same numbers as the analysis."""

from __future__ import annotations

import numpy as np
import pytest

from core.analysis import analyze
from core.model.presets import PRESETS
from ui.components import results_table


@pytest.mark.parametrize("name", ["decision-example", "bank-run", "coordination", "self-defeating"])
def test_one_row_per_fixed_point_and_one_for_the_optimum(name: str) -> None:
    analysis = analyze(PRESETS[name].scenario)
    table = results_table(analysis.report())
    names, world = analysis.scenario.outcomes, analysis.scenario.world
    k = len(analysis.fixed_points)
    assert list(table["point"]) == [f"fixed point {i + 1}" for i in range(k)] + ["performative optimum p̂"]
    points = np.array([fp.p for fp in analysis.fixed_points] + [analysis.optimum.p])
    np.testing.assert_allclose(table[[f"P({o})" for o in names]].to_numpy(), points, rtol=1e-11, atol=1e-15)
    np.testing.assert_allclose(table["score S(p, f(p))"], [*analysis.scores, analysis.optimum.score], rtol=1e-11)
    assert list(table["stability"]) == [fp.stability for fp in analysis.fixed_points] + [""]
    assert table["kind"].iloc[-1] == ("optimum" if analysis.optimum.attained else "supremum")
    if analysis.human_utilities is None:
        assert "human utility" not in table and "human's mixing" not in table
    else:
        np.testing.assert_allclose(table["human utility"],
                                   [*analysis.human_utilities, analysis.optimum_human_utility], rtol=1e-11)
        mixing = ", ".join(f"{a} {w:.3g}" for a, w in zip(world.actions, world.action_probs(analysis.optimum.p)))
        assert table["human's mixing"].iloc[-1] == mixing
    tags = list(table["honest optimum"][:-1])
    if k > 1:
        assert "best score" in tags[analysis.best_by_score]
        assert sum("best score" in t for t in tags) == 1
    else:
        assert tags == [""]


def test_mixed_fixed_points_show_the_humans_mixing() -> None:
    analysis = analyze(PRESETS["decision-example"].scenario)
    table = results_table(analysis.report())
    actions = analysis.scenario.world.actions
    for i, fp in enumerate(analysis.fixed_points):
        shown = table["human's mixing"].iloc[i]
        if fp.mixing is None:
            assert shown != shown  # NaN: nothing to show for a regular fixed point
        else:
            assert shown == ", ".join(f"{a} {w:.3g}" for a, w in zip(actions, fp.mixing))


def _table_script() -> None:
    import numpy as np
    import pandas as pd

    from ui.components import table

    table(pd.DataFrame({"name <b>": ["<script>alert(1)</script>", "a & b"], "x": [0.0123456789, np.nan],
                        "n": [3, -np.inf], "ok": [True, False], "bound": [None, 0.5]}))


def test_the_table_shows_rounded_numbers_keeps_them_in_full_and_escapes_text() -> None:
    from streamlit.testing.v1 import AppTest

    from tests.pages.helpers import read_table

    at = AppTest.from_function(_table_script).run()
    (source,) = [m.value for m in at.markdown]
    assert "<script>" not in source and "<b>" not in source  # text is escaped, never markup
    assert ">0.01235</td>" in source and 'title="0.0123456789"' in source  # 4 significant digits; all on hover
    assert source.count(">—</td>") == 2 and ">-inf</td>" in source  # nan and None read as a dash, infinity as itself
    assert "None" not in source
    frame = read_table(source)
    assert list(frame.columns) == ["name <b>", "x", "n", "ok", "bound"]
    assert list(frame["name <b>"]) == ["<script>alert(1)</script>", "a & b"]
    assert frame["x"][0] == 0.0123456789 and np.isnan(frame["x"][1])
    assert list(frame["n"]) == [3, -np.inf] and list(frame["ok"]) == [True, False]
