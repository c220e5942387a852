"""规则 Rules: every jurisdiction's rule table with its source, article, date, confidence."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app_pages import _cache
from app_pages._i18n import label, t
from app_pages._widgets import download, md_escape
from costshare.errors import InputError

K = "rules_"

st.title(t("rules.title"))
st.caption(t("rules.intro"))

keys = _cache.jurisdictions()
c1, c2 = st.columns(2)
key = c1.selectbox(
    t("rules.pick"), keys, index=keys.index("fujian") if "fujian" in keys else 0, key=K + "key"
)
on = c2.date_input(
    t("rules.on"),
    value=dt.date.today(),
    min_value=dt.date(2000, 1, 1),
    max_value=dt.date(2040, 12, 31),
    key=K + "on",
)

try:
    meta = _cache.rule_meta(key, on)
    prov = _cache.provenance(key, on)
except InputError as exc:
    st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}")
    st.stop()

st.subheader(md_escape(meta["name"]))
kinds = sorted(prov["kind"].unique()) if len(prov) else []
c3, c4 = st.columns([2, 3])
chosen = c3.multiselect(
    t("rules.kinds"), kinds, default=kinds, placeholder=t("common.choose"), key=K + "kinds"
)
query = c4.text_input(t("rules.search"), key=K + "search")
shown = prov[prov["kind"].isin(chosen)]
if query:
    mask = shown.astype(str).apply(lambda col: col.str.contains(query, case=False, regex=False))
    shown = shown[mask.any(axis=1)]

st.caption(t("rules.count", n=len(shown), on=on.isoformat()))
cols = [
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
    "effective_from",
    "effective_to",
]
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    column_order=[c for c in cols if c in shown.columns],
    column_config={c: t(f"col.{c}") for c in cols if c in shown.columns},
    key=K + "table",
    placeholder="",
)
download(
    st,
    t("dl.csv"),
    shown.to_csv(index=False).encode("utf-8-sig"),
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
