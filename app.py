"""Entry page of the prediction fixed points explorer (placeholder until the pages exist)."""

import streamlit as st

st.title("Prediction fixed points")
st.write("The explorer pages are coming soon.")
