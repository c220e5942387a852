"""Cached thin wrappers for the owners' vote page: register, ballots, tally.

Every number comes from :class:`costshare.jobs.VoteJob` (the one vote engine,
:func:`costshare.households.votes.tally`, under the rules the job decides); the register
and ballots are read by the library's readers (Chinese headers 房号/面积/表决意见 and
楼栋/单元/房号 columns included). Wrappers cache on the request's content digest.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from costshare.households.vote_files import read_ballots, read_register
from costshare.households.votes import VoteResult
from costshare.jobs import FileInput, VoteJob, lookup
from costshare.limits import MAX_UPLOAD_BYTES

MAX_BYTES = MAX_UPLOAD_BYTES
"""Upload limit for a register or ballots file (bytes)."""
BY_FILE = {FileInput: lambda f: (f.sha256, f.name)}
BY_JOB = {VoteJob: lambda j: j.digest()}


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=BY_FILE)
def register(units: FileInput) -> pd.DataFrame:
    """The register of units (unit_id, area) through the library's one register reader."""
    return read_register(units.content(), units.name)


SAMPLE_BALLOTS = (
    Path(__file__).resolve().parent.parent / "costshare" / "data" / "sample_ballots.csv"
)
"""Ballots for the sample register (illustrative, headers 房号 and 表决意见)."""


def sample_ballots() -> FileInput:
    """The sample ballots."""
    return FileInput.from_path(SAMPLE_BALLOTS)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=BY_FILE)
def ballots(f: FileInput) -> pd.DataFrame:
    """Ballots as unit_id and a normalised vote (yes/no/abstain, blank = absent)."""
    return read_ballots(f.content(), f.name)


def unmatched(units: FileInput, f: FileInput) -> list[str]:
    """Every ballot's unit that the register does not have, in the file's order."""
    known = set(register(units)["unit_id"].astype(str))
    return [u for u in ballots(f)["unit_id"].astype(str) if u not in known]


@st.cache_data(show_spinner=False)
def matters(jurisdiction: str, on: dt.date) -> dict[str, str]:
    """Every matter the rules of `jurisdiction` have a vote rule for → the rule's label."""
    return lookup.vote_matters(jurisdiction, on)


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=BY_JOB)
def count(job: VoteJob) -> VoteResult:
    """The tally of the request (refusals raise, every unknown unit named)."""
    return job.run()


def edited_ballots(edited: pd.DataFrame) -> FileInput:
    """The ballots as edited on the page, as the csv file a request carries."""
    text = edited[["unit_id", "vote"]].astype(str).to_csv(index=False)
    return FileInput.from_bytes(text.encode("utf-8"), "ballots_edited.csv")


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs=BY_JOB)
def ballot_pdf(job: VoteJob) -> bytes:
    """Ballot forms (表决票) of the request (its ``ballot`` words, names masked), as PDF
    bytes: :func:`costshare.jobs.vote.ballot_pdf`, the CLI's and a stored version's bytes."""
    from costshare.jobs.vote import ballot_pdf as build

    return build(job)


def result_csv(result: VoteResult) -> bytes:
    """The thresholds table as CSV (UTF-8 with BOM)."""
    from costshare.report.csv import csv_bytes

    return csv_bytes(result.to_frame())


def to_json(result: VoteResult) -> str:
    """The tally as JSON text (verdict, counts, thresholds, rule and source)."""
    import json

    def default(x: Any) -> str:
        return str(x)

    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=default)


def checks_frame(result: VoteResult, with_area: bool = True) -> pd.DataFrame:
    """The vote's thresholds as shown, in the chosen language (votes and operation pages).

    With `with_area`, also the exclusive area still short of each bar (m²).
    """
    from app_pages._i18n import t

    frame = result.to_frame()
    out = pd.DataFrame(
        {
            t("votes.col.threshold"): [t(f"votes.check.{x}") for x in frame["threshold"]],
            t("votes.col.counted"): frame["counted"].str.replace("owners", t("votes.owners")),
            t("votes.col.reached"): [
                "" if pd.isna(x) else f"{x:.2f}%" for x in frame["reached_pct"]
            ],
            t("votes.col.bar"): frame["bar"],
            t("votes.col.met"): [t(f"votes.yes_no.{str(bool(x)).lower()}") for x in frame["met"]],
            t("votes.col.short_owners"): [
                "" if pd.isna(x) else f"{int(x):,}" for x in frame["short_owners"]
            ],
        }
    )
    if with_area:
        out[t("votes.col.short_m2")] = [
            "" if x is None or pd.isna(x) else f"{x:,}" for x in frame["short_m2"]
        ]
    return out
