"""Fairness summary: how the same amount falls on households under different bases."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from costshare.households.sheet import BASIS_LABELS, contribution_sheet
from costshare.money import to_yuan

__all__ = ["fairness_summary"]


def _label(basis: str | Mapping[str, Any]) -> str:
    if isinstance(basis, str):
        return basis
    return "+".join(f"{k} {v}" for k, v in basis.items())


def fairness_summary(
    roster: pd.DataFrame,
    bases: Iterable[str | Mapping[str, Any]] = ("area", "floor", "equal"),
    **kwargs: Any,
) -> pd.DataFrame:
    """Compare bases: highest and lowest payer, spread, who pays nothing, share by floor.

    Parameters
    ----------
    roster : DataFrame
        As from :func:`costshare.households.roster.read_roster`.
    bases : iterable of str or mapping
        Bases to compare (see :data:`costshare.households.sheet.BASES`).
    **kwargs
        Passed to :func:`costshare.households.sheet.contribution_sheet` (``total=``, ``elevator=``,
        ``building=``, ``exempt_floors=``, ``floor_rule=``, ...).

    Returns
    -------
    DataFrame
        One row per basis: ``basis``, ``label``, ``total``, ``max_unit``, ``max`` (yuan),
        ``min_unit``, ``min`` (lowest among payers), ``spread`` (max − min), ``zero_payers``
        (households paying nothing), ``mean`` and ``floor_<f>`` (share of the total
        paid by floor f, in %, when the roster has floors).

    Examples
    --------
    >>> r = pd.DataFrame({"unit_id": ["101", "301"], "floor": [1, 3], "area_m2": [50.0, 150.0]})
    >>> f = fairness_summary(r, ["area", "equal"], total=1000)
    >>> f[["basis", "max", "min", "spread", "zero_payers"]].to_dict("records")[0]
    {'basis': 'area', 'max': Decimal('750.00'), 'min': Decimal('250.00'), 'spread': Decimal('500.00'), 'zero_payers': 0}
    """
    rows = []
    for basis in bases:
        s = contribution_sheet(roster, basis=basis, explain=False, **kwargs)
        fen = s["share_fen"].to_numpy()
        pay = fen > 0
        units = s["unit_id"].astype(str).to_numpy()
        if "building" in s.columns:
            units = (
                (s["building"].astype(str) + "-" + s["stairwell"].astype(str) + "-").to_numpy()
                + units
                if "stairwell" in s.columns
                else units
            )
        hi = int(np.argmax(fen))
        lo = int(np.flatnonzero(pay)[np.argmin(fen[pay])]) if pay.any() else hi
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
        rows.append(row)
    return pd.DataFrame(rows)
