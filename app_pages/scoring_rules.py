"""The current world under several scoring rules side by side."""

import streamlit as st

from core import g_curves, tables
from figures.scoring_rules import g_figure, rules_bar_figure
from ui import state
from ui.components import certificate_note, export_row, table
from ui.charts import chart
from ui.compute import analysis

st.title("Scoring rules side by side")
st.caption("The same world, scored by each rule. Proper rules pay most for the truth when the world stands "
           "still; how far each bends the report depends on the curvature of G. "
           "[Theory](theory#performative-optimum)")

current = state.scenario()
frame = tables.rule_comparison(current, analysis)
table(frame)
certificate_note(analysis(current))  # the fixed points depend on the world only, not on the rule
st.download_button("Download the table (CSV)", frame.to_csv(index=False).encode(), "scoring-rules.csv", "text/csv")

left, right = st.columns(2)
chart(rules_bar_figure(list(frame["rule"]), list(frame["inaccuracy"]), list(frame["bound"])), "bars", where=left)
if current.n == 2:
    chart(g_figure(g_curves(tables.comparable_rules(current)), current.outcomes[0]), "entropy", where=right)
else:
    right.info("The convex functions G are drawn for two outcomes; with more, compare the table.")
export_row("scoring-rules", "scoring-rules")
