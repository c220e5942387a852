"""同意门槛 Consent gates: vote counts per community gate the annual plan's candidates."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages._i18n import label, t
from app_pages._widgets import md_escape
from costshare import rules
from costshare.community.consent import consent_table, gate_candidates
from costshare.community.plan import choose_plan, load_criteria, score
from costshare.errors import InputError

K = "cg_"
ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = ROOT / "costshare" / "data" / "sample_plan_candidates.csv"
SAMPLES = {"hebei": ("inclusion", "hebei_inclusion_votes.csv"),
           "yichang": ("renovation_plan", "yichang_plan_votes.csv")}  # fmt: skip
JURS = ("hebei", "yichang", "beijing", "zhuhai", "chengdu", "changping")

st.title(t("cg.title"))
st.caption(t("cg.intro"))
today = dt.date.today()
c1, c2, c3 = st.columns(3)
names = {label("jur", k): k for k in JURS}
jur = names[c1.selectbox(t("cg.jur"), list(names), help=t("help.cg.jur"), key=K + "jur")]
rs = rules.load(jur, today)
matters = sorted({m for r in rs.vote_rules for m in r.matters if r.id.startswith(jur)})
matter = c2.selectbox(t("cg.matter"), matters, help=t("help.cg.matter"), key=K + "matter")
budget = c3.number_input(
    t("cg.budget"), min_value=0, value=40_000_000, step=1_000_000, help=t("help.cg.budget"),
    key=K + "budget",
)  # fmt: skip
up = st.file_uploader(t("cg.upload"), type=["csv", "xlsx"], help=t("help.cg.upload"), key=K + "up")
try:
    if up is not None:
        data = io.BytesIO(up.getvalue())
        counts = pd.read_excel(data) if up.name.lower().endswith(".xlsx") else pd.read_csv(data)
    else:
        sample = SAMPLES.get(jur, SAMPLES["hebei"])[1]
        counts = pd.read_csv(ROOT / "scenarios" / "consent" / sample)
    if up is None and jur not in SAMPLES:  # the sample's matter stands for this rule's matter
        counts = counts.assign(matter=matter)
    counts = counts.astype({"community_id": str, "matter": str})
    consent = consent_table(counts, rs, [matter], file=up.name if up else "sample")
    cands = pd.read_csv(CANDIDATES, dtype={"小区编号": str, "区县": str})
    gated, crit = gate_candidates(cands, consent, load_criteria(), rs)
    plan = choose_plan(score(gated, crit), str(budget))
except InputError as exc:
    st.error(md_escape(str(exc)))
    st.stop()

st.markdown(f"**{t('cg.consent')}**")
st.dataframe(consent, hide_index=True, key=K + "consent")
st.markdown(f"**{t('cg.plan')}**")
st.caption(md_escape(plan.summary()))
st.dataframe(plan.to_frame(), hide_index=True, width="stretch", key=K + "plan")
