"""Markets: many predictors pooled into one announcement; how close their equilibrium comes to a fixed point."""

import streamlit as st

from core import (CURVE_KS, MARKET_METHODS, MAX_PREDICTORS, MAX_TRAINING_STEPS, PAYMENTS, POOLS, curves,
                  describe_market, market_unsuitable, tables)
from figures.markets import distance_curve_figure, market_learning_figure, market_map_figure
from ui import state
from ui.charts import chart
from ui.components import export_row, refuse_unless_suitable, table
from ui.compute import market, market_curve, market_training

POOL_NAMES = {"linear": "linear pool Σ wᵢpᵢ", "log": "logarithmic pool ∝ Π pᵢ^wᵢ",
              "lmsr": "market maker (LMSR): traders in turn"}
PAYMENT_NAMES = {"own": "own score S(pᵢ, y)", "zero-sum": "zero-sum: own score − the others' mean"}
SEEDS = 2**31 - 1

st.title("Markets")
st.caption("k predictors report; the world responds to their pooled announcement A; each predictor knows f and is "
           "paid on its own report. Shown: the Nash equilibria of the reports (every predictor reporting the same "
           "when they weigh the same), each checked by a global search over every predictor's deviations. With the "
           "market maker the traders come in turn, each moving the price to the best for it, paid "
           "ln pᵢ(y) − ln pᵢ₋₁(y). [Theory](theory#markets)")

current = state.scenario()
refuse_unless_suitable(market_unsuitable(current), "notebook-log", "Load the notebook world", "load_market")

c1, c2, c3 = st.columns([2, 1, 1])
k = c1.slider("number of predictors k", 1, MAX_PREDICTORS,
              state.link_value("k", state.bounded(int, 1, MAX_PREDICTORS), 10), key="market_k")
pool = c2.radio("pool", POOLS, POOLS.index(state.link_value("pool", state.one_of(set(POOLS)), "linear")),
                format_func=POOL_NAMES.get, key="market_pool")
linked_payment = state.link_value("payment", state.one_of(set(PAYMENTS)), "own")
if pool == "lmsr":
    c3.markdown("**payment**")
    c3.caption("the market scoring rule: ln pᵢ(y) − ln pᵢ₋₁(y), the change in the log score of the price trader "
               "i moved, whatever the scenario's rule")
    if linked_payment != "own":
        st.info("The market maker pays each trader the change in its log score; the zero-sum payment is for the "
                "linear and log pools.")
    payment = "own"
else:
    payment = c3.radio("payment", PAYMENTS, PAYMENTS.index(linked_payment), format_func=PAYMENT_NAMES.get,
                       key="market_payment")
view = {"k": str(k), "pool": pool, "payment": payment}
state.set_view(view)

scenario_json = current.to_json()
found = market(scenario_json, k, pool, payment)
single = market(scenario_json, 1, pool, payment)
st.info(describe_market(found, single), icon=":material/lightbulb:")

picture = market_map_figure(current.outcomes, found, single,
                            curves.binary_curve(current.world) if current.n == 2 else None)
chart(picture, "market_map")

names = current.outcomes
maker = pool == "lmsr"
frame = tables.market(found, names, k, maker)
if len(frame):
    table(frame)
    st.download_button("Download the table (CSV)", frame.to_csv(index=False).encode(), "market.csv", "text/csv")
else:
    st.warning("No equilibrium and no stationary point was found.")
if maker:
    st.caption("The market after k traders: each trader's move checked by a global search (deviation gain: the most "
               "a better price would have paid it); payment: the last trader's. A rest point is a fixed point no "
               "trader moves the price from; it attracts when the map from the price a trader finds to the price "
               "it leaves has spectral radius below 1 there. Each trader's bound on |f(pᵢ) − pᵢ| is "
               "|f′(pᵢ)(g(pᵢ) − g(pᵢ₋₁))/g′(pᵢ)|, shrinking with its move; shown: the last trader's, and whether "
               "every trader's holds.")

st.subheader("More predictors, closer to the fixed point?")
ks = tuple(sorted(set(CURVE_KS) | {k}))
chart(distance_curve_figure(ks, market_curve(scenario_json, ks, pool, payment), k), "market_curve")
if maker:
    st.caption("Each marked k: the price after the first k traders (filled: every move checked exact). The traders "
               "come in turn, each to its best price: this is their learning curve, so the simultaneous learning "
               "of the pools is not shown.")
    export_row("markets", "markets")
    state.stop_page()
st.caption("Each marked k: the best-paid equilibrium of k equal predictors (filled: checked exact; hollow: no deviation "
           "found gains more than 1e-6). The bound is the single predictor's, with its influence L shared by k: it "
           "holds at interior equilibria of a contraction, own payment.")

st.subheader("Learning together")
t1, t2, t3 = st.columns(3)
steps = t1.slider("rounds", 50, MAX_TRAINING_STEPS,
                  state.link_value("market_steps", state.bounded(int, 50, MAX_TRAINING_STEPS), 500), 50,
                  key="market_steps")
step_size = t2.slider("step size (or search radius)", 0.005, 1.0,
                      state.link_value("market_lr", state.bounded(float, 0.005, 1.0), 0.02), 0.005, key="market_lr")
seed = t3.number_input("seed (the random starting reports)", 0, SEEDS,
                       state.link_value("market_seed", state.bounded(int, 0, SEEDS), 0), key="market_seed")
state.set_view(view | {"market_steps": str(steps), "market_lr": repr(step_size), "market_seed": str(seed)})
runs = market_training(scenario_json, k, pool, payment, tuple(MARKET_METHODS), steps, step_size, seed)
chart(market_learning_figure({MARKET_METHODS[m]: r["distance"] for m, r in runs.items()}), "market_learning")
st.caption("Every predictor updates its own report in the same round, from the same random reports for every "
           "method. Stop-gradient ascent ignores how a report moves the world: its rest points are the profiles "
           "where every report is f(A), a fixed point. Full gradient ascent and random search follow each "
           "predictor's own payment: their rest points are the equilibria's conditions. A run that has not "
           "settled is marked: try a smaller step or more rounds.")
table(tables.market_learning(names, runs))
export_row("markets", "markets")
