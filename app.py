"""Entry point: the navigation over the pages, the shared sidebar, and the URL that mirrors the scenario."""

import streamlit as st

from core.model.scenario import MAX_OUTCOMES, MIN_OUTCOMES
from ui import state
from ui.components import share_controls, show_share_link
from ui.editor import scenario_editor

st.set_page_config(page_title="Prediction fixed points", page_icon=":material/target:", layout="wide")

ANY = tuple(range(MIN_OUTCOMES, MAX_OUTCOMES + 1))
PAGES = [
    (st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True), ANY),
    (st.Page("app_pages/binary.py", title="Two outcomes", icon=":material/show_chart:", url_path="binary"), (2,)),
    (st.Page("app_pages/triangle.py", title="Three outcomes", icon=":material/change_history:", url_path="triangle"), (3,)),
    (st.Page("app_pages/decisions.py", title="Decisions", icon=":material/alt_route:", url_path="decisions"), ANY),
    (st.Page("app_pages/scoring_rules.py", title="Scoring rules", icon=":material/balance:", url_path="scoring-rules"), ANY),
    (st.Page("app_pages/theory.py", title="Theory", icon=":material/menu_book:", url_path="theory"), ANY),
]

state.start()
page = st.navigation([p for p, _ in PAGES])
counts = next(c for p, c in PAGES if p.url_path == page.url_path)
scenario_editor(counts if state.scenario().n in counts else (state.scenario().n,))
share_link = share_controls()  # filled after the page ran: the link needs its view settings
notices = st.container()  # at the top of the page; filled after the page ran, which may add notices
state.clear_view()
page.run()
state.show_notices(notices)
show_share_link(share_link)
state.write_url()
