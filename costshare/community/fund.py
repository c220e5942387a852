"""Housing special maintenance fund (住宅专项维修资金): top-ups, use and subsidy per household.

Vectorized over households. References: 建设部 财政部令第165号 Art. 7, 17 (first deposit,
top-up below 30%); Ningbo "即交即用即补" (seed 002, line 107): top up to 60–80% of the
new-build standard, use the fund at once as the residents' renovation contribution, and
city + district finance subsidise 50% of the amount so used.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare.errors import InputError, Problem
from costshare.money import allocate_groups, decimal_parts, muldiv, to_fen_array
from costshare.money import ratio as exact_ratio
from costshare.rules import RuleSet

__all__ = [
    "FUND_COLUMNS",
    "below_topup_trigger",
    "fund_standard",
    "fund_subsidy_ratio",
    "maintenance_fund",
]

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


def _ratio_bounds(rules: RuleSet | None, ratio: Decimal) -> None:
    """The top-up ratio must lie in the allowed range when `rules` has one in force."""
    if rules is None:
        return
    lo = rules.parameters.get("fund.topup_ratio_min")
    hi = rules.parameters.get("fund.topup_ratio_max")
    if lo is not None and hi is not None and not lo.value <= ratio <= hi.value:
        msg = (
            f"top-up ratio {ratio} is outside {rules.name}'s allowed {lo.value}–{hi.value} "
            f"of the new-build standard ({lo.source.document}, {lo.source.article})"
        )
        raise InputError(Problem(msg, field="ratio"))


def fund_standard(rules: RuleSet | None, field: str = "standard") -> Decimal:
    """The new-build deposit standard (yuan/m²) of `rules`; an error naming `field` if none.

    Examples
    --------
    >>> from costshare import rules
    >>> fund_standard(rules.load("ningbo", on="2024-06-30"))
    Decimal('80')
    """
    return _in_force(rules, "fund.standard_yuan_per_m2", "the new-build standard in yuan/m²", field)


def fund_subsidy_ratio(rules: RuleSet | None, field: str = "subsidy_ratio") -> Decimal:
    """The subsidy on fund money used (Ningbo 50%) of `rules`; an error naming `field` if none.

    Examples
    --------
    >>> from costshare import rules
    >>> fund_subsidy_ratio(rules.load("ningbo", on="2024-06-30"))
    Decimal('0.5')
    """
    return _in_force(rules, "fund.subsidy_ratio", "the subsidy ratio", field)


def _in_force(rules: RuleSet | None, pid: str, what: str, field: str) -> Decimal:
    p = None if rules is None else rules.parameters.get(pid)
    if p is None:
        where = "" if rules is None else f" ({rules.name} has none in force on {rules.on})"
        raise InputError(Problem(f"give {what}{where}", field=field))
    return p.value


def maintenance_fund(
    area: npt.ArrayLike,
    balance: npt.ArrayLike,
    contribution: npt.ArrayLike,
    *,
    standard: Decimal | str | float | None = None,
    ratio: Decimal | str | float,
    subsidy_ratio: Decimal | str | float | None = None,
    rules: RuleSet | None = None,
    subsidy_to: Literal["fund", "cash"] = "fund",
    groups: npt.ArrayLike | None = None,
) -> pd.DataFrame:
    """Top up each household's fund, pay its contribution from it, and subsidise the use.

    Parameters
    ----------
    area : array_like of float, shape (n,)
        Exclusive-part area in m² (read as the decimals written: 82.5 is 825/10).
    balance : array_like, shape (n,)
        Existing fund balance in yuan.
    contribution : array_like, shape (n,)
        Each household's renovation contribution in yuan (its gross share).
    standard : Decimal, str or float, optional
        New-build deposit standard in yuan per m²; by default the ``fund.standard_yuan_per_m2``
        of `rules` (Ningbo ships an *assumed* value).
    ratio : Decimal, str or float
        Top-up ratio of the standard; with `rules` that have a range in force it must lie
        in it (Ningbo 0.6–0.8 from 2021-12-01).
    subsidy_ratio : Decimal, str or float, optional
        Subsidy as a share of the fund amount used; by default the rule set's
        ``fund.subsidy_ratio`` (Ningbo 50%), an error when there is none.
    rules : RuleSet, optional
        The rules in force on the scenario's date (resolved by the caller), used to check
        `ratio` and to supply `standard`.
    subsidy_to : {"fund", "cash"}, default "fund"
        Whether the subsidy refills the household's fund or is paid back to it,
        lowering its net outlay.
    groups : array_like of int, shape (n,), optional
        Rows sharing a group index share one subsidy total (``subsidy_ratio`` × their
        total use, rounded once, split by use); by default all rows are one group. A
        community engine passes one group per community.

    Returns
    -------
    DataFrame
        One row per household, integer fen columns: ``target_fen`` (area × standard ×
        ratio, half-up), ``topup_fen`` = max(0, target − balance), ``fund_used_fen`` =
        min(contribution, balance after top-up), ``subsidy_fen`` (``subsidy_ratio`` ×
        total used, allocated by use, exact), ``cash_fen`` = contribution − fund used,
        ``fund_after_fen`` and ``net_outlay_fen`` (top-up + cash, less the subsidy when
        it is paid as cash).

    Examples
    --------
    >>> df = maintenance_fund([100.0], [1000], [5000], standard=80, ratio=0.7, subsidy_ratio=0.5)
    >>> df[["topup_fen", "fund_used_fen", "subsidy_fen", "cash_fen"]].iloc[0].tolist()
    [460000, 500000, 250000, 0]
    """
    ratio_d = _dec(ratio, "ratio")
    if subsidy_ratio is None:
        subsidy_ratio = fund_subsidy_ratio(rules)
    sub_d = _dec(subsidy_ratio, "subsidy_ratio")
    if sub_d > 1:
        raise InputError(
            Problem(f"must lie in [0, 1], got {subsidy_ratio!r}", field="subsidy_ratio")
        )
    _ratio_bounds(rules, ratio_d)
    std_d = _dec(fund_standard(rules) if standard is None else standard, "standard")
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
    # target fen = area × standard × ratio × 100, one exact rational rounded half-up
    a_num, a_den = decimal_parts(area_a)
    s_num, s_den = exact_ratio(std_d)
    r_num, r_den = exact_ratio(ratio_d)
    target = muldiv(a_num, s_num * r_num * 100, a_den * (s_den * r_den))
    topup = np.maximum(0, target - bal)
    used = np.minimum(contrib, bal + topup)
    g = np.zeros(len(used), np.int64) if groups is None else np.asarray(groups, dtype=np.int64)
    ng = int(g.max(initial=-1)) + 1
    used_g = np.zeros(ng, dtype=np.int64)
    np.add.at(used_g, g, used)  # exact int64 sums (bincount would go through float)
    q_num, q_den = exact_ratio(sub_d)
    subsidy_g = muldiv(used_g, q_num, q_den)
    subsidy = allocate_groups(subsidy_g, g, used) if len(used) else used.copy()
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
    balance: npt.ArrayLike, first_deposit: npt.ArrayLike, rules: RuleSet
) -> npt.NDArray[np.bool_]:
    """165号 Art. 17: a top-up is owed when the balance is below 30% of the first deposit.

    The trigger is ``fund.topup_trigger`` of `rules` (resolved by the caller for the
    date). Compared in integer fen so the 30% boundary is exact (at exactly 30% nothing
    is owed).

    Examples
    --------
    >>> from costshare import rules
    >>> national = rules.load("national", on="2024-01-01")
    >>> below_topup_trigger([299.99, 300, 301], [1000, 1000, 1000], national).tolist()
    [True, False, False]
    """
    num, den = exact_ratio(rules.param("fund.topup_trigger").value)
    bal = to_fen_array(balance)
    first = to_fen_array(first_deposit)
    return bal * den < first * num
