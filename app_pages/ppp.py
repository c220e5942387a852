"""PPP 测算: the project model (costshare.ppp) and stand-alone loan and cash-flow tools."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app_pages import _cache, _cache_ppp
from app_pages._doc_state import scope
from app_pages._editors import editor, set_base
from app_pages._i18n import lang, t
from app_pages._lang_keys import carried, lang_key
from app_pages._ppp_fiscal import fiscal_inputs
from app_pages._ppp_sections import show_results
from app_pages._ppp_tools import show_tools
from app_pages._ppp_view import line_name
from app_pages._store_widgets import store_panel
from app_pages._widgets import md_escape, yaml_source
from costshare.errors import InputError
from costshare.jobs import PPPJob

K = "ppp_"
M = K + "m_"  # keys of the project-model part (its inputs are keyed by the document)
OP = K + "op_"  # keys of the operation-revenue choice (kept across bases)

st.title(t("ppp.title"))


# -- PPP project model -------------------------------------------------------------------
st.subheader(t("ppp.model"))
st.caption(t("ppp.model_intro"))
name, text, base = yaml_source(
    "ppp",
    M,
    list(_cache_ppp.bundled_ppp()),
    _cache_ppp.bundled_ppp_text,
    _cache_ppp.ppp_parse,
    title=lambda f: _cache.bundled_title(f, lang(), _cache_ppp.bundled_ppp_text),
)
today = dt.date.today()

# Revenues from an operation scenario (costshare.operation.ppp_revenues), when asked.
ops = _cache_ppp.operation_scenarios()
op_note = None
if ops and st.toggle(t("ppp.use_operation"), help=t("help.ppp.use_operation"), key=OP + "on"):
    c = st.columns(2)
    op_name = c[0].selectbox(
        t("ppp.op_scenario"), list(ops), help=t("help.ppp.op_scenario"), key=OP + "name"
    )
    picked = c[1].multiselect(
        t("ppp.op_communities"),
        ops[op_name],
        default=ops[op_name],
        placeholder=t("common.choose"),
        help=t("help.ppp.op_communities"),
        key=OP + "communities",
    )
    op_revs, op_sources = _cache_ppp.operation_revenues(op_name, tuple(picked), today)
    if op_revs:
        base = {**base, "revenues": op_revs}
        sens = base.get("sensitivity") or {}
        keep = lambda d: not d.startswith("revenue.")  # noqa: E731 (lines of the old revenues)
        mc = sens.get("monte_carlo") or {}
        base["sensitivity"] = {
            **sens,
            "tornado": [x for x in sens.get("tornado") or [] if keep(x["driver"])],
            "monte_carlo": {
                **mc,
                "drivers": {k: v for k, v in (mc.get("drivers") or {}).items() if keep(k)},
            },
        }
        op_note = (op_name, len(picked), op_sources)
    else:
        st.info(t("ppp.op_none"))

# Every driver below starts from this document (with the operation revenues when taken):
# its keys carry the document's identity, so opening another project gives every input
# that project's value (a browser keeps a widget's value while its key stays the same).
S, new_doc = scope(M, name, f"{text}\n{op_note}")
if new_doc:
    rev = pd.DataFrame(base["revenues"] or [], columns=["name", "kind", "annual_amount", "growth"])
    om_base = pd.DataFrame(base["om_costs"] or [], columns=["name", "annual_amount", "growth"])
    for frame in (rev, om_base):  # growth is entered as a percentage
        frame["annual_amount"] = frame["annual_amount"].astype("float64")
        frame["growth"] = frame["growth"].astype("float64") * 100
    set_base(S + "revenues", rev)
    set_base(S + "om", om_base)

en = lang() == "en"
st.markdown(f"**{md_escape(base.get('name_en') if en and base.get('name_en') else base['name'])}**")
description = base.get("description_en") if en and base.get("description_en") else None
if description or base.get("description"):
    st.text(description or base["description"])
if op_note is not None:
    st.caption(t("ppp.op_note", name=op_note[0], n=op_note[1]))
    for seed, passage, note in op_note[2]:  # the notes are English
        st.text(f"{seed} {passage}" + (f" ({note})" if en and note else ""))

loan = base["financing"].get("loan")
sub = base["subsidy"]
base_job = PPPJob.parse({"project": {"data": base}, "on": today}, name)
cap = _cache_ppp.cap_cite(base_job, lang())
regimes = ["legacy_21", "new_mechanism_2023"]
kinds = ["viability_gap", "government_pay", "operating_only", "none"]


def pct_input(where, label: str, value: float, key: str, helpkey: str, **kw) -> float:
    """A rate entered as a percentage (4.20 for 4.20%), returned as a fraction."""
    got = where.number_input(
        t("ppp.pct", label=t(label)),
        min_value=0.0,
        max_value=100.0,
        value=round(value * 100, 4),
        step=0.25,
        format="%.2f",
        help=t(helpkey),
        key=key,
        **kw,
    )
    return round(got / 100, 8)


with st.expander(t("ppp.drivers"), expanded=True):
    c = st.columns(5)
    regime = c[0].selectbox(
        t("ppp.regime"),
        regimes,
        index=regimes.index(carried(S + "regime", base["regime"])),
        format_func=lambda k: t(f"ppp.regime.{k}"),
        help=t("help.ppp.regime"),
        key=lang_key(S + "regime"),
    )
    cost = c[1].number_input(
        t("ppp.cost"),
        min_value=0.01,
        value=float(base["construction"]["cost"]),
        step=1_000_000.0,
        format="%.2f",
        help=t("help.ppp.cost", cite=cap),
        key=S + "cost",
    )
    equity = pct_input(
        c[2], "ppp.equity_share", base["financing"]["equity_share"], S + "equity", "help.ppp.equity"
    )
    loan_rate = pct_input(
        c[3],
        "ppp.loan_rate",
        loan["annual_rate"] if loan else 0.0,
        S + "loan_rate",
        "help.ppp.loan_rate",
        disabled=loan is None,
    )
    loan_years = c[4].number_input(
        t("ppp.loan_years"),
        min_value=1,
        max_value=100,
        value=int(loan["years"]) if loan else 1,
        disabled=loan is None,
        help=t("help.ppp.loan_years"),
        key=S + "loan_years",
    )
    c = st.columns(4)
    kind = c[0].selectbox(
        t("ppp.subsidy_kind"),
        kinds,
        index=kinds.index(carried(S + "subsidy_kind", sub["kind"])),
        format_func=lambda k: t(f"ppp.subsidy_kind.{k}"),
        help=t("help.ppp.subsidy_kind", cite=cap),
        key=lang_key(S + "subsidy_kind"),
    )
    profit = pct_input(c[1], "ppp.profit_rate", sub["profit_rate"], S + "profit", "help.ppp.profit")
    sub_rate = pct_input(
        c[2], "ppp.subsidy_rate", sub["discount_rate"], S + "sub_rate", "help.ppp.sub_rate"
    )
    eval_rate = pct_input(
        c[3],
        "ppp.eval_rate",
        base["evaluation"]["discount_rate"],
        S + "eval_rate",
        "help.ppp.eval_rate",
    )
    names = [*(r["name"] for r in base["revenues"] or []), *(r["name"] for r in base["om_costs"])]
    name_col = st.column_config.SelectboxColumn(
        t("col.name"), options=names, format_func=line_name, disabled=True
    )
    amount_col = st.column_config.NumberColumn(
        t("col.annual_amount"), min_value=0.0, format="accounting", required=True
    )
    growth_col = st.column_config.NumberColumn(
        t("ppp.pct", label=t("col.growth")), format="%.2f", required=True
    )
    e1, e2 = st.columns([3, 2])
    with e1:
        st.markdown(t("ppp.revenues"))
        revenues = editor(
            S + "revenues",
            num_rows="fixed",
            width="stretch",
            hide_index=True,
            column_config={
                "name": name_col,
                "kind": st.column_config.SelectboxColumn(
                    t("col.revenue_kind"),
                    options=["user_payment", "other"],
                    format_func=lambda k: t(f"ppp.revenue_kind.{k}"),
                    disabled=True,
                ),
                "annual_amount": amount_col,
                "growth": growth_col,
            },
        )
    with e2:
        st.markdown(t("ppp.om_costs"))
        om = editor(
            S + "om",
            num_rows="fixed",
            width="stretch",
            hide_index=True,
            column_config={"name": name_col, "annual_amount": amount_col, "growth": growth_col},
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
    """Editor rows as scenario fields (amounts as exact yuan text, growth as a fraction)."""
    return [
        {"annual_amount": f"{r.annual_amount:.2f}", "growth": round(float(r.growth) / 100, 8)}
        for r in frame.itertuples(index=False)
    ]


fiscal = fiscal_inputs(base, S)  # the 10 % line's inputs when the project has none
if fiscal is not None:
    base = {**base, "fiscal": fiscal}
job = _cache_ppp.ppp_job(base, drivers, _rows(revenues), _rows(om), name, today)
try:
    res = _cache_ppp.ppp_results(job)
except InputError as exc:  # e.g. a construction-cost subsidy refused under the new mechanism
    st.error(f"{t('ppp.invalid')}\n\n{md_escape(str(exc))}")
    res = None


if res is not None:
    show_results(res, job, name, S)
    record = job.record(res)  # the one store record of this request (kind: the job's name)
    store_panel(job.job, name.rsplit(".", 1)[0], K, record, record["results"])

st.divider()
show_tools()
