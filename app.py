"""Entry point: the navigation over the pages, the shared sidebar, and the URL that mirrors the scenario."""

import gc
from contextlib import suppress

import streamlit as st

from ui import state
from ui.components import share_controls
from ui.editor import scenario_editor
from ui.pages import HOME, PAGES

if not gc.get_freeze_count():
    # Once per server process, after the imports above: move what exists now (the libraries' and the core's
    # objects) out of the garbage collector's sight. Streamlit collects garbage after every run, and a full pass
    # over them took about 90 ms after every slider move, before the run's end reached the browser.
    gc.collect()
    gc.freeze()

st.set_page_config(page_title="Prediction fixed points", page_icon=":material/target:", layout="wide")

NAVIGATION = {spec.key: st.Page(spec.file, title=spec.title, icon=spec.icon, default=spec.key == HOME,
                                  url_path=None if spec.key == HOME else spec.key) for spec in PAGES}

state.start()
page = st.navigation(list(NAVIGATION.values()))
counts = next(spec.outcomes for spec in PAGES if NAVIGATION[spec.key].url_path == page.url_path)
scenario_editor(counts if state.scenario().n in counts else (state.scenario().n,))
share_controls()
notices = st.container()  # at the top of the page; filled after the page ran, which may add notices
state.clear_view()
with suppress(state.PageStopped):  # a page that refuses the scenario: the run still ends below
    page.run()
state.show_notices(notices)
state.write_url()
