"""Two outcomes: f(p) against the diagonal, the predictor's score, and repeated prediction."""

import streamlit as st

from core import Analysis, BinaryCurve
from figures.binary import binary_map_figure, binary_score_figure, cobweb_figure
from ui import state
from ui.components import export_row, fragment_view, results_section, summary
from ui.charts import chart
from ui.compute import binary_view, cobweb


@st.fragment
def repeated_prediction(result: Analysis, curve: BinaryCurve, scenario_json: str) -> None:
    """The cobweb's controls and chart: moving them reruns only this section (the scenario is unchanged)."""
    controls, plot = st.columns([1, 3])
    start = controls.slider(f"start: P({result.scenario.outcomes[0]})", 0.0, 1.0,
                            state.link_value("start", state.bounded(float, 0.0, 1.0), 0.9), 0.005,
                            key="cobweb_start")
    steps = controls.slider("rounds", 1, 60, state.link_value("steps", state.bounded(int, 1, 60), 12),
                            key="cobweb_steps")
    path = cobweb(scenario_json, start, steps)
    chart(cobweb_figure(result, curve, path), "cobweb", where=plot)
    fragment_view({"start": repr(start), "steps": str(steps)})
    export_row("binary", "two-outcomes")


st.title("Two outcomes")
st.caption("p is the announced probability of the first outcome; f(p) the probability it then has. "
           "[How this works](theory#fixed-points)")

if (result := summary(2, "binary")) is not None:
    scenario_json = result.scenario.to_json()
    curve, responds, held = binary_view(scenario_json)
    left, right = st.columns(2)
    chart(binary_map_figure(result, curve), "map", where=left)
    chart(binary_score_figure(result, curve.x, responds, held), "score", where=right)

    st.subheader("Fixed points and the optimum")
    results_section(result, "two-outcome-results")

    st.subheader("Repeated prediction")
    st.caption("Announce p, observe f(p), announce that next round: p ← f(p). Attracting fixed points pull "
               "the orbit in; repelling ones push it away, sometimes into a cycle.")
    repeated_prediction(result, curve, scenario_json)
