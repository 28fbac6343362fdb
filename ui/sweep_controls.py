"""The Sweep page's controls: the fields and ranges of a diagram or a map, started from the link (or a
gallery entry) and written back into it."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import (GALLERY, MAX_CELLS, MAX_VALUES, QUANTITIES, default_field, default_range, numeric_fields,
                  plotted_axis)
from ui import state

MODES = {"diagram": "Bifurcation diagram (one field)", "map": "Map (two fields)"}
#: Widget keys and the URL keys that mirror them.
KEYS = {"mode": "sw_mode", "param": "sw_param", "from": "sw_from", "to": "sw_to", "num": "sw_num",
        "param2": "sw_param2", "from2": "sw_from2", "to2": "sw_to2", "num2": "sw_num2",
        "quantity": "sw_quantity", "plot": "sw_plot", "point": "sw_point"}


def _start(scenario, fields: list[str]) -> None:
    """Give every widget its first value: from a ``?gallery=`` link, else the session's first link, else a
    default; and a field the current scenario lacks falls back to its first field."""
    if "gallery" in st.query_params:
        name = st.query_params["gallery"]
        del st.query_params["gallery"]
        if name in GALLERY:
            g = GALLERY[name]
            state.load(g.scenario)
            values = {"mode": "map" if g.y else "diagram", "param": g.x[0], "from": g.x[1], "to": g.x[2],
                      "num": g.x[3], "quantity": g.quantity}
            if g.y:
                values |= {"param2": g.y[0], "from2": g.y[1], "to2": g.y[2], "num2": g.y[3]}
            for key, value in values.items():
                st.session_state[KEYS[key]] = value
            st.rerun()
        state.notify(f"There is no gallery sweep called {name!r}.")
    one_of = state.one_of(set(fields))
    first = default_field(scenario)
    defaults = {"mode": ("diagram", state.one_of(MODES)), "param": (first, one_of),
                "param2": (fields[min(1, len(fields) - 1)], one_of), "quantity": ("inaccuracy", state.one_of(QUANTITIES)),
                "num": (101, state.bounded(int, 2, MAX_VALUES)), "num2": (41, state.bounded(int, 2, MAX_CELLS)),
                "plot": ("0", str), "point": ("", str)}
    for key, (default, parse) in defaults.items():
        if KEYS[key] not in st.session_state:
            st.session_state[KEYS[key]] = state.link_value(key, parse, default)
    for key in ("param", "param2"):
        if st.session_state[KEYS[key]] not in fields:
            st.session_state[KEYS[key]] = first
    for suffix in ("", "2"):
        if KEYS["from" + suffix] not in st.session_state or KEYS["to" + suffix] not in st.session_state:
            lo, hi = default_range(scenario, st.session_state[KEYS["param" + suffix]])
            st.session_state[KEYS["from" + suffix]] = state.link_value("from" + suffix, float, lo)
            st.session_state[KEYS["to" + suffix]] = state.link_value("to" + suffix, float, hi)


def _new_field(suffix: str) -> None:
    """A new field starts with its own default range."""
    lo, hi = default_range(state.scenario(), st.session_state[KEYS["param" + suffix]])
    st.session_state[KEYS["from" + suffix]], st.session_state[KEYS["to" + suffix]] = lo, hi


def controls(scenario) -> dict:
    """Draw the controls; return their values (and put them in the URL)."""
    fields = numeric_fields(scenario)
    if not fields:
        return {}
    _start(scenario, fields)
    mode = st.segmented_control("What to draw", list(MODES), format_func=MODES.get, key=KEYS["mode"]) or "diagram"
    rows = [("", "field")] + ([("2", "second field (rows)")] if mode == "map" else [])
    out = {"mode": mode}
    for suffix, label in rows:
        cols = st.columns([2, 1, 1, 1])
        out["param" + suffix] = cols[0].selectbox(label, fields, key=KEYS["param" + suffix], on_change=_new_field,
                                                  args=(suffix,))
        out["from" + suffix] = cols[1].number_input("from", key=KEYS["from" + suffix], format="%.6g")
        out["to" + suffix] = cols[2].number_input("to", key=KEYS["to" + suffix], format="%.6g")
        out["num" + suffix] = cols[3].number_input("values", 2, MAX_VALUES if suffix == "" else MAX_CELLS,
                                                   key=KEYS["num" + suffix])
    if mode == "map":
        out["quantity"] = st.selectbox("quantity", list(QUANTITIES), format_func=QUANTITIES.get,
                                       key=KEYS["quantity"])
    elif scenario.n > 2:
        options = [str(i) for i in range(scenario.n)] + ["uniform", "point"]
        labels = {str(i): f"P({o})" for i, o in enumerate(scenario.outcomes)}
        labels |= {"uniform": "distance to the uniform forecast", "point": "distance to a point…"}
        if st.session_state[KEYS["plot"]] not in options:
            st.session_state[KEYS["plot"]] = "0"
        out["plot"] = st.selectbox("plot", options, format_func=labels.get, key=KEYS["plot"])
        if out["plot"] == "point":
            out["point"] = st.text_input("the point (probabilities, comma-separated)", key=KEYS["point"])
    state.set_view({key: str(value) for key, value in out.items()})
    return out


def plotted(scenario, view: dict) -> tuple[int | np.ndarray, str]:
    """What the diagram's vertical axis shows (:func:`core.sweeps.diagram.plotted_axis`); a bad point is said, and the
    distance to the uniform forecast shown instead."""
    try:
        return plotted_axis(scenario.outcomes, view.get("plot", "0"), view.get("point", ""))
    except ValueError as err:
        st.warning(f"{err}; showing the distance to the uniform forecast.")
        return plotted_axis(scenario.outcomes, "uniform")
