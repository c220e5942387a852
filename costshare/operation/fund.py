"""Housing special maintenance fund projection (住宅专项维修资金), community or per household.

Annual steps ``t = 1..T``::

    interest_t = half_up(opening_t × rate)
    closing_t  = opening_t + interest_t + contributions_t + public_income_t − repairs_t
    opening_{t+1} = closing_t

Per household, the community's contributions, public income and repairs of each year are
split by exclusive area with the one allocator (Civil Code Art. 283; 165号 Art. 20), so
the accounts add up to the community's flows exactly; interest is rounded per account.
A top-up is owed when a balance falls below the trigger ratio of its first deposit
(165号 Art. 17: 30%, the rule ``fund.topup_trigger``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare.errors import InputError, Problem
from costshare.money import allocate, decimal_parts, muldiv, to_fen_array, to_yuan
from costshare.operation._amounts import fen, per_year_fen, ratio, repairs_fen, scale
from costshare.rules import RuleSet

__all__ = ["FUND_COLUMNS", "FundProjection", "fund_projection", "fund_projections"]

I64 = np.int64
FUND_COLUMNS = (
    "year",
    "opening_fen",
    "interest_fen",
    "contributions_fen",
    "public_income_fen",
    "repairs_fen",
    "closing_fen",
)
"""The columns of :attr:`FundProjection.table` (integer fen, ``year`` from 1)."""


@dataclass(frozen=True)
class FundProjection:
    """A fund projection: the community table, and every account's flows.

    ``opening_fen`` … ``closing_fen`` are ``(accounts, years)`` int64 arrays (one row for a
    community-level projection); :attr:`table` is their sum over accounts.
    ``first_below_by_account`` holds each account's first year below its trigger (0 if
    never); ``topup_fen`` what that account needs in that year to restore its target.
    """

    first_below_trigger: int | None
    trigger: Fraction
    trigger_source: str
    trigger_fen: npt.NDArray[np.int64]
    target_fen: npt.NDArray[np.int64]
    target_basis: str
    first_below_by_account: npt.NDArray[np.int64]
    topup_fen: npt.NDArray[np.int64]
    opening_fen: npt.NDArray[np.int64]
    interest_fen: npt.NDArray[np.int64]
    contributions_fen: npt.NDArray[np.int64]
    public_income_fen: npt.NDArray[np.int64]
    repairs_fen: npt.NDArray[np.int64]
    closing_fen: npt.NDArray[np.int64]

    @property
    def table(self) -> pd.DataFrame:
        """The :data:`FUND_COLUMNS` per year, summed over accounts (built when asked)."""
        years = self.closing_fen.shape[1]
        data = {"year": np.arange(1, years + 1)}
        for col in FUND_COLUMNS[1:]:
            data[col] = getattr(self, col).sum(axis=0)
        return pd.DataFrame(data)

    @property
    def accounts(self) -> int:
        """Number of accounts projected (1 for a community-level projection)."""
        return int(self.closing_fen.shape[0])

    @property
    def topup_needed(self) -> Decimal:
        """Total top-up owed, each account at its first year below the trigger (yuan)."""
        return to_yuan(int(self.topup_fen.sum()))

    def by_account(self) -> pd.DataFrame:
        """One row per account and year with the :data:`FUND_COLUMNS` (plus ``account``)."""
        n, years = self.closing_fen.shape
        data = {
            "account": np.repeat(np.arange(n), years),
            "year": np.tile(np.arange(1, years + 1), n),
        }
        for col in FUND_COLUMNS[1:]:
            data[col] = getattr(self, col).ravel()
        return pd.DataFrame(data)

    def summary(self) -> dict[str, object]:
        """Plain figures for reports: closing balance, trigger year, top-up (yuan text)."""
        return {
            "accounts": self.accounts,
            "closing_yuan": str(to_yuan(int(self.table["closing_fen"].iloc[-1]))),
            "trigger": str(self.trigger),
            "trigger_source": self.trigger_source,
            "first_below_trigger": self.first_below_trigger,
            "accounts_below_by_end": int((self.first_below_by_account > 0).sum()),
            "topup_needed_yuan": str(self.topup_needed),
            "target_basis": self.target_basis,
        }


def _per_account(
    x: object, n: int, weights: npt.NDArray | None, field: str
) -> npt.NDArray[np.int64]:
    """Yuan per account: a sequence of `n` amounts, or one amount split by `weights`."""
    if isinstance(x, (str, bytes)) or not isinstance(x, Sequence | np.ndarray):
        total = fen(x, field)
        if n == 1:
            return np.asarray([total], dtype=I64)
        return allocate(total, weights)  # type: ignore[arg-type]
    try:
        arr = to_fen_array(np.asarray(x))
    except ValueError as exc:
        raise InputError(Problem(str(exc), field=field)) from None
    if arr.shape != (n,):
        msg = f"give one amount or {n} amounts (one per account), got shape {arr.shape}"
        raise InputError(Problem(msg, field=field))
    return arr


def _split(
    per_year: npt.NDArray[np.int64], n: int, weights: npt.NDArray | None
) -> npt.NDArray[np.int64]:
    """Community amounts per year as ``(years, n)`` account amounts, split by `weights`."""
    if n == 1:
        return per_year[:, None].copy()
    out = np.zeros((per_year.size, n), dtype=I64)
    for amount in np.unique(per_year[per_year != 0]):  # one split per distinct amount
        out[per_year == amount, :] = allocate(int(amount), weights)  # type: ignore[arg-type]
    return out


def _trigger(trigger: object, rules: RuleSet | None) -> tuple[Fraction, str]:
    if trigger is not None:
        t = ratio(trigger, "trigger", low=Fraction(0))
        return t, "given"
    if rules is None or "fund.topup_trigger" not in rules.parameters:
        msg = "give trigger= (a ratio of the first deposits) or rules= with fund.topup_trigger"
        raise InputError(Problem(msg, field="trigger"))
    p = rules.param("fund.topup_trigger")
    return Fraction(p.value), f"{p.id}: {p.source.document} {p.source.article}"


def _target(
    target: object,
    area: npt.NDArray | None,
    n: int,
    initial: npt.NDArray[np.int64],
    rules: RuleSet | None,
) -> tuple[npt.NDArray[np.int64], str]:
    if target is not None:
        return _per_account(target, n, area, "target"), "given"
    params = {} if rules is None else rules.parameters
    if (
        area is not None
        and "fund.topup_ratio_min" in params
        and "fund.standard_yuan_per_m2" in params
    ):
        lo, std = params["fund.topup_ratio_min"], params["fund.standard_yuan_per_m2"]
        per_m2 = Fraction(lo.value) * Fraction(std.value) * 100  # fen per m²
        a_num, a_den = decimal_parts(area)  # each area as typed, vectorized
        tgt = muldiv(a_num, per_m2.numerator, a_den * per_m2.denominator)
        basis = f"{lo.value} × {std.value} yuan/m² × area ({lo.id}, {std.id})"
        return tgt, basis
    return initial.copy(), "first deposits"


def fund_projection(
    opening: object,
    *,
    years: int,
    rate: object,
    contributions: object = 0,
    public_income: object = 0,
    repairs: Mapping[int, object] | None = None,
    initial_deposits: object = None,
    trigger: object = None,
    rules: RuleSet | None = None,
    area: npt.ArrayLike | None = None,
    target: object = None,
) -> FundProjection:
    """Project a maintenance fund year by year, for a community or per household account.

    Parameters
    ----------
    opening : str, Decimal, int, float or sequence
        Opening balance in yuan: one community amount, or one amount per account.
    years : int
        Number of annual steps ``T`` (1..200).
    rate : ratio
        Annual interest rate (``0.015``); interest is ``half_up(opening × rate)``.
    contributions, public_income : amount or sequence of `years` amounts
        Community inflows per year in yuan (a scalar is every year).
    repairs : mapping of year to amount, optional
        Community repair spending ``{year: yuan}``.
    initial_deposits : amount or sequence, optional
        First deposits the trigger is a ratio of; by default the opening balances.
    trigger : ratio, optional
        Top-up trigger; by default ``fund.topup_trigger`` of `rules` (165号 Art. 17).
    rules : RuleSet, optional
        The rule set in force (resolved by the caller).
    area : array_like of float, optional
        Exclusive area per account (m²): with it, a scalar `opening` and every community
        flow are split over the accounts by area with the exact allocator.
    target : amount or sequence, optional
        Balance a top-up restores; by default area × standard × lowest top-up ratio when
        `rules` and `area` give them (Ningbo 60–80%), else the first deposits.

    Returns
    -------
    FundProjection
        ``.table`` (the :data:`FUND_COLUMNS`, summed over accounts), ``.first_below_trigger``
        (the first year an account closes below ``trigger × first deposit``, or None),
        per-account arrays and ``.topup_fen``.

    Examples
    --------
    >>> p = fund_projection("100000", years=3, rate="0.02", contributions=0,
    ...                     repairs={2: 80000}, trigger="0.3")
    >>> p.table["closing_fen"].tolist(), p.first_below_trigger
    ([10200000, 2404000, 2452080], 2)
    """
    inp = _prepare(opening, years, rate, contributions, public_income, repairs,
                   initial_deposits, trigger, rules, area, target)  # fmt: skip
    op, it = _step(inp.opening, [inp.rate] * len(inp.opening), inp.cont + inp.pub - inp.rep)
    return _finish(inp, op, it)


def fund_projections(specs: Sequence[Mapping[str, Any]]) -> list[FundProjection]:
    """Several funds at once (a city's communities): one :func:`fund_projection` per spec.

    Each spec holds :func:`fund_projection`'s arguments; all must share ``years``. The
    accounts of every spec are stepped together, one vector per year, so 400 communities
    cost about as much as one.

    Examples
    --------
    >>> a, b = fund_projections([
    ...     {"opening": 1000, "years": 2, "rate": "0.1", "trigger": "0.3"},
    ...     {"opening": 500, "years": 2, "rate": "0", "repairs": {1: 400}, "trigger": "0.3"}])
    >>> a.table["closing_fen"].tolist(), b.first_below_trigger
    ([110000, 121000], 1)
    """
    inps = [_prepare(**{"years": 1, "rate": 0, **spec}) for spec in specs]  # type: ignore[arg-type]
    if not inps:
        return []
    if len({i.cont.shape[0] for i in inps}) > 1:
        raise InputError(Problem("every fund needs the same number of years", field="years"))
    open0 = np.concatenate([i.opening for i in inps])
    rates = [i.rate for i in inps for _ in range(len(i.opening))]
    net = np.concatenate([i.cont + i.pub - i.rep for i in inps], axis=1)
    op, it = _step(open0, rates, net)
    out, lo = [], 0
    for i in inps:
        hi = lo + len(i.opening)
        out.append(_finish(i, op[:, lo:hi], it[:, lo:hi]))
        lo = hi
    return out


class _Inputs(NamedTuple):
    opening: npt.NDArray[np.int64]
    rate: Fraction
    cont: npt.NDArray[np.int64]
    pub: npt.NDArray[np.int64]
    rep: npt.NDArray[np.int64]
    initial: npt.NDArray[np.int64]
    trigger: Fraction
    trigger_source: str
    target: npt.NDArray[np.int64]
    basis: str


def _prepare(
    opening: object,
    years: int,
    rate: object,
    contributions: object = 0,
    public_income: object = 0,
    repairs: Mapping[int, object] | None = None,
    initial_deposits: object = None,
    trigger: object = None,
    rules: RuleSet | None = None,
    area: npt.ArrayLike | None = None,
    target: object = None,
) -> _Inputs:
    """Inputs checked and in fen: per-account amounts, ``(years, accounts)`` flows."""
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 200:
        raise InputError(Problem(f"must be a whole number in 1..200, got {years!r}", field="years"))
    r = ratio(rate, "rate", low=Fraction(-1))
    w = None if area is None else np.asarray(area, dtype=np.float64)
    is_seq = not isinstance(opening, (str, bytes)) and isinstance(opening, Sequence | np.ndarray)
    n = len(opening) if is_seq else (1 if w is None else len(w))  # type: ignore[arg-type]
    if n > 1 and (w is None or w.shape != (n,)):
        msg = f"give the exclusive area of each of the {n} accounts to split community flows"
        raise InputError(Problem(msg, field="area"))
    if w is not None and (not np.isfinite(w).all() or (w <= 0).any()):
        raise InputError(Problem("every area must be a positive number of m²", field="area"))
    open0 = _per_account(opening, n, w, "opening")
    initial = (
        open0
        if initial_deposits is None
        else _per_account(initial_deposits, n, w, "initial_deposits")
    )
    t, t_source = _trigger(trigger, rules)
    tgt, basis = _target(target, w, n, initial, rules)
    cont = _split(per_year_fen(contributions, years, "contributions"), n, w)
    pub = _split(per_year_fen(public_income, years, "public_income"), n, w)
    rep = _split(repairs_fen(repairs, years), n, w)
    return _Inputs(open0, r, cont, pub, rep, initial, t, t_source, tgt, basis)


def _step(
    open0: npt.NDArray[np.int64], rates: list[Fraction], net_in: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Openings and interest ``(years, accounts)``: one vector step per year, per rate group."""
    years, n = net_in.shape
    groups: dict[Fraction, list[int]] = {}
    for i, r in enumerate(rates):
        groups.setdefault(r, []).append(i)
    idx = {r: np.asarray(v, dtype=np.intp) for r, v in groups.items()}
    op = np.empty((years, n), dtype=I64)  # each year one contiguous row
    it = np.empty((years, n), dtype=I64)
    bal = open0.copy()
    for k in range(years):  # years are sequential; accounts are one vector
        op[k] = bal
        if len(idx) == 1:
            it[k] = scale(bal, rates[0]) if n else bal
        else:
            for r, ix in idx.items():
                it[k, ix] = scale(bal[ix], r)
        bal = bal + it[k] + net_in[k]
    return op, it


def _finish(inp: _Inputs, op: npt.NDArray[np.int64], it: npt.NDArray[np.int64]) -> FundProjection:
    """The projection of these accounts: trigger years and top-ups from the balances."""
    closing = (op + it + inp.cont + inp.pub - inp.rep).T
    n = closing.shape[0]
    # below trigger: closing × den < first deposit × num, exact in integers
    thr_n, thr_d = inp.trigger.numerator, inp.trigger.denominator
    below = closing * thr_d < (inp.initial * thr_n)[:, None]
    any_below = below.any(axis=1)
    first_idx = np.where(any_below, below.argmax(axis=1), -1)
    first_by = np.where(any_below, first_idx + 1, 0).astype(I64)
    at_first = closing[np.arange(n), np.maximum(first_idx, 0)]
    topup = np.where(any_below, np.maximum(0, inp.target - at_first), 0).astype(I64)
    first = int(first_by[any_below].min()) if any_below.any() else None
    return FundProjection(
        first_below_trigger=first,
        trigger=inp.trigger,
        trigger_source=inp.trigger_source,
        trigger_fen=-(-inp.initial * thr_n // thr_d),  # least balance not below the trigger
        target_fen=inp.target,
        target_basis=inp.basis,
        first_below_by_account=first_by,
        topup_fen=topup,
        opening_fen=op.T,
        interest_fen=it.T,
        contributions_fen=inp.cont.T,
        public_income_fen=inp.pub.T,
        repairs_fen=inp.rep.T,
        closing_fen=closing,
    )
