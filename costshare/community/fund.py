"""Housing special maintenance fund (住宅专项维修资金): top-ups, use and subsidy per household.

Vectorized over households. References: 建设部 财政部令第165号 Art. 7, 17 (first deposit,
top-up below 30%); Ningbo "即交即用即补" (seed 002, line 107): top up to 60–80% of the
new-build standard, use the fund at once as the residents' renovation contribution, and
city + district finance subsidise 50% of the amount so used.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare import rules
from costshare.errors import InputError, Problem
from costshare.money import allocate, to_fen, to_fen_array

__all__ = ["FUND_COLUMNS", "below_topup_trigger", "maintenance_fund"]

FUND_COLUMNS = (
    "target_fen",
    "topup_fen",
    "fund_used_fen",
    "subsidy_fen",
    "cash_fen",
    "fund_after_fen",
    "net_outlay_fen",
)
"""The per-household result columns of :func:`maintenance_fund` (integer fen)."""


def _dec(x: object, name: str) -> Decimal:
    try:
        d = Decimal(repr(x)) if isinstance(x, float) else Decimal(str(x))
    except ArithmeticError:
        raise InputError(Problem(f"not a number: {x!r}", field=name)) from None
    if not d.is_finite() or d < 0:
        raise InputError(Problem(f"must be a non-negative number, got {x!r}", field=name))
    return d


def _ratio_bounds(jurisdiction: str | None, ratio: Decimal) -> None:
    if jurisdiction is None:
        return
    rs = rules.load(jurisdiction)
    lo = rs.parameters.get("fund.topup_ratio_min")
    hi = rs.parameters.get("fund.topup_ratio_max")
    if lo is not None and hi is not None and not lo.value <= ratio <= hi.value:
        msg = (
            f"top-up ratio {ratio} is outside {rs.name}'s allowed {lo.value}–{hi.value} "
            f"of the new-build standard ({lo.source.document}, {lo.source.article})"
        )
        raise InputError(Problem(msg, field="ratio"))


def maintenance_fund(
    area: npt.ArrayLike,
    balance: npt.ArrayLike,
    contribution: npt.ArrayLike,
    *,
    standard: Decimal | str | float | None = None,
    ratio: Decimal | str | float,
    subsidy_ratio: Decimal | str | float = Decimal("0.5"),
    jurisdiction: str | None = None,
    subsidy_to: Literal["fund", "cash"] = "fund",
) -> pd.DataFrame:
    """Top up each household's fund, pay its contribution from it, and subsidise the use.

    Parameters
    ----------
    area : array_like of float, shape (n,)
        Exclusive-part area in m².
    balance : array_like, shape (n,)
        Existing fund balance in yuan.
    contribution : array_like, shape (n,)
        Each household's renovation contribution in yuan (its gross share).
    standard : Decimal, str or float, optional
        New-build deposit standard in yuan per m²; by default the jurisdiction's
        ``fund.standard_yuan_per_m2`` (Ningbo ships an *assumed* value).
    ratio : Decimal, str or float
        Top-up ratio of the standard; with `jurisdiction` it must lie in the allowed
        range (Ningbo 0.6–0.8).
    subsidy_ratio : Decimal, str or float, default 0.5
        Subsidy as a share of the fund amount used.
    jurisdiction : str, optional
        Rule-table key used to check `ratio` and to supply `standard`.
    subsidy_to : {"fund", "cash"}, default "fund"
        Whether the subsidy refills the household's fund or is paid back to it,
        lowering its net outlay.

    Returns
    -------
    DataFrame
        One row per household, integer fen columns: ``target_fen`` (area × standard ×
        ratio), ``topup_fen`` = max(0, target − balance), ``fund_used_fen`` =
        min(contribution, balance after top-up), ``subsidy_fen`` (``subsidy_ratio`` ×
        total used, allocated by use, exact), ``cash_fen`` = contribution − fund used,
        ``fund_after_fen`` and ``net_outlay_fen`` (top-up + cash, less the subsidy when
        it is paid as cash).

    Examples
    --------
    >>> df = maintenance_fund([100.0], [1000], [5000], standard=80, ratio=0.7)
    >>> df[["topup_fen", "fund_used_fen", "subsidy_fen", "cash_fen"]].iloc[0].tolist()
    [460000, 500000, 250000, 0]
    """
    ratio_d = _dec(ratio, "ratio")
    sub_d = _dec(subsidy_ratio, "subsidy_ratio")
    if sub_d > 1:
        raise InputError(
            Problem(f"must lie in [0, 1], got {subsidy_ratio!r}", field="subsidy_ratio")
        )
    _ratio_bounds(jurisdiction, ratio_d)
    if standard is None:
        if jurisdiction is None:
            raise InputError(
                Problem("give a standard in yuan/m² or a jurisdiction", field="standard")
            )
        standard = rules.load(jurisdiction).param("fund.standard_yuan_per_m2").value
    std_d = _dec(standard, "standard")
    if subsidy_to not in ("fund", "cash"):
        raise InputError(
            Problem(f"must be 'fund' or 'cash', got {subsidy_to!r}", field="subsidy_to")
        )

    area_a = np.asarray(area, dtype=np.float64)
    if (area_a <= 0).any() or not np.isfinite(area_a).all():
        raise InputError(
            Problem(f"row {int(np.argmax(~(area_a > 0)))}: area must be > 0", field="area")
        )
    bal = to_fen_array(balance)
    contrib = to_fen_array(contribution)
    if (contrib < 0).any() or (bal < 0).any():
        raise InputError(
            Problem("balances and contributions must be non-negative", field="balance")
        )
    # yuan per m² of target, exact decimal, then one vectorized half-up rounding to the fen
    per_m2 = float(std_d * ratio_d)
    target = to_fen_array(area_a * per_m2)
    topup = np.maximum(0, target - bal)
    used = np.minimum(contrib, bal + topup)
    total_used = int(used.sum())
    subsidy_total = to_fen(
        (Decimal(total_used) * sub_d / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    )
    subsidy = allocate(subsidy_total, used) if total_used > 0 else np.zeros_like(used)
    cash = contrib - used
    refill = subsidy if subsidy_to == "fund" else 0
    return pd.DataFrame(
        {
            "area_m2": area_a,
            "balance_fen": bal,
            "contribution_fen": contrib,
            "target_fen": target,
            "topup_fen": topup,
            "fund_used_fen": used,
            "subsidy_fen": subsidy,
            "cash_fen": cash,
            "fund_after_fen": bal + topup - used + refill,
            "net_outlay_fen": topup + cash - (subsidy if subsidy_to == "cash" else 0),
        }
    )


def below_topup_trigger(
    balance: npt.ArrayLike, first_deposit: npt.ArrayLike, *, jurisdiction: str = "national"
) -> npt.NDArray[np.bool_]:
    """165号 Art. 17: a top-up is owed when the balance is below 30% of the first deposit.

    Compared in integer fen × 100 so the 30% boundary is exact (at exactly 30% nothing
    is owed).

    Examples
    --------
    >>> below_topup_trigger([299.99, 300, 301], [1000, 1000, 1000]).tolist()
    [True, False, False]
    """
    trigger = rules.load(jurisdiction).param("fund.topup_trigger").value
    num, den = trigger.as_integer_ratio()
    bal = to_fen_array(balance)
    first = to_fen_array(first_deposit)
    return bal * den < first * num
