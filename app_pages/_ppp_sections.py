"""Sections of the PPP page: the assessed scenario's metrics and tabs, and the tools."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import _cache_ppp
from app_pages._editors import editor, set_base
from app_pages._i18n import lang, t
from app_pages._widgets import download, md_escape
from costshare.errors import InputError
from costshare.money import format_amount, to_fen

K = "ppp_"
M = K + "m_"


def _pct(x: float | None) -> str:
    return t("ppp.none") if x is None else f"{x:.2%}"


def _years(x: float | None) -> str:
    return t("ppp.never") if x is None else f"{x:.2f}"


def irr_notes(what: str, roots: tuple[float, ...], reason: str, chosen: Any = None) -> None:
    """Why an IRR is missing, or every root when there are several (and which was taken)."""
    if reason:
        st.caption(t("ppp.irr_nan", what=what, reason=t(f"ppp.irr_reason.{reason}")))
    elif len(roots) > 1:
        st.info(
            f"{what} · "
            + t("ppp.irr_roots", roots=", ".join(map(_pct, roots)), chosen=_pct(chosen))
        )


def show_dated(d: Any) -> None:
    """XNPV/XIRR of the dated flows beside the annual figures."""
    if d is None:
        st.caption(t("ppp.dated_none"))
        return
    st.caption(t("ppp.dated", start=d.start_date.isoformat()))
    c, fen = st.columns(4), lambda k: to_fen(getattr(d, f"{k}_xnpv"))
    for i, k in enumerate(("project", "equity")):
        c[2 * i].metric(t(f"ppp.m.{k}_xnpv"), format_amount(fen(k), "万元"))
        c[2 * i + 1].metric(t(f"ppp.m.{k}_xirr"), _pct(getattr(d, f"{k}_xirr")))


def show_results(res: Any, raw_json: str, name: str, today: dt.date) -> None:
    """Metrics and the six tabs of one assessed scenario (:class:`costshare.ppp.Assessment`)."""
    st.caption(f"{t('ppp.regime')}：{t('ppp.regime.' + res.regime)}")
    mt, v = res.metrics, res.vfm
    m = [*st.columns(4), *st.columns(4)]
    m[0].metric(t("ppp.m.project_npv"), format_amount(to_fen(mt.project_npv), "万元"))
    m[1].metric(t("ppp.m.project_irr"), _pct(mt.project_irr))
    m[2].metric(t("ppp.m.equity_npv"), format_amount(to_fen(mt.equity_npv), "万元"))
    m[3].metric(t("ppp.m.equity_irr"), _pct(mt.equity_irr))
    m[4].metric(t("ppp.payback"), _years(mt.payback_years))
    m[5].metric(t("ppp.dpayback"), _years(mt.discounted_payback_years))
    m[6].metric(t("ppp.m.dscr_min"), t("ppp.none") if mt.dscr_min is None else f"{mt.dscr_min:.2f}")
    m[7].metric(
        t("ppp.m.vfm"), t("ppp.vfm_none") if v is None else format_amount(to_fen(v.vfm), "万元")
    )
    if mt.dscr_below_one:
        st.warning(t("ppp.dscr_below_one", years=", ".join(map(str, mt.dscr_below_one))))
    for k in ("project", "equity"):
        g = {f: getattr(mt, f"{k}_irr{f}") for f in ("", "_roots", "_reason")}
        irr_notes(t(f"ppp.m.{k}_irr"), g["_roots"], g["_reason"], g[""])
    show_dated(res.dated)

    tabs = st.tabs(
        [t(f"ppp.tab.{k}") for k in ("flows", "debt", "afford", "tornado", "mc", "solver")]
    )
    table = res.table
    year_cols = ["year", *(["calendar_year"] if "calendar_year" in table else []), "phase"]
    money = st.column_config.NumberColumn(format="%.0f")
    with tabs[0]:
        st.plotly_chart(
            _cache_ppp.ppp_cashflow_fig(raw_json, name, today, lang()), key=M + "cf_chart"
        )
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={c: money for c in table.columns if c.endswith("_fen")},
            placeholder="",
        )
        download(
            st,
            t("dl.ppp_csv"),
            _cache_ppp.ppp_csv(raw_json, name, today),
            "ppp_cash_flows.csv",
            M + "dl_csv",
        )
    with tabs[1]:
        debt = ["loan_draw_fen", "interest_fen", "principal_fen", "debt_service_fen", "cfads_fen"]
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_order=[*year_cols, *debt],
            column_config=dict.fromkeys(debt, money),
            placeholder="",
        )
    with tabs[2]:
        aff = res.affordability
        if aff is None:
            st.info(f"{t('ppp.no_fiscal')}\n\n{md_escape(res.affordability_note)}")
        else:
            st.plotly_chart(
                _cache_ppp.ppp_afford_fig(raw_json, name, today, lang()), key=M + "afford_chart"
            )
            fails = aff.table.loc[aff.table["status"] == "fail", "year"].tolist()
            if aff.passes:
                st.success(t("ppp.afford_pass"))
            else:
                st.error(t("ppp.afford_fail") + " " + ", ".join(map(str, fails)))
            if aff.warning_years:
                st.warning(t("ppp.afford_warn") + " " + ", ".join(map(str, aff.warning_years)))
            st.dataframe(aff.table, hide_index=True, width="stretch", placeholder="")
    with tabs[3]:
        offered, chosen, change0 = _cache_ppp.ppp_tornado_defaults(raw_json, name)
        c1, c2 = st.columns([3, 1])
        picked = c1.multiselect(
            t("ppp.tornado_drivers"), offered, default=chosen, key=M + "tornado_drivers"
        )
        change = c2.slider(
            t("ppp.tornado_change"), 0.05, 0.5, float(change0), step=0.05, key=M + "tornado_change"
        )
        if picked:
            st.plotly_chart(
                _cache_ppp.ppp_tornado_fig(raw_json, name, tuple(picked), float(change), lang()),
                key=M + "tornado_chart",
            )
            st.dataframe(
                _cache_ppp.ppp_tornado(raw_json, name, tuple(picked), float(change)),
                hide_index=True,
                width="stretch",
                placeholder="",
            )
    with tabs[4]:
        c1, c2 = st.columns(2)
        draws = c1.number_input(
            t("ppp.draws"), min_value=100, max_value=100_000, value=2_000, step=500, key=M + "draws"
        )
        seed = c2.number_input(t("ppp.seed"), min_value=0, value=0, step=1, key=M + "seed")
        try:
            mc = _cache_ppp.ppp_monte_carlo(raw_json, name, int(draws), int(seed))
        except InputError as exc:
            st.info(f"{t('ppp.mc_none')}\n\n{md_escape(str(exc))}")
        else:
            st.metric(t("ppp.mc_within"), f"{mc.p_payback_within:.1%}")
            st.plotly_chart(
                _cache_ppp.ppp_mc_fig(raw_json, name, int(draws), int(seed), lang()),
                key=M + "mc_chart",
            )
            st.dataframe(mc.summary, width="stretch", placeholder="")
    with tabs[5]:
        c1, c2 = st.columns(2)
        target = c1.number_input(
            t("ppp.target_irr"), 0.0, 0.5, 0.08, step=0.005, format="%.4f", key=M + "target_irr"
        )
        try:
            c1.metric(
                t("ppp.solved_subsidy"),
                format_amount(
                    to_fen(_cache_ppp.ppp_subsidy_for_irr(raw_json, name, float(target))), "万元"
                ),
            )
        except InputError as exc:
            c1.info(str(exc))
        min_dscr = c2.number_input(
            t("ppp.min_dscr"), 0.5, 5.0, 1.2, step=0.05, format="%.2f", key=M + "min_dscr"
        )
        try:
            c2.metric(
                t("ppp.max_loan"),
                format_amount(
                    to_fen(_cache_ppp.ppp_max_loan(raw_json, name, float(min_dscr))), "万元"
                ),
            )
        except InputError as exc:
            c2.info(str(exc))


def show_tools() -> None:
    """The stand-alone loan schedule and cash-flow evaluation."""
    st.subheader(t("ppp.tools"))
    st.caption(t("ppp.intro"))

    # -- loan schedule -----------------------------------------------------------------------
    st.subheader(t("ppp.loan"))
    c = st.columns(6)
    principal = c[0].number_input(
        t("ppp.principal"),
        min_value=0.0,
        value=280_000_000.0,
        step=1_000_000.0,
        key=K + "principal",
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
                    c: st.column_config.NumberColumn(t(f"col.{c}"), format="%.2f")
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
            res = _cache_ppp.flow_metrics(flows, float(discount))
            m = st.columns(4)
            m[0].metric(t("ppp.npv"), f"{res.npv:,.2f}")
            m[1].metric(t("ppp.irr"), t("ppp.none") if res.irr != res.irr else f"{res.irr:.2%}")
            pb, dpb = res.payback, res.discounted_payback
            m[2].metric(t("ppp.payback"), t("ppp.never") if pb is None else f"{pb:.2f}")
            m[3].metric(t("ppp.dpayback"), t("ppp.never") if dpb is None else f"{dpb:.2f}")
            irr_notes(t("ppp.irr"), res.roots, res.irr_reason, res.irr)
            st.plotly_chart(_cache_ppp.flow_fig(flows, lang()), key=K + "flow_chart")
