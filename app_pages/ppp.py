"""PPP 测算: loan schedules and cash-flow metrics now; the project model when costshare.ppp lands."""

from __future__ import annotations

import importlib.util

import pandas as pd
import streamlit as st

from app_pages._i18n import lang, t
from app_pages._notyet import engine_missing

K = "ppp_"

st.title(t("ppp.title"))
if engine_missing("costshare.finance"):
    st.stop()

from app_pages import _cache  # noqa: E402  (after the engine check)
from app_pages._editors import editor, set_base  # noqa: E402
from costshare.money import format_amount  # noqa: E402

st.caption(t("ppp.intro"))
if importlib.util.find_spec("costshare.ppp") is None:
    st.info(t("ppp.model_pending"))

# -- loan schedule -----------------------------------------------------------------------
st.subheader(t("ppp.loan"))
c = st.columns(6)
principal = c[0].number_input(
    t("ppp.principal"), min_value=0.0, value=280_000_000.0, step=1_000_000.0, key=K + "principal"
)
rate = c[1].number_input(
    t("ppp.rate"),
    min_value=0.0,
    max_value=1.0,
    value=0.042,
    step=0.001,
    format="%.4f",
    key=K + "rate",
)
years = c[2].number_input(t("ppp.years"), min_value=1, max_value=50, value=15, key=K + "years")
method = c[3].selectbox(
    t("ppp.method"),
    ["annuity", "equal_principal"],
    format_func=lambda k: t(f"ppp.method.{k}"),
    key=K + "method",
)
per_year = c[4].selectbox(t("ppp.per_year"), [1, 12], key=K + "per_year")
grace = c[5].number_input(
    t("ppp.grace"), min_value=0, max_value=10, value=2, step=1, key=K + "grace"
)

args = (float(principal), float(rate), int(years), method, int(per_year), float(grace))
try:
    schedule = _cache.loan(*args)
except ValueError as exc:  # the library names the bad parameter
    st.error(f"{t('common.error_title')}\n\n{exc}")
else:
    m = st.columns(3)
    m[0].metric(t("ppp.first_payment"), format_amount(int(schedule["payment_fen"].iloc[0]), "万元"))
    m[1].metric(t("ppp.total_interest"), format_amount(int(schedule["interest_fen"].sum()), "万元"))
    m[2].metric(t("ppp.total_payment"), format_amount(int(schedule["payment_fen"].sum()), "万元"))
    st.plotly_chart(_cache.loan_fig(*args, lang()), key=K + "loan_chart")
    with st.expander(t("ppp.loan")):
        cols = ["period", "payment", "interest", "principal", "balance"]
        st.dataframe(
            schedule,
            hide_index=True,
            width="stretch",
            column_order=cols,
            column_config={
                c: st.column_config.NumberColumn(t(f"col.{c}"), format="%.2f")
                if c != "period"
                else t("col.period")
                for c in cols
            },
        )
    st.download_button(
        t("dl.csv"),
        data=schedule[cols].to_csv(index=False).encode("utf-8-sig"),
        file_name="loan_schedule.csv",
        mime="text/csv",
        on_click="ignore",
        key=K + "dl_loan",
    )

# -- cash-flow evaluation ----------------------------------------------------------------
st.subheader(t("ppp.flows"))
st.caption(t("ppp.flows_help"))
if K + "flows__base" not in st.session_state:
    example = [-28_000_000.0] + [2_600_000.0] * 3 + [3_400_000.0] * 17
    set_base(K + "flows", pd.DataFrame({"flow": example}))
left, right = st.columns([1, 3])
with left:
    discount = st.number_input(
        t("ppp.discount"),
        min_value=0.0,
        max_value=1.0,
        value=0.05,
        step=0.005,
        format="%.3f",
        key=K + "discount",
    )
    edited = editor(
        K + "flows",
        num_rows="dynamic",
        height=420,
        column_config={
            "flow": st.column_config.NumberColumn(t("ppp.flow"), format="%.2f", required=True)
        },
    )
flows = tuple(float(v) for v in edited["flow"].dropna())
with right:
    if len(flows) < 2:
        st.info(t("ppp.flows_help"))
    else:
        res = _cache.flow_metrics(flows, float(discount))
        m = st.columns(4)
        m[0].metric(t("ppp.npv"), f"{res['npv']:,.2f}")
        m[1].metric(
            t("ppp.irr"), t("ppp.none") if res["irr"] != res["irr"] else f"{res['irr']:.2%}"
        )
        pb, dpb = res["payback"], res["discounted_payback"]
        m[2].metric(t("ppp.payback"), t("ppp.never") if pb is None else f"{pb:.2f}")
        m[3].metric(t("ppp.dpayback"), t("ppp.never") if dpb is None else f"{dpb:.2f}")
        if res["multiple"]:
            st.warning(t("ppp.multiple"))
        st.plotly_chart(_cache.flow_fig(flows, lang()), key=K + "flow_chart")
