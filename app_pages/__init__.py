"""Page scripts of the costshare Streamlit app (run by ``app.py`` through ``st.navigation``)."""
