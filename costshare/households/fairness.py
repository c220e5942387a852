"""Fairness summary: how the same amount falls on households under different bases."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from costshare.errors import InputError
from costshare.households.explain import BASIS_LABELS
from costshare.households.scope import unit_labels
from costshare.households.sheet import ContributionSheet, SheetSpec, contribution_sheet
from costshare.money import to_yuan
from costshare.rules import RuleSet

__all__ = ["COMPARED_BASES", "compare_bases", "fairness_summary"]

COMPARED_BASES = ("area", "floor", "headcount", "equal")
"""The bases :func:`compare_bases` sets beside the chosen one."""


def _label(basis: str | Mapping[str, Any]) -> str:
    if isinstance(basis, str):
        return basis
    return "+".join(f"{k} {v}" for k, v in basis.items())


def _row(basis: str | Mapping[str, Any], s: pd.DataFrame) -> dict[str, Any]:
    fen = s["share_fen"].to_numpy()
    pay = fen > 0
    hi = int(np.argmax(fen))
    lo = int(np.flatnonzero(pay)[np.argmin(fen[pay])]) if pay.any() else hi
    units = dict(zip((hi, lo), unit_labels(s.iloc[[hi, lo]]).tolist(), strict=True))
    total = int(fen.sum())
    row: dict[str, Any] = {
        "basis": _label(basis),
        "label": BASIS_LABELS.get(basis, "组合") if isinstance(basis, str) else "组合",
        "total": to_yuan(total),
        "max_unit": str(units[hi]),
        "max": to_yuan(int(fen[hi])),
        "min_unit": str(units[lo]),
        "min": to_yuan(int(fen[lo])),
        "spread": to_yuan(int(fen[hi]) - int(fen[lo])),
        "zero_payers": int((~pay).sum()),
        "mean": to_yuan(round(total / max(int(pay.sum()), 1))),
    }
    if "floor" in s.columns and total:
        by_floor = pd.Series(fen).groupby(s["floor"].to_numpy()).sum()
        for f, v in by_floor.items():
            row[f"floor_{f}"] = round(100 * int(v) / total, 2)
    return row


def fairness_summary(
    roster: pd.DataFrame,
    total_fen: int | None,
    spec: SheetSpec,
    rules: RuleSet,
    bases: Iterable[str | Mapping[str, Any]] = ("area", "floor", "equal"),
) -> pd.DataFrame:
    """Compare bases: highest and lowest payer, spread, who pays nothing, share by floor.

    Parameters
    ----------
    roster, total_fen, spec, rules
        As for :func:`costshare.households.sheet.contribution_sheet`; ``spec.basis`` is
        replaced by each of `bases` in turn.
    bases : iterable of str or mapping
        Bases to compare (see :data:`costshare.households.basis.BASES`).

    Returns
    -------
    DataFrame
        One row per basis: ``basis``, ``label``, ``total``, ``max_unit``, ``max`` (yuan),
        ``min_unit``, ``min`` (lowest among payers), ``spread`` (max − min), ``zero_payers``
        (households paying nothing), ``mean`` and ``floor_<f>`` (share of the total
        paid by floor f, in %, when the roster has floors).

    Examples
    --------
    >>> from costshare import rules
    >>> rs = rules.load("national", "2024-01-01")
    >>> r = pd.DataFrame({"unit_id": ["101", "301"], "floor": [1, 3], "area_m2": [50.0, 150.0]})
    >>> f = fairness_summary(r, 100000, SheetSpec(), rs, ["area", "equal"])
    >>> f[["basis", "max", "min", "spread", "zero_payers"]].to_dict("records")[0]
    {'basis': 'area', 'max': Decimal('750.00'), 'min': Decimal('250.00'), 'spread': Decimal('500.00'), 'zero_payers': 0}
    """
    rows = []
    for basis in bases:
        s = contribution_sheet(roster, total_fen, spec.model_copy(update={"basis": basis}), rules)
        rows.append(_row(basis, s.table))
    return pd.DataFrame(rows)


def compare_bases(
    roster: pd.DataFrame, sheet: ContributionSheet, rules: RuleSet
) -> tuple[pd.DataFrame, list[str]]:
    """The sheet's basis, then the other bases at the same total, scope and exemptions.

    A basis the roster cannot support (no headcount, a floor beyond the floor rule) is
    left out and the library's message returned as a note ``"<basis>: <message>"``.

    Examples
    --------
    >>> from costshare import rules
    >>> rs = rules.load("guangzhou", "2024-01-01")
    >>> r = pd.DataFrame({"unit_id": ["301", "401"], "floor": [3, 4], "area_m2": [50.0, 50.0]})
    >>> s = contribution_sheet(r, 10000, SheetSpec(basis="equal"), rs)
    >>> table, notes = compare_bases(r, s, rs)
    >>> table["basis"].tolist(), notes
    (['equal', 'area', 'floor'], ["headcount: field 'headcount': the roster has no 'headcount' column, needed for basis 'headcount'"])
    """
    m = sheet.meta
    chosen: str | dict[str, Any] = (
        next(iter(m.basis)) if len(m.basis) == 1 else {k: str(v) for k, v in m.basis.items()}
    )
    base = m.spec.model_copy(
        update={
            "elevator": None,
            "fund": None,
            "exempt_floors": m.exempt_floors,
            "floor_rule": m.floor_rule or m.spec.floor_rule,
        }
    )
    frames, notes = [], []
    for b in [chosen, *(b for b in COMPARED_BASES if b != chosen)]:
        one = base.model_copy(update={"fixed_yuan": m.spec.fixed_yuan if b == "fixed" else None})
        try:
            frames.append(fairness_summary(roster, m.total_fen, one, rules, [b]))
        except InputError as exc:
            notes.append(f"{_label(b)}: {exc}")
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return table, notes
