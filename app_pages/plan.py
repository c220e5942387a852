"""年度计划 Annual plan: score the project library, choose under a budget and district quotas."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from app_pages import _cache_plan as _p
from app_pages._doc_state import scope
from app_pages._i18n import lang, t
from app_pages._widgets import download, md_escape, money
from costshare.community.plan import reason_text
from costshare.errors import InputError
from costshare.jobs import FileInput, PlanJob

K = "plan_"

st.title(t("plan.title"))
st.caption(t("plan.intro"))

up = st.file_uploader(
    t("plan.upload"),
    type=["xlsx", "csv"],
    max_upload_size=5,
    help=t("plan.upload_help"),
    key=K + "upload",
)
name, data = _p.sample()
if up is None:
    st.caption(t("plan.sample"))
elif up.size > _p.MAX_BYTES:
    st.error(t("common.upload_too_big", size=up.size, limit=_p.MAX_BYTES))
else:
    name, data = up.name, up.getvalue()
try:
    table = _p.candidates(name, data)
except InputError as exc:
    st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}")
    st.stop()

# the quotas and exclusions start from this candidate table: their keys carry its identity
S, _ = scope(K, name, hashlib.sha256(data).hexdigest())
c1, c2, c3 = st.columns([1, 2, 2])
budget = c1.number_input(
    t("plan.budget"),
    min_value=0.0,
    value=40_000_000.0,
    step=1_000_000.0,
    format="%.2f",
    help=t("plan.budget_help"),
    key=K + "budget",
)
districts = sorted(table["district"].dropna().astype(str).unique()) if "district" in table else []
quota_frame = c2.data_editor(
    pd.DataFrame({"district": districts, "quota": [None] * len(districts)}, dtype=object),
    hide_index=True,
    width="stretch",
    column_config={
        "district": st.column_config.TextColumn(t("plan.col.district"), disabled=True),
        "quota": st.column_config.NumberColumn(
            t("plan.col.quota"), min_value=0, step=1, help=t("plan.quota_help")
        ),
    },
    key=S + "quotas",
    placeholder="",
)
ids = table["community_id"].astype(str).tolist() if "community_id" in table else []
exclude = c3.multiselect(
    t("plan.exclude"),
    ids,
    placeholder=t("common.choose"),
    help=t("plan.exclude_help"),
    key=S + "exclude",
)
quotas = tuple(
    (str(d), int(q))
    for d, q in zip(quota_frame["district"], quota_frame["quota"], strict=True)
    if q is not None and not pd.isna(q)
)

try:
    job = PlanJob.parse(
        {
            "candidates": FileInput.from_bytes(data, name),
            "budget": f"{budget:.2f}",
            "quotas": dict(quotas) or None,
            "exclude": tuple(exclude),
            "on": dt.date.today(),
        },
        name,
    )
    result = _p.plan(job)
except InputError as exc:
    st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}")
    st.stop()

m = st.columns(4)
m[0].metric(t("plan.m.chosen"), f"{len(result.chosen):,} / {len(result.table):,}")
m[1].metric(t("plan.m.spent"), money(result.spent_fen))
m[2].metric(t("plan.m.left"), money(result.left_fen))
m[3].metric(t("plan.m.reserve"), f"{len(result.reserve):,}")

frame = result.to_frame()
frame.attrs = {}  # the scoring criteria ride along in attrs; the table shows only values
st.dataframe(
    frame.assign(
        decision=[t(f"plan.decision.{d}") for d in frame["decision"]],
        reason=[
            reason_text(d, a, lang())
            for d, a in zip(result.table["decision"], result.table["reason_args"], strict=True)
        ],
        cost=[f"{v:,}" for v in frame["cost"]],
        budget_left=[f"{v:,}" for v in frame["budget_left"]],
        score=[f"{v:.2f}" for v in frame["score"]],
        **({"district": frame["district"].fillna("")} if "district" in frame else {}),
    ),
    hide_index=True,
    width="stretch",
    column_config={
        "community_id": t("plan.col.community"),
        "district": t("plan.col.district"),
        "score": t("plan.col.score"),
        "rank": t("plan.col.rank"),
        "cost": t("plan.col.cost"),
        "decision": t("plan.col.decision"),
        "reason": t("plan.col.reason"),
        "budget_left": t("plan.col.budget_left"),
    },
    placeholder="",
)
with st.expander(t("plan.criteria")):
    crit = _p.criteria(job)
    src = crit.source
    st.caption(
        t("plan.crit.source", document=src.document, issuer=src.issuer or "",
          article=src.article or "", confidence=crit.confidence)
    )  # fmt: skip
    st.dataframe(_p.criteria_frame(crit, lang()), hide_index=True, width="stretch", placeholder="")
with st.expander(t("plan.candidates")):
    st.dataframe(_p.candidates_shown(table, lang()), hide_index=True, placeholder="")
download(st, t("dl.csv"), _p.plan_csv(result), "annual_plan.csv", K + "dl_csv")
