"""Stored owners' votes as plan-gate counts: a saved vote's counts and verdict, by ``DOC@V``.

The votes page and ``costshare vote --save`` keep a vote in the store as the vote job's
record (kind ``vote``: the request with the files' digests only, and the headline counts)
or, in older stores, as an ``owners_vote`` record (parameters and totals). Neither holds a
unit's ballot: only the counts, the areas when recorded, the verdict, the matter and the
community. :func:`stored_vote` reads one such record; :func:`counts_frame` turns a set of
them into the vote-count rows :func:`costshare.community.consent.consent_table` checks,
after :func:`check_votes` made sure each one is for a matter and a community of the gate.
Pure functions: the store is read by the caller (:class:`costshare.jobs.GateJob`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from costshare.errors import InputError, Problem

__all__ = [
    "REF",
    "StoredVote",
    "check_votes",
    "counts_frame",
    "merge_counts",
    "parse_ref",
    "stored_vote",
]

REF = re.compile(r"^(?P<doc>[^@]+)@(?P<version>[1-9][0-9]*)$")
"""A stored vote is named with its version: ``DOC@V`` (a version never changes)."""
_KEYS = ("yes", "no", "abstain", "absent")


def parse_ref(ref: str) -> tuple[str, int]:
    """``"DOC@V"`` as (document, version).

    Examples
    --------
    >>> parse_ref("东街小区_纳入改造@2")
    ('东街小区_纳入改造', 2)
    """
    m = REF.match(ref.strip())
    if m is None:
        msg = f"name a stored vote as DOC@V (a document and its version number), got {ref!r}"
        raise InputError(Problem(msg, field="stored_votes"))
    return m["doc"], int(m["version"])


@dataclass(frozen=True)
class StoredVote:
    """One stored vote: where it is, what it was on, its counts (owners) and areas (m²)."""

    ref: str
    community: str
    matter: str
    jurisdiction: str
    passed: bool | None
    counts: Mapping[str, int]
    areas_m2: Mapping[str, Decimal] | None = None

    def row(self) -> dict[str, Any]:
        """The vote as one row of a vote-count table (``consent_table``'s columns)."""
        c = self.counts
        out: dict[str, Any] = {
            "community_id": self.community,
            "matter": self.matter,
            "owners": sum(c[k] for k in _KEYS),
            "took_part": c["yes"] + c["no"] + c["abstain"],
            "yes": c["yes"],
        }
        if self.areas_m2 is not None:
            a = self.areas_m2
            out |= {
                "area_m2": sum(a[k] for k in _KEYS),
                "area_took_part": a["yes"] + a["no"] + a["abstain"],
                "area_yes": a["yes"],
            }
        return out


def _int(v: Any, ref: str, key: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise InputError(
            Problem(f"count {key} is not a whole number ≥ 0", f"store:{ref}", field=key)
        )
    return v


def stored_vote(ref: str, kind: str, data: Mapping[str, Any]) -> StoredVote:
    """Read a stored vote record (`kind` ``vote`` or ``owners_vote``) named `ref`.

    Raises
    ------
    InputError
        Naming ``store:DOC@V`` and the field: another kind of document, no community,
        missing or negative counts.

    Examples
    --------
    >>> rec = {"job": "vote", "request": {"matter": "inclusion", "jurisdiction": "hebei",
    ...        "community": "A"}, "results": {"passed": True, "yes": 9, "no": 1,
    ...        "abstain": 0, "absent": 0}}
    >>> v = stored_vote("a@1", "vote", rec)
    >>> v.community, v.row()["took_part"], v.row()["yes"]
    ('A', 10, 9)
    """
    where = f"store:{ref}"
    if kind == "vote":
        req, res = data.get("request") or {}, data.get("results") or {}
        params = req
    elif kind == "owners_vote":
        params, res = data.get("parameters") or {}, data.get("totals") or {}
    else:
        msg = f"a stored vote is a vote or owners_vote document, this one is {kind}"
        raise InputError(Problem(msg, where))
    community = params.get("community") or params.get("community_id")
    if not community:
        msg = "the stored vote names no community: save the vote with its community (小区编号)"
        raise InputError(Problem(msg, where, field="community"))
    missing = [k for k in _KEYS if k not in res]
    if missing or not params.get("matter"):
        msg = f"the stored vote lacks {missing or ['matter']}: not a vote's record"
        raise InputError(Problem(msg, where))
    counts = {k: _int(res[k], ref, k) for k in _KEYS}
    areas = None
    if all(f"area_{k}_centiares" in res for k in _KEYS):
        areas = {k: Decimal(_int(res[f"area_{k}_centiares"], ref, k)) / 100 for k in _KEYS}
    passed = res.get("passed")
    return StoredVote(
        ref=ref,
        community=str(community),
        matter=str(params["matter"]),
        jurisdiction=str(params.get("jurisdiction") or ""),
        passed=None if passed is None else bool(passed),
        counts=counts,
        areas_m2=areas,
    )


def check_votes(
    votes: Iterable[StoredVote],
    matters: Sequence[str],
    communities: Iterable[str],
    jurisdiction: str,
) -> list[StoredVote]:
    """The stored votes, refused unless each is on a gate matter for a candidate community.

    Also refused: a vote under another jurisdiction's rules (its verdict would not be this
    gate's), and two votes for one community and matter.

    Examples
    --------
    >>> v = StoredVote("a@1", "A", "acceptance", "hebei", True, dict.fromkeys(_KEYS, 1))
    >>> check_votes([v], ["inclusion"], ["A"], "hebei")
    Traceback (most recent call last):
    ...
    costshare.errors.InputError: store:a@1, field 'matter': the vote is on 'acceptance'; this gate checks ['inclusion']
    """
    ids = {str(c) for c in communities}
    seen: dict[tuple[str, str], str] = {}
    problems, out = [], []
    for v in votes:
        where = f"store:{v.ref}"
        if v.matter not in matters:
            msg = f"the vote is on {v.matter!r}; this gate checks {list(matters)}"
            problems.append(Problem(msg, where, field="matter"))
        if v.community not in ids:
            msg = f"community {v.community!r} is not a candidate of this plan"
            problems.append(Problem(msg, where, field="community"))
        if v.jurisdiction and v.jurisdiction != jurisdiction:
            msg = f"the vote was counted under {v.jurisdiction}'s rules; this gate is {jurisdiction}'s"
            problems.append(Problem(msg, where, field="jurisdiction"))
        key = (v.community, v.matter)
        if key in seen:
            msg = f"{seen[key]} is already the vote of {v.community!r} on {v.matter!r}"
            problems.append(Problem(msg, where, field="community"))
        seen[key] = v.ref
        out.append(v)
    if problems:
        raise InputError(problems)
    return out


def counts_frame(votes: Iterable[StoredVote]) -> pd.DataFrame:
    """The votes as a vote-count table with a ``source`` column (``store:DOC@V``).

    Examples
    --------
    >>> v = StoredVote("a@1", "A", "inclusion", "hebei", True,
    ...                {"yes": 8, "no": 1, "abstain": 0, "absent": 1})
    >>> counts_frame([v])[["community_id", "owners", "took_part", "yes", "source"]].values.tolist()
    [['A', 10, 9, 8, 'store:a@1']]
    """
    rows = [{**v.row(), "source": f"store:{v.ref}"} for v in votes]
    cols = ["community_id", "matter", "owners", "took_part", "yes", "source"]
    return pd.DataFrame(rows, columns=cols if not rows else None)


def merge_counts(
    file_counts: pd.DataFrame | None, file: str, votes: Sequence[StoredVote]
) -> pd.DataFrame:
    """A vote-count file's rows and the stored votes' rows, each with its ``source``.

    A community and matter given both in the file and by a stored vote is refused (naming
    both), never counted twice or silently replaced.

    Examples
    --------
    >>> f = pd.DataFrame({"community_id": ["B"], "matter": ["inclusion"], "owners": [5],
    ...                   "took_part": [5], "yes": [5]})
    >>> v = StoredVote("a@1", "A", "inclusion", "hebei", True, dict.fromkeys(_KEYS, 1))
    >>> merge_counts(f, "v.csv", [v])[["community_id", "source"]].values.tolist()
    [['B', 'v.csv'], ['A', 'store:a@1']]
    """
    frames = []
    if file_counts is not None:
        frames.append(file_counts.assign(source=file))
        given = (
            {(str(c), str(m)) for c, m in file_counts[["community_id", "matter"]].values}
            if {"community_id", "matter"} <= set(file_counts.columns)
            else set()
        )
        both = [v for v in votes if (v.community, v.matter) in given]
        if both:
            problems = [
                Problem(f"{file} also gives {v.community!r} on {v.matter!r}: name one vote",
                        f"store:{v.ref}", field="community")
                for v in both
            ]  # fmt: skip
            raise InputError(problems)
    if votes:
        frames.append(counts_frame(votes))
    return pd.concat(frames, ignore_index=True)
