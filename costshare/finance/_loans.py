"""Loans exact to the fen (level payment, level principal) and debt service coverage.

A period rate is taken as the decimal a person typed (``0.049 / 12`` is 49/12000; a
float through its shortest repr), so interest ``balance × rate`` and the level payment
``P r (1+r)^n / ((1+r)^n - 1)`` are exact rationals, rounded once, half-up, by
:func:`costshare.money.half_up`.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from costshare.finance._financial import FloatArray, _out, _rows, check_finite
from costshare.money import half_up, muldiv, numerators, to_fen, to_yuan

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DSCR", "amortize_fen", "dscr", "excel_rows_fen", "level_payment_fen", "loan_schedule"]

Method = Literal["annuity", "equal_principal"]
Convention = Literal["bank", "excel"]


class DSCR(NamedTuple):
    """Debt service coverage: per year, minimum and average."""

    per_year: FloatArray
    min: float | FloatArray
    avg: float | FloatArray


def dscr(cfads: npt.ArrayLike, debt_service: npt.ArrayLike) -> DSCR:
    """Debt service coverage ratio per year, with its minimum and average.

    Parameters
    ----------
    cfads : array_like, shape (T,) or (n_rows, T)
        Cash flow available for debt service in each year.
    debt_service : array_like, same shape
        Interest plus principal due in each year.

    Returns
    -------
    DSCR
        ``per_year = cfads / debt_service`` (NaN in years without debt service); ``min``
        and ``avg`` (mean of the yearly ratios) over the years with debt service.

    Examples
    --------
    >>> d = dscr([0, 130, 150, 160], [0, 100, 100, 100])
    >>> d.per_year.tolist(), d.min, round(d.avg, 6)
    ([nan, 1.3, 1.5, 1.6], 1.3, 1.466667)
    """
    c, one_d = _rows(cfads)
    ds, _ = _rows(debt_service)
    with np.errstate(all="ignore"):
        per = np.where(ds > 0, c / ds, np.nan)
    has = ~np.isnan(per).all(axis=1)
    safe = np.where(has[:, None], per, 0.0)
    mn = np.where(has, np.nanmin(np.where(np.isnan(safe), np.inf, safe), axis=1), np.nan)
    cnt = (~np.isnan(per)).sum(axis=1)
    avg = np.where(has, np.nansum(per, axis=1) / np.maximum(cnt, 1), np.nan)
    return DSCR(per[0] if one_d else per, _out(mn, one_d), _out(avg, one_d))


def level_payment_fen(principal_fen: int, rate: Fraction, periods: int) -> int:
    """The level (annuity) payment of a loan, exact, rounded half-up to the fen.

    ``P r (1+r)^n / ((1+r)^n - 1)`` with ``r = p/q`` is
    ``P p (q+p)^n / (q ((q+p)^n - q^n))``: integers only, then one half-up rounding.
    At a zero rate it is ``P / n``.

    Examples
    --------
    >>> level_payment_fen(100000, Fraction(1, 10), 3)  # 402.1148... yuan
    40211
    """
    p, q = rate.numerator, rate.denominator
    if p == 0:
        return half_up(int(principal_fen), periods)
    grow = (q + p) ** periods
    return half_up(int(principal_fen) * p * grow, q * (grow - q**periods))


def _rates(rate: npt.ArrayLike, size: int) -> tuple[npt.NDArray, int]:
    """Period rates as exact numerators over one denominator (typed decimals); refuses
    NaN, infinity and rates at or below -100 %."""
    typed = isinstance(rate, (str, Decimal, Fraction))
    r = np.asarray(rate, dtype=object if typed else None)
    if r.dtype != object:
        check_finite(r, "rate", rate=True)
    num, den = numerators(np.broadcast_to(r, (size,)).copy(), what="rate")
    if any(int(x) <= -den for x in num.tolist()):
        msg = "rate must be above -100 % (> -1)"
        raise ValueError(msg)
    return num, den


def excel_rows_fen(
    principal_fen: int, rate: Fraction, periods: int, grace: int = 0, method: Method = "annuity"
) -> tuple[list[int], list[int]]:
    """Interest and principal per period as Excel's IPMT/PPMT, each rounded to the fen.

    The schedule is run exactly in rationals (interest = exact balance × rate; level
    payment ``P r (1+r)^n / ((1+r)^n - 1)`` or level principal ``P / n``) and each
    period's figures are rounded half-up once by :func:`costshare.money.half_up`; the
    last principal is the loan less the earlier rounded principals.

    Examples
    --------
    >>> excel_rows_fen(100000, Fraction(1, 10), 3)
    ([10000, 6979, 3656], [30211, 33233, 36556])
    """
    n = periods - grace
    P = Fraction(principal_fen)
    if method == "equal_principal" or rate == 0:
        level = P / n
    else:
        g = (1 + rate) ** n
        level = P * rate * g / (g - 1)
    bal, ints, prins = P, [], []
    for k in range(periods):
        i = bal * rate
        pay = Fraction(0) if k < grace else (level if method == "equal_principal" else level - i)
        bal -= pay
        ints.append(half_up(i.numerator, i.denominator))
        prins.append(half_up(pay.numerator, pay.denominator))
    prins[-1] = int(principal_fen) - sum(prins[:-1])
    return ints, prins


def amortize_fen(
    principal_fen: npt.ArrayLike,
    rate_per_period: npt.ArrayLike,
    periods: int,
    *,
    method: Method = "annuity",
    grace_periods: int = 0,
    convention: Convention = "bank",
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Interest, principal and closing balance in fen for many loans at once.

    Parameters
    ----------
    principal_fen : array_like of int, shape (n_loans,)
    rate_per_period : array_like, shape (n_loans,) or scalar
        Period rates as typed decimals (float, str, Decimal) or Fractions.
    periods : int
        Number of periods, grace included.
    method : {"annuity", "equal_principal"}
        等额本息 (level payment) or 等额本金 (level principal).
    grace_periods : int
        Leading interest-only periods.
    convention : {"bank", "excel"}
        "bank": interest is the rounded balance × rate, rounded half-up each period, and
        the level payment (or level principal) is the exact value rounded half-up.
        "excel": each period's interest and principal are the exact (unrounded) schedule's
        -- Excel's/LibreOffice's IPMT and PPMT -- each rounded half-up to the fen.
        Either way the last period repays the remaining balance, so principal sums to
        the loan exactly.

    Returns
    -------
    interest, principal, balance : ndarray of int64, shape (n_loans, periods)

    Examples
    --------
    >>> i, p, b = amortize_fen([100000], 0.1, 3)
    >>> i.tolist(), p.tolist(), b.tolist()
    ([[10000, 6979, 3656]], [[30211, 33232, 36557]], [[69789, 36557, 0]])
    """
    P = np.atleast_1d(np.asarray(principal_fen, dtype=np.int64))
    if periods < 1 or not 0 <= grace_periods < periods:
        msg = f"need periods >= 1 and 0 <= grace < periods, got {periods}, {grace_periods}"
        raise ValueError(msg)
    if method not in ("annuity", "equal_principal"):
        msg = f"method must be 'annuity' or 'equal_principal', got {method!r}"
        raise ValueError(msg)
    if convention not in ("bank", "excel"):
        msg = f"convention must be 'bank' or 'excel', got {convention!r}"
        raise ValueError(msg)
    num, den = _rates(rate_per_period, P.size)
    n = periods - grace_periods
    if convention == "excel":
        rows = [
            excel_rows_fen(int(a), Fraction(int(r), den), periods, grace_periods, method)
            for a, r in zip(P.tolist(), num.tolist(), strict=True)
        ]
        interest = np.array([r[0] for r in rows], np.int64).reshape(P.size, periods)
        principal = np.array([r[1] for r in rows], np.int64).reshape(P.size, periods)
        return interest, principal, P[:, None] - np.cumsum(principal, axis=1)
    if method == "annuity":
        level = np.array(
            [
                level_payment_fen(int(a), Fraction(int(r), den), n)
                for a, r in zip(P.tolist(), num.tolist(), strict=True)
            ],
            np.int64,
        )
    else:
        level = half_up(P, n)
    interest = np.zeros((P.size, periods), np.int64)
    principal = np.zeros_like(interest)
    balance = np.zeros_like(interest)
    bal = P.copy()
    for k in range(periods):
        interest[:, k] = muldiv(bal, num, den)
        if k == periods - 1:
            pay = bal
        elif k < grace_periods:
            pay = np.zeros_like(bal)
        elif method == "annuity":
            pay = np.clip(level - interest[:, k], 0, bal)
        else:
            pay = np.minimum(level, bal)
        principal[:, k] = pay
        bal = bal - pay
        balance[:, k] = bal
    return interest, principal, balance


