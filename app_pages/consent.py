"""同意门槛 Consent gates: vote counts per community gate the annual plan's candidates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages import _cache_mech as cm
from app_pages._i18n import label, lang, library_words, t
from app_pages._stored_votes import stored_vote_refs
from app_pages._widgets import md_escape, money
from costshare.community.plan import reason_text
from costshare.errors import InputError
from costshare.jobs import FileInput, GateJob

K = "cg_"
ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = ROOT / "costshare" / "data" / "sample_plan_candidates.csv"
SAMPLES = {"hebei": ("inclusion", "hebei_inclusion_votes.csv"),
           "yichang": ("renovation_plan", "yichang_plan_votes.csv")}  # fmt: skip
JURS = ("hebei", "yichang", "beijing", "zhuhai", "chengdu", "changping")


def _sample_votes(jur: str, matter: str) -> FileInput:
    """The bundled vote counts; for a jurisdiction without its own sample, the Hebei
    counts stand for the chosen rule's matter (illustrative)."""
    path = ROOT / "scenarios" / "consent" / SAMPLES.get(jur, SAMPLES["hebei"])[1]
    if jur in SAMPLES:
        return FileInput.from_path(path)
    counts = pd.read_csv(path, dtype={"community_id": str}).assign(matter=matter)
    return FileInput.from_bytes(counts.to_csv(index=False).encode("utf-8"), "sample.csv")


st.title(t("cg.title"))
st.caption(t("cg.intro"))
today = dt.date.today()
c1, c2, c3 = st.columns(3)
names = {label("jur", k): k for k in JURS}
jur = names[c1.selectbox(t("cg.jur"), list(names), help=t("help.cg.jur"), key=K + "jur")]
matters = cm.own_vote_matters(jur, today)
matter = c2.selectbox(t("cg.matter"), matters, format_func=lambda m: label("votes.matter", m),
                      help=t("help.cg.matter"), key=K + "matter")  # fmt: skip
budget = c3.number_input(
    t("cg.budget"), min_value=0, value=40_000_000, step=1_000_000, help=t("help.cg.budget"),
    key=K + "budget",
)  # fmt: skip
up = st.file_uploader(t("cg.upload"), type=["csv", "xlsx"], help=t("help.cg.upload"), key=K + "up")
s1, s2 = st.columns([3, 1])
stored = s1.multiselect(t("cg.stored"), stored_vote_refs(), help=t("help.cg.stored"),
                        key=K + "stored")  # fmt: skip
use_file = s2.toggle(t("cg.use_file"), value=True, help=t("help.cg.use_file"), key=K + "file")
try:
    votes = FileInput.from_bytes(up.getvalue(), up.name) if up else _sample_votes(jur, matter)
    job = GateJob(candidates=FileInput.from_path(CANDIDATES), votes=votes if use_file else None,
                  stored_votes=tuple(stored), matters=(matter,), jurisdiction=jur,
                  budget=str(budget), on=today)  # fmt: skip
    result = cm.run(job)
except (InputError, ValueError) as exc:  # ValueError: no votes at all (the request's check)
    st.error(md_escape(str(exc)))
    st.stop()

st.markdown(f"**{t('cg.consent')}**")
consent = result.consent
st.dataframe(
    consent.assign(
        matter=[label("votes.matter", m) for m in consent["matter"]],
        **{c: library_words(consent[c]) for c in consent.columns if c != "matter"},
    ),
    hide_index=True,
    key=K + "consent",
    column_config={c: t(f"cg.col.{c}") for c in consent.columns},
    placeholder="",
)
st.markdown(f"**{t('cg.plan')}**")
plan = result.plan
m = st.columns(4)
m[0].metric(t("plan.m.chosen"), f"{len(plan.chosen):,} / {len(plan.table):,}")
m[1].metric(t("plan.m.spent"), money(plan.spent_fen))
m[2].metric(t("plan.m.left"), money(plan.left_fen))
m[3].metric(t("plan.m.reserve"), f"{len(plan.reserve):,}")
frame = result.plan.to_frame()
frame.attrs = {}
cols = ["community_id", "district", "score", "rank", "cost", "decision", "reason", "budget_left"]
st.dataframe(
    frame.assign(
        decision=[t(f"plan.decision.{d}") for d in frame["decision"]],
        reason=[reason_text(d, a, lang()) for d, a in
                zip(result.plan.table["decision"], result.plan.table["reason_args"], strict=True)],
    ),
    hide_index=True,
    width="stretch",
    key=K + "plan",
    column_order=[c for c in cols if c in frame.columns],
    column_config={c: t("plan.col.community" if c == "community_id" else f"plan.col.{c}")
                   for c in cols},
    placeholder="",
)  # fmt: skip
