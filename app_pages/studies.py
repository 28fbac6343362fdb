"""Studies: many random worlds at once; how far p̂ strays from f(p̂), against the theorem's bound."""

import streamlit as st

from core import (BATCHED_RULES, RULE_KINDS, SAMPLERS, bound_slope, frame, scenario_at, StudySpec, summarize, tables,
                  worst_rows)
from figures.studies import bound_scatter_figure, histograms_figure
from ui import state
from ui.charts import chart
from ui.components import export_row, Link, table
from ui.compute import study, study_csv
from ui.pages import explorer_for

#: Worlds the page runs at most: batched paths (matrix worlds, quadratic or log rule), and per-world ones.
FAST_CAP, SLOW_CAP = 20_000, 200
SEEDS = 2**31 - 1

st.title("Studies across many worlds")
st.caption(f"Random worlds f(p) = (1 − α)c + αAp (A's columns and c from a flat Dirichlet, α uniform on [0, 1]) "
           "or random softmax humans; for each, p̂, its inaccuracy ‖p̂ − f(p̂)‖ and distance to the fixed point "
           "(|p₁ − q₁| for two outcomes, as in the papers; Euclidean for more). "
           f"The page runs at most {FAST_CAP:,} worlds ({SLOW_CAP} where each world is solved alone): "
           "large studies belong on the command line, `python -m core study`, on a Dask cluster (see the README).")
cols = st.columns(5)
sampler = cols[0].selectbox("sampler", SAMPLERS, SAMPLERS.index(state.link_value(
    "study_sampler", state.one_of(set(SAMPLERS)), "matrix")), key="study_sampler")
outcomes = cols[1].number_input("outcomes", 2, 6, state.link_value("study_outcomes", state.bounded(int, 2, 6), 5),
                                key="study_outcomes")
rules = [kind for kind, spec in RULE_KINDS.items() if outcomes == 2 or not spec.binary_only]
rule = state.link_value("study_rule", state.one_of(set(rules)), "quadratic")
rule = cols[2].selectbox("scoring rule", rules, rules.index(rule), key="study_rule")
cap = FAST_CAP if sampler == "matrix" and rule in BATCHED_RULES else SLOW_CAP
worlds = cols[3].number_input(f"worlds (at most {cap:,})", 1, cap, min(cap, state.link_value(
    "study_worlds", state.bounded(int, 1, FAST_CAP), 2000)), key=f"study_worlds_{cap}")
seed = cols[4].number_input("seed", 0, SEEDS, state.link_value("study_seed", state.bounded(int, 0, SEEDS), 0),
                            key="study_seed")
state.set_view({"study_sampler": sampler, "study_outcomes": str(outcomes), "study_rule": rule,
                "study_worlds": str(worlds), "study_seed": str(seed)})

spec = StudySpec(sampler=sampler, outcomes=outcomes, rule=rule)
result = study(sampler, outcomes, rule, seed, worlds)
summary = summarize(spec, seed, result)

q, tight = summary["quantities"], summary["bound_tight_share"]
cards = st.columns(4)
cards[0].metric("worlds", f"{summary['count']:,}")
cards[1].metric("mean inaccuracy", f"{q['inaccuracy']['mean']:.4g}")
cards[2].metric(*(("largest inaccuracy", f"{q['inaccuracy']['max']:.4g}") if tight is None else
                  ("largest inaccuracy / bound", f"{q['ratio']['max']:.4g}")))
cards[3].metric("bound tight within 1 % / fails", "no theorem applies" if tight is None else
                f"{tight:.1%} / {summary['bound_failures']}")
if summary["not_converged"]:
    st.warning(f"The log-rule solver did not reach its tolerance in {summary['not_converged']} worlds: their "
               "p̂ is uncertain (column 'converged' of the download).")
chart(histograms_figure(result), "histograms")

by, worst = worst_rows(result, tables.WORST_WORLDS)
if sampler == "matrix":
    chart(bound_scatter_figure(result["norm_T"], result["inaccuracy"], bound_slope(spec), worst), "scatter")
else:
    st.info("Policy worlds have no ‖αA‖_T, and no theorem bounds their inaccuracy: only the histograms.")

st.subheader(f"The worst worlds (largest {'inaccuracy / bound' if by == 'ratio' else 'inaccuracy'})")
rows = frame(result).iloc[worst]
scenarios = [scenario_at(spec, seed, int(i)) for i in rows["index"]]
explorer = explorer_for(outcomes).key
shown = tables.worst_worlds(rows)
shown["open"] = [Link("open in the explorer", state.page_url(explorer, s.to_query_params())) for s in scenarios]
table(shown)
rows.insert(1, "link", [link.url for link in shown["open"]])
rows["scenario"] = [s.to_json() for s in scenarios]
down = st.columns(2)
down[0].download_button("Download the worst worlds (CSV)", rows.to_csv(index=False).encode(), "study-worst.csv")
down[1].download_button("Download every world (CSV)", study_csv(sampler, outcomes, rule, seed, worlds), "study.csv")
export_row("studies", "study")
