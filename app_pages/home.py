"""Home: what a prediction fixed point is, in plain words, and the gallery of presets."""

import streamlit as st

from core import GALLERY, MARKET_GALLERY, PRESETS
from ui.components import certificate_tag
from ui.compute import analysis
from ui.pages import page

st.title("Prediction fixed points")
st.markdown(
    """
A forecast can change what it forecasts. Announce that a bank run is likely and depositors withdraw;
announce a traffic jam and drivers take the train. The world's answer to a prediction *p* is a new
distribution of outcomes *f(p)*. A prediction that comes true **because** it was made, *f(p) = p*, is a
**fixed point**: a self-fulfilling prophecy.

A predictor that is paid by a proper scoring rule, and knows that its words move the world, generally does
**not** report a fixed point. It bends its report towards outcomes that are easier to predict, trading a
little truth for a lot of certainty. Move the sliders in the sidebar to see how the human's response and
the scoring rule shape that trade, where the fixed points are, and which of them attract.
"""
)
st.subheader("Start from an example")
cols = st.columns(3)
for i, preset in enumerate(PRESETS.values()):
    result = analysis(preset.scenario)
    with cols[i % 3].container(border=True):
        st.markdown(f"**{preset.title}**")
        st.caption(preset.story)
        points = len(result.fixed_points)
        optimum = (f"inaccuracy of the optimum **{result.inaccuracy:.2g}**" if result.inaccuracy >= 5e-7
                   else "the optimum is honest")
        st.markdown(f"{preset.scenario.n} outcomes · {points} fixed point{'s' * (points != 1)} "
                    f"({certificate_tag(result)}) · {optimum}")
        st.page_link(page(preset.page).file, label=f"Open on the {page(preset.page).title} page",
                     query_params={"preset": preset.name, **dict(preset.view)}, icon=":material/play_arrow:")

def gallery(heading: str, entries, page_key: str, icon: str, params) -> None:
    """A gallery of cards in three columns: each entry's title and story, and a link to ``page_key`` with
    ``params(entry)``."""
    st.subheader(heading)
    target = page(page_key)
    cols = st.columns(3)
    for i, entry in enumerate(entries):
        with cols[i % 3].container(border=True):
            st.markdown(f"**{entry.title}**")
            st.caption(entry.story)
            st.page_link(target.file, label=f"Open on the {target.title} page", query_params=params(entry), icon=icon)


gallery("Sweeps: the literature's figures, live", GALLERY.values(), "sweep", ":material/timeline:",
        lambda entry: {"gallery": entry.name})
gallery("Markets: many predictors, one world", MARKET_GALLERY.values(), "markets", ":material/groups:",
        lambda entry: {"preset": entry.preset, **entry.view})
