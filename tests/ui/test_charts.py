"""ui.charts: a chart keeps its identity (its key) while its figure changes, carries the figure as plotly JSON,
and loads plotly.js from the plotly package's own folder."""

from __future__ import annotations

import json
from pathlib import Path

import plotly
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import user_key_from_element_id


def _script() -> None:
    import plotly.graph_objects as go
    import streamlit as st

    from ui.charts import chart

    slope = st.slider("slope", 0.0, 2.0, 1.0, key="slope")
    clicked = chart(go.Figure(go.Scatter(x=[0, 1], y=[0, slope], name="line")), "line")
    st.write(f"clicked: {clicked}")
    chart(go.Figure(go.Heatmap(z=[[1, 2], [3, 4]])), "map", where=st.sidebar, clickable=True)


def _charts(at: AppTest) -> dict[str, tuple[str, dict]]:
    return {user_key_from_element_id(e.proto.id): (e.proto.id, json.loads(e.proto.json))
            for e in at.get("bidi_component")}


def test_a_chart_keeps_its_identity_while_its_figure_changes() -> None:
    at = AppTest.from_function(_script).run()
    before = _charts(at)
    at.slider(key="slope").set_value(1.5).run()
    after = _charts(at)
    assert set(before) == set(after) == {"line", "map"}
    assert before["line"][0] == after["line"][0]  # the same element: the browser updates it in place
    old, new = (json.loads(c["line"][1]["figure"]) for c in (before, after))
    assert old["data"][0]["y"] == [0, 1.0] and new["data"][0]["y"] == [0, 1.5]
    assert not at.exception


def test_the_data_names_what_the_browser_needs() -> None:
    at = AppTest.from_function(_script).run()
    charts = _charts(at)
    line, heat = charts["line"][1], charts["map"][1]
    assert (line["clickable"], heat["clickable"]) == (False, True)
    assert json.loads(heat["figure"])["data"][0]["type"] == "heatmap"
    # Served from the plotly package: /component/<declared name>/plotly.min.js, a file that exists there.
    assert line["plotly"].startswith("/component/") and line["plotly"].endswith("/plotly.min.js")
    assert (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").is_file()
    assert at.markdown[0].value == "clicked: None"  # not clickable, nothing clicked


def test_charts_sit_where_they_are_put() -> None:
    at = AppTest.from_function(_script).run()
    in_sidebar = [user_key_from_element_id(e.proto.id) for e in at.sidebar.get("bidi_component")]
    assert in_sidebar == ["map"]
