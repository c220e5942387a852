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
    """The sheet preview in the chosen language: headers, 是/否 and the explanations.

    Downloaded files keep the Chinese a posted notice needs; only the screen changes. The
    English explanations are :func:`costshare.households.explain_en.english_lines`' (the
    same numbers, phrase by phrase); names and document titles stay as written.
    """
    if lang() != "en":
        return df
    from costshare.households.explain_en import english_lines

    zh, en = i18n.labels("sheet", "zh"), i18n.labels("sheet", "en")
    out = df.copy()
    yes_no = {i18n.t(f"common.{k}", "zh"): i18n.t(f"common.{k}", "en") for k in ("yes", "no")}
    for col in out.columns:
        if col == zh["exempt"]:
            out[col] = out[col].map(lambda v: yes_no.get(v, v))
        elif col in (zh["explanation"], zh["exempt_reason"]):
            out[col] = english_lines(out[col].fillna(""))
    return out.rename(columns={zh[k]: en[k] for k in zh})


def keep_choices() -> None:
    """Callback of the language switch: make every chosen option show in the new language.

    The browser keeps a radio's or select box's choice as the label it showed; after the
    switch that Chinese label is not among the English options and nothing shows as
    chosen (the choice itself is still in session state). Writing each text or
    list-of-text value back marks it as set by the app, so the next run sends it to the
    browser in the new language. Other values (buttons, uploads, table edits) cannot be
    written back and need not be; an empty list may be an uploader's, so it is left.
    """
    state = st.session_state
    for key in list(state.keys()):
        value = state[key]
        if key != "lang" and (
            isinstance(value, str)
            or (isinstance(value, list) and value and all(isinstance(v, str) for v in value))
        ):
            state[key] = value


LIBRARY_WORDS = {
    "按规则分担": "by_rule",
    "方案指定（无分担规则）": "assigned",
    "无表决记录 no vote": "no_vote",
}
"""Fixed phrases the library writes into result tables → their ``libword.`` key."""


def library_words(values: pd.Series) -> pd.Series:
    """A result column with the library's fixed phrases in the chosen language.

    Notes a user typed are left as written; a phrase joined to others with ``；`` is
    worded on its own.
    """
    words = {k: i18n.t(f"libword.{v}", lang()) for k, v in LIBRARY_WORDS.items()}
    sep = "；" if lang() == "zh" else "; "

    def word(text: object) -> object:
        if not isinstance(text, str) or not text:
            return text
        return sep.join(words.get(p, p) for p in text.split("；"))

    return values.map(word)
