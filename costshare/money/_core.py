"""Fen and yuan: conversion, the one half-up rounding, display."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Literal

import numpy as np
import numpy.typing as npt

from costshare.money._weights import float_decimals, numerators, ratio

__all__ = [
    "CENT",
    "MAX_FEN",
    "amount_fen",
    "check_range",
    "format_amount",
    "half_up",
    "muldiv",
    "times",
    "to_fen",
    "to_fen_array",
    "to_yuan",
    "yuan_text",
]

CENT = Decimal("0.01")
MAX_FEN = 9 * 10**15
"""Largest amount, in fen, that costshare computes exactly (±9×10^15 fen = 90 trillion yuan)."""
_UNITS = {"元": 1, "万元": 10_000, "亿元": 100_000_000}
Unit = Literal["元", "万元", "亿元"]


def check_range(fen: int | npt.NDArray[np.int64], what: str = "amount") -> None:
    """Refuse amounts beyond ±MAX_FEN with a ``ValueError`` naming the limit.

    Examples
    --------
    >>> check_range(MAX_FEN)
    >>> check_range(MAX_FEN + 1)
    Traceback (most recent call last):
    ValueError: amount 9000000000000001 fen is beyond the exact range ±MAX_FEN = 9×10^15 fen
    """
    if isinstance(fen, np.ndarray):
        if fen.size == 0:
            return
        big = (
            fen[np.abs(fen) > MAX_FEN]
            if fen.dtype != object
            else [v for v in fen.ravel() if abs(v) > MAX_FEN]
        )
        if len(big) == 0:
            return
        fen = int(big[0])
    if abs(int(fen)) > MAX_FEN:
        msg = f"{what} {int(fen)} fen is beyond the exact range ±MAX_FEN = 9×10^15 fen"
        raise ValueError(msg)


def half_up(num: npt.ArrayLike, den: npt.ArrayLike = 1) -> npt.NDArray[np.int64] | int:
    """``num / den`` rounded half away from zero, exactly.

    The one rounding of an exact value in costshare: a fen amount times a ratio ``p/q``
    is ``half_up(fen * p, q)``. Python ints give a Python int (any size); integer arrays
    give int64 (the caller keeps ``num`` below 2**63); object arrays of Python ints give
    Python ints, elementwise. A float array with ``den == 1`` is
    rounded as the exact binary number it holds, with no trimming of digits.

    Parameters
    ----------
    num : int or array_like of int or float
        Numerator.
    den : int or array_like of int
        Denominator, non-zero.

    Examples
    --------
    >>> half_up(5, 2), half_up(-5, 2), half_up(7, 3)
    (3, -3, 2)
    >>> half_up([1, 3, -3], 2).tolist()
    [1, 2, -2]
    >>> half_up(np.array([2.5, -0.49999999999999994])).tolist()
    [3, 0]
    >>> half_up(np.array([10**25 + 5, -(10**25) - 5], dtype=object), 10).tolist()
    [1000000000000000000000001, -1000000000000000000000001]
    """
    if isinstance(num, int) and isinstance(den, int):
        if den == 0:
            msg = "half_up: division by zero"
            raise ZeroDivisionError(msg)
        q, r = divmod(abs(num), abs(den))
        q += 2 * r >= abs(den)
        return q if (num >= 0) == (den > 0) else -q
    n = np.asarray(num)
    if n.dtype.kind == "f":
        if not (isinstance(den, int) and den == 1):
            msg = "half_up: a float numerator takes no denominator"
            raise ValueError(msg)
        a = np.abs(n)
        whole = np.floor(a)
        out = (whole + (a - whole >= 0.5)).astype(np.int64)  # a - floor(a) is exact
        return np.where(n < 0, -out, out)
    wide = n.dtype == object  # Python ints of any size, elementwise (no int64 limit)
    n = n if wide else n.astype(np.int64)
    d = np.asarray(den, dtype=object if wide else np.int64)
    if (d == 0).any():
        msg = "half_up: division by zero"
        raise ZeroDivisionError(msg)
    an, ad = np.abs(n), np.abs(d)
    q = an // ad  # (np.divmod has no loop for Python ints)
    q = q + (2 * (an - q * ad) >= ad)
    out = np.where((n >= 0) == (d > 0), q, -q)
    return out if wide else out.astype(np.int64)


def times(fen: npt.ArrayLike, ratio: object) -> npt.NDArray[np.int64] | int:
    """``fen × ratio`` rounded half-up to the fen, exactly.

    `ratio` is read as the decimal a person typed (``0.06`` is 6/100; a float through
    its shortest repr), one value or an array broadcasting against `fen`. An int `fen`
    and a scalar ratio give an int.

    Examples
    --------
    >>> times(25, 0.06), times(1_000_001, "0.5")
    (2, 500001)
    >>> times([35, 50], [0.1, 0.07]).tolist()
    [4, 4]
    """
    r = np.asarray(ratio, dtype=object if isinstance(ratio, (str, Fraction, Decimal)) else None)
    p, q = numerators(r, what="ratio")
    if np.ndim(fen) == 0 and np.ndim(ratio) == 0:
        out = half_up(int(np.asarray(fen)) * int(p), q)
        check_range(out)
        return out
    return muldiv(fen, p, q)


def muldiv(a: npt.ArrayLike, p: npt.ArrayLike, q: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """``a × p / q`` rounded half-up, exactly, for integer arrays, without overflow.

    The product may exceed 2**63: an estimate in floats is corrected by the exact
    remainder ``a p - f q`` (computed in wrapping int64, exact because it is small), and
    Python ints take over where even that cannot hold. Results beyond ±MAX_FEN are
    refused.

    Examples
    --------
    >>> muldiv([9 * 10**15], [12345678901234567], 10**17).tolist()
    [1111111101111111]
    >>> muldiv([1001, 5, 7], 35, [100, 100, 2]).tolist()
    [350, 2, 123]
    """
    a, p, q = np.broadcast_arrays(np.asarray(a), np.asarray(p), np.asarray(q))
    if object in (a.dtype, p.dtype, q.dtype) or int(np.abs(q).max(initial=1)) >= 2**57:
        num = a.astype(object) * p.astype(object)
        pairs = zip(num.ravel(), q.ravel(), strict=True)
        out = np.asarray([half_up(int(v), int(d)) for v, d in pairs], dtype=object)
        check_range(out)
        return out.astype(np.int64).reshape(a.shape)
    a, p, q = a.astype(np.int64), p.astype(np.int64), q.astype(np.int64)
    big = float(np.abs(a).max(initial=0)) * float(np.abs(p).max(initial=0))
    if big < 2**62:
        out = half_up(a * p, q)
    else:
        neg = (a < 0) != (p < 0)
        aa, ap = np.abs(a), np.abs(p)
        est = aa * (ap / q)
        if est.max(initial=0.0) > 2 * MAX_FEN:
            check_range(int(est.max()), "product")
        f = np.floor(est).astype(np.int64)
        with np.errstate(over="ignore"):
            r = aa * ap - f * q  # exact: within a few q of zero
        f, r = f + r // q, r % q
        out = np.where(neg, -1, 1) * (f + (2 * r >= q))
    check_range(out)
    return out


def to_fen(x: int | str | Decimal | float | Fraction) -> int:
    """Convert an amount in yuan to integer fen, rounding half-up.

    Parameters
    ----------
    x : int, str, Decimal, float or Fraction
        Amount in yuan. Strings may carry thousands separators (``"1,234.56"``),
        surrounding spaces and a trailing ``元``. Floats are read by their shortest
        repr, so ``0.1`` means exactly one jiao.

    Returns
    -------
    int
        Amount in fen.

    Raises
    ------
    ValueError
        If `x` is NaN, infinite, a bool, text that is not a number, or beyond ±MAX_FEN;
        the message names the value (or the limit).

    Examples
    --------
    >>> to_fen("1,234.565")
    123457
    >>> to_fen(0.1)
    10
    """
    if isinstance(x, str):  # yuan as people write it: "1,234.56 元"
        x = x.strip().replace(",", "").replace("，", "").removesuffix("元").strip()
    try:
        p, q = ratio(x)  # the one reader of a typed number (float by its shortest repr)
    except ValueError as exc:
        raise ValueError(str(exc).replace("not a number", "not an amount", 1)) from None
    fen = half_up(p * 100, q)
    check_range(fen)
    return fen


def amount_fen(x: int | str | Decimal | float, field: str) -> int:
    """:func:`to_fen` for a user-supplied, non-negative amount; errors name the field.

    Examples
    --------
    >>> amount_fen("1,000", "total")
    100000
    >>> amount_fen("0.001", "total")
    Traceback (most recent call last):
    ...
    costshare.errors.InputError: field 'total': an amount in yuan has at most two decimals (fen), got '0.001'

    A typed amount (text or Decimal) with digits below one fen is refused, never rounded
    away; a float is rounded half-up, but a non-zero one below half a fen is refused.
    """
    from costshare.errors import InputError, Problem  # errors has no imports of ours

    try:
        fen = to_fen(x)
    except ValueError as exc:
        raise InputError(Problem(str(exc), field=field)) from None
    if fen < 0:
        raise InputError(Problem(f"must not be negative, got {x!r}", field=field))
    typed = x if isinstance(x, Decimal) else None
    if isinstance(x, str):
        try:
            typed = Decimal(x.strip().replace(",", "").replace("_", ""))
        except ArithmeticError:
            typed = None
    below = typed is not None and typed.is_finite() and typed != typed.quantize(Decimal("0.01"))
    if below or (fen == 0 and isinstance(x, float) and x != 0):
        msg = f"an amount in yuan has at most two decimals (fen), got {x!r}"
        raise InputError(Problem(msg, field=field))
    return fen


def to_fen_array(values: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Convert a column of yuan amounts to an int64 array of fen, half-up, exactly.

    Floats are read through their shortest repr, like :func:`to_fen`: a column whose
    values have at most 15 significant digits is converted in one vectorized step
    (exact integer scaling); anything else goes through :func:`to_fen` value by value.

    Examples
    --------
    >>> to_fen_array([1.005, 2, -0.015]).tolist()
    [101, 200, -2]
    """
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        if arr.size and int(np.abs(arr).max()) > MAX_FEN // 100:
            check_range(int(arr.flat[int(np.abs(arr).argmax())]) * 100)
        return arr.astype(np.int64) * 100
    if arr.dtype.kind == "f":
        if not np.isfinite(arr).all():
            bad = arr[~np.isfinite(arr)][0]
            msg = f"not a finite amount: {bad!r}"
            raise ValueError(msg)
        short = float_decimals(arr)
        if short is not None:
            n, d = short
            fen = n * 10 ** (2 - d) if d <= 2 else half_up(n, 10 ** (d - 2))
            check_range(fen)
            return fen
    return np.fromiter((to_fen(v) for v in arr.ravel()), np.int64, arr.size).reshape(arr.shape)


