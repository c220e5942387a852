"""Reading amounts and ratios for the operation engines: yuan in, integer fen out, exactly.

Per-year amounts are a scalar (every year) or a sequence of length ``years``; a ratio is
read as the decimal a person typed (a float through its shortest repr).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from costshare.errors import InputError, Problem
from costshare.money import half_up, muldiv, to_fen

__all__ = ["fen", "per_year_fen", "ratio", "repairs_fen", "scale"]

I64 = np.int64


def fen(x: object, field: str) -> int:
    """One amount in yuan as fen; an :class:`InputError` naming `field` if it is not one."""
    try:
        return to_fen(x)  # type: ignore[arg-type]
    except ValueError as exc:
        raise InputError(Problem(str(exc), field=field)) from None


def ratio(x: object, field: str, *, low: Fraction | None = None) -> Fraction:
    """A ratio as an exact fraction (``0.015`` is 3/200); errors name `field`."""
    try:
        if isinstance(x, float):
            d = Fraction(Decimal(repr(x)))
        elif isinstance(x, (int, Decimal, Fraction)) and not isinstance(x, bool):
            d = Fraction(x)
        elif isinstance(x, str):
            d = Fraction(Decimal(x.strip()))
        else:
            raise ValueError
    except (ValueError, ArithmeticError):
        raise InputError(Problem(f"not a number: {x!r}", field=field)) from None
    if low is not None and d < low:
        raise InputError(Problem(f"must be at least {low}, got {x!r}", field=field))
    return d


def per_year_fen(x: object, years: int, field: str) -> npt.NDArray[np.int64]:
    """A scalar or a length-`years` sequence of yuan as an int64 array of fen per year."""
    if isinstance(x, (str, bytes)) or not isinstance(x, Sequence | np.ndarray):
        return np.full(years, fen(x, field), dtype=I64)
    values = list(x)
    if len(values) != years:
        msg = f"give one amount or {years} amounts (one a year), got {len(values)}"
        raise InputError(Problem(msg, field=field))
    return np.asarray([fen(v, f"{field}[{i}]") for i, v in enumerate(values)], dtype=I64)


def repairs_fen(repairs: Mapping[int, object] | None, years: int) -> npt.NDArray[np.int64]:
    """``{year: amount}`` (years 1..`years`, amounts in yuan) as fen per year."""
    out = np.zeros(years, dtype=I64)
    if repairs is None:
        return out
    if not isinstance(repairs, Mapping):
        raise InputError(Problem("give repairs as {year: amount in yuan}", field="repairs"))
    for year, amount in repairs.items():
        if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= years:
            msg = f"repair year {year!r} is outside 1..{years}"
            raise InputError(Problem(msg, field="repairs"))
        out[year - 1] += fen(amount, f"repairs[{year}]")
    return out


def scale(amount_fen: npt.ArrayLike, r: Fraction) -> npt.NDArray[np.int64]:
    """``amount × r`` rounded half-up to the fen, exactly (int64 fast path, else muldiv)."""
    a = np.asarray(amount_fen, dtype=I64)
    p, q = r.numerator, r.denominator
    top = float(np.abs(a).max(initial=0)) * abs(p)
    if top < 2**62 and q < 2**62:
        return np.asarray(half_up(a * p, q), dtype=I64)
    if q < 2**57:
        return muldiv(a, p, q)
    return np.asarray([half_up(int(v) * p, q) for v in a.ravel()], dtype=I64).reshape(a.shape)
