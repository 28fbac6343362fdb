"""Plotly charts that update in place when the page reruns.

``st.plotly_chart`` gives a chart a new identity whenever its figure changes, so every slider move unmounts
each chart and draws it anew (twice, once more after measuring its width): most of a rerun's time in the
browser. :func:`chart` mounts a small custom component instead (``ui/charts.js``) whose identity is its key:
the browser keeps the plot and calls ``Plotly.react`` with the new figure, which redraws only what changed and
keeps the reader's zoom. plotly.js is the copy shipped with the ``plotly`` package (the version its figures
are written for), served by Streamlit from that package's folder: nothing is fetched from the network.
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go
import streamlit as st
import streamlit.components.v1 as v1_components
from streamlit.delta_generator import DeltaGenerator

_PLOTLY_DIR = Path(plotly.__file__).parent / "package_data"
_SERVED_AS = "plotly_js"  # Streamlit serves a declared component's folder as static files under this name
_CHART = st.components.v2.component(
    "prediction_fixed_points.chart", html='<div class="pfp-chart"></div>',
    js=(Path(__file__).parent / "charts.js").read_text(), isolate_styles=False)


def _plotly_url() -> str:
    """Where the browser loads plotly.js from (declaring the folder on every run is a dictionary update)."""
    served = v1_components.declare_component(_SERVED_AS, path=str(_PLOTLY_DIR))
    base = st.get_option("server.baseUrlPath").strip("/")
    return f"{'/' + base if base else ''}/component/{served.name}/plotly.min.js"


def chart(figure: go.Figure, key: str, *, where: DeltaGenerator | None = None, clickable: bool = False,
          config: dict[str, Any] | None = None) -> dict[str, float] | None:
    """Draw ``figure`` under ``key``, in ``where`` (a column, say) or the current place. The key is stable
    across reruns, so that later figures update the same plot. The browser draws the figure in the app's
    theme (its own template is replaced).

    With ``clickable``, a click on a point reruns the script and this returns that point's ``x`` and ``y``
    (once, on the run the click caused); otherwise, and when nothing was clicked, ``None``.
    """
    data = {"figure": figure.to_json(), "plotly": _plotly_url(), "config": config or {}, "clickable": clickable}
    with where if where is not None else nullcontext():
        result = _CHART(key=key, data=data, on_click_change=(lambda: None) if clickable else None)
    return result.click if clickable else None
