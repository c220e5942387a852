"""居民评价 Evaluation: a satisfaction survey tallied and the acceptance gate applied."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

import streamlit as st

from app_pages import _cache_mech as cm
from app_pages._i18n import label, lang, t
from app_pages._widgets import download, md_escape
from costshare.errors import InputError
from costshare.jobs import EvaluateJob, FileInput

K = "ev_"
SAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "evaluation" / "sample_survey.csv"

st.title(t("ev.title"))
st.caption(t("ev.intro"))
today = dt.date.today()
keys = cm.vote_jurisdictions("acceptance", today)
up = st.file_uploader(t("ev.upload"), type=["csv", "xlsx"], help=t("help.ev.upload"), key=K + "up")
c1, c2, c3 = st.columns(3)
names = {label("jur", k): k for k in keys}
jur = names[c1.selectbox(t("ev.jur"), list(names), help=t("help.ev.jur"), key=K + "jur")]
sat_from = c3.selectbox(t("ev.sat_from"), [3, 4, 5], help=t("help.ev.sat_from"), key=K + "sat")
try:
    survey = FileInput.from_bytes(up.getvalue(), up.name) if up else FileInput.from_path(SAMPLE)
    base = EvaluateJob(survey=survey, jurisdiction=jur, satisfied_from=sat_from, on=today)
    answered = cm.run(base).evaluation.households  # the respondents: the fewest households
except InputError as exc:
    st.error(md_escape(str(exc)))
    st.stop()
hh = c2.number_input(
    t("ev.households"),
    min_value=answered,
    value=max(answered, 36 if up is None else answered),
    help=t("help.ev.households"),
    key=K + "hh",
)
try:
    job = base.model_copy(update={"households": int(hh)})
    ev = cm.run(job).evaluation
except InputError as exc:
    st.error(md_escape(str(exc)))
    st.stop()

m1, m2, m3 = st.columns(3)
m1.metric(t("ev.satisfied"), f"{ev.satisfied} / {ev.base}")
m2.metric(t("ev.rate"), f"{float(ev.rate):.1%}", help=f"{ev.rule}: ≥ {ev.bar}")
m3.metric(t("ev.verdict"), t("ev.pass") if ev.passed else t("ev.fail", n=ev.short_by()))
st.markdown(f"**{t('ev.items')}**")
st.dataframe(ev.items, hide_index=True, key=K + "items", placeholder="",
             column_config={c: t(f"ev.col.{c}") for c in ev.items.columns})  # fmt: skip
st.markdown(f"**{t('ev.buildings')}**")
st.dataframe(ev.buildings, hide_index=True, key=K + "buildings", placeholder="",
             column_config={c: t(f"ev.col.{c}") for c in ev.buildings.columns})  # fmt: skip
with st.expander(t("ev.notes")):
    for n in ev.notes_in(lang()):  # the engine's notes in the chosen language
        st.markdown(f"- {md_escape(n)}")
d1, d2 = st.columns(2)
download(d1, t("dl.evaluation_xlsx"), cm.evaluation_xlsx(job), "evaluation.xlsx", K + "dl")
download(d2, t("dl.evaluation_pdf"), partial(cm.evaluation_pdf, job, lang()),
         f"evaluation_{lang()}.pdf", K + "dl_pdf")  # fmt: skip
