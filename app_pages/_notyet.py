"""The note a page shows while its engine is still being built."""

from __future__ import annotations

import importlib.util

import streamlit as st

from app_pages._i18n import t


def engine_missing(*modules: str) -> bool:
    """Show the "not available yet" note and return True if any module is missing."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        st.info(t("common.not_available", module=", ".join(missing)))
    return bool(missing)
