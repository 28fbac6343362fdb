"""Three outcomes: the simplex with the field f(p) − p over the predictor's expected score."""

import streamlit as st

from ui import state
from ui.components import certificate_note, metric_cards, needs_outcomes, results_section, sentence
from ui.compute import analysis, triangle_figure

st.title("Three outcomes")
st.caption("Each point of the triangle is a prediction; the arrows point to what it makes happen, f(p). "
           "Colour: the predictor's expected score S(p, f(p)). [How this works](theory#fixed-points)")

if needs_outcomes(3, "triangle"):
    current = state.scenario()
    result = analysis(current)
    sentence(result)
    metric_cards(result)
    st.plotly_chart(triangle_figure(current.to_json()), key="triangle")
    st.subheader("Fixed points and the optimum")
    certificate_note(result)
    results_section(result, "three-outcome-results")
