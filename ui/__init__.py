"""The Streamlit side of the app that the pages share: scenario state and URL, the sidebar editor,
cached computation, and small display helpers. Only this package, ``app_pages/`` and ``app.py`` import streamlit."""
