"""The current world under several scoring rules side by side."""

import pandas as pd
import streamlit as st

from core import RULE_KINDS, g_curves, Scenario, ScoringRule, sup_g_ratio
from figures.scoring_rules import g_figure, rules_bar_figure
from ui import state
from ui.components import certificate_note, table
from ui.charts import chart
from ui.compute import analysis

st.title("Scoring rules side by side")
st.caption("The same world, scored by each rule. Proper rules pay most for the truth when the world stands "
           "still; how far each bends the report depends on the curvature of G. "
           "[Theory](theory#performative-optimum)")

current = state.scenario()
# The current rule keeps its parameter (K, alpha); the other families use their defaults.
rules = [current.rule if kind == current.rule.kind else ScoringRule(kind)
         for kind, spec in RULE_KINDS.items() if current.n == 2 or not spec.binary_only]
rows, labels, inaccuracy, bound = [], [], [], []
for rule in rules:
    result = analysis(Scenario(current.outcomes, current.world, rule))
    best = result.best_by_score
    labels.append(rule.label)
    inaccuracy.append(result.inaccuracy)
    bound.append(None if result.bounds is None else result.bounds.inaccuracy)
    rows.append({
        "rule": rule.label,
        "current": "✔" if rule == current.rule else "",
        "sup |g/g′|": sup_g_ratio(rule) if current.n == 2 else None,
        **{f"p̂: P({o})": v for o, v in zip(current.outcomes, result.optimum.p)},
        "inaccuracy": result.inaccuracy,
        "bound": bound[-1],
        "distance to fixed point": result.distance_to_fixed_point,
        "score-best fixed point": None if best is None else
        ", ".join(f"{v:.3f}" for v in result.fixed_points[best].p),
    })
frame = pd.DataFrame(rows)
table(frame)
certificate_note(result)  # the fixed points depend on the world only, not on the rule
st.download_button("Download the table (CSV)", frame.to_csv(index=False).encode(), "scoring-rules.csv", "text/csv")

left, right = st.columns(2)
chart(rules_bar_figure(labels, inaccuracy, bound), "bars", where=left)
if current.n == 2:
    chart(g_figure(g_curves(rules), current.outcomes[0]), "entropy", where=right)
else:
    right.info("The convex functions G are drawn for two outcomes; with more, compare the table.")
