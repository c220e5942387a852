"""Who shares an amount: unit labels, the building/stairwell scope, exempt households.

One household is named by building + stairwell + unit id; :func:`unit_labels` is the one
place that builds such labels (``"3-2-501"`` for input and tables, ``"3号楼2单元501"`` for
notices, built in :mod:`costshare.households.unit_label`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare.errors import InputError, Problem
from costshare.households.unit_label import unit_label_series
from costshare.tables.cells import ident_key, ident_keys

__all__ = [
    "EXEMPT_FLOORS",
    "EXEMPT_LIST",
    "FLOOR_RULE_ZERO",
    "REASONS",
    "exempt_mask",
    "require",
    "scope",
    "scope_choices",
    "unit_labels",
]

EXEMPT_FLOORS = "floors"
"""Reason code: the household's floor is exempt (``exempt_floors``)."""
EXEMPT_LIST = "listed"
"""Reason code: the household is named in ``exempt``."""
FLOOR_RULE_ZERO = "floor_rule"
"""Reason code: the floor rule gives its floor nothing to pay."""
REASONS = ("", EXEMPT_FLOORS, EXEMPT_LIST, FLOOR_RULE_ZERO)
"""Every reason code, in the order of the integer codes :func:`exempt_mask` returns."""


def unit_labels(roster: pd.DataFrame, style: Literal["dash", "zh"] = "dash") -> pd.Series:
    """Label every household by building, stairwell and unit id.

    Parameters
    ----------
    roster : DataFrame
        With ``unit_id`` and, when the roster has them, ``building`` and ``stairwell``.
    style : {"dash", "zh"}
        ``"3-2-501"`` (what users type to name a household) or ``"3号楼2单元501"``;
        built by :func:`costshare.households.unit_label.unit_label_series` from the
        normalised parts (``3号楼`` and ``3`` give the same label).

    Examples
    --------
    >>> r = pd.DataFrame({"building": ["3"], "stairwell": ["2"], "unit_id": ["501"]})
    >>> unit_labels(r).tolist(), unit_labels(r, "zh").tolist()
    (['3-2-501'], ['3号楼2单元501'])
    >>> unit_labels(r[["unit_id"]]).tolist(), unit_labels(r.assign(building="")).tolist()
    (['501'], ['2-501'])
    """
    return unit_label_series(roster, style)


def _keyed(roster: pd.DataFrame) -> pd.DataFrame:
    """The label columns as comparison keys (``1号楼`` → ``1``), so labels compare by key."""
    cols = [c for c in ("building", "stairwell", "unit_id") if c in roster.columns]
    return pd.DataFrame(  # object columns: no conversion of a million keys to Arrow
        {c: pd.Series(ident_keys(roster[c].astype(str)), dtype=object) for c in cols}
    )


