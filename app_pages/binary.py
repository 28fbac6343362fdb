"""Two outcomes: f(p) against the diagonal, the predictor's score, and repeated prediction."""

import streamlit as st

import figures
from core.learning.repeated import MAX_STEPS
from ui import state
from ui.components import certificate_note, metric_cards, needs_outcomes, results_section, sentence
from ui.compute import analysis

st.title("Two outcomes")
st.caption("p is the announced probability of the first outcome; f(p) the probability it then has. "
           "[How this works](theory#fixed-points)")

if needs_outcomes(2, "binary"):
    result = analysis(state.scenario())
    first = result.scenario.outcomes[0]
    sentence(result)
    metric_cards(result)
    left, right = st.columns(2)
    left.plotly_chart(figures.binary_map_figure(result), key="map")
    right.plotly_chart(figures.binary_score_figure(result), key="score")

    st.subheader("Repeated prediction")
    st.caption("Announce p, observe f(p), announce that next round: p ← f(p). Attracting fixed points pull "
               "the orbit in; repelling ones push it away, sometimes into a cycle.")
    controls, chart = st.columns([1, 3])
    start = controls.slider(f"start: P({first})", 0.0, 1.0,
                            state.link_value("start", state.bounded(float, 0.0, 1.0), 0.9), 0.005,
                            key="cobweb_start")
    steps = controls.slider("rounds", 1, 60, state.link_value("steps", state.bounded(int, 1, 60), 12),
                            key="cobweb_steps")
    chart.plotly_chart(figures.cobweb_figure(result, start, min(steps, MAX_STEPS)), key="cobweb")
    state.set_view({"start": repr(start), "steps": str(steps)})

    st.subheader("Fixed points and the optimum")
    certificate_note(result)
    results_section(result, "two-outcome-results")
