"""Data editors that keep their edits when the language (and so the column labels) changes.

``st.data_editor`` always gets a *base* frame from session state, never its own output.
Its latest output is remembered; when the language changes, :func:`rebase_all` (the
language switch's callback) makes that output the new base and clears the editor's edit
state, so the relabelled editor starts from exactly what the user saw.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

_REGISTRY = "_app_editors"


def set_base(key: str, frame: pd.DataFrame) -> None:
    """Start editor `key` afresh from `frame` (drops any pending edits)."""
    st.session_state[f"{key}__base"] = frame
    st.session_state.pop(key, None)
    st.session_state.pop(f"{key}__current", None)


def editor(key: str, **kwargs: Any) -> pd.DataFrame:
    """``st.data_editor`` on the base frame of `key`; returns the edited frame."""
    base = st.session_state[f"{key}__base"]
    out = st.data_editor(base, key=key, **kwargs, placeholder="")
    st.session_state[f"{key}__current"] = out
    st.session_state.setdefault(_REGISTRY, set()).add(key)
    return out


def rebase_all() -> None:
    """Callback: make every editor's latest output its base and clear its edit state."""
    for key in st.session_state.get(_REGISTRY, set()):
        current = st.session_state.get(f"{key}__current")
        if current is not None:
            st.session_state[f"{key}__base"] = current
        st.session_state.pop(key, None)