def to_yuan(fen: int | np.integer) -> Decimal:
    """Return integer fen as ``Decimal`` yuan quantized to 0.01.

    Examples
    --------
    >>> to_yuan(123457)
    Decimal('1234.57')
    """
    return (Decimal(int(fen)) / 100).quantize(CENT)


def yuan_text(fen: npt.ArrayLike, *, thousands: bool = True) -> list[str]:
    """Fen as exact yuan text, ``"1,234.56"`` (or ``"1234.56"``), for a whole column.

    Examples
    --------
    >>> yuan_text([123456, -5, 0]), yuan_text([123456], thousands=False)
    (['1,234.56', '-0.05', '0.00'], ['1234.56'])
    """
    sep = "," if thousands else ""
    return [
        f"{'-' if v < 0 else ''}{abs(v) // 100:{sep}}.{abs(v) % 100:02d}"
        for v in np.asarray(fen, dtype=np.int64).tolist()
    ]


def format_amount(fen: int, unit: Unit = "元", decimals: int = 2) -> str:
    """Format fen for display in 元, 万元 or 亿元 with thousands separators.

    Examples
    --------
    >>> format_amount(123456789)
    '1,234,567.89 元'
    >>> format_amount(28_000_000_000, "亿元")
    '2.80 亿元'
    >>> format_amount(15_300_000_000, "万元")
    '15,300.00 万元'
    """
    if unit not in _UNITS:
        msg = f"unit must be one of {list(_UNITS)}, got {unit!r}"
        raise ValueError(msg)
    scaled = half_up(int(fen) * 10**decimals, 100 * _UNITS[unit])
    value = Decimal(scaled).scaleb(-decimals)
    return f"{value:,} {unit}"


