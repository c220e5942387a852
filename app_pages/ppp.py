"""PPP 测算: the project model (costshare.ppp) and stand-alone loan and cash-flow tools."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from app_pages import _cache
from app_pages._editors import editor, set_base
from app_pages._i18n import lang, t
from app_pages._widgets import download, yaml_source
from costshare.errors import InputError
from costshare.money import format_amount, to_fen

K = "ppp_"
M = K + "m_"  # keys of the project-model part

st.title(t("ppp.title"))


# -- PPP project model -------------------------------------------------------------------
st.subheader(t("ppp.model"))
st.caption(t("ppp.model_intro"))
name, text, base = yaml_source(
    "ppp", M, list(_cache.bundled_ppp()), _cache.bundled_ppp_text, _cache.ppp_parse
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

st.markdown(f"**{base['name']}**")
if base.get("description"):
    st.caption(base["description"])

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


raw_json = _cache.ppp_edit(base, drivers, _rows(revenues), _rows(om))
try:
    res = _cache.ppp_results(raw_json, name)
except InputError as exc:  # e.g. a construction-cost subsidy refused under the new mechanism
    st.error(f"{t('ppp.invalid')}\n\n{exc}")
    res = None


def _pct(x: float | None) -> str:
    return t("ppp.none") if x is None else f"{x:.2%}"


def _years(x: float | None) -> str:
    return t("ppp.never") if x is None else f"{x:.2f}"


if res is not None:
    st.caption(f"{t('ppp.regime')}：{t('ppp.regime.' + res['regime'])}")
    mt, v = res["metrics"], res["vfm"]
    m = [*st.columns(4), *st.columns(4)]
    m[0].metric(t("ppp.m.project_npv"), format_amount(to_fen(mt.project_npv), "万元"))
    m[1].metric(t("ppp.m.project_irr"), _pct(mt.project_irr))
    m[2].metric(t("ppp.m.equity_npv"), format_amount(to_fen(mt.equity_npv), "万元"))
    m[3].metric(t("ppp.m.equity_irr"), _pct(mt.equity_irr))
    m[4].metric(t("ppp.payback"), _years(mt.payback_years))
    m[5].metric(t("ppp.dpayback"), _years(mt.discounted_payback_years))
    m[6].metric(t("ppp.m.dscr_min"), t("ppp.none") if mt.dscr_min is None else f"{mt.dscr_min:.2f}")
    m[7].metric(t("ppp.m.vfm"), format_amount(to_fen(v.vfm), "万元"))

    tabs = st.tabs(
        [t(f"ppp.tab.{k}") for k in ("flows", "debt", "afford", "tornado", "mc", "solver")]
    )
    table = res["table"]
    year_cols = ["year", *(["calendar_year"] if "calendar_year" in table else []), "phase"]
    money = st.column_config.NumberColumn(format="%.0f")
    with tabs[0]:
        st.plotly_chart(_cache.ppp_cashflow_fig(raw_json, name, lang()), key=M + "cf_chart")
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={c: money for c in table.columns if c.endswith("_fen")},
        )
        download(
            st, t("dl.ppp_csv"), _cache.ppp_csv(raw_json, name), "ppp_cash_flows.csv", M + "dl_csv"
        )
    with tabs[1]:
        debt = ["loan_draw_fen", "interest_fen", "principal_fen", "debt_service_fen", "cfads_fen"]
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_order=[*year_cols, *debt],
            column_config=dict.fromkeys(debt, money),
        )
    with tabs[2]:
        aff = res["affordability"]
        if aff is None:
            st.info(f"{t('ppp.no_fiscal')}\n\n{res['affordability_error']}")
        else:
            st.plotly_chart(_cache.ppp_afford_fig(raw_json, name, lang()), key=M + "afford_chart")
            fails = aff.table.loc[aff.table["status"] == "fail", "year"].tolist()
            if aff.passes:
                st.success(t("ppp.afford_pass"))
            else:
                st.error(t("ppp.afford_fail") + " " + ", ".join(map(str, fails)))
            if aff.warning_years:
                st.warning(t("ppp.afford_warn") + " " + ", ".join(map(str, aff.warning_years)))
            st.dataframe(aff.table, hide_index=True, width="stretch")
    with tabs[3]:
        offered, chosen, change0 = _cache.ppp_tornado_defaults(raw_json, name)
        c1, c2 = st.columns([3, 1])
        picked = c1.multiselect(
            t("ppp.tornado_drivers"), offered, default=chosen, key=M + "tornado_drivers"
        )
        change = c2.slider(
            t("ppp.tornado_change"), 0.05, 0.5, float(change0), step=0.05, key=M + "tornado_change"
        )
        if picked:
            st.plotly_chart(
                _cache.ppp_tornado_fig(raw_json, name, tuple(picked), float(change), lang()),
                key=M + "tornado_chart",
            )
            st.dataframe(
                _cache.ppp_tornado(raw_json, name, tuple(picked), float(change)),
                hide_index=True,
                width="stretch",
            )
    with tabs[4]:
        c1, c2 = st.columns(2)
        draws = c1.number_input(
            t("ppp.draws"), min_value=100, max_value=100_000, value=2_000, step=500, key=M + "draws"
        )
        seed = c2.number_input(t("ppp.seed"), min_value=0, value=0, step=1, key=M + "seed")
        try:
            mc = _cache.ppp_monte_carlo(raw_json, name, int(draws), int(seed))
        except InputError as exc:
            st.info(f"{t('ppp.mc_none')}\n\n{exc}")
        else:
            st.metric(t("ppp.mc_within"), f"{mc.p_payback_within:.1%}")
            st.plotly_chart(
                _cache.ppp_mc_fig(raw_json, name, int(draws), int(seed), lang()),
                key=M + "mc_chart",
            )
            st.dataframe(mc.summary, width="stretch")
    with tabs[5]:
        c1, c2 = st.columns(2)
        target = c1.number_input(
            t("ppp.target_irr"), 0.0, 0.5, 0.08, step=0.005, format="%.4f", key=M + "target_irr"
        )
        try:
            c1.metric(
                t("ppp.solved_subsidy"),
                format_amount(
                    to_fen(_cache.ppp_subsidy_for_irr(raw_json, name, float(target))), "万元"
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
                format_amount(to_fen(_cache.ppp_max_loan(raw_json, name, float(min_dscr))), "万元"),
            )
        except InputError as exc:
            c2.info(str(exc))

st.divider()
st.subheader(t("ppp.tools"))
st.caption(t("ppp.intro"))

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
    download(
        st,
        t("dl.csv"),
        schedule[cols].to_csv(index=False).encode("utf-8-sig"),
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
