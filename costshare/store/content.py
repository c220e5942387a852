"""What a version holds: the file's text, its parsed data, and the hash of that data.

The hash is sha256 over a canonical JSON form of the parsed data (keys sorted, dates as
ISO text), so two files that differ only in comments or layout have the same hash. A
household sheet is stored as a small record — the roster's sha256 and size, the sheet's
parameters and its totals — never the roster's rows (names, rooms, areas).

>>> canonical_hash({"b": 1, "a": [1, 2]}) == canonical_hash({"a": [1, 2], "b": 1})
True
>>> parse_content("a: 1\\n", "x")
{'a': 1}
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from costshare.errors import InputError, Problem
from costshare.yamlio import dump_yaml, load_yaml

__all__ = [
    "HOUSEHOLD_SHEET",
    "canonical_hash",
    "file_sha256",
    "household_sheet_content",
    "owners_vote_content",
    "parse_content",
    "plain",
    "to_text",
]

HOUSEHOLD_SHEET = "household_sheet"
"""The kind under which a household sheet's record is saved."""
OWNERS_VOTE = "owners_vote"
"""The kind under which an owners' vote's record is saved."""

_KIND = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def plain(x: Any) -> Any:
    """`x` as JSON-ready data: string keys, lists for tuples, ISO text for dates."""
    if isinstance(x, Mapping):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [plain(v) for v in x]
    if isinstance(x, datetime | date):
        return x.isoformat()
    return x


def canonical_hash(data: Any) -> str:
    """sha256 (hex) of `data` in canonical JSON: sorted keys, compact, UTF-8."""
    text = json.dumps(plain(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def file_sha256(data: bytes | str | Path) -> str:
    """sha256 (hex) of a file's bytes (`data` is the bytes or the file's path)."""
    if isinstance(data, str | Path):
        try:
            data = Path(data).read_bytes()
        except OSError as exc:
            raise InputError(Problem(f"cannot read: {exc.strerror}", file=str(data))) from None
    return hashlib.sha256(data).hexdigest()


def parse_content(text: str, name: str) -> dict[str, Any]:
    """Parse YAML (or JSON, a subset) `text`; it must be a mapping. `name` labels errors."""
    data = load_yaml(name, text=text, keep_kind=True)  # the kind line is part of what is stored
    if not isinstance(data, dict):
        raise InputError(Problem("a stored file must be a YAML/JSON mapping", file=name))
    return data


def to_text(content: str | Mapping[str, Any]) -> str:
    """The text to store: `content` itself, or a mapping dumped as YAML."""
    if isinstance(content, Mapping):
        return dump_yaml(plain(content))
    return content.replace("\r\n", "\n")


def check_kind(kind: str) -> str:
    """`kind` if it is a short lower-case identifier (``community``, ``ppp`` …)."""
    if not isinstance(kind, str) or not _KIND.match(kind):
        raise InputError(
            Problem(f"kind must be a lower-case identifier, got {kind!r}", field="kind")
        )
    return kind


def household_sheet_content(
    roster: bytes | str | Path,
    parameters: Mapping[str, Any],
    totals: Mapping[str, Any],
    *,
    roster_name: str | None = None,
) -> dict[str, Any]:
    """The record saved for a household sheet: roster digest, parameters, totals.

    Parameters
    ----------
    roster
        The roster file's bytes or path; only its sha256 and size are kept.
    parameters
        How the sheet was computed (basis, amount, scope, exemptions …), plain values.
    totals
        The sheet's totals, e.g. ``{"total_fen": …, "households": …}``.
    roster_name
        Accepted for compatibility and not stored: an uploaded file's name can identify
        a household (PIPL), so the record keeps only the roster's digest and size.

    Examples
    --------
    >>> rec = household_sheet_content(b"row", {"basis": "area"}, {"total_fen": 100})
    >>> rec["roster"]["bytes"], rec["parameters"], rec["totals"]
    (3, {'basis': 'area'}, {'total_fen': 100})
    """
    del roster_name  # never stored
    if isinstance(roster, str | Path):
        roster = Path(roster).read_bytes()
    record: dict[str, Any] = {
        "kind": HOUSEHOLD_SHEET,
        "roster": {"sha256": file_sha256(roster), "bytes": len(roster)},
        "parameters": plain(dict(parameters)),
        "totals": plain(dict(totals)),
    }
    try:
        json.dumps(record, ensure_ascii=False)
    except TypeError as exc:
        raise InputError(
            Problem(f"sheet parameters and totals must be plain values: {exc}", field="parameters")
        ) from None
    return record


def owners_vote_content(
    register: bytes | str | Path,
    ballots: Mapping[str, str],
    parameters: Mapping[str, Any],
    totals: Mapping[str, Any],
    *,
    register_name: str | None = None,
) -> dict[str, Any]:
    """The record saved for an owners' vote: register and ballots digests, parameters, totals.

    Same shape as :func:`household_sheet_content`: the register file is kept only as its
    sha256 and size, the ballots (unit → vote) only as the sha256 of their canonical form
    and their count, so no unit's vote or owner is stored; `totals` are the tally's
    counts and verdict.

    Examples
    --------
    >>> rec = owners_vote_content(b"reg", {"101": "yes"}, {"matter": "elevator"}, {"yes": 1})
    >>> rec["kind"], rec["ballots"]["count"], rec["totals"]
    ('owners_vote', 1, {'yes': 1})
    """
    record = household_sheet_content(register, parameters, totals, roster_name=register_name)
    record["kind"] = OWNERS_VOTE
    record["register"] = record.pop("roster")
    votes = {str(k): str(v) for k, v in ballots.items()}
    record["ballots"] = {"sha256": canonical_hash(votes), "count": len(votes)}
    return record
