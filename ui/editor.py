"""The sidebar's scenario editor: widgets that only draw and return values, and one function that
turns them into a validated scenario (or shows what is wrong and keeps the last good one).

Widgets start from the scenario as last loaded (:func:`ui.state.loaded`) and their keys carry the
load counter, so loading a preset, a link or a file redraws them from the new scenario.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import (POLICY_KINDS, PRESETS, RULE_KINDS, WORLD_KINDS, default_world, MatrixWorld, PolicyWorld, Scenario,
                 ScoringRule, World)
from ui import state

WORLD_LABELS = {
    "policy": "Human response policy",
    "linear": "Linear f(p) = p* + α(p − p*)",
    "ramp": "Ramp",
    "logistic": "Logistic",
    "matrix": "Linear map f(p) = (1 − α)c + αAp",
}
#: Sliders of the binary world functions: field, label, min, max, step.
SLIDERS = {
    "linear": [("p_star", "fixed point p*", 0.0, 1.0, 0.005), ("alpha", "slope α", -1.0, 0.99, 0.01)],
    "ramp": [("a", "ramp starts at a", 0.0, 1.0, 0.005), ("b", "ramp ends at b", 0.0, 1.0, 0.005),
             ("low", "f below a", 0.0, 1.0, 0.005), ("high", "f above b", 0.0, 1.0, 0.005)],
    "logistic": [("center", "centre", 0.0, 1.0, 0.005), ("steepness", "steepness k", -60.0, 60.0, 0.5),
                 ("low", "lowest f", 0.0, 1.0, 0.005), ("high", "highest f", 0.0, 1.0, 0.005)],
}


def _key(name: str) -> str:
    return f"editor{state.version()}:{name}"


def _pick_preset() -> None:
    name = st.session_state.get("preset_picker")
    if name:
        state.load_preset(name)
    st.session_state["preset_picker"] = None


def scenario_editor(outcome_counts: tuple[int, ...]) -> None:
    """Draw the editor in the sidebar and accept valid edits as the current scenario.

    ``outcome_counts``: the numbers of outcomes the current page shows.
    """
    side = st.sidebar
    side.selectbox("Load a preset", list(PRESETS), index=None, key="preset_picker", on_change=_pick_preset,
                   format_func=lambda name: PRESETS[name].title, placeholder="Choose a preset…")
    loaded = state.loaded()
    # Start from the current scenario's number of outcomes, not the loaded one's: an edit that changed
    # it (on a page that offers several) must survive a visit to a page for one number of outcomes.
    n = state.scenario().n
    n = n if n in outcome_counts else min(outcome_counts)
    if len(outcome_counts) > 1:
        n = int(side.number_input("Number of outcomes", min_value=min(outcome_counts),
                                  max_value=max(outcome_counts), value=n, key=_key("n")))
    same_n = n == loaded.n
    default_names = ", ".join(loaded.outcomes) if same_n else ", ".join(f"outcome {i + 1}" for i in range(n))
    names_text = side.text_input("Outcome names (comma-separated)", default_names, key=_key(f"names:{n}"))
    kinds = [k for k in WORLD_KINDS if n == 2 or k in ("policy", "matrix")]
    start_kind = loaded.world.KIND if same_n and loaded.world.KIND in kinds else "policy"
    kind = side.selectbox("World", kinds, index=kinds.index(start_kind), key=_key(f"kind:{n}"),
                          format_func=WORLD_LABELS.get)
    base = loaded.world if same_n and loaded.world.KIND == kind else default_world(kind, n)
    names = tuple(part.strip() for part in names_text.split(","))
    names_ok = len(names) == n
    if not names_ok:
        side.error(f"outcomes: give {n} names separated by commas, got {len(names)}.")
    world = _world_editor(kind, base, names if names_ok else tuple(f"outcome {i + 1}" for i in range(n)),
                          f"{kind}:{n}")
    rule = _rule_editor(loaded.rule, n)
    if world is None or rule is None or not names_ok:
        return
    try:
        candidate = Scenario(names, world, rule)
    except ValueError as err:
        side.error(f"{err}. The last valid scenario is still shown.")
        return
    if candidate != state.scenario():
        state.edit(candidate)


def _world_editor(kind: str, base: World, names: tuple[str, ...], prefix: str) -> World | None:
    side = st.sidebar
    try:
        if kind in SLIDERS:
            values = {field: side.slider(label, lo, hi, float(getattr(base, field)), step, key=_key(f"{prefix}:{field}"))
                      for field, label, lo, hi, step in SLIDERS[kind]}
            return WORLD_KINDS[kind](**values)
        if kind == "matrix":
            return _matrix_editor(base, names, prefix)
        return _policy_editor(base, names, prefix)
    except ValueError as err:
        side.error(f"{err}. The last valid scenario is still shown.")
        return None


def _policy_editor(base: PolicyWorld, names: tuple[str, ...], prefix: str) -> PolicyWorld:
    side = st.sidebar
    side.caption("Each action's outcome probabilities P(·) (rows sum to 1) and the human's utilities U(·).")
    labels = [_label(name, i) for i, name in enumerate(names)]
    table = pd.DataFrame({"action": list(base.actions)})
    for j, label in enumerate(labels):
        table[f"P({label})"] = [row[j] for row in base.Q]
    for j, label in enumerate(labels):
        table[f"U({label})"] = [row[j] for row in base.U]
    config = {f"P({label})": st.column_config.NumberColumn(min_value=0.0, max_value=1.0, step=0.01, format="%.3f")
              for label in labels}
    with _table_panel(f"Edit P and U ({len(base.actions)} actions × {len(labels)} outcomes)", prefix):
        edited = st.data_editor(table, num_rows="dynamic", hide_index=True, column_config=config,
                                key=_key(f"{prefix}:table"), width=_table_width(len(table.columns)))
    actions, q, u = _read_policy_table(edited, len(labels))
    policy = side.selectbox("Policy", list(POLICY_KINDS), index=list(POLICY_KINDS).index(base.policy),
                            format_func=POLICY_KINDS.get, key=_key(f"{prefix}:policy"))
    extra = {}
    if policy == "softmax":
        extra["beta"] = side.slider("rationality β", 0.0, 50.0, float(base.beta), 0.5, key=_key(f"{prefix}:beta"))
    if policy == "threshold":
        extra["threshold_outcome"] = side.selectbox(
            "second action when P(outcome) exceeds the threshold", range(len(names)),
            index=min(base.threshold_outcome, len(names) - 1), format_func=lambda i: labels[i],
            key=_key(f"{prefix}:threshold_outcome"))
        extra["threshold"] = side.slider("threshold t", 0.0, 1.0, float(base.threshold), 0.005,
                                         key=_key(f"{prefix}:threshold"))
        extra["ramp_width"] = side.slider("ramp width (0: a hard step)", 0.0, 0.5, float(base.ramp_width), 0.005,
                                          key=_key(f"{prefix}:ramp_width"))
    extra["epsilon"] = side.slider("exploration ε", 0.0, 1.0, float(base.epsilon), 0.01, key=_key(f"{prefix}:epsilon"))
    kept = {f: getattr(base, f) for f in ("beta", "threshold", "threshold_outcome", "ramp_width") if f not in extra}
    return PolicyWorld(actions=actions, Q=q, U=u, policy=policy, **extra, **kept)


def _read_policy_table(table: pd.DataFrame, n: int):
    if table.isna().any().any():
        raise ValueError("world: fill in every cell of the actions table (a new row needs a name, P and U)")
    actions = tuple(str(a).strip() for a in table["action"])
    values = table.drop(columns="action").to_numpy(dtype=float)
    q = tuple(tuple(row[:n]) for row in values)
    u = tuple(tuple(row[n:]) for row in values)
    return actions, q, u


def _matrix_editor(base: MatrixWorld, names: tuple[str, ...], prefix: str) -> MatrixWorld:
    side = st.sidebar
    side.caption("Row j: the outcome distribution when outcome j is predicted for sure (rows sum to 1).")
    labels = [_label(name, i) for i, name in enumerate(names)]
    rows = [[base.A[i][j] for i in range(len(labels))] for j in range(len(labels))]
    table = pd.DataFrame(rows, columns=[f"P({label})" for label in labels],
                         index=[f"predict {label}" for label in labels])
    c_table = pd.DataFrame([list(base.c)], columns=[f"P({label})" for label in labels], index=["c"])
    with _table_panel(f"Edit A and c ({len(labels)} outcomes)", prefix):
        edited = st.data_editor(table, key=_key(f"{prefix}:A"), width=_table_width(len(labels) + 1))
        c_edited = st.data_editor(c_table, key=_key(f"{prefix}:c"), width=_table_width(len(labels) + 1))
    alpha = side.slider("weight α of the prediction", 0.0, 1.0, float(base.alpha), 0.01, key=_key(f"{prefix}:alpha"))
    if edited.isna().any().any() or c_edited.isna().any().any():
        raise ValueError("world: fill in every cell of A and c")
    a = edited.to_numpy(dtype=float).T
    return MatrixWorld(A=tuple(map(tuple, a)), c=tuple(c_edited.to_numpy(dtype=float)[0]), alpha=alpha)


#: The tables' columns, in pixels: wide enough for a label such as "P(no accident)" and a number.
_COLUMN_PX = 110
#: Streamlit caps a popover at the main column's width (about 700 px): too narrow for 1 + 2 × 6 columns.
#: Let the table's panel grow to the table (within the window).
_PANEL_CSS = ('<style>div[data-testid="stPopoverBody"]:has(div[data-testid="stDataFrame"])'
              "{max-width: calc(100vw - 2rem) !important;}</style>")


def _table_panel(label: str, prefix: str):
    """A panel beside the sidebar for a table: the sidebar is too narrow for more than two columns, and a
    popover may grow wider than the button that opens it, to fit the table."""
    st.html(_PANEL_CSS)
    return st.sidebar.popover(label, icon=":material/table_edit:", width="stretch", key=_key(f"{prefix}:panel"))


def _table_width(columns: int) -> int:
    return columns * _COLUMN_PX


def _rule_editor(loaded: ScoringRule, n: int) -> ScoringRule | None:
    side = st.sidebar
    kinds = [k for k, spec in RULE_KINDS.items() if n == 2 or not spec.binary_only]
    kind = side.selectbox("Scoring rule", kinds, index=kinds.index(loaded.kind) if loaded.kind in kinds else 0,
                          format_func=lambda k: RULE_KINDS[k].label, key=_key(f"rule:{n}"))
    spec = RULE_KINDS[kind]
    param = None
    if spec.param_name is not None:
        start = loaded.param if loaded.kind == kind else spec.param_default
        param = side.number_input(f"{spec.param_name} (> {spec.param_min:g})", value=float(start), step=0.5,
                                  key=_key(f"rule:{kind}:param"))
    try:
        return ScoringRule(kind, param)
    except ValueError as err:
        side.error(str(err))
        return None


def _label(name: str, i: int) -> str:
    return name or f"outcome {i + 1}"
