"""Dynamics: which fixed point (or p̂) a learning predictor reaches, step by step, and the local theory beside it."""

import streamlit as st

from core import DYNAMICS_METHODS, describe_dynamics
from figures.binary import cobweb_figure
from figures.dynamics import basins_figure, paths_figure, threshold_figure, trajectories_figure
from ui import state
from ui.charts import chart
from ui.components import export_row, table
from ui.compute import (analysis, binary_view, cobweb, dynamics_map, dynamics_paths, dynamics_table,
                        dynamics_thresholds, dynamics_trajectories)

st.title("Dynamics")
st.caption("Five ways a predictor learns: repeated prediction p ← f(p); stop-gradient ascent p ← Π(p + η·d), d from "
           "∇ₚS(p, q) with q = f(p) held fixed; full gradient ascent on S(p, f(p)); online SGD on sampled outcomes "
           "ω ~ f(p); random search (keep a proposal if S(p, f(p)) improves). Step convention: d is twice the "
           "gradient's part along the simplex (Σd = 0), which favours no outcome; for two outcomes it is the "
           "derivative in p = P(first outcome), as in the papers, so a fixed point p* attracts stop-gradient ascent "
           "when 0 < η g′(p*)(1 − f′(p*)) < 2. Π keeps to the simplex (to p ≥ 10⁻⁶ under the log rule). "
           "[Theory](theory#stability)")

current = state.scenario()
result, text, n = analysis(current), current.to_json(), current.n
top, names = 2.0, current.outcomes
linked_method = state.link_value("dyn_method", state.one_of(DYNAMICS_METHODS), "stop-gradient")
method = st.selectbox("method", list(DYNAMICS_METHODS), format_func=DYNAMICS_METHODS.get, key="dyn_method",
                      index=list(DYNAMICS_METHODS).index(linked_method))
c1, c2, c3 = st.columns([3, 2, 1])
steps = c2.slider("rounds", 10, 2000, state.link_value("dyn_steps", state.bounded(int, 10, 2000), 300), 10,
                  key="dyn_steps")
seed = c3.number_input("seed", 0, 10**6, state.link_value("dyn_seed", state.bounded(int, 0, 10**6), 0),
                       key="dyn_seed", help="Seeds online SGD's sampled outcomes and random search's proposals.")
thresholds = dynamics_thresholds(text, method)
help_eta = ("Largest convergent step η* from the local theory: "
            + ", ".join(f"{k} {v:.4g}" for k, v in thresholds.items()) if thresholds
            else "The local theory gives no step-size threshold for this method here.")
eta = c1.slider("step size η", 0.001, top, state.link_value("dyn_eta", state.bounded(float, 0.001, top), 0.05), 0.001,
                format="%.3f", key="dyn_eta", help=help_eta)
if thresholds:
    chart(threshold_figure(thresholds, eta, top), "threshold", where=c1, config={"displayModeBar": False})
    yes = [f"{label} (η* = {t:.4g})" for label, t in thresholds.items() if 0 < eta < t]
    c1.caption(f"Local theory at η = {eta:g}: converges at {', '.join(yes) or 'no point'}"
               + "".join(f"; not at {label} (η* = {t:.4g})" for label, t in thresholds.items() if not 0 < eta < t))
view = {"dyn_method": method, "dyn_eta": repr(eta), "dyn_steps": str(steps), "dyn_seed": str(int(seed))}

runs = dynamics_map(text, method, eta, steps, int(seed))
st.info(describe_dynamics(DYNAMICS_METHODS[method], None if method == "repeated" else eta, steps, runs["labels"],
                          runs["where"], names), icon=":material/lightbulb:")
if n == 2:
    start = st.slider(f"start: P({names[0]})", 0.0, 1.0,
                      state.link_value("dyn_start", state.bounded(float, 0.0, 1.0), 0.9), 0.005, key="dyn_start")
    view["dyn_start"] = repr(start)
    marks = {label: float(p[0]) for label, p in runs["where"].items()} | {"p̂": float(result.optimum.p[0])}
    left, right = st.columns(2)
    chart(paths_figure(dynamics_paths(text, (start, 1.0 - start), eta, steps, int(seed)), names[0], marks),
          "paths", where=left)
    curve = binary_view(text)[0]
    chart(cobweb_figure(result, curve, cobweb(text, start, min(steps, 60))), "cobweb", where=right)
elif n == 3:
    left, right = st.columns(2)
    chart(trajectories_figure(dynamics_trajectories(text, method, eta, steps, int(seed)), names, runs["where"]),
          "trajectories", where=left)
    chart(basins_figure(runs["starts"], runs["labels"], names, runs["where"]), "basins", where=right)

st.subheader("Predicted and observed, at every end point")
st.caption("Predicted: the local theory (linearised update map on the simplex's tangent space). Observed: runs "
           "from 2(n − 1) starts 0.001 away (the random methods: 8 seeded runs each, counted when they end within "
           "0.05) within the chosen rounds (a spectral radius near 1 converges slowly), and the share of the map's "
           "starts that end there.")
table(dynamics_table(text, method, eta, steps, int(seed)))
state.set_view(view)
export_row("dynamics", "dynamics")
