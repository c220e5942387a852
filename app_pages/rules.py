"""规则 Rules: every jurisdiction's rule table with its source, article, date, confidence."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app_pages import _cache, _cache_rules
from app_pages._i18n import jur_name, label, lang, t
from app_pages._lang_keys import carried, lang_key
from app_pages._widgets import download, md_escape
from costshare.errors import InputError
from costshare.report.csv import csv_bytes

K = "rules_"

st.title(t("rules.title"))
st.caption(t("rules.intro"))

keys = _cache.jurisdictions()
c1, c2 = st.columns(2)
key = c1.selectbox(
    t("rules.pick"),
    keys,
    index=keys.index(carried(K + "key", "fujian" if "fujian" in keys else keys[0])),
    format_func=lambda k: jur_name(k),
    help=t("help.rules.key"),
    key=lang_key(K + "key"),
)
on = c2.date_input(
    t("rules.on"),
    value=dt.date.today(),
    min_value=dt.date(2000, 1, 1),
    max_value=dt.date(2040, 12, 31),
    help=t("help.rules.on"),
    key=K + "on",
)

try:
    meta = _cache.rule_meta(key, on)
    table = _cache_rules.rules_view(key, on, lang())
except InputError as exc:
    st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}")
    st.stop()

st.subheader(md_escape(jur_name(key)))
kinds = sorted(table["kind_key"].unique()) if len(table) else []
c3, c4 = st.columns([2, 3])
chosen = c3.multiselect(
    t("rules.kinds"),
    kinds,
    default=[k for k in carried(K + "kinds", kinds) if k in kinds],
    format_func=lambda k: label("rule_kind", k),
    placeholder=t("common.choose"),
    help=t("help.rules.kinds"),
    key=lang_key(K + "kinds"),
)
query = c4.text_input(t("rules.search"), help=t("help.rules.search"), key=K + "search")
shown = table[table["kind_key"].isin(chosen)].drop(columns="kind_key")
if query:
    mask = shown.astype(str).apply(lambda col: col.str.contains(query, case=False, regex=False))
    shown = shown[mask.any(axis=1)]

st.caption(t("rules.count", n=len(shown), on=on.isoformat()))
special = {"rule": "rules.col.rule", "reason": "rules.col.reason"}
headers = {c: t(special.get(c, f"col.{c}")) for c in shown.columns}
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    column_config=headers,
    key=K + "table",
    placeholder="",
)
download(
    st,
    t("dl.csv"),
    csv_bytes(shown.rename(columns=headers)),
    f"rules_{key}_{on.isoformat()}.csv",
    K + "dl_csv",
)

e1, e2 = st.columns(2)
for box, title, group, names in (
    (e1, "rules.payers", "payer", meta["payers"]),
    (e2, "rules.categories", "category", meta["categories"]),
):
    with box.expander(t(title)):
        labels = [label(group, k, default=v) for k, v in names.items()]
        st.dataframe(
            pd.DataFrame({t("rules.key"): list(names), t("rules.label"): labels}),
            hide_index=True,
            placeholder="",
        )
