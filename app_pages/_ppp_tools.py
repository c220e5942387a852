"""The PPP page's stand-alone tools: a loan schedule and a cash-flow evaluation."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from app_pages import _cache_ppp
from app_pages._editors import editor, set_base
from app_pages._i18n import lang, t
from app_pages._lang_keys import carried, lang_key
from app_pages._ppp_sections import irr_notes
from app_pages._ppp_view import MONEY
from app_pages._widgets import download, md_escape, money
from costshare.money import format_amount, to_fen

K = "ppp_"


def show_tools() -> None:
    """The stand-alone loan schedule and cash-flow evaluation."""
    st.subheader(t("ppp.tools"))
    st.caption(t("ppp.intro"))

    # -- loan schedule -----------------------------------------------------------------------
    st.subheader(t("ppp.loan"))
    c = st.columns(6)
    principal = c[0].number_input(
        t("ppp.principal"),
        help=t("help.ppp.principal"),
        min_value=0.0,
        value=280_000_000.0,
        step=1_000_000.0,
        key=K + "principal",
    )
    rate_pct = c[1].number_input(
        t("ppp.pct", label=t("ppp.rate")),
        help=t("help.ppp.rate"),
        min_value=0.0,
        max_value=100.0,
        value=4.2,
        step=0.1,
        format="%.2f",
        key=K + "rate",
    )
    rate = round(rate_pct / 100, 6)
    years = c[2].number_input(
        t("ppp.years"),
        help=t("help.ppp.years"),
        min_value=1,
        max_value=50,
        value=15,
        key=K + "years",
    )
    methods = ["annuity", "equal_principal"]
    method = c[3].selectbox(
        t("ppp.method"),
        methods,
        index=methods.index(carried(K + "method", "annuity")),
        format_func=lambda k: t(f"ppp.method.{k}"),
        help=t("help.ppp.method"),
        key=lang_key(K + "method"),
    )
    per_year = c[4].selectbox(
        t("ppp.per_year"), [1, 12], help=t("help.ppp.per_year"), key=K + "per_year"
    )
    grace = c[5].number_input(
        t("ppp.grace"),
        help=t("help.ppp.grace"),
        min_value=0,
        max_value=10,
        value=2,
        step=1,
        key=K + "grace",
    )

    args = (float(principal), float(rate), int(years), method, int(per_year), float(grace))
    try:
        schedule = _cache_ppp.loan(*args)
    except ValueError as exc:  # the library names the bad parameter
        st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}")
    else:
        m = st.columns(3)
        m[0].metric(
            t("ppp.first_payment"), format_amount(int(schedule["payment_fen"].iloc[0]), "万元")
        )
        m[1].metric(
            t("ppp.total_interest"), format_amount(int(schedule["interest_fen"].sum()), "万元")
        )
        m[2].metric(
            t("ppp.total_payment"), format_amount(int(schedule["payment_fen"].sum()), "万元")
        )
        st.plotly_chart(_cache_ppp.loan_fig(*args, lang()), key=K + "loan_chart")
        with st.expander(t("ppp.loan")):
            cols = ["period", "payment", "interest", "principal", "balance"]
            st.dataframe(
                schedule,
                hide_index=True,
                width="stretch",
                column_order=cols,
                column_config={
                    c: st.column_config.NumberColumn(t(f"col.{c}"), format=MONEY)
                    if c != "period"
                    else t("col.period")
                    for c in cols
                },
                placeholder="",
            )
        download(
            st,
            t("dl.csv"),
            _cache_ppp.loan_csv(*args),
            "loan_schedule.csv",
            K + "dl_loan",
        )

    # -- cash-flow evaluation ----------------------------------------------------------------
    st.subheader(t("ppp.flows"))
    st.caption(t("ppp.flows_help"))
    if K + "flows__base" not in st.session_state:
        example = [-28_000_000.0] + [2_600_000.0] * 3 + [3_400_000.0] * 17
        set_base(K + "flows", pd.DataFrame({"flow": example}))
    left, right = st.columns([1, 3])
    with left:
        discount_pct = st.number_input(
            t("ppp.pct", label=t("ppp.discount")),
            help=t("help.ppp.discount"),
            min_value=0.0,
            max_value=100.0,
            value=5.0,
            step=0.5,
            format="%.2f",
            key=K + "discount",
        )
        discount = round(discount_pct / 100, 6)
        edited = editor(
            K + "flows",
            num_rows="dynamic",
            height=420,
            column_config={
                "flow": st.column_config.NumberColumn(t("ppp.flow"), format=MONEY, required=True)
            },
        )
    flows = tuple(float(v) for v in edited["flow"].dropna())
    with right:
        if len(flows) < 2:
            st.info(t("ppp.flows_help"))
        else:
            res = _cache_ppp.flow_metrics(flows, float(discount))
            m = [*st.columns(2), *st.columns(2)]  # a narrow column: two metrics a row
            m[0].metric(t("ppp.npv"), money(to_fen(Decimal(repr(res.npv)))))
            m[1].metric(t("ppp.irr"), t("ppp.none") if res.irr != res.irr else f"{res.irr:.2%}")
            pb, dpb = res.payback, res.discounted_payback
            m[2].metric(t("ppp.payback"), t("ppp.never") if pb is None else f"{pb:.2f}")
            m[3].metric(t("ppp.dpayback"), t("ppp.never") if dpb is None else f"{dpb:.2f}")
            irr_notes(t("ppp.irr"), res.roots, res.irr_reason, res.irr)
            st.plotly_chart(_cache_ppp.flow_fig(flows, lang()), key=K + "flow_chart")
