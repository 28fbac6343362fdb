"""Decisions: conditional predictions, a predictor that lies to steer, and zero-sum training."""

import numpy as np
import streamlit as st

from core import MAX_JOINT, PAIR_RULES, decision_unsuitable, describe_decision, tables
from figures.decisions import learning_figure, reports_figure
from figures.decisions_equilibria import equilibrium_values_figure
from ui import state
from ui.charts import chart
from ui.components import export_row, refuse_unless_suitable, table
from ui.compute import decision_outcomes, joint_outcomes, training_curves, zero_sum_equilibria

VARIANTS, DEFAULT_VARIANTS = tables.VARIANTS, tables.DEFAULT_VARIANTS


st.title("Decisions")
st.caption("The predictor reports, for each action, what would happen if it were taken; the human takes the "
           "action that looks best (the human's policy, Q and U in the sidebar); the predictor is scored on the "
           "action taken only. [Theory](theory#conditional-predictions)")

current = state.scenario()
refuse_unless_suitable(decision_unsuitable(current), "decision-example", "Load the decision example", "load_decision")

actions, first = current.world.actions, current.outcomes[0]
linked_pair = state.link_value("pair", state.one_of(PAIR_RULES), "optimistic")
pair_rule = st.radio("A pair's reports are combined by", list(PAIR_RULES), format_func=PAIR_RULES.get,
                     horizontal=True, key="pair_rule", index=list(PAIR_RULES).index(linked_pair))
honest, single, pair = decision_outcomes(current.to_json(), pair_rule)
equilibria, worst = zero_sum_equilibria(current.to_json(), pair_rule)
text = describe_decision(actions, current.outcomes, honest, single, pair, equilibria)
st.info(text, icon=":material/warning:" if equilibria.dishonest is not None else ":material/lightbulb:")

frame = tables.mechanisms(actions, current.outcomes, (honest, single, pair, worst))
table(frame)
st.download_button("Download the table (CSV)", frame.to_csv(index=False).encode(), "decisions.csv", "text/csv")
chart(reports_figure(actions, first, current.world.q, [honest, single, pair]), "reports")
if (found := equilibria.dishonest) is not None:
    chart(equilibrium_values_figure(actions, found.truth, found.seen, found.reach_low, found.reach_high,
                                    found.action_probs), "equilibrium")

st.subheader("Many predictors under the joint rule")
st.caption("k predictors, each paid its score on the action taken minus the others' mean (Hudson's joint rule), "
           "all reporting honestly. The human combines their reports by the most optimistic one, by their mean, or "
           "by following one predictor drawn at random. Each row's check is the best gain a search for one "
           "predictor's deviation finds against the k − 1 others. [Theory](theory#conditional-predictions)")
joint_k = st.slider("number of predictors", 2, MAX_JOINT,
                    state.link_value("joint_k", state.bounded(int, 2, MAX_JOINT), 3), key="joint_k")
table(tables.joint(actions, joint_outcomes(current.to_json(), joint_k)))

st.subheader("Training")
st.caption("Each predictor is a table of logits, one softmax distribution per action, trained from uniform "
           "reports. Gradients never see a best-responding human's choice change; exploration lets every "
           "action be learned, and random search can jump across the human's decision boundary.")
c1, c2, c3, c4 = st.columns(4)
epsilon = c1.slider("exploration ε while training", 0.0, 0.5,
                    state.link_value("train_eps", state.bounded(float, 0.0, 0.5), 0.0), 0.01, key="train_eps")
lr = c2.slider("step size (or search radius)", 0.01, 2.0,
               state.link_value("train_lr", state.bounded(float, 0.01, 2.0), 0.5), 0.01, key="train_lr")
steps = c3.slider("steps", 50, 1500, state.link_value("train_steps", state.bounded(int, 50, 1500), 400), 50,
                  key="train_steps")
sampled = c4.toggle("sampled",
                    state.link_value("train_sampled", state.one_of({"0": False, "1": True}), "0") == "1",
                    key="train_sampled", help="Sample the action and outcome of every step. Off: the mean dynamics "
                                              "(expected gradients). On: stochastic, "
                                              "averaged over 8 runs.")
linked = state.link_value("train_variants", tables.variant_names, list(DEFAULT_VARIANTS))
variants = st.multiselect("variants", list(VARIANTS), default=list(linked), format_func=VARIANTS.get,
                          key="train_variants")
state.set_view({"pair": pair_rule, "joint_k": str(joint_k), "train_eps": repr(epsilon), "train_lr": repr(lr), "train_steps": str(steps),
                "train_sampled": "1" if sampled else "0", "train_variants": ",".join(variants)})
if variants:
    curves = training_curves(current.to_json(), pair_rule, epsilon, lr, steps, sampled, tuple(variants))
    labelled = {VARIANTS[v]: c for v, c in curves.items()}
    groups: list[list[str]] = []
    for v in curves:  # variants that trained identically draw on top of each other: say so
        home = next((g for g in groups if np.allclose(curves[g[0]]["distance"], curves[v]["distance"])), None)
        if home is not None:  # a statement, not an expression: Streamlit's magic would write its None
            home.append(v)
        else:
            groups.append([v])
    for group in (g for g in groups if len(g) > 1):
        st.caption("These variants trained identically, so their curves lie on top of each other: "
                   + "; ".join(VARIANTS[v] for v in group) + ".")
    chart(learning_figure(labelled, actions, "distance", "Distance of each action's report from the truth",
                          "‖P[a] − Q[a]‖"), "learn_distance")
    chart(learning_figure(labelled, actions, "utility", "The human's expected utility", "utility"), "learn_utility")
    table(tables.training(actions, first, curves))
export_row("decisions", "decisions")
