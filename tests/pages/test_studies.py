"""The Studies page: its numbers are the core's study, its settings live in the URL, its links reopen worlds."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest

from core.model.scenario import Scenario
from core.studies import StudySpec, run_study, scenario_at, summarize
from tests.pages.helpers import charts, figure, metrics, open_app, params_of, rerun, trace_points, warnings

#: A row of the worst worlds' table (ui.components.table): the world's index first, its link last.
LINK = re.compile(r"<tr><td[^>]*>(\d+)</td>.*?<a href=\"([^\"]*)\"[^>]*>open in the explorer</a></td></tr>")


def worst_links(at) -> list[tuple[int, str]]:
    text = next(m.value for m in at.markdown if "open in the explorer" in m.value)
    return [(int(i), html.unescape(url)) for i, url in LINK.findall(text)]


@pytest.mark.parametrize("outcomes, page", [(2, "binary"), (3, "triangle"), (5, "scoring-rules")])
def test_numbers_are_the_core_study_and_links_reopen_the_worlds(outcomes: int, page: str) -> None:
    at = open_app("studies", {"study_outcomes": str(outcomes), "study_worlds": "1500", "study_seed": "3"})
    spec = StudySpec(outcomes=outcomes)
    summary = summarize(spec, 3, run_study(spec, 1500, 3))
    shown = metrics(at)
    assert shown["worlds"] == "1,500"
    assert float(shown["mean inaccuracy"]) == pytest.approx(summary["quantities"]["inaccuracy"]["mean"], rel=5e-4)
    assert float(shown["largest inaccuracy / bound"]) == pytest.approx(summary["quantities"]["ratio"]["max"],
                                                                         rel=5e-4)
    links = worst_links(at)
    assert len(links) == 10 and links[0][0] == summary["worst"]["index"]
    for index, url in links[:3]:
        parts = urlsplit(url)
        assert parts.path.endswith("/" + page)
        assert Scenario.from_query_params(dict(parse_qsl(parts.query))) == scenario_at(spec, 3, index)


def test_scatter_shows_every_world_and_the_bound_line() -> None:
    at = open_app("studies", {"study_outcomes": "4", "study_worlds": "800"})
    spec = StudySpec(outcomes=4)
    result = run_study(spec, 800, 0)
    fig = figure(at, "scatter")
    worlds = trace_points(fig, "worlds")
    np.testing.assert_array_equal(worlds, np.column_stack([result["norm_T"], result["inaccuracy"]]))
    (_, _), (x, y) = trace_points(fig, "the theorem's bound")
    # The bound's line is ‖αA‖_T √((n − 1)/n), docs/theory.md#performative-optimum; no world lies above it.
    assert y / x == pytest.approx(np.sqrt(3 / 4)) and x == pytest.approx(result["norm_T"].max())
    assert (worlds[:, 1] <= np.sqrt(3 / 4) * worlds[:, 0] + 1e-12).all()


def test_settings_are_in_the_url_and_bad_ones_fall_back() -> None:
    at = open_app("studies", {"study_rule": "log", "study_outcomes": "3", "study_worlds": "300", "study_seed": "9"})
    params = params_of(at)
    assert {k: params[k] for k in params if k.startswith("study_")} == {
        "study_sampler": "matrix", "study_outcomes": "3", "study_rule": "log", "study_worlds": "300", "study_seed": "9"}
    assert metrics(at)["bound tight within 1 % / fails"] == "no theorem applies"
    at.number_input(key="study_seed").set_value(10)
    rerun(at)
    assert params_of(at)["study_seed"] == "10"

    at = open_app("studies", {"study_worlds": "many", "study_rule": "dice"})
    assert len(warnings(at)) == 2 and all("not valid" in w for w in warnings(at))
    assert params_of(at)["study_worlds"] == "2000" and params_of(at)["study_rule"] == "quadratic"


def test_policy_worlds_are_capped_and_have_no_scatter() -> None:
    at = open_app("studies", {"study_sampler": "policy", "study_outcomes": "2", "study_worlds": "5000"})
    assert metrics(at)["worlds"] == "200"
    assert any("no ‖αA‖_T" in i.value for i in at.info)
    assert "scatter" not in charts(at) and "histograms" in charts(at)
    assert "large studies belong on the command line" in at.caption[0].value


def test_the_every_world_download_is_the_core_study() -> None:
    import io

    import pandas as pd

    from core.studies import frame
    from ui.compute import study_csv

    data = study_csv("matrix", 3, "quadratic", 4, 150)
    expected = frame(run_study(StudySpec(outcomes=3), 150, 4))
    pd.testing.assert_frame_equal(pd.read_csv(io.BytesIO(data)), pd.read_csv(io.StringIO(expected.to_csv(index=False))))
    assert len(expected) == 150
