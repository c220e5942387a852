"""Cached thin wrappers for the annual-plan page: candidates, scoring, the plan.

Everything is computed by :mod:`costshare.community.plan` (scores, ranks, decisions and
reasons); here the page's inputs are read and cached.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from costshare.community.plan import PlanResult, choose_plan, load_criteria, score
from costshare.community.table import read_table
from costshare.report.csv import csv_bytes

SAMPLE = (
    Path(__file__).resolve().parent.parent / "costshare" / "data" / "sample_plan_candidates.csv"
)
"""Illustrative candidates (made up) for the page's first view."""
MAX_BYTES = 5_000_000


@st.cache_data(show_spinner=False, max_entries=8)
def candidates(name: str, data: bytes) -> pd.DataFrame:
    """The candidate table (community_id and district kept as text)."""
    return read_table(data, name=name, text_columns=("community_id", "district"))


def sample() -> tuple[str, bytes]:
    """Name and bytes of the sample candidates."""
    return SAMPLE.name, SAMPLE.read_bytes()


@st.cache_data(show_spinner=False)
def criteria() -> list[dict[str, Any]]:
    """The bundled criteria: id, label, column, weight, whether the weight is assumed."""
    return [
        {"id": c.id, "label": c.label, "column": c.column, "weight": c.weight, "assumed": c.assumed}
        for c in load_criteria(None).criteria
    ]


@st.cache_data(show_spinner=False, max_entries=16)
def plan(
    table: pd.DataFrame, budget: str, quotas: tuple[tuple[str, int], ...], exclude: tuple[str, ...]
) -> PlanResult:
    """Score the candidates and choose the plan under the budget and district quotas."""
    scored = score(table, load_criteria(None))
    return choose_plan(scored, budget, dict(quotas) or None, exclude=exclude)


def plan_csv(result: PlanResult) -> bytes:
    """The plan table as CSV with BOM."""
    return csv_bytes(result.to_frame())
