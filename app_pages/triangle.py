"""Three outcomes: the simplex with the field f(p) − p over the predictor's expected score."""

import streamlit as st

from figures.triangle import triangle_figure
from ui.components import export_row, results_section, summary
from ui.charts import chart
from ui.compute import triangle_view

st.title("Three outcomes")
st.caption("Each point of the triangle is a prediction; the arrows point to what it makes happen, f(p). "
           "Colour: the predictor's expected score S(p, f(p)). [How this works](theory#fixed-points)")

if (result := summary(3, "triangle")) is not None:
    grid, field = triangle_view(result.scenario.to_json())
    chart(triangle_figure(result, grid, field), "triangle")
    st.subheader("Fixed points and the optimum")
    results_section(result, "three-outcome-results")
    export_row("triangle", "three-outcomes")
