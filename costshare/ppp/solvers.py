"""Solvers: subsidy for a target equity IRR, maximum loan at a minimum DSCR, payback.

Each is a monotone search over whole fen: a k-ary search that evaluates 64 candidates
per round in one vectorized :func:`~costshare.ppp.engine.simulate` call, so the answer
is exact to the fen.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from costshare import finance
from costshare.errors import InputError
from costshare.money import to_fen, to_yuan
from costshare.ppp.engine import _t0, metrics_arrays, simulate
from costshare.ppp.model import PPPProject

__all__ = ["max_loan_for_dscr", "subsidy_for_equity_irr", "subsidy_for_payback"]

Pred = Callable[[npt.NDArray[np.int64]], npt.NDArray[np.bool_]]


def _smallest_true(pred: Pred, lo: int, hi: int, k: int = 64) -> int | None:
    """Smallest integer in [lo, hi] where the monotone (False...True) `pred` holds."""
    if not pred(np.array([hi], np.int64))[0]:
        return None
    while hi - lo > k:
        c = np.unique(np.linspace(lo, hi, k).round().astype(np.int64))
        i = int(pred(c).argmax())
        if i == 0:
            return int(c[0])
        lo, hi = int(c[i - 1]) + 1, int(c[i])
    c = np.arange(lo, hi + 1, dtype=np.int64)
    return int(c[pred(c).argmax()])


def _fixed_subsidy_search(p: PPPProject, pred: Pred, what: str) -> Decimal:
    hi = to_fen(p.construction.cost)
    for _ in range(8):
        found = _smallest_true(pred, 0, hi)
        if found is not None:
            return to_yuan(found)
        hi *= 4
    msg = f"{p.name}: no annual subsidy up to {to_yuan(hi)} yuan reaches {what}"
    raise InputError(msg)


def subsidy_for_equity_irr(p: PPPProject, target_irr: float) -> Decimal:
    """Smallest flat annual subsidy (yuan, each subsidy year) with equity IRR >= target.

    The flat amount replaces the scenario's own subsidy; the test is equity NPV at the
    target rate >= 0, which for a conventional equity flow is the same thing.
    """

    def pred(s: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        fl = simulate(p, fixed_subsidy_fen=s)
        return np.atleast_1d(finance.npv(target_irr, _t0(fl.equity_cf))) >= 0

    return _fixed_subsidy_search(p, pred, f"an equity IRR of {target_irr:.2%}")


def subsidy_for_payback(p: PPPProject, years: float) -> Decimal:
    """Smallest flat annual subsidy (yuan) with a static project payback <= `years`."""

    def pred(s: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        pb = metrics_arrays(simulate(p, fixed_subsidy_fen=s))["payback"]
        return ~np.isnan(pb) & (pb <= years)

    return _fixed_subsidy_search(p, pred, f"payback within {years} years")


def max_loan_for_dscr(p: PPPProject, min_dscr: float) -> Decimal:
    """Largest loan (yuan) whose minimum DSCR over the operating years is >= `min_dscr`.

    Uses the scenario's loan terms; the rest of the construction cost is equity.
    Returns 0 if even a one-fen loan falls short.
    """
    if p.financing.loan is None:
        msg = f"{p.name}: financing.loan (terms) is needed to size a loan"
        raise InputError(msg)
    cap = to_fen(p.construction.cost) - to_fen(p.subsidy.construction_grant)

    def fails(loan: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        d = metrics_arrays(simulate(p, loan_fen=loan))["dscr_min"]
        return ~np.isnan(d) & (d < min_dscr)

    first_fail = _smallest_true(fails, 1, cap)
    return to_yuan(cap if first_fail is None else first_fail - 1)
