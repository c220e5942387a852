"""运营与长效: property-service break-even, public income and the maintenance fund."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages import _cache
from app_pages import _cache_operation as op
from app_pages._doc_state import scope
from app_pages._editors import editor, set_base
from app_pages._i18n import jur_name, label, lang, t
from app_pages._operation_vote import vote_section
from app_pages._store_widgets import store_panel
from app_pages._widgets import download, md_escape, yaml_source
from costshare.errors import InputError
from costshare.jobs import OperationJob
from costshare.money import format_amount
from costshare.operation.model import COST_KINDS, REVENUE_KINDS
from costshare.operation.result import VOTE_MATTER
from costshare.operation.words import period_text, share_text, sources_frame
from costshare.rules import cite

K = "op_"
TABLE = {"hide_index": True, "width": "stretch", "placeholder": ""}

st.title(t("op.title"))
st.caption(t("op.intro"))
name, text, base = yaml_source(
    "op",
    K,
    list(op.bundled_operation()),
    op.bundled_operation_text,
    op.operation_parse,
    store_kind="operation",
    title=lambda f: _cache.bundled_title(f, lang(), op.bundled_operation_text),
)
en = lang() == "en"
title = (base.get("name_en") if en else None) or base["name"]
about = (base.get("description_en") if en else None) or base.get("description")
st.markdown(f"**{md_escape(title)}**")  # user text: never markdown
if about:
    st.caption(md_escape(about))

names = [c["name"] for c in base["communities"]]
index = names.index(
    st.selectbox(t("op.community"), names, help=t("help.op.community"), key=K + "community")
)
community = base["communities"][index]

# the editors edit this scenario's community: their keys carry its identity, so another
# scenario or community starts them again from its own lines
S, new_doc = scope(K, name, f"{text}\n{index}")
if new_doc:
    set_base(S + "revenues", op.lines_frame(community["revenues"]))
    set_base(S + "costs", op.lines_frame(community["costs"]))

today = dt.date.today()
base_job = OperationJob.parse({"scenario": {"data": base}, "on": today}, name)
vote_cite = op.vote_cite(base_job, VOTE_MATTER, lang())
with st.expander(t("op.lines"), expanded=False):
    c1, c2 = st.columns(2)
    c1.markdown(t("op.revenues"))
    revenues = editor(
        S + "revenues",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config=op.line_columns(lang(), REVENUE_KINDS, vote_cite),
    )
    c2.markdown(t("op.costs"))
    costs = editor(
        S + "costs",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config=op.line_columns(lang(), COST_KINDS, vote_cite),
        column_order=[c for c in op.LINE_COLUMNS if c != "common"],
    )
    st.caption(t("op.lines_hint"))

job = op.operation_job(base, index, revenues, costs, name, today)
try:
    result = op.operation_result(job)
except InputError as exc:
    st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}")
    st.stop()

rs = result.rules
cname = community["name"]
row = result.summary.set_index("community").loc[cname]
yearly = result.community(cname)
first = row["first_year_unsubsidised_breakeven"]
m = st.columns([1, 1, 1.2, 1, 1.7])
m[4].metric(t("op.cumulative_total"), format_amount(int(row["cumulative_fen"])))
m[0].metric(t("op.fee"), f"{row['fee']}")
period = result.period().set_index("community").loc[cname]  # the whole period, not year 1
m[1].metric(t("op.breakeven_period"), f"{period['breakeven_fee_period']}")
m[2].metric(t("op.breakeven_free"), f"{row['breakeven_fee_without_subsidy']}")
m[3].metric(t("op.first_year"), t("op.never") if first is None else t("op.year", n=int(first)))
mode = label("opmode", str(row["mode"]), str(row["mode_label"]))
st.caption(t("op.fee_unit", mode=mode, rules=jur_name(rs.key), on=rs.on))
st.caption(period_text(result, cname, lang()))

c1, c2 = st.columns(2)
unit = t("op.yuan")
c1.plotly_chart(
    op.surplus_fig(
        yearly,
        {"title": t("op.surplus_chart"), "surplus": t("op.surplus"),
         "cumulative": t("op.cumulative"), "unit": unit},
    ),
    width="stretch",
)  # fmt: skip
c2.plotly_chart(
    op.fee_fig(
        yearly,
        float(row["fee"]),
        {"title": t("op.fee_chart"), "breakeven": t("op.breakeven"), "fee": t("op.fee"),
         "unit": t("op.fee_axis")},
    ),
    width="stretch",
)  # fmt: skip

st.subheader(t("op.fund"))
fund = result.funds.get(cname)
if fund is None:
    st.info(t("op.no_fund"))
else:
    below, trigger = fund.first_below_trigger, share_text(fund.trigger)
    if below is None:
        st.success(t("op.fund_ok", trigger=trigger))
    else:
        topup = format_amount(int(fund.topup_fen.sum()))
        st.warning(t("op.fund_below", year=below, trigger=trigger, topup=topup))
    rule = rs.parameters.get("fund.topup_trigger")
    from_rule = rule is not None and fund.trigger_source.startswith(rule.id)
    source = cite(rule, lang()) if from_rule else fund.trigger_source
    target = t("op.target.first") if fund.target_basis == "first deposits" else fund.target_basis
    st.caption(t("op.fund_caption", trigger=t("op.trigger_cite", value=trigger, cite=source),
                 target=target))  # fmt: skip
    st.plotly_chart(
        op.fund_fig(
            fund.table,
            int(fund.trigger_fen.sum()) / 100,
            {"title": t("op.fund_chart"), "closing": t("op.closing"), "repairs": t("op.repairs"),
             "trigger": t("op.trigger"), "unit": unit},
        ),
        width="stretch",
    )  # fmt: skip
    st.dataframe(op.shown(fund.table, lang()), key=K + "fund_table", **TABLE)

st.subheader(t("op.yearly"))
st.dataframe(op.shown(yearly.drop(columns="community"), lang()), key=K + "yearly", **TABLE)
lines = result.lines[result.lines["community"] == cname].drop(columns="community")
with st.expander(t("op.lines_table"), expanded=False):
    st.dataframe(op.shown(lines, lang()), key=K + "lines_table", **TABLE)

if cname in result.vote["communities"]:
    vote_section(result, lang(), K)
space = result.space[result.space["community"] == cname]
if len(space):
    st.subheader(t("op.space"))
    drop = ["community", "valuation" if en else "valuation_en"]
    space = space.drop(columns=drop).rename(columns={"valuation_en": "valuation"})
    st.dataframe(op.shown(space, lang()), key=K + "space", **TABLE)

with st.expander(t("op.sources"), expanded=False):
    src = sources_frame(result, lang())
    st.dataframe(src.rename(columns=lambda c: label("opcol", c)), key=K + "sources", **TABLE)
download(st, t("op.download"), lambda: op.xlsx(job), "operation.xlsx", K + "xlsx")
store_panel(  # the job's record; beside it the headline of the community shown
    job.job,
    name.rsplit(".", 1)[0].rsplit("/", 1)[-1],
    K,
    job.record(result),
    {
        "cumulative_fen": int(row["cumulative_fen"]),
        "fund_topup_fen": int(row["fund_topup_fen"]) if fund is not None else 0,
    },
)
