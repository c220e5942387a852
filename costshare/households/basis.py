"""Sharing bases (分摊方式): which weight each household gets, and floor rules as data.

``area``       专有部分面积 — the default (its legal basis is a rule in the rule files).
``floor``      floor coefficient × area (Guangzhou style) or a percentage of the amount
               per floor split by area within the floor (Hangzhou style), from a rule table.
``headcount``  by the number of residents.
``equal``      the same for every paying household.
``fixed``      a fixed amount per paying household (the total follows from it).
``airport``    the airport game's Shapley value by floor (:mod:`costshare.households.airport`).

A mix such as ``{"area": 0.7, "equal": 0.3}`` first splits the amount 70 : 30, then each
part by its basis. Every split goes through :func:`costshare.money.allocate` (largest
remainder, ties to the lower index = the earlier roster row).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare.base import StrictModel
from costshare.errors import InputError, Problem
from costshare.households.airport import airport_weights
from costshare.households.scope import require, unit_labels
from costshare.money import allocate, allocate_groups, numerators
from costshare.rules import RuleSet

__all__ = [
    "BASES",
    "FloorScale",
    "SourceRow",
    "area_mix",
    "custom_floor_scale",
    "floor_scale",
    "parse_basis",
    "source_rows",
    "split_basis",
]

BASES = ("area", "floor", "headcount", "equal", "fixed", "airport")


class SourceRow(StrictModel):
    """One rule a result rests on: what it says and where it comes from."""

    rule: str
    kind: str
    applies_to: str
    value: str
    document: str
    issuer: str
    article: str
    date: str
    seed: str
    confidence: str


def source_rows(rs: RuleSet, ids: list[str]) -> list[SourceRow]:
    """Provenance rows of the rules `ids` of `rs`, in the order given (unknown ids skipped).

    Examples
    --------
    >>> from costshare import rules
    >>> [r.rule for r in source_rows(rules.load("beijing", "2024-01-01"), ["beijing.elevator"])]
    ['beijing.elevator']
    """
    if not ids:
        return []
    prov = rs.provenance()
    if prov.empty:
        return []
    prov = prov.set_index("rule", drop=False)
    fields = list(SourceRow.model_fields)
    return [SourceRow(**{f: str(prov.loc[i, f]) for f in fields}) for i in ids if i in prov.index]


class FloorScale(StrictModel):
    """A floor rule ready to apply: ``coefficient`` (× area) or ``percent`` of the amount."""

    id: str
    label: str
    style: Literal["coefficient", "percent"]
    values: dict[int, Decimal]
    source: SourceRow | None = None


def floor_scale(rs: RuleSet, rule_id: str | None = None) -> FloorScale:
    """The floor rule `rule_id` of `rs` (its first floor rule by default).

    Examples
    --------
    >>> from costshare import rules
    >>> s = floor_scale(rules.load("guangzhou", "2024-01-01"))
    >>> s.id, s.style, s.values[7]
    ('guangzhou.floor_coefficient', 'coefficient', Decimal('1.1'))
    >>> floor_scale(rules.load("hangzhou", "2024-01-01"), "hangzhou.floor_percent").values[6]
    Decimal('0.4')
    """
    found = [r for r in rs.floor_rules if rule_id is None or r.id == rule_id]
    if not found:
        have = [r.id for r in rs.floor_rules]
        msg = (
            f"no floor rule {rule_id or ''} in {rs.name} ({rs.key}) on {rs.on}; "
            f"it has {have or 'none'}"
        )
        raise InputError(Problem(msg, field="floor_rule"))
    r = found[0]
    src = source_rows(rs, [r.id])
    return FloorScale(
        id=r.id,
        label=r.label or r.id,
        style=r.style,
        values=dict(r.values),
        source=src[0] if src else None,
    )


def _decimal(v: Any) -> Decimal:
    return Decimal(repr(v)) if isinstance(v, float) else Decimal(str(v))


def custom_floor_scale(values: Mapping[int, Any]) -> FloorScale:
    """A user-given ``{floor: coefficient}`` table (share ∝ coefficient × area).

    Examples
    --------
    >>> custom_floor_scale({3: 1, 4: "1.2"}).values[4]
    Decimal('1.2')
    """
    try:
        vals = {int(k): _decimal(v) for k, v in values.items()}
    except (ValueError, ArithmeticError):
        msg = f"floor coefficients must be numbers: {dict(values)}"
        raise InputError(Problem(msg, field="floor_rule")) from None
    if not vals or any(v < 0 for v in vals.values()):
        raise InputError(Problem("floor coefficients must be 0 or more", field="floor_rule"))
    return FloorScale(id="user.floor_coefficient", label="user", style="coefficient", values=vals)


def area_mix(area_pct: int, other: str) -> dict[str, Decimal]:
    """A mix of area and one other basis from a whole percentage for area.

    Examples
    --------
    >>> area_mix(70, "equal")
    {'area': Decimal('0.7'), 'equal': Decimal('0.3')}
    """
    area = Decimal(int(area_pct)) / 100
    return {"area": area, other: Decimal(1) - area}


def parse_basis(basis: str | Mapping[str, Any]) -> dict[str, Decimal]:
    """A basis name or mix as exact weights that add up to 1 (zero weights dropped).

    Examples
    --------
    >>> parse_basis({"area": 0.7, "equal": "0.3"})
    {'area': Decimal('0.7'), 'equal': Decimal('0.3')}
    """
    if isinstance(basis, str):
        parts = {basis: Decimal(1)}
    else:
        try:
            parts = {str(k): _decimal(v) for k, v in basis.items()}
        except ArithmeticError:
            msg = f"mix weights must be numbers: {dict(basis)}"
            raise InputError(Problem(msg, field="basis")) from None
    for k, w in parts.items():
        if k not in BASES:
            msg = f"unknown basis {k!r}; choose from {list(BASES)}"
            raise InputError(Problem(msg, field="basis"))
        if w < 0:
            raise InputError(Problem(f"mix weight of {k!r} is negative", field="basis"))
    if len(parts) > 1:
        if "fixed" in parts:
            msg = "'fixed' cannot be mixed: it sets each household's amount itself"
            raise InputError(Problem(msg, field="basis"))
        if sum(parts.values(), Decimal(0)) != 1:
            msg = f"mix weights add up to {sum(parts.values(), Decimal(0))}, not exactly 1"
            raise InputError(Problem(msg, field="basis"))
    return {k: w for k, w in parts.items() if w > 0}


def _where(df: pd.DataFrame, mask: npt.NDArray[np.bool_]) -> str:
    col = "row" if "row" in df.columns else None
    vals = df.loc[mask, col].tolist() if col else unit_labels(df)[mask].tolist()
    more = f" and {len(vals) - 10} more" if len(vals) > 10 else ""
    return f"{'rows' if col else 'households'} {', '.join(map(str, vals[:10]))}{more}"


def _floor_factor(
    df: pd.DataFrame, payer: npt.NDArray[np.bool_], scale: FloorScale
) -> npt.NDArray[np.float64]:
    require(df, "floor", "for basis 'floor'")
    floors = df["floor"].to_numpy()
    top = max(scale.values)
    above = payer & (floors > top)
    if above.any():
        msg = (
            f"floor {int(floors[above].max())} has no value in {scale.id} (it covers floors "
            f"{min(scale.values)}–{top}); give a floor rule with a value for every floor"
        )
        raise InputError(Problem(msg, field="floor_rule"))
    lut = np.zeros(max(top, int(floors.max())) + 1)
    for f, v in scale.values.items():
        if f >= 0:
            lut[f] = float(v)
    return lut[floors]


def weights(
    df: pd.DataFrame, basis: str, payer: npt.NDArray[np.bool_], scale: FloorScale | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64] | None]:
    """Weights of one basis (0 for non-payers) and, for floor rules, each household's factor."""
    area = df["area_m2"].to_numpy(dtype=np.float64)
    factor = None
    if basis == "area":
        w = area.copy()
    elif basis in ("equal", "fixed"):
        w = np.ones(len(df))
    elif basis == "headcount":
        require(df, "headcount", "for basis 'headcount'")
        missing = df["headcount"].isna().to_numpy() & payer
        if missing.any():
            msg = f"headcount is empty for {_where(df, missing)}: needed for basis 'headcount'"
            raise InputError(Problem(msg, field="headcount"))
        w = df["headcount"].fillna(0).to_numpy(dtype=np.float64)
    elif basis == "airport":
        require(df, "floor", "for basis 'airport'")
        w = np.array([float(x) for x in airport_weights(df["floor"].to_numpy(), payer)])
    else:  # floor
        if scale is None:
            raise InputError(Problem("basis 'floor' needs a floor rule", field="floor_rule"))
        factor = _floor_factor(df, payer, scale)
        w = factor * area if scale.style == "coefficient" else area.copy()
    return np.where(payer, w, 0.0), factor


