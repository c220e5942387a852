"""Sections of the PPP page: the assessed scenario's metrics and tabs, and the tools."""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from app_pages import _cache_ppp
from app_pages._i18n import lang, t
from app_pages._lang_keys import carried, lang_key
from app_pages._ppp_view import driver_name, mc_frame, money_frame, tornado_frame
from app_pages._progress import run_long
from app_pages._widgets import audit_expander, download, md_escape
from costshare.errors import InputError
from costshare.jobs import PPPJob
from costshare.money import format_amount, to_fen
from costshare.ppp.provenance import unsourced

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


def show_results(res: Any, job: PPPJob, name: str, keys: str) -> None:
    """Metrics and the six tabs of one assessed scenario (:class:`costshare.ppp.Assessment`).

    `job` is the page's request; `keys` the key prefix of the inputs of its document (they
    start again when another project is opened).
    """
    colon = ": " if lang() == "en" else "："
    st.caption(f"{t('ppp.regime')}{colon}{t('ppp.regime.' + res.regime)}")
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
    table, config = money_frame(res.table)
    year_cols = ["year", *(["calendar_year"] if "calendar_year" in table else []), "phase"]
    with tabs[0]:
        st.plotly_chart(_cache_ppp.ppp_cashflow_fig(job, lang()), key=M + "cf_chart")
        st.dataframe(table, hide_index=True, width="stretch", column_config=config, placeholder="")
        download(
            st,
            t("dl.ppp_csv"),
            _cache_ppp.ppp_csv(job),
            "ppp_cash_flows.csv",
            M + "dl_csv",
        )
    with tabs[1]:
        debt = ["loan_draw", "interest", "principal", "debt_service", "cfads"]
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_order=[*year_cols, *debt],
            column_config=config,
            placeholder="",
        )
    with tabs[2]:
        aff = res.affordability
        if aff is None:
            st.info(f"{t('ppp.no_fiscal')}{t('ppp.no_fiscal_why')}")
        else:
            st.plotly_chart(_cache_ppp.ppp_afford_fig(job, lang()), key=M + "afford_chart")
            fails = aff.table.loc[aff.table["status"] == "fail", "year"].tolist()
            if aff.passes:
                st.success(t("ppp.afford_pass"))
            else:
                st.error(t("ppp.afford_fail") + " " + ", ".join(map(str, fails)))
            if aff.warning_years:
                st.warning(t("ppp.afford_warn") + " " + ", ".join(map(str, aff.warning_years)))
            shown, aff_config = money_frame(aff.table)
            st.dataframe(
                shown, hide_index=True, width="stretch", column_config=aff_config, placeholder=""
            )
    with tabs[3]:
        offered, chosen, change0 = _cache_ppp.ppp_tornado_defaults(job)
        c1, c2 = st.columns([3, 1])
        picked = c1.multiselect(
            t("ppp.tornado_drivers"),
            offered,
            default=[d for d in carried(keys + "tornado_drivers", chosen) if d in offered],
            format_func=driver_name,
            placeholder=t("common.choose"),
            help=t("help.ppp.tornado_drivers"),
            key=lang_key(keys + "tornado_drivers"),
        )
        change = (
            c2.slider(
                t("ppp.pct", label=t("ppp.tornado_change")),
                5,
                50,
                round(float(change0) * 100),
                step=5,
                help=t("help.ppp.tornado_change"),
                key=keys + "tornado_change",
            )
            / 100
        )
        if picked:
            st.plotly_chart(
                _cache_ppp.ppp_tornado_fig(job, tuple(picked), float(change), lang()),
                key=M + "tornado_chart",
            )
            shown, tor_config = tornado_frame(
                _cache_ppp.ppp_tornado(job, tuple(picked), float(change))
            )
            st.dataframe(
                shown, hide_index=True, width="stretch", column_config=tor_config, placeholder=""
            )
    with tabs[4]:
        c1, c2 = st.columns(2)
        draws = c1.number_input(
            t("ppp.draws"),
            min_value=100,
            max_value=100_000,
            value=2_000,
            step=500,
            help=t("help.ppp.draws"),
            key=keys + "draws",
        )
        seed = c2.number_input(
            t("ppp.seed"), min_value=0, value=0, step=1, help=t("help.ppp.seed"), key=keys + "seed"
        )
        mc = None
        try:  # with progress and a cancel button (100,000 draws take seconds)
            mc = run_long(
                M + "mc",
                ("mc", job.digest(), int(draws), int(seed)),
                partial(_cache_ppp.monte_carlo_with, job, int(draws), int(seed)),
                label=t("progress.mc.draws"),
            )
        except InputError as exc:
            st.info(f"{t('ppp.mc_none')}\n\n{md_escape(str(exc))}")
        if mc is not None:
            st.metric(t("ppp.mc_within"), f"{mc.p_payback_within:.1%}")
            st.plotly_chart(
                _cache_ppp.ppp_mc_fig(job, int(draws), int(seed), lang(), mc),
                key=M + "mc_chart",
            )
            st.dataframe(mc_frame(mc.summary), hide_index=True, width="stretch", placeholder="")
    with tabs[5]:
        c1, c2 = st.columns(2)
        target = (
            c1.number_input(
                t("ppp.pct", label=t("ppp.target_irr")),
                0.0,
                50.0,
                8.0,
                step=0.5,
                format="%.2f",
                help=t("help.ppp.target_irr"),
                key=keys + "target_irr",
            )
            / 100
        )
        try:
            c1.metric(
                t("ppp.solved_subsidy"),
                format_amount(to_fen(_cache_ppp.ppp_subsidy_for_irr(job, float(target))), "万元"),
            )
        except InputError as exc:
            c1.info(md_escape(str(exc)))
        min_dscr = c2.number_input(
            t("ppp.min_dscr"),
            0.5,
            5.0,
            1.2,
            step=0.05,
            format="%.2f",
            help=t("help.ppp.min_dscr"),
            key=keys + "min_dscr",
        )
        try:
            c2.metric(
                t("ppp.max_loan"),
                format_amount(to_fen(_cache_ppp.ppp_max_loan(job, float(min_dscr))), "万元"),
            )
        except InputError as exc:
            c2.info(md_escape(str(exc)))
    loose = unsourced(job.model)  # figures the scenario gives no source for: flagged
    if loose:
        st.warning(md_escape(t("ppp.prov.flagged", n=len(loose), paths=", ".join(loose))))
    audit_expander(_cache_ppp.audit(job, name, lang()), M)