def _duplicated(keyed: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Rows whose keys (all columns) occur more than once: one integer code per row."""
    codes = np.zeros(len(keyed), np.int64)
    for c in keyed.columns:  # codes stay below rows² (refactorized): no int64 overflow
        k, uniq = pd.factorize(keyed[c].to_numpy(dtype=object))
        codes = pd.factorize(codes * len(uniq) + k)[0].astype(np.int64)
    return pd.Series(codes).duplicated(keep=False).to_numpy()


def require(roster: pd.DataFrame, col: str, why: str) -> None:
    """Raise an :class:`InputError` naming `col` when the roster lacks it."""
    if col not in roster.columns:
        msg = f"the roster has no {col!r} column, needed {why}"
        raise InputError(Problem(msg, field=col))


def scope(roster: pd.DataFrame, building: str | None, stairwell: str | None) -> pd.DataFrame:
    """The households of one building and/or stairwell (all when both are ``None``).

    Examples
    --------
    >>> r = pd.DataFrame({"building": ["1", "2"], "unit_id": ["101", "101"]})
    >>> scope(r, "2", None)["building"].tolist()
    ['2']
    >>> scope(r.assign(building=["1号楼", "2号楼"]), "1", None)["building"].tolist()
    ['1号楼']
    >>> scope(r.assign(building=["1号楼", "1栋"]), None, None)
    Traceback (most recent call last):
    ...
    costshare.errors.InputError: field 'unit_id': duplicate household(s) ['1号楼-101', '1栋-101']: each household may appear once
    """
    mask = np.ones(len(roster), dtype=bool)
    for col, val in (("building", building), ("stairwell", stairwell)):
        if val is None:
            continue
        require(roster, col, f"to scope to {col} {val!r}")
        # 1, 1栋, 1号楼, １号楼 and 一号楼 are one building (tables.ident_key)
        keys = np.asarray(ident_keys(roster[col].astype(str)), dtype=object)
        mask &= keys == ident_key(val)
    if not mask.any():
        have = {
            c: sorted(roster[c].astype(str).unique().tolist())[:20]
            for c in ("building", "stairwell")
            if c in roster
        }
        msg = f"no household in building {building!r} stairwell {stairwell!r}; roster has {have}"
        raise InputError(Problem(msg, field="building" if building is not None else "stairwell"))
    part = roster if mask.all() else roster.loc[mask]
    part = part.reset_index(drop=True)
    if "unit_id" in part.columns:  # a hand-built frame is checked as a read roster is
        dup = _duplicated(_keyed(part))
        if dup.any():
            cols = [c for c in ("building", "stairwell", "unit_id") if c in part.columns]
            raw = part.loc[dup, cols].fillna("").astype(str)  # as the file spells them
            labels = sorted(set(raw.agg(lambda r: "-".join(v for v in r if v), axis=1)))
            msg = f"duplicate household(s) {labels[:10]}: each household may appear once"
            raise InputError(Problem(msg, field="unit_id"))
    return part


def exempt_mask(
    roster: pd.DataFrame, exempt: Iterable[str], floors: Iterable[int]
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int8]]:
    """Which households pay nothing, and why (an index into :data:`REASONS`, 0 for payers).

    `exempt` names households as ``building-stairwell-unit`` or by a unit id that is
    unique in `roster`; `floors` exempts whole floors.

    Examples
    --------
    >>> r = pd.DataFrame({"unit_id": ["101", "201", "301"], "floor": [1, 2, 3]})
    >>> m, why = exempt_mask(r, ["301"], [1])
    >>> m.tolist(), [REASONS[i] for i in why]
    ([True, False, True], ['floors', '', 'listed'])
    """
    n = len(roster)
    reason = np.zeros(n, dtype=np.int8)
    mask = np.zeros(n, dtype=bool)
    floors = tuple(int(f) for f in floors)
    if floors:
        require(roster, "floor", "to exempt floors")
        fm = np.isin(roster["floor"].to_numpy(), floors)
        mask |= fm
        reason[fm] = REASONS.index(EXEMPT_FLOORS)
    exempt = [str(e).strip() for e in exempt]
    if not exempt:
        return mask, reason
    shown = unit_labels(roster).to_numpy()
    labels = np.asarray(ident_keys(unit_labels(_keyed(roster)).tolist()), dtype=object)
    units = np.asarray(ident_keys(roster["unit_id"].astype(str)), dtype=object)
    problems = []
    for e in exempt:
        hit = labels == ident_key(e)
        if not hit.any():
            hit = units == ident_key(e)
            if hit.sum() > 1:
                msg = (
                    f"{e!r} matches {int(hit.sum())} households; write building-stairwell-unit "
                    f"such as {shown[hit][0]!r}"
                )
                problems.append(Problem(msg, field="exempt"))
                continue
        if not hit.any():
            problems.append(Problem(f"no household {e!r} in the roster (scope)", field="exempt"))
            continue
        reason[hit & ~mask] = REASONS.index(EXEMPT_LIST)
        mask |= hit
    if problems:
        raise InputError(problems)
    return mask, reason


def scope_choices(roster: pd.DataFrame) -> dict[str, Any]:
    """What a form can offer for a roster: buildings, stairwells, floors and unit labels.

    Examples
    --------
    >>> r = pd.DataFrame({"building": ["1", "1", "2"], "stairwell": ["1", "2", "1"],
    ...                   "unit_id": ["101", "101", "101"], "floor": [1, 1, 1]})
    >>> c = scope_choices(r)
    >>> c["buildings"], c["stairwells"], c["units"]
    (['1', '2'], {'1': ['1', '2'], '2': ['1']}, ['1-1-101', '1-2-101', '2-1-101'])
    """

    def values(col: str, frame: pd.DataFrame = roster) -> list[str]:
        return sorted(frame[col].astype(str).unique().tolist()) if col in frame else []

    buildings = values("building")
    stairwells = {
        b: values("stairwell", roster[roster["building"].astype(str) == b]) for b in buildings
    }
    return {
        "households": len(roster),
        "buildings": buildings,
        "stairwells": stairwells,
        "all_stairwells": values("stairwell"),
        "floors": sorted(int(f) for f in roster["floor"].unique()) if "floor" in roster else [],
        "units": unit_labels(roster).tolist(),
        "has_headcount": "headcount" in roster and bool(roster["headcount"].notna().any()),
        "has_names": "owner_name" in roster,
    }
