"""Placeholder until the engine (`costshare.portfolio`) lands."""

import streamlit as st

from app_pages._i18n import t
from app_pages._notyet import engine_missing

st.title(t("nav.city"))
engine_missing("costshare.portfolio")
