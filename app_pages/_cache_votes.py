"""Cached thin wrappers for the owners' vote page: register, ballots, tally.

Every number comes from :func:`costshare.households.votes.tally`; the register and
ballots are read by the library's readers (Chinese headers 房号/面积/表决意见 included).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from costshare import rules
from costshare.households.roster import read_roster_bytes
from costshare.households.vote_files import read_ballots, read_register
from costshare.households.votes import VoteResult, tally

MAX_BYTES = 5_000_000
"""Upload limit for a register or ballots file (bytes)."""


@st.cache_data(show_spinner=False, max_entries=16)
def register(name: str, data: bytes) -> pd.DataFrame:
    """The register of units (unit_id, area) through the library's one register reader."""
    return read_register(data, name)


SAMPLE_BALLOTS = (
    Path(__file__).resolve().parent.parent / "costshare" / "data" / "sample_ballots.csv"
)
"""Ballots for the sample register (illustrative, headers 房号 and 表决意见)."""


def sample_ballots() -> tuple[str, bytes]:
    """Name and bytes of the sample ballots."""
    return SAMPLE_BALLOTS.name, SAMPLE_BALLOTS.read_bytes()


@st.cache_data(show_spinner=False, max_entries=16)
def ballots(name: str, data: bytes) -> pd.DataFrame:
    """Uploaded ballots as unit_id and a normalised vote (yes/no/abstain, blank = absent)."""
    return read_ballots(data, name)


@st.cache_data(show_spinner=False)
def matters(jurisdiction: str, on: dt.date) -> dict[str, str]:
    """Every matter the rules of `jurisdiction` have a vote rule for → the rule's label."""
    rs = rules.load(jurisdiction, on)
    return {m: r.label or r.id for r in rs.vote_rules for m in r.matters}


@st.cache_data(show_spinner=False, max_entries=32)
def count(
    units: pd.DataFrame, votes: pd.DataFrame, matter: str, jurisdiction: str, on: dt.date
) -> VoteResult:
    """The tally of `votes` on `matter` under the rules in force on `on`."""
    return tally(units, votes, matter, rules=rules.load(jurisdiction, on))


def ballot_pdf(
    name: str,
    data: bytes,
    matter: str,
    jurisdiction: str,
    on: dt.date,
    community: str,
    deadline: str,
    return_to: str,
    proposal: str = "",
) -> bytes:
    """Ballot forms (表决票) for every unit of the register (names masked), as PDF bytes:
    the proposal voted on, dated `on` (the vote's day)."""
    from costshare.report.ballot import ballot_pdf_bytes

    units = read_roster_bytes(data, name)  # the whole roster: building, stairwell, owner
    return ballot_pdf_bytes(
        units,
        [matter],
        rules.load(jurisdiction, on),
        community=community,
        deadline=deadline or None,
        return_to=return_to,
        proposal=proposal,
        date=on,
    )


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
