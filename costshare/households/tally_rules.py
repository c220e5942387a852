"""The counting behind :func:`costshare.households.votes.tally`: exact thresholds and margins.

Areas are integer hundredths of a m² (centiares); every test compares integers and
:class:`fractions.Fraction` objects, never floats.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare.errors import InputError, Problem
from costshare.households.roster import HEADER_ALIASES
from costshare.tables.cells import clean_texts, ident_keys
from costshare.tables.headers import rename_columns

__all__ = [
    "HEADERS",
    "MAX_PROBLEMS",
    "Check",
    "ballot_series",
    "canonical_headers",
    "check",
    "combined",
    "m2",
    "match_register",
    "no_objection",
    "normalise_vote",
    "read_units",
]

MAX_PROBLEMS = 20

HEADERS: dict[str, tuple[str, ...]] = {
    "unit_id": HEADER_ALIASES["unit_id"],
    "area": HEADER_ALIASES["area_m2"],
    "vote": ("表决意见", "表决结果", "投票意见", "意见", "表决", "投票", "vote", "ballot"),
}
"""Headers read as ``unit_id``, ``area`` and ``vote`` (the roster's Chinese ones too)."""


def canonical_headers(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with Chinese headers (房号, 面积, 表决意见 …) renamed to unit_id, area, vote.

    The one header matcher (:func:`costshare.tables.headers.rename_columns`): case,
    spaces and a trailing unit in brackets are ignored (``面积（m²）``); a column
    already named in English wins over an alias, and earlier aliases win over later
    ones (the other columns keep their names).

    Examples
    --------
    >>> canonical_headers(pd.DataFrame(columns=["房号", "专有部分面积(m²)", "表决意见"])).columns.tolist()
    ['unit_id', 'area', 'vote']
    """
    names, _ = rename_columns(list(df.columns), HEADERS)
    return df.set_axis(names, axis=1) if names != list(df.columns) else df


Vote = Literal["yes", "no", "abstain"]

_ALIASES: dict[str, Vote | None] = {
    "yes": "yes", "y": "yes", "agree": "yes", "同意": "yes", "赞成": "yes",
    "no": "no", "n": "no", "against": "no", "反对": "no", "不同意": "no",
    "abstain": "abstain", "弃权": "abstain",
    "absent": None, "": None, "未参与": None, "未投票": None,
}  # fmt: skip
"""Accepted ballot values (case and surrounding spaces ignored); ``None`` = did not take part."""


def normalise_vote(values: pd.Series) -> pd.Series:
    """Map ballot texts to ``"yes"``, ``"no"``, ``"abstain"`` or missing (did not take part).

    Case and surrounding spaces are ignored; Chinese 同意/赞成, 反对/不同意, 弃权 and
    未参与 are understood. Unknown values become the string ``"?"`` so the caller can
    name them.

    Examples
    --------
    >>> normalise_vote(pd.Series([" Yes", "反对", "abstain", None, "maybe"])).tolist()
    ['yes', 'no', 'abstain', nan, '?']
    """
    text = values.astype("object").where(values.notna(), "").astype(str).str.strip().str.lower()
    known = text.isin(list(_ALIASES))
    mapped = text.map(_ALIASES).astype("object")
    return mapped.where(known, "?")


def combined(checks: Any) -> int | None:
    # Switching the k largest candidates meets every test of the kind when k is the
    # largest single need: they share the same candidates, so the max is exact.
    needs = [c.short_owners for c in checks]
    if any(n is None for n in needs):
        return None
    return max(needs, default=0)


@dataclass(frozen=True)
class Check:
    """One threshold of a vote rule, as tested.

    Attributes
    ----------
    name : str
        ``quorum_area``, ``quorum_owners``, ``approve_area`` or ``approve_owners``.
    kind : {"quorum", "approval"}
    measure : {"area", "owners"}
    numerator, denominator : int
        What was counted: centiares (0.01 m²) for area, owners for headcount.
    reached : Fraction or None
        ``numerator / denominator``; ``None`` when nobody is counted in the denominator.
    bar : Fraction
        The threshold from the rule table.
    strict : bool
        ``True`` for "more than" (过半数); ``False`` for "at least" (以上, boundary in).
    met : bool
    short_owners : int or None
        Fewest more owners needed to meet this threshold (for an area test: the fewest
        owners whose areas, largest first, cover the shortfall); 0 when met; ``None``
        when it cannot be met by the owners available.
    short_centiares : int or None
        For an area test, the exact shortfall in 0.01 m² (0 when met); ``None`` for a
        headcount test.
    """

    name: str
    kind: Literal["quorum", "approval"]
    measure: Literal["area", "owners"]
    numerator: int
    denominator: int
    reached: Fraction | None
    bar: Fraction
    strict: bool
    met: bool
    short_owners: int | None
    short_centiares: int | None

    @property
    def short_area(self) -> Decimal | None:
        """The area shortfall in m² (exact, two decimals), or ``None``."""
        if self.short_centiares is None:
            return None
        return Decimal(self.short_centiares).scaleb(-2)

    @property
    def bar_text(self) -> str:
        """The bar as the law words it: ``'≥ 2/3'`` or ``'> 1/2'`` (``'no objection'``)."""
        if self.name == "no_objection":
            return "no objection (0 against)"
        return f"{'>' if self.strict else '≥'} {self.bar}"


def m2(centiares: int) -> Decimal:
    return Decimal(int(centiares)).scaleb(-2)


def _centiares(area: pd.Series, ids: pd.Series) -> tuple[npt.NDArray[np.int64], list[Problem]]:
    """Registered areas as integer 0.01 m²; problems for non-numbers, ≤ 0, > 2 decimals."""
    num = pd.to_numeric(area, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    scaled = num * 100.0
    whole = np.round(scaled)
    bad_num = ~np.isfinite(num)
    bad_sign = ~bad_num & (num <= 0)
    bad_dec = ~bad_num & ~bad_sign & (np.abs(scaled - whole) > 1e-6)
    problems = []
    for mask, what in (
        (bad_num, "not a number"),
        (bad_sign, "must be positive"),
        (bad_dec, "has more than 2 decimals (registered area is given to 0.01 m²)"),
    ):
        problems.extend(
            Problem(
                f"area {area.iloc[i]!r} {what}",
                "units",
                f"row {i + 1} (unit {ids.iloc[i]!r})",
                "area",
            )
            for i in np.flatnonzero(mask)
        )
    return np.where(bad_num, 0, whole).astype(np.int64), problems


def ballot_series(
    ballots: Mapping[Any, Any] | pd.Series | pd.DataFrame,
) -> tuple[pd.Series, list[Problem]]:
    """Ballots as a Series indexed by unit id (text); duplicates are problems."""
    problems: list[Problem] = []
    if isinstance(ballots, pd.DataFrame):
        ballots = canonical_headers(ballots)
        missing = [c for c in ("unit_id", "vote") if c not in ballots.columns]
        if missing:
            msg = f"missing column(s) {missing}; found {list(ballots.columns)}"
            raise InputError(Problem(msg, "ballots", field=missing[0]))
        ids = pd.Series(clean_texts(ballots["unit_id"].astype(str).tolist()), dtype=object)
        keys = pd.Series(ident_keys(ids.tolist()), dtype=object)
        dup = keys.duplicated(keep=False)
        problems.extend(
            Problem(
                f"unit {ids[keys == k].iloc[0]!r} has more than one ballot "
                "(data rows "
                f"{', '.join(str(int(i) + 1) for i in np.flatnonzero(keys == k))} below the header)",
                "ballots",
                f"unit {ids[keys == k].iloc[0]!r}",
                "unit_id",
            )
            for k in keys[dup].unique()
        )
        series = pd.Series(ballots["vote"].to_numpy(), index=ids.to_numpy())
    elif isinstance(ballots, pd.Series):
        series = ballots.copy()
        series.index = series.index.astype(str).str.strip()
    elif isinstance(ballots, Mapping):
        series = pd.Series(
            list(ballots.values()), index=[str(k).strip() for k in ballots], dtype="object"
        )
    else:
        msg = f"ballots must be a mapping unit_id -> vote, a Series or a DataFrame, not {type(ballots).__name__}"
        raise InputError(Problem(msg, "ballots"))
    series = series[~series.index.duplicated(keep="first")]
    return series, problems


def match_register(series: pd.Series, ids: pd.Index) -> pd.Series:
    """`series` (ballots by unit) re-indexed by the register's own spelling of each unit.

    A ballot for ``1号楼-1单元-101`` counts for the register's ``1-1-101`` (one key,
    :func:`costshare.tables.ident_key`); a ballot matching no unit keeps its spelling,
    so the caller lists it as unmatched.

    Examples
    --------
    >>> s = pd.Series(["yes", "no"], index=["1号楼-1单元-101", "9-9-999"])
    >>> match_register(s, pd.Index(["1-1-101", "1-1-102"])).index.tolist()
    ['1-1-101', '9-9-999']
    """
    by_key = dict(zip(ident_keys(ids.tolist()), ids.tolist(), strict=True))
    new = [
        by_key.get(k, u)
        for k, u in zip(ident_keys(series.index.tolist()), series.index, strict=True)
    ]
    out = series.set_axis(new)
    return out[~out.index.duplicated(keep="first")]


def read_units(units: pd.DataFrame) -> tuple[pd.Index, npt.NDArray[np.int64]]:
    if not isinstance(units, pd.DataFrame):
        raise InputError(
            Problem("units must be a DataFrame with columns unit_id and area", "units")
        )
    units = canonical_headers(units)
    missing = [c for c in ("unit_id", "area") if c not in units.columns]
    if missing:
        msg = f"missing column(s) {missing}; found {list(units.columns)}"
        raise InputError(Problem(msg, "units", field=missing[0]))
    if units.empty:
        raise InputError(Problem("no units: the vote needs the register of units", "units"))
    ids = pd.Series(clean_texts(units["unit_id"].astype(str).tolist()), dtype=object)
    area, problems = _centiares(units["area"].reset_index(drop=True), ids)
    keys = pd.Series(ident_keys(ids.tolist()), dtype=object)  # 1栋101 is 1-101
    dup = keys.duplicated(keep=False)
    problems.extend(
        Problem(
            f"unit {ids[keys == k].iloc[0]!r} is listed more than once "
            f"(rows {[i + 1 for i in np.flatnonzero(keys == k)]}); "
            "one exclusive unit counts as one owner",
            "units",
            f"unit {ids[keys == k].iloc[0]!r}",
            "unit_id",
        )
        for k in keys[dup].unique()
    )
    if problems:
        raise InputError(problems[:MAX_PROBLEMS], more=max(0, len(problems) - MAX_PROBLEMS))
    return pd.Index(ids), area


def _fewest(candidates: npt.NDArray[np.int64], need: int) -> int | None:
    """Fewest candidates (largest first) whose values add up to at least `need`."""
    if need <= 0:
        return 0
    cs = np.cumsum(np.sort(candidates)[::-1])
    if cs.size == 0 or cs[-1] < need:
        return None
    return int(np.searchsorted(cs, need, side="left")) + 1


def _need(bar: Fraction, base: int, have: int, *, strict: bool) -> int:
    """Smallest integer increase of `have` so that ``have / base`` meets the bar."""
    target = bar * base
    least = math.floor(target) + 1 if strict else math.ceil(target)
    return max(0, least - have)


def no_objection(n_no: int, n_took_part: int) -> Check:
    """The elevator test "nobody who takes part objects" (Hangzhou, seed 002 line 72).

    Met when no participant votes no; the margin is the objectors who must change their vote.

    Examples
    --------
    >>> c = no_objection(1, 6)
    >>> c.met, c.short_owners, c.bar_text
    (False, 1, 'no objection (0 against)')
    """
    reached = Fraction(n_no, n_took_part) if n_took_part else None
    met = n_took_part > 0 and n_no == 0
    short = n_no if n_took_part else None
    return Check(
        "no_objection", "approval", "owners", n_no, n_took_part, reached, Fraction(0),
        False, met, short, None,
    )  # fmt: skip


def check(
    name: str,
    bar: Fraction,
    num: int,
    den: int,
    *,
    strict: bool,
    candidates: npt.NDArray[np.int64],
) -> Check:
    kind: Literal["quorum", "approval"] = "quorum" if name.startswith("quorum") else "approval"
    measure: Literal["area", "owners"] = "area" if name.endswith("area") else "owners"
    reached = Fraction(num, den) if den else None
    met = reached is not None and (reached > bar if strict else reached >= bar)
    if den == 0:  # nobody took part: no base to switch votes in
        short_owners, short_c = None, None
    elif measure == "owners":
        need = _need(bar, den, num, strict=strict)
        short_owners = need if need <= candidates.size else None
        short_c = None
    else:
        short_c = _need(bar, den, num, strict=strict)
        short_owners = _fewest(candidates, short_c)
    return Check(name, kind, measure, num, den, reached, bar, strict, met, short_owners, short_c)
