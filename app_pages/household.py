"""Placeholder until the engine (`costshare.sheet`) lands."""

import streamlit as st

from app_pages._i18n import t
from app_pages._notyet import engine_missing

st.title(t("nav.household"))
engine_missing("costshare.sheet")