def loan_schedule(
    principal: int | str | Decimal | float,
    annual_rate: float | str | Decimal,
    years: int,
    method: Method = "annuity",
    periods_per_year: int = 1,
    grace_years: float = 0,
    convention: Convention = "bank",
) -> pd.DataFrame:
    """Repayment schedule of a loan, exact to the fen.

    Parameters
    ----------
    principal : int, str, Decimal or float
        Loan amount in yuan.
    annual_rate : float, str or Decimal
        Nominal annual rate; the period rate is ``annual_rate / periods_per_year``
        (Chinese banks' monthly rate is the annual rate / 12).
    years : int
        Term in years, grace included.
    method : {"annuity", "equal_principal"}
        等额本息 (equal installments) or 等额本金 (equal principal).
    periods_per_year : int
        1 (annual) or 12 (monthly), or any other whole number.
    grace_years : float
        Interest-only years at the start; ``grace_years * periods_per_year`` must be whole.
    convention : {"bank", "excel"}
        "bank" (default): interest on the rounded balance each period. "excel": each
        period's interest and principal are Excel's/LibreOffice's IPMT and PPMT rounded
        to the fen (see :func:`amortize_fen`).

    Returns
    -------
    DataFrame
        One row per period: ``period`` (1...), ``payment_fen``, ``interest_fen``,
        ``principal_fen``, ``balance_fen`` (closing balance) as int64, and the same as
        ``Decimal`` yuan in ``payment``, ``interest``, ``principal``, ``balance``.

    Notes
    -----
    Interest each period = opening balance x period rate, exactly, rounded half-up to the
    fen. Annuity payment = ``P i / (1 - (1 + i)**-n)`` over the ``n`` periods after
    grace, computed exactly (:func:`level_payment_fen`) and rounded half-up; the last
    payment absorbs the rounding, so ``principal_fen`` sums to the loan exactly.

    Examples
    --------
    >>> s = loan_schedule(1000, 0.10, 3)
    >>> s[["payment", "interest", "principal", "balance"]].astype(str).values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['402.11', '100.00', '302.11', '697.89'],
     ['402.11', '69.79', '332.32', '365.57'],
     ['402.13', '36.56', '365.57', '0.00']]
    """
    import pandas as pd  # only here: importing costshare.finance stays free of pandas

    P = to_fen(principal)
    if any(isinstance(v, bool) or int(v) != v for v in (years, periods_per_year)):
        msg = f"years and periods_per_year must be whole numbers; got {years}, {periods_per_year}"
        raise ValueError(msg)  # 2.5 years is not silently a 2-year schedule
    periods = int(years) * int(periods_per_year)
    grace = float(grace_years) * periods_per_year
    if P < 0 or years < 1 or periods_per_year < 1 or grace != int(grace):
        msg = (
            "need principal >= 0, years >= 1, periods_per_year >= 1 and whole grace periods;"
            f" got {principal}, {years}, {periods_per_year}, {grace_years}"
        )
        raise ValueError(msg)
    num, den = _rates(annual_rate, 1)
    rate = Fraction(int(num[0]), den * int(periods_per_year))
    i, p, b = amortize_fen(
        [P], rate, periods, method=method, grace_periods=int(grace), convention=convention
    )
    df = pd.DataFrame(
        {
            "period": np.arange(1, periods + 1),
            "payment_fen": i[0] + p[0],
            "interest_fen": i[0],
            "principal_fen": p[0],
            "balance_fen": b[0],
        }
    )
    for col in ("payment", "interest", "principal", "balance"):
        df[col] = [to_yuan(x) for x in df[f"{col}_fen"]]
    return df
