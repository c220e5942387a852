"""The sidebar's language switch over the one translation table (:mod:`costshare.i18n`).

Pages call :func:`t` with a key of ``costshare/data/i18n.yaml``; the session key ``lang``
(the switch in ``app.py``) picks Chinese or English.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from costshare import i18n

LANGS = ("中文", "English")
"""The switch's options, in the table's language order (zh, en)."""


def lang() -> i18n.Lang:
    """The chosen language as a short code."""
    return "en" if st.session_state.get("lang", LANGS[0]) == LANGS[1] else "zh"


def t(key: str, **fmt: object) -> str:
    """The text `key` in the chosen language, formatted with `fmt`."""
    return i18n.t(key, lang(), **fmt)


def label(group: str, key: str, default: str | None = None) -> str:
    """The label of an internal key (``payer``, ``category``, ``channel``...) in the chosen language."""
    return i18n.label(group, key, lang(), default)


def jur_name(key: str) -> str:
    """A jurisdiction's name in the chosen language (its rule file's name as fallback)."""
    from costshare.jobs.lookup import jurisdiction_name

    return jurisdiction_name(key, lang())


def sheet_headers(df: pd.DataFrame) -> pd.DataFrame:
    """The sheet preview with headers in the chosen language (values are left as they are).

    Downloaded files keep the Chinese headers the notices need; only the screen changes.
    """
    if lang() != "en":
        return df
    zh, en = i18n.labels("sheet", "zh"), i18n.labels("sheet", "en")
    return df.rename(columns={zh[k]: en[k] for k in zh})


def keep_choices() -> None:
    """Callback of the language switch: make every chosen option show in the new language.

    The browser keeps a radio's or select box's choice as the label it showed; after the
    switch that Chinese label is not among the English options and nothing shows as
    chosen (the choice itself is still in session state). Writing each text or
    list-of-text value back marks it as set by the app, so the next run sends it to the
    browser in the new language. Other values (buttons, uploads, table edits) cannot be
    written back and need not be.
    """
    state = st.session_state
    for key in list(state.keys()):
        value = state[key]
        if key != "lang" and (
            isinstance(value, str)
            or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        ):
            state[key] = value
