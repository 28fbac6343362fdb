"""Serving the app to many people: several Streamlit servers behind nginx (``python -m deploy.scale_out``)."""
