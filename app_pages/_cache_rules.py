"""Cached rule tables for the rules page, in the chosen language (no internal keys)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from costshare import i18n, rules
from costshare.rules._cite import _date_text, reason, value_text

COLUMNS = (
    "rule",
    "kind",
    "applies_to",
    "value",
    "document",
    "issuer",
    "article",
    "date",
    "seed",
    "confidence",
    "reason",
    "effective_from",
    "effective_to",
)
"""Columns of the rules table, in order (the ``rule`` id is the citation handle)."""


@st.cache_data(show_spinner=False, max_entries=64)
def rules_view(key: str, on: dt.date, lang: i18n.Lang) -> pd.DataFrame:
    """Every rule of `key` in force on `on`: kind, value, dates and reason in `lang`.

    The rows are :meth:`RuleSet.provenance`'s; kind, value, date, reason and start are
    rewritten for a reader (``rule`` keeps the id, the handle a citation uses); the last
    column ``kind_key`` is the rule's kind as a key, for filters.
    """
    rs = rules.load(key, on)
    table = rs.provenance()
    found = rs.all_rules()
    undated = i18n.t("cite.undated", lang)
    table["kind_key"] = [type(r).__name__ for r in found]  # the filter's value (any language)
    table["kind"] = [i18n.label("rule_kind", k, lang) for k in table["kind_key"]]
    table["value"] = [value_text(r, rs.payers, lang) for r in found]
    table["date"] = [_date_text(r.source, lang) for r in found]
    table["reason"] = [reason(r, lang) for r in found]
    table["effective_from"] = [
        r.effective_from.isoformat() if r.effective_from else undated for r in found
    ]
    return table[[*(c for c in COLUMNS if c in table.columns), "kind_key"]]
