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
