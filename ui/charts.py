"""Plotly charts that update in place when the page reruns.

``st.plotly_chart`` gives a chart a new identity whenever its figure changes, so every slider move unmounts
each chart and draws it anew (twice, once more after measuring its width): most of a rerun's time in the
browser. :func:`chart` mounts a small custom component instead (``ui/charts.js``) whose identity is its key:
the browser keeps the plot and calls ``Plotly.react`` with the new figure, which redraws only what changed and
keeps the reader's zoom. plotly.js is the copy shipped with the ``plotly`` package (the version its figures
are written for), served by Streamlit from that package's folder: nothing is fetched from the network.

Figures are plain dictionaries (see :mod:`figures.style`); numpy arrays in them travel as plotly.js typed
arrays (base64), the compact form plotly itself sends.
"""

from __future__ import annotations

import base64
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np
import plotly
import plotly.io
import streamlit as st
import streamlit.components.v1 as v1_components
from plotly.io.json import to_json_plotly
from streamlit.delta_generator import DeltaGenerator

_PLOTLY_DIR = Path(plotly.__file__).parent / "package_data"
_SERVED_AS = "plotly_js"  # Streamlit serves a declared component's folder as static files under this name
CHART_COMPONENT = "prediction_fixed_points.chart"  # the component's registered name
_CHART = st.components.v2.component(
    CHART_COMPONENT, html='<div class="pfp-chart"></div>',
    js=(Path(__file__).parent / "charts.js").read_text(), isolate_styles=False)


def _plotly_url() -> str:
    """Where the browser loads plotly.js from (declaring the folder on every run is a dictionary update)."""
    served = v1_components.declare_component(_SERVED_AS, path=str(_PLOTLY_DIR))
    base = st.get_option("server.baseUrlPath").strip("/")
    return f"{'/' + base if base else ''}/component/{served.name}/plotly.min.js"


_TYPED = {"float64": "f8", "float32": "f4", "int32": "i4", "int16": "i2", "int8": "i1", "uint8": "u1"}


def _packed(value: Any) -> Any:
    """``value`` with every numeric numpy array as a plotly.js typed array ({"dtype", "bdata"}, and "shape"
    for a matrix); int64 becomes int32 when it fits. Other values are left for the JSON encoder."""
    if isinstance(value, dict):
        return {key: _packed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_packed(item) for item in value]
    if isinstance(value, np.ndarray) and value.size:
        if value.dtype == np.int64 and np.abs(value).max() < 2**31:
            value = value.astype(np.int32)
        if value.dtype.name in _TYPED:
            packed = {"dtype": _TYPED[value.dtype.name],
                      "bdata": base64.b64encode(np.ascontiguousarray(value)).decode("ascii")}
            if value.ndim > 1:
                packed["shape"] = ", ".join(map(str, value.shape))
            return packed
    return value


def chart(figure: dict[str, Any], key: str, *, where: DeltaGenerator | None = None, clickable: bool = False,
          config: dict[str, Any] | None = None) -> dict[str, float] | None:
    """Draw ``figure`` under ``key``, in ``where`` (a column, say) or the current place. The key is stable
    across reruns, so that later figures update the same plot. The browser draws the figure in the app's
    theme (its own template is replaced).

    With ``clickable``, a click on a point reruns the script and this returns that point's ``x`` and ``y``
    (once, on the run the click caused); otherwise, and when nothing was clicked, ``None``.
    """
    data = {"figure": to_json_plotly(_packed(figure)), "plotly": _plotly_url(), "config": config or {},
            "clickable": clickable}
    with where if where is not None else nullcontext():
        result = _CHART(key=key, data=data, on_click_change=(lambda: None) if clickable else None)
    return result.click if clickable else None


@st.cache_data(max_entries=16, show_spinner=False)
def page_html(key: str, _figure: dict[str, Any]) -> bytes:
    """The figure as a web page of its own (plotly.js from its CDN, plotly's default look), for a download.

    Written once per ``key``, which must name the figure (the scenario and the view it draws; the figure itself
    is not hashed): plotly checks the whole figure on the way, tens of milliseconds for a map."""
    return plotly.io.to_html(_figure, include_plotlyjs="cdn").encode()
