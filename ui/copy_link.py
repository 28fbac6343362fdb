"""The address of the current view with a button that copies it (sidebar, "Share and save").

The address bar always holds the view (:func:`ui.state.write_url`), so the component shows and copies the
browser's own address: it needs nothing from the server and never lags a run behind. A small component
rather than ``st.code``, whose copy button comes with a syntax highlighter: the largest download (1.5 MB) a
first visit waited for before the page's widgets appeared.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

_LINK = st.components.v2.component(
    "prediction_fixed_points.copy_link",
    html='<div class="pfp-link"><a target="_blank" rel="noopener"></a><button type="button">Copy link</button></div>',
    css="""
.pfp-link { display: flex; flex-direction: column; gap: 0.5rem; font-size: 0.8rem; }
.pfp-link a { word-break: break-all; color: inherit; opacity: 0.8; }
.pfp-link button { align-self: flex-start; font: inherit; color: inherit; background: transparent;
  border: 1px solid currentColor; border-radius: 0.5rem; padding: 0.25rem 0.75rem; cursor: pointer; }
""",
    js=(Path(__file__).parent / "copy_link.js").read_text(), isolate_styles=False)


def copy_link() -> None:
    """The page's address, and a button that copies it."""
    _LINK(key="copy_link")
