"""ui.charts: a chart keeps its identity (its key) while its figure changes, carries the figure as plotly JSON,
and loads plotly.js from the plotly package's own folder."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import plotly
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import user_key_from_element_id

from ui.charts import page_html


def _script() -> None:
    import numpy as np
    import streamlit as st

    from ui.charts import chart

    slope = st.slider("slope", 0.0, 2.0, 1.0, key="slope")
    clicked = chart({"data": [{"type": "scatter", "x": [0, 1], "y": [0, slope], "name": "line"}], "layout": {}}, "line")
    st.write(f"clicked: {clicked}")
    chart({"data": [{"type": "heatmap", "z": np.array([[1.0, 2.0], [3.0, 4.0]])}], "layout": {}}, "map",
          where=st.sidebar, clickable=True)


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
    (drawn,) = json.loads(heat["figure"])["data"]
    assert drawn["type"] == "heatmap"
    # A numpy matrix travels as a typed array: float64 bytes and the matrix' shape.
    assert drawn["z"]["dtype"] == "f8" and drawn["z"]["shape"] == "2, 2"
    np.testing.assert_array_equal(np.frombuffer(base64.b64decode(drawn["z"]["bdata"])), [1, 2, 3, 4])
    # Served from the plotly package: /component/<declared name>/plotly.min.js, a file that exists there.
    assert line["plotly"].startswith("/component/") and line["plotly"].endswith("/plotly.min.js")
    assert (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").is_file()
    assert at.markdown[0].value == "clicked: None"  # not clickable, nothing clicked


def test_charts_sit_where_they_are_put() -> None:
    at = AppTest.from_function(_script).run()
    in_sidebar = [user_key_from_element_id(e.proto.id) for e in at.sidebar.get("bidi_component")]
    assert in_sidebar == ["map"]


def test_a_figure_downloads_as_a_page_of_its_own() -> None:
    page = page_html("the line", {"data": [{"type": "scatter", "x": np.array([0.5, 1.5]), "y": [2, 3],
                                            "name": "the line"}], "layout": {"title": {"text": "the title"}}}).decode()
    assert page.startswith("<!doctype html>") and 'src="https://cdn.plot.ly/plotly-' in page
    assert '"name":"the line"' in page and '"text":"the title"' in page
