"""Cached runs of the mechanism pages' job requests, keyed on each request's digest.

The consent-gate, transfers, evaluation and after-renovation pages build a request
(:class:`~costshare.jobs.GateJob`, :class:`~costshare.jobs.TransfersJob`, ...) and show
what :func:`run` gives; pickers read the rule tables through :mod:`costshare.jobs.lookup`.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import streamlit as st

from app_pages._cache import JOB_HASH
from costshare.jobs import EvaluateJob, Job, lookup


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=JOB_HASH)
def run(job: Job) -> Any:
    """The result of the request `job` (a refusal raises, naming file, row and field)."""
    return job.run()


@st.cache_data(show_spinner=False)
def own_vote_matters(jurisdiction: str, on: dt.date) -> list[str]:
    """The matters of the jurisdiction's own vote rules in force on `on`, sorted."""
    return sorted(lookup.vote_matters(jurisdiction, on, own=True))


@st.cache_data(show_spinner=False)
def vote_jurisdictions(matter: str, on: dt.date) -> list[str]:
    """Rule tables with a vote rule for `matter` in force on `on`."""
    return lookup.vote_jurisdictions(matter, on)


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs=JOB_HASH)
def evaluation_xlsx(job: EvaluateJob) -> bytes:
    """The evaluation report of the request as xlsx (summary, items, buildings, notes)."""
    from costshare.households.evaluate_report import write_evaluation_xlsx

    result = run(job)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "evaluation.xlsx"
        write_evaluation_xlsx(result.evaluation, path, result.indicators)
        return path.read_bytes()


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs=JOB_HASH)
def evaluation_pdf(job: EvaluateJob, lang: str) -> bytes:
    """The evaluation report of the request as an A4 PDF in `lang` (same bytes as the CLI's
    ``costshare evaluate SURVEY --pdf FILE --lang LANG``)."""
    from costshare.report.evaluation_pdf import evaluation_pdf_bytes

    result = run(job)
    return evaluation_pdf_bytes(result.evaluation, result.indicators,
                                rule=job.rules().vote_rule("acceptance"),
                                lang="en" if lang == "en" else "zh", date=job.on)  # fmt: skip
