"""Cached rule tables for the rules page, in the chosen language (no internal keys)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from costshare import i18n


@st.cache_data(show_spinner=False, max_entries=64)
def rules_view(key: str, on: dt.date, lang: i18n.Lang) -> pd.DataFrame:
    """Every rule of `key` in force on `on` (:func:`costshare.jobs.lookup.rules_table`)."""
    from costshare.jobs import lookup

    return lookup.rules_table(key, on, lang)
