"""改造后管理 After renovation: mode suggestion, merged estates, handover, depreciation relief."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app_pages import _cache_mech as cm
from app_pages._i18n import label, lang, t
from app_pages._widgets import md_escape
from costshare.jobs import HandoverJob, MergeEstatesJob, SuggestModeJob, TaxReliefJob
from costshare.money import format_amount, to_yuan
from costshare.operation.management import mode_label
from costshare.yamlio import load_yaml

K = "af_"
ROOT = Path(__file__).resolve().parent.parent

st.title(t("af.title"))
st.caption(t("af.intro"))

# -- 1. which management mode ---------------------------------------------------------
st.subheader(t("af.mode"))
c1, c2, c3 = st.columns(3)
hh = c1.number_input(
    t("af.households"), 1, 100_000, 180, help=t("help.af.households"), key=K + "hh"
)
rate = c2.slider(t("af.rate"), 0.0, 1.0, 0.6, 0.05, help=t("help.af.rate"), key=K + "rate")
will = c3.checkbox(t("af.will"), help=t("help.af.will"), key=K + "will")
c4, c5 = st.columns(2)
modes = ["none", "backstop", "professional", "self_management", "unit_management"]
lg = lang()  # fixed here: AppTest calls format_func outside the script run
current = c4.selectbox(t("af.current"), modes, format_func=lambda m: mode_label(m, lg),
                       help=t("help.af.current"), key=K + "current")  # fmt: skip
satisfied = c5.checkbox(t("af.satisfied"), help=t("help.af.satisfied"), key=K + "sat")
s = cm.run(SuggestModeJob(households=int(hh), collection_rate=str(round(rate, 2)),
                          self_governance=will, current=current, satisfied=satisfied))  # fmt: skip
alt = ("、" if lang() == "zh" else ", ").join(mode_label(a, lang()) for a in s.alternatives)
st.metric(t("af.suggested"), mode_label(s.mode, lang()))
if alt:
    st.caption(t("af.alternatives", alt=alt))
for r in s.reasons_in(lang()):
    st.markdown(f"- {md_escape(r)}")

# -- 2. merged estates ------------------------------------------------------------------
st.subheader(t("af.merge"))
raw = load_yaml(ROOT / "scenarios/management/changping_merge.yaml")
merge = MergeEstatesJob.from_document(raw, "changping_merge.yaml")
tab = cm.run(merge)
b, a = tab.iloc[0], tab.iloc[-1]
m1, m2, m3, m4 = st.columns(4)
m1.metric(t("af.before"), format_amount(int(b["cost_per_household_fen"])))
m2.metric(t("af.after"), format_amount(int(a["cost_per_household_fen"])))
m3.metric(t("af.fee_before"), str(to_yuan(int(b["breakeven_fee_fen"]))))
m4.metric(t("af.fee_after"), str(to_yuan(int(a["breakeven_fee_fen"]))))
for line in merge.notes_in(lang()):  # the file's assumptions in the chosen language
    st.caption(md_escape(line))

# -- 3. handover ------------------------------------------------------------------------
st.subheader(t("af.handover"))
ho = cm.run(HandoverJob.parse({"scenario": "fujian_default"})).table


def _who(key: str) -> str:
    """An owner or maintainer key as words (``owner: any`` = whoever owns the item)."""
    if key.startswith("owner:"):
        return t("af.by_owner", who=_who(key.split(":", 1)[1].strip()))
    return label("owner", key, default=label("payer", key))


st.dataframe(
    ho.assign(
        category=[label("category", c) for c in ho["category"]],
        owner=[_who(o) for o in ho["owner"]],
        maintained_by=[_who(m) for m in ho["maintained_by"]],
        cost=[to_yuan(v) for v in ho["cost_fen"]],
        utility_asset=[to_yuan(v) for v in ho["utility_asset_fen"]],
        note=[t(f"handover.note.{c}") for c in ho["note_code"]],
    ),
    hide_index=True,
    width="stretch",
    key=K + "handover",
    column_order=["item", "category", "owner", "maintained_by", "note", "cost", "utility_asset"],
    column_config={c: t(f"af.col.{c}") for c in
                   ("item", "category", "owner", "maintained_by", "note", "cost", "utility_asset")},
    placeholder="",
)  # fmt: skip

# -- 4. depreciation relief ---------------------------------------------------------------
st.subheader(t("af.tax"))
d1, d2, d3 = st.columns(3)
life = d1.number_input(t("af.life"), 1, 50, 20, help=t("help.af.life"), key=K + "life")
tax = d2.number_input(
    t("af.tax_rate"), 0.0, 1.0, 0.25, 0.01, help=t("help.af.tax_rate"), key=K + "tax"
)
disc = d3.number_input(
    t("af.discount"), 0.0, 0.5, 0.05, 0.01, help=t("help.af.discount"), key=K + "disc"
)
tr = cm.run(TaxReliefJob(spend="153000000", life=int(life), tax_rate=str(round(tax, 4)),
                         discount=str(round(disc, 4))))  # fmt: skip
p1, p2 = st.columns(2)
p1.metric(t("af.pv_sl"), format_amount(int(tr["pv_sl_fen"].sum())))
p2.metric(t("af.pv_ddb"), format_amount(int(tr["pv_ddb_fen"].sum())))
chart = tr.set_index("year")[["saving_sl_fen", "saving_ddb_fen"]] / 100
chart.columns = [t("af.chart.saving_sl"), t("af.chart.saving_ddb")]
st.line_chart(chart.rename_axis(t("af.chart.year")), x_label=t("af.chart.year"))
