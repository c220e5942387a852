"""Cached thin wrappers for the annual-plan page: candidates, scoring, the plan.

Everything is computed by :mod:`costshare.community.plan` (scores, ranks, decisions and
reasons) through the page's :class:`~costshare.jobs.PlanJob`, cached by its digest; here
the candidate table is read for the page's pickers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages._cache import JOB_HASH
from costshare.community.plan import CANDIDATE_TEXT, Criteria, PlanResult, candidate_columns
from costshare.community.table import read_table
from costshare.i18n import Lang, label, t
from costshare.jobs import PlanJob
from costshare.limits import MAX_UPLOAD_BYTES
from costshare.report.csv import csv_bytes

SAMPLE = (
    Path(__file__).resolve().parent.parent / "costshare" / "data" / "sample_plan_candidates.csv"
)
"""Illustrative candidates (made up) for the page's first view."""
MAX_BYTES = MAX_UPLOAD_BYTES


@st.cache_data(show_spinner=False, max_entries=8)
def candidates(name: str, data: bytes) -> pd.DataFrame:
    """The candidate table (ids and districts kept as text; Chinese headers renamed)."""
    return candidate_columns(read_table(data, name=name, text_columns=CANDIDATE_TEXT))


def sample() -> tuple[str, bytes]:
    """Name and bytes of the sample candidates."""
    return SAMPLE.name, SAMPLE.read_bytes()


@st.cache_data(show_spinner=False, hash_funcs=JOB_HASH)
def criteria(job: PlanJob) -> Criteria:
    """The scoring sheet the request is scored with (the bundled one, on its date)."""
    return job.rules()


def criteria_frame(crit: Criteria, lang: Lang) -> pd.DataFrame:
    """The criteria as shown: name, the candidate column's header, direction, weight and
    whether the weight is assumed, all in `lang` (no internal key)."""
    header = {"label": "plan.crit.col.label", "column": "plan.crit.col.column",
              "direction": "plan.crit.col.direction", "weight": "plan.crit.col.weight",
              "assumed": "plan.crit.col.assumed"}  # fmt: skip
    rows = [
        {
            "label": label("plancrit", c.id, lang, default=c.label),
            "column": label("plancol", c.column, lang, default=c.column),
            "direction": t(f"plan.crit.{c.direction}", lang),
            "weight": f"{c.weight:g}",
            "assumed": t("plan.crit.assumed" if c.assumed else "plan.crit.stated", lang),
        }
        for c in crit.criteria
    ]
    return pd.DataFrame(rows, columns=list(header)).rename(
        columns={k: t(v, lang) for k, v in header.items()}
    )


def candidates_shown(table: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The candidate table with its headers in `lang` (amounts with separators)."""
    df = candidate_columns(table).copy()
    if "cost" in df:
        df["cost"] = [f"{v:,.2f}" if isinstance(v, (int, float)) else str(v) for v in df["cost"]]
    return df.rename(columns={c: label("plancol", str(c), lang, default=str(c)) for c in df})


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=JOB_HASH)
def plan(job: PlanJob) -> PlanResult:
    """Score the candidates and choose the plan under the budget and district quotas."""
    return job.run()


def plan_csv(result: PlanResult) -> bytes:
    """The plan table as CSV with BOM."""
    return csv_bytes(result.to_frame())
