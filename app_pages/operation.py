"""运营与长效: property-service break-even, public income and the maintenance fund."""

from __future__ import annotations

import datetime as dt
import hashlib

import streamlit as st

from app_pages import _cache_operation as op
from app_pages._editors import editor, set_base
from app_pages._i18n import t
from app_pages._widgets import download, md_escape, yaml_source
from costshare.errors import InputError
from costshare.money import format_amount
from costshare.operation.result import yuan_columns

K = "op_"

st.title(t("op.title"))
st.caption(t("op.intro"))
name, text, base = yaml_source(
    "op", K, list(op.bundled_operation()), op.bundled_operation_text, op.operation_parse
)
st.markdown(f"**{md_escape(base['name'])}**")  # user text: never markdown
if base.get("description"):
    st.caption(md_escape(base["description"]))

names = [c["name"] for c in base["communities"]]
index = names.index(st.selectbox(t("op.community"), names, key=K + "community"))
community = base["communities"][index]

digest = hashlib.sha256(f"{name}\n{text}\n{index}".encode()).hexdigest()
if st.session_state.get(K + "digest") != digest:
    # a new scenario or community: the editors start again from its lines
    st.session_state[K + "digest"] = digest
    set_base(K + "revenues", op.lines_frame(community["revenues"]))
    set_base(K + "costs", op.lines_frame(community["costs"]))

with st.expander(t("op.lines"), expanded=False):
    c1, c2 = st.columns(2)
    c1.markdown(t("op.revenues"))
    revenues = editor(K + "revenues", num_rows="dynamic", hide_index=True, width="stretch")
    c2.markdown(t("op.costs"))
    costs = editor(K + "costs", num_rows="dynamic", hide_index=True, width="stretch")
    st.caption(t("op.lines_hint"))

today = dt.date.today()
raw = op.with_lines(base, index, revenues, costs)
try:
    result = op.operation_result(raw, name, today)
except InputError as exc:
    st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}")
    st.stop()

cname = community["name"]
row = result.summary.set_index("community").loc[cname]
yearly = result.community(cname)
first = row["first_year_unsubsidised_breakeven"]
m = st.columns(4)
m[0].metric(t("op.fee"), f"{row['fee']}")
m[1].metric(t("op.breakeven"), f"{row['breakeven_fee']}")
m[2].metric(t("op.breakeven_free"), f"{row['breakeven_fee_without_subsidy']}")
m[3].metric(t("op.first_year"), t("op.never") if first is None else t("op.year", n=int(first)))
st.caption(t("op.fee_unit", mode=row["mode_label"], rules=result.rules.name, on=result.rules.on))

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
    below = fund.first_below_trigger
    if below is None:
        st.success(t("op.fund_ok", trigger=str(fund.trigger)))
    else:
        topup = format_amount(int(fund.topup_fen.sum()))
        st.warning(t("op.fund_below", year=below, trigger=str(fund.trigger), topup=topup))
    st.caption(f"{fund.trigger_source}; {t('op.target')}: {fund.target_basis}")
    st.plotly_chart(
        op.fund_fig(
            fund.table,
            int(fund.trigger_fen.sum()) / 100,
            {"title": t("op.fund_chart"), "closing": t("op.closing"), "repairs": t("op.repairs"),
             "trigger": t("op.trigger"), "unit": unit},
        ),
        width="stretch",
    )  # fmt: skip
    st.dataframe(yuan_columns(fund.table), hide_index=True, width="stretch", placeholder="")

st.subheader(t("op.yearly"))
st.dataframe(
    yuan_columns(yearly.drop(columns="community")), hide_index=True, width="stretch", placeholder=""
)

vote = result.vote
if cname in vote["communities"]:
    st.info(
        t("op.vote", area=vote["approve_area"], owners=vote["approve_owners"],
          document=vote["document"], article=vote["article"])
    )  # fmt: skip
space = result.space[result.space["community"] == cname]
if len(space):
    st.subheader(t("op.space"))
    st.dataframe(
        yuan_columns(space.drop(columns="community")),
        hide_index=True,
        width="stretch",
        placeholder="",
    )

with st.expander(t("op.sources"), expanded=False):
    st.dataframe(result.sources().fillna(""), hide_index=True, width="stretch", placeholder="")
download(st, t("op.download"), lambda: op.xlsx(raw, name, today), "operation.xlsx", K + "xlsx")
