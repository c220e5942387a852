"""居民评价 Evaluation: a satisfaction survey tallied and the acceptance gate applied."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages._i18n import label, t
from app_pages._widgets import download, md_escape
from costshare import rules
from costshare.errors import InputError
from costshare.households.evaluate import evaluate
from costshare.households.evaluate_report import write_evaluation_xlsx

K = "ev_"
SAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "evaluation" / "sample_survey.csv"


@st.cache_data(show_spinner=False)
def _with_acceptance(on: dt.date) -> list[str]:
    out = []
    for k in rules.available():
        try:
            rules.load(k, on).vote_rule("acceptance")
        except KeyError:
            continue
        out.append(k)
    return out


st.title(t("ev.title"))
st.caption(t("ev.intro"))
today = dt.date.today()
keys = _with_acceptance(today)
up = st.file_uploader(t("ev.upload"), type=["csv", "xlsx"], help=t("help.ev.upload"), key=K + "up")
c1, c2, c3 = st.columns(3)
names = {label("jur", k): k for k in keys}
jur = names[c1.selectbox(t("ev.jur"), list(names), help=t("help.ev.jur"), key=K + "jur")]
try:
    if up is None:
        survey = pd.read_csv(SAMPLE, dtype=str)
    elif up.name.lower().endswith(".xlsx"):
        survey = pd.read_excel(io.BytesIO(up.getvalue()), dtype=str)
    else:
        survey = pd.read_csv(io.BytesIO(up.getvalue()), dtype=str)
except (ValueError, UnicodeDecodeError) as exc:
    st.error(md_escape(str(exc)))
    st.stop()
hh = c2.number_input(
    t("ev.households"),
    min_value=len(survey),
    value=max(len(survey), 36 if up is None else len(survey)),
    help=t("help.ev.households"),
    key=K + "hh",
)
sat_from = c3.selectbox(t("ev.sat_from"), [3, 4, 5], help=t("help.ev.sat_from"), key=K + "sat")
try:
    ev = evaluate(survey, rules.load(jur, today), households=int(hh), satisfied_from=sat_from,
                  file=up.name if up is not None else SAMPLE.name)  # fmt: skip
except InputError as exc:
    st.error(md_escape(str(exc)))
    st.stop()

m1, m2, m3 = st.columns(3)
m1.metric(t("ev.satisfied"), f"{ev.satisfied} / {ev.base}")
m2.metric(t("ev.rate"), f"{float(ev.rate):.1%}", help=f"{ev.rule}: ≥ {ev.bar}")
m3.metric(t("ev.verdict"), t("ev.pass") if ev.passed else t("ev.fail", n=ev.short_by()))
st.markdown(f"**{t('ev.items')}**")
st.dataframe(ev.items, hide_index=True, key=K + "items")
st.markdown(f"**{t('ev.buildings')}**")
st.dataframe(ev.buildings, hide_index=True, key=K + "buildings")
with st.expander(t("ev.notes")):
    for n in ev.notes:
        st.markdown(f"- {md_escape(n)}")
with tempfile.TemporaryDirectory() as d:
    path = Path(d) / "evaluation.xlsx"
    write_evaluation_xlsx(ev, path)
    data = path.read_bytes()
download(st, "XLSX", data, "evaluation.xlsx", K + "dl")
