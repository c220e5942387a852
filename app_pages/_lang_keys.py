"""Widget keys per language, for select boxes whose option labels follow the language.

Streamlit keeps a keyed select box's option labels from its first run: after the language
switch it would still show the Chinese labels. A key per language makes a new widget; its
value is carried over from the other language's widget (still in session state on the
run after the switch).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages._i18n import lang


def lang_key(key: str) -> str:
    """`key` for the chosen language."""
    return f"{key}__{lang()}"


def carried(key: str, default: Any) -> Any:
    """The value the widget `key` had in the other language, else `default`."""
    other = "zh" if lang() == "en" else "en"
    return st.session_state.get(f"{key}__{other}", default)
