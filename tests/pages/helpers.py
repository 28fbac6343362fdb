"""Helpers for the page tests: start the app on a page with a link, read metrics, figures and tables.

The expected values in the tests come from the core (called directly) or from closed forms, never from what
the page shows. ``st.cache_data`` is process-wide, so AppTest runs share the analyses the pages compute.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import user_key_from_element_id

from core.analysis import Analysis, analyze
from figures import STYLE
from core.model.presets import PRESETS
from core.model.scenario import Scenario
from ui.charts import CHART_COMPONENT
from ui.components import TABLE_CLASS
from ui.pages import PAGES as PAGE_SPECS

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = {spec.key: spec.file for spec in PAGE_SPECS}
#: Pages drawn for one number of outcomes only; the others take any.
PAGE_OUTCOMES = {spec.key: spec.outcomes[0] for spec in PAGE_SPECS if len(spec.outcomes) == 1}
#: The metric cards (ui.components.metric_cards), by the start of their labels.
INACCURACY, DISTANCE, BOUND, BOUND_DISTANCE = ("Inaccuracy", "Distance to nearest fixed point",
                                               "Bound on the inaccuracy", "Bound on the distance")
FIXED_POINT_TRACES = tuple(STYLE[k].name for k in ("attracting", "repelling", "saddle", "neutral", "mixed"))
OPTIMUM_TRACE = STYLE["optimum"].name
#: The metric cards print 4 significant digits.
DISPLAY_REL = 5e-4


#: Each page's st.title, to check that AppTest really shows the page asked for.
TITLES = {spec.key: spec.heading for spec in PAGE_SPECS}
#: Pages AppTest cannot open on the first run: before it, AppTest finds a page by its file name, and these
#: pages' url_path differs from it, so AppTest would silently show the default page.
SWITCH_AFTER_FIRST_RUN = {spec.key for spec in PAGE_SPECS if Path(spec.file).stem != spec.key and spec.key != "home"}


def open_app(page: str = "home", params: Mapping[str, str] | None = None) -> AppTest:
    """A fresh session on ``page`` whose link carries ``params``, after its first run.

    For the pages in :data:`SWITCH_AFTER_FIRST_RUN` the session starts (and reads the link) on the home page,
    then switches; the link's view settings are kept by the session, so nothing of the link is lost.
    """
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if page != "home" and page not in SWITCH_AFTER_FIRST_RUN:
        at.switch_page(PAGES[page])
    rerun(at)
    if page in SWITCH_AFTER_FIRST_RUN:
        at.switch_page(PAGES[page])
        rerun(at)
    assert [t.value for t in at.title][:1] == [TITLES[page]]
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@cache
def preset_analysis(name: str) -> Analysis:
    return analyze(PRESETS[name].scenario)


def scenario_of(at: AppTest) -> Scenario:
    """The scenario the session holds (to compare with what a link or an edit should give)."""
    return at.session_state["scenario"]


def params_of(at: AppTest) -> dict[str, str]:
    return {key: at.query_params[key] for key in at.query_params}


def metric(at: AppTest, label_start: str) -> float | None:
    """The number on the metric card whose label starts with ``label_start`` (None for "—")."""
    found = [m for m in at.metric if m.label.startswith(label_start)]
    assert len(found) == 1, [m.label for m in at.metric]
    text = found[0].value
    return None if text == "—" else float(text)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def assert_metrics_show(at: AppTest, result: Analysis) -> None:
    """The four metric cards show ``result`` (to the 4 digits they print)."""
    bounds = result.bounds
    expected = {
        INACCURACY: result.inaccuracy,
        DISTANCE: result.distance_to_fixed_point,
        BOUND: None if bounds is None else bounds.inaccuracy,
        BOUND_DISTANCE: None if bounds is None else bounds.distance_to_fixed_point,
    }
    for label, value in expected.items():
        shown = metric(at, label)
        if value is None:
            assert shown is None, label
        else:
            assert shown == approx_display(value), label


def approx_display(value: float):
    return pytest.approx(value, rel=DISPLAY_REL, abs=1e-12)


def errors(block) -> list[str]:
    return [e.value for e in block.error]


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


# --- figures -------------------------------------------------------------------------------------


def decoded(values: Any) -> np.ndarray:
    """Plotly JSON arrays are plain lists or typed arrays ({"dtype", "bdata"} in base64)."""
    if isinstance(values, dict) and "bdata" in values:
        data = np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"]))
        shape = values.get("shape")  # "rows, columns" as text, for a matrix
        if isinstance(shape, str):
            shape = tuple(int(n) for n in shape.split(","))
        return data if shape is None else data.reshape(shape)
    return np.asarray(values, dtype=float)


def charts(at: AppTest) -> dict[str, dict[str, Any]]:
    """The plotly figures the page drew with :func:`ui.charts.chart`, by key, parsed from their JSON."""
    drawn = {}
    for element in at.get("bidi_component"):
        if element.proto.component_name != CHART_COMPONENT:  # the copy link is a component too
            continue
        key = user_key_from_element_id(element.proto.id)
        assert key not in drawn, key
        drawn[key] = json.loads(json.loads(element.proto.json)["figure"])
    return drawn


def figure(at: AppTest, key: str) -> dict[str, Any]:
    """The plotly figure drawn under ``key`` (:func:`ui.charts.chart`)."""
    drawn = charts(at)
    assert key in drawn, sorted(drawn)
    return drawn[key]


def trace_points(fig: Mapping[str, Any], names: tuple[str, ...] | str) -> np.ndarray:
    """All (x, y) points of the traces with these names, as an array of shape (k, 2)."""
    names = (names,) if isinstance(names, str) else names
    xs, ys = [], []
    for trace in fig["data"]:
        if trace.get("name") in names:
            xs.append(decoded(trace["x"]))
            ys.append(decoded(trace["y"]))
    if not xs:
        return np.empty((0, 2))
    return np.column_stack([np.concatenate(xs), np.concatenate(ys)])


# --- tables --------------------------------------------------------------------------------------


def table(at: AppTest, index: int = 0) -> pd.DataFrame:
    """The ``index``-th read-only table of the page (:func:`ui.components.table`), with its numbers unrounded
    (read from each cell's ``data-value``)."""
    tables = [m.value for m in at.markdown if f'<table class="{TABLE_CLASS}"' in m.value]
    return read_table(tables[index])


class _TableReader(HTMLParser):
    """The header and the cells of one HTML table; a cell with ``data-value`` is that JSON value."""

    def __init__(self) -> None:
        super().__init__()
        self.header: list[str] = []
        self.rows: list[list[Any]] = []
        self._cell: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = {"tag": tag, "text": "", "attrs": dict(attrs)}

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            cell, self._cell = self._cell, None
            if tag == "th":
                self.header.append(cell["text"])
                return
            raw = cell["attrs"].get("data-value")
            value = cell["text"] if raw is None else json.loads(raw)
            self.rows[-1].append(float(value) if isinstance(value, str) and raw is not None else value)


def read_table(source: str) -> pd.DataFrame:
    """The DataFrame an HTML table of :func:`ui.components.table` shows (numbers in full)."""
    reader = _TableReader()
    reader.feed(source)
    return pd.DataFrame([row for row in reader.rows if row], columns=reader.header)
