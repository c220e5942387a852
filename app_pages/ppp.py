"""PPP 测算: the project model (costshare.ppp) and stand-alone loan and cash-flow tools."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pandas as pd
import streamlit as st

from app_pages import _cache_ppp
from app_pages._editors import editor, set_base
from app_pages._i18n import t
from app_pages._ppp_sections import show_results, show_tools
from app_pages._store_widgets import store_panel
from app_pages._widgets import md_escape, yaml_source
from costshare.errors import InputError

K = "ppp_"
M = K + "m_"  # keys of the project-model part

st.title(t("ppp.title"))


# -- PPP project model -------------------------------------------------------------------
st.subheader(t("ppp.model"))
st.caption(t("ppp.model_intro"))
name, text, base = yaml_source(
    "ppp", M, list(_cache_ppp.bundled_ppp()), _cache_ppp.bundled_ppp_text, _cache_ppp.ppp_parse
)

digest = hashlib.sha256(f"{name}\n{text}".encode()).hexdigest()
if st.session_state.get(M + "digest") != digest:
    # A new base scenario: every driver of the model starts again from it.
    st.session_state[M + "digest"] = digest
    for key in list(st.session_state):
        if key.startswith(M) and key not in (
            M + "digest",
            M + "source",
            M + "bundled",
            M + "upload",
        ):
            st.session_state.pop(key, None)
    set_base(
        M + "revenues",
        pd.DataFrame(
            base["revenues"] or [], columns=["name", "kind", "annual_amount", "growth"]
        ).astype({"annual_amount": "float64", "growth": "float64"}),
    )
    set_base(
        M + "om",
        pd.DataFrame(base["om_costs"] or [], columns=["name", "annual_amount", "growth"]).astype(
            {"annual_amount": "float64", "growth": "float64"}
        ),
    )

st.markdown(f"**{md_escape(base['name'])}**")  # user text: never markdown
if base.get("description"):
    st.caption(md_escape(base["description"]))

loan = base["financing"].get("loan")
sub = base["subsidy"]
regimes = ["legacy_21", "new_mechanism_2023"]
kinds = ["viability_gap", "government_pay", "operating_only", "none"]
with st.expander(t("ppp.drivers"), expanded=True):
    c = st.columns(5)
    regime = c[0].selectbox(
        t("ppp.regime"),
        regimes,
        index=regimes.index(base["regime"]),
        format_func=lambda k: t(f"ppp.regime.{k}"),
        key=M + "regime",
    )
    cost = c[1].number_input(
        t("ppp.cost"),
        min_value=0.01,
        value=float(base["construction"]["cost"]),
        step=1_000_000.0,
        format="%.2f",
        key=M + "cost",
    )
    equity = c[2].number_input(
        t("ppp.equity_share"),
        min_value=0.0,
        max_value=1.0,
        value=float(base["financing"]["equity_share"]),
        step=0.05,
        key=M + "equity",
    )
    loan_rate = c[3].number_input(
        t("ppp.loan_rate"),
        min_value=0.0,
        max_value=1.0,
        value=float(loan["annual_rate"]) if loan else 0.0,
        step=0.0025,
        format="%.4f",
        disabled=loan is None,
        key=M + "loan_rate",
    )
    loan_years = c[4].number_input(
        t("ppp.loan_years"),
        min_value=1,
        max_value=100,
        value=int(loan["years"]) if loan else 1,
        disabled=loan is None,
        key=M + "loan_years",
    )
    c = st.columns(4)
    kind = c[0].selectbox(
        t("ppp.subsidy_kind"),
        kinds,
        index=kinds.index(sub["kind"]),
        format_func=lambda k: t(f"ppp.subsidy_kind.{k}"),
        key=M + "subsidy_kind",
    )
    profit = c[1].number_input(
        t("ppp.profit_rate"),
        min_value=0.0,
        max_value=1.0,
        value=float(sub["profit_rate"]),
        step=0.005,
        format="%.4f",
        key=M + "profit",
    )
    sub_rate = c[2].number_input(
        t("ppp.subsidy_rate"),
        min_value=0.0,
        max_value=1.0,
        value=float(sub["discount_rate"]),
        step=0.005,
        format="%.4f",
        key=M + "sub_rate",
    )
    eval_rate = c[3].number_input(
        t("ppp.eval_rate"),
        min_value=0.0,
        max_value=1.0,
        value=float(base["evaluation"]["discount_rate"]),
        step=0.005,
        format="%.4f",
        key=M + "eval_rate",
    )
    e1, e2 = st.columns([3, 2])
    with e1:
        st.markdown(t("ppp.revenues"))
        revenues = editor(
            M + "revenues",
            num_rows="fixed",
            width="stretch",
            hide_index=True,
            column_config={
                "name": st.column_config.TextColumn(t("col.name"), disabled=True),
                "kind": st.column_config.TextColumn(t("col.revenue_kind"), disabled=True),
                "annual_amount": st.column_config.NumberColumn(
                    t("col.annual_amount"), min_value=0.0, format="%.2f", required=True
                ),
                "growth": st.column_config.NumberColumn(
                    t("col.growth"), format="%.4f", required=True
                ),
            },
        )
    with e2:
        st.markdown(t("ppp.om_costs"))
        om = editor(
            M + "om",
            num_rows="fixed",
            width="stretch",
            hide_index=True,
            column_config={
                "name": st.column_config.TextColumn(t("col.name"), disabled=True),
                "annual_amount": st.column_config.NumberColumn(
                    t("col.annual_amount"), min_value=0.0, format="%.2f", required=True
                ),
                "growth": st.column_config.NumberColumn(
                    t("col.growth"), format="%.4f", required=True
                ),
            },
        )

drivers = {
    "regime": regime,
    "construction.cost": f"{cost:.2f}",
    "financing.equity_share": equity,
    "subsidy.kind": kind,
    "subsidy.profit_rate": profit,
    "subsidy.discount_rate": sub_rate,
    "evaluation.discount_rate": eval_rate,
}
if loan is not None:
    drivers |= {"financing.loan.annual_rate": loan_rate, "financing.loan.years": int(loan_years)}


def _rows(frame: pd.DataFrame) -> list[dict]:
    """Editor rows as scenario fields (amounts as exact yuan text)."""
    return [
        {"annual_amount": f"{r.annual_amount:.2f}", "growth": float(r.growth)}
        for r in frame.itertuples(index=False)
    ]


raw_json = _cache_ppp.ppp_edit(base, drivers, _rows(revenues), _rows(om))
today = dt.date.today()
try:
    res = _cache_ppp.ppp_results(raw_json, name, today)
except InputError as exc:  # e.g. a construction-cost subsidy refused under the new mechanism
    st.error(f"{t('ppp.invalid')}\n\n{md_escape(str(exc))}")
    res = None


if res is not None:
    show_results(res, raw_json, name, today)
    store_panel("ppp", name.rsplit(".", 1)[0], K, {"kind": "ppp", **json.loads(raw_json)})

st.divider()
show_tools()
