"""Theory page: the mathematics behind the explorer, rendered from docs/theory.md section by section.

Each heading keeps its anchor (``## Title {#anchor}`` in the file), so pages link to ``theory#<anchor>``.
Run by ``st.navigation`` in app.py; it sets no page config and draws no sidebar.
"""

import streamlit as st

from ui.docs import read_sections

HEADINGS = {1: st.title, 2: st.header, 3: st.subheader}

for section in read_sections():
    HEADINGS[section.level](section.title, anchor=section.anchor)  # None: Streamlit's own anchor
    if section.body:
        st.markdown(section.body)