def format_percent(ratio: object, decimals: int | None = None) -> str:
    """A ratio as a percentage: exact, or half up to `decimals` places.

    With ``decimals=None`` the percentage is written exactly (``0.65`` → ``65%``,
    ``0.125`` → ``12.5%``) and a ratio that is no finite decimal stays a fraction (``2/3``);
    with `decimals` it is rounded half up (a rate ``0.0420`` → ``4.20%``). NaN or ``None``
    give ``""``.

    Examples
    --------
    >>> format_percent("0.65"), format_percent("2/3"), format_percent(0.042, 2)
    ('65%', '2/3', '4.20%')
    >>> format_percent(-0.0005, 1), format_percent(float("nan"), 2)
    ('-0.1%', '')
    """
    if ratio is None or ratio != ratio:
        return ""
    f = Fraction(str(ratio))
    if decimals is None:
        den = f.denominator
        for p in (2, 5):
            while den % p == 0:
                den //= p
        if den != 1:
            return str(f)
        d = Decimal(f.numerator) * 100 / Decimal(f.denominator)
        text = f"{int(d):,}" if d == d.to_integral_value() else f"{d.normalize():,f}"
        return text + "%"
    q = f * 100 * 10**decimals
    return f"{Decimal(half_up(q.numerator, q.denominator)).scaleb(-decimals):,.{decimals}f}%"