def _exact_product(df: pd.DataFrame, scale: FloorScale, area: npt.NDArray[np.float64]) -> Any:
    """coefficient × area as exact integers, each read as typed (0.7 × 40.08 ∝ 7 × 4008).

    A float product would break the tie rule: 0.7 × 40.08 and 0.8 × 35.07 are both
    exactly 28.056, but not in binary floating point.
    """
    floors = df["floor"].to_numpy()
    keys = sorted(f for f in scale.values if f >= 0)
    coef, _ = numerators([scale.values[f] for f in keys], what="floor coefficients")
    lut = np.zeros(max(max(keys), int(floors.max())) + 1, dtype=coef.dtype)
    lut[keys] = coef
    area_n, _ = numerators(area, what="areas")
    return lut[floors] * area_n


def split_basis(
    total: int, df: pd.DataFrame, basis: str, payer: npt.NDArray[np.bool_], scale: FloorScale | None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64] | None, npt.NDArray[np.float64]]:
    """Split `total` fen by one basis: shares, floor factors (or None) and weights.

    Percent style: each floor present among payers gets its percentage of the amount
    (the others' rescaled), split by area within the floor.

    Examples
    --------
    >>> df = pd.DataFrame({"area_m2": [50.0, 150.0]})
    >>> split_basis(1001, df, "area", np.array([True, True]), None)[0].tolist()
    [250, 751]
    """
    w, factor = weights(df, basis, payer, scale)
    if not (w > 0).any():
        msg = f"nobody pays under basis {basis!r}: every household is exempt or weighs 0"
        raise InputError(Problem(msg, field="basis"))
    if basis == "airport":  # exact Shapley weights, not their float images
        return allocate(total, airport_weights(df["floor"].to_numpy(), w > 0)), factor, w
    if basis == "floor" and scale is not None and scale.style == "coefficient":
        exact = np.where(w > 0, _exact_product(df, scale, df["area_m2"].to_numpy()), 0)
        return allocate(total, exact), factor, w
    if basis != "floor" or scale is None:
        return allocate(total, w), factor, w
    floors = df["floor"].to_numpy()
    pay = w > 0
    present = np.asarray(
        sorted(
            {int(f) for f in np.unique(floors[pay])} & {f for f, v in scale.values.items() if v > 0}
        )
    )
    per_floor = allocate(total, [scale.values[int(f)] for f in present])
    group = np.searchsorted(present, floors)
    inside = pay & (group < len(present))
    inside[inside] &= present[group[inside]] == floors[inside]
    shares = np.zeros(len(df), dtype=np.int64)
    shares[inside] = allocate_groups(per_floor, group[inside], w[inside])
    return shares, factor, w
