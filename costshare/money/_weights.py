"""Read weights and ratios as the exact decimals a person typed.

``0.35`` is 35/100 and ``80.50`` m² is 8050/100: a float is read through its shortest
repr, a ``str`` or ``Decimal`` as written, a ``Fraction`` as it is. :func:`numerators`
brings a whole column to integers over one common denominator, in one vectorized step
for the usual cases (integers, floats with at most 15 significant digits).
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import numpy as np
import numpy.typing as npt

__all__ = [
    "decimal_parts",
    "float_decimals",
    "float_ratios",
    "float_sum_bounds",
    "numerators",
    "ratio",
]

_DIGITS = 10**15
"""Decimals of at most 15 significant digits map to distinct floats (DBL_DIG = 15)."""
_INT64_SAFE = 2**62
_BLOCK = 1 << 15
"""Values per block of the blocked loops: a few buffers of it fit in the L2 cache."""


def float_decimals(
    x: npt.NDArray[np.float64], top: float | None = None
) -> tuple[npt.NDArray[np.int64], int] | None:
    """Finite floats as exact integers ``n`` over ``10**d``, or None if not short.

    `top` is ``max(|x|)`` when the caller knows it. Tries ``d = 0, 2, 3, ...`` and returns the first common ``d`` at which every value is
    ``n / 10**d`` with ``|n| < 10**15``. Such ``n / 10**d`` is the value of the float's
    shortest repr: two decimals of at most 15 significant digits never round to the same
    float, and ``n / 10**d`` is computed with one correctly rounded division.

    Examples
    --------
    >>> n, d = float_decimals(np.array([0.35, 80.5]))
    >>> n.tolist(), d
    ([35, 8050], 2)
    """
    if x.size == 0:
        return np.zeros(x.shape, np.int64), 0
    top = float(np.abs(x).max()) if top is None else top
    sample = x.ravel()[:: max(1, x.size // 64)]
    for d in (0, 2, *range(3, 16)):
        scale = 10.0**d
        if top * scale >= _DIGITS:
            return None
        if not np.array_equal(np.rint(sample * scale) / scale, sample):
            continue  # a sample decides most misses without a pass over everything
        out = _scaled_ints(x, scale)
        if out is not None:
            return out, d
    return None


def _scaled_ints(x: npt.NDArray[np.float64], scale: float) -> npt.NDArray[np.int64] | None:
    """``rint(x × scale)`` as int64 if ``n / scale == x`` for every value, else None.

    Works block by block in small reused buffers (they stay in the CPU cache and need no
    fresh pages: on a million values that is several times faster than whole arrays).
    """
    flat = x.ravel()
    out = np.empty(flat.size, np.int64)
    size = min(_BLOCK, flat.size)
    buf, back, same = np.empty(size), np.empty(size), np.empty(size, bool)
    for a in range(0, flat.size, _BLOCK):
        xb = flat[a : a + _BLOCK]
        m = xb.size
        n = np.multiply(xb, scale, out=buf[:m])
        n += 1.5 * 2.0**52  # |x × scale| < 10**15 < 2**51: adding this rounds it to the
        rounded = np.subtract(n, 1.5 * 2.0**52, out=back[:m])  # nearest whole number in
        rounded /= scale  # the mantissa's low bits (faster than np.rint); an exact half
        if not np.equal(rounded, xb, out=same[:m]).all():  # fails this check either way
            return None
        np.subtract(n.view(np.int64), 0x4338000000000000, out=out[a : a + m])  # its bits
    return out.reshape(x.shape)


def float_sum_bounds(
    x: npt.NDArray[np.float64], span: tuple[float, float] | None = None
) -> tuple[Fraction, Fraction]:
    """Exact bounds ``lo <= S <= hi`` on the sum ``S`` of the floats' shortest reprs.

    No per-element Python work: each float is ``m × 2**e`` exactly (mantissa and exponent
    from its bits, as ``np.frexp`` gives them), the binary values are summed exactly in
    integers (``B``), and each repr differs from its float by at most half an ulp, at
    most ``x × 2**-53`` (it reads back to the float), so ``S`` lies within
    ``B × 2**-53`` of ``B``. The midpoint is ``B`` itself, so ``float((lo + hi) / 2)``
    equals ``math.fsum(x)``. `span` is ``(min(x), max(x))`` when the caller knows it.

    Examples
    --------
    >>> lo, hi = float_sum_bounds(np.array([0.1, 0.2]))
    >>> lo <= Fraction(3, 10) <= hi, float(hi - lo) < 1e-16
    (True, True)
    """
    v = np.ascontiguousarray(x, dtype=np.float64).ravel()
    if not v.size:
        return Fraction(0), Fraction(0)
    fast = _sum_bounds_narrow(v, span)
    if fast is not None:
        return fast
    return _sum_bounds_banded(v)


def _sum_bounds_banded(v: npt.NDArray[np.float64]) -> tuple[Fraction, Fraction]:
    """:func:`float_sum_bounds` for any non-negative floats (zeros, subnormals, any span).

    Each float is ``mant × 2**ex`` (``np.frexp``). Binades are grouped in bands of eight
    down from the largest exponent ``e1``: in band ``j`` every value over
    ``2**(e1 - 60 - 8 j)`` is a whole number below 2**61 (``np.ldexp``, exact), split
    into float halves below 2**32 whose per-band sums (``bincount``, one cache-sized
    block at a time) are exact integers; the bands are then added as Python integers.
    """
    top = float(v.max())
    if top == 0:
        return Fraction(0), Fraction(0)
    e1 = math.frexp(top)[1]
    nb = ((e1 + 1074) >> 3) + 1  # down to 2**-1074, the smallest subnormal
    hi_sum, lo_sum = np.zeros(nb, np.int64), np.zeros(nb, np.int64)
    band = np.empty(min(_BLOCK, v.size), np.intp)
    for a in range(0, v.size, _BLOCK):  # per block: halves below 2**32, sums below 2**47
        mant, ex = np.frexp(v[a : a + _BLOCK])
        np.subtract(e1, ex, out=ex)  # >= 0 unless 0.0; int32: ldexp is slow on int64
        bb = np.right_shift(ex, 3, out=band[: ex.size], casting="unsafe")
        np.bitwise_and(ex, 7, out=ex)
        np.subtract(60, ex, out=ex)
        t = np.ldexp(mant, ex, out=mant)  # whole, below 2**61 (zeros: 0)
        np.clip(bb, 0, nb - 1, out=bb)  # a zero's band is arbitrary: it adds nothing
        hi = np.floor(t * 2.0**-32)
        t -= hi * 2.0**32
        hi_sum += np.bincount(bb, weights=hi, minlength=nb).astype(np.int64)
        lo_sum += np.bincount(bb, weights=t, minlength=nb).astype(np.int64)
    used = np.flatnonzero(hi_sum | lo_sum).tolist()
    J = used[-1]  # the lowest band holding a value
    total = sum(((int(hi_sum[j]) << 32) + int(lo_sum[j])) << (8 * (J - j)) for j in used)
    b = Fraction(total) * Fraction(2) ** (e1 - 60 - 8 * J)
    low = e1 - 8 * J - 8 < -1021  # the lowest band may hold subnormals: count them
    subnormal = int(np.count_nonzero((v > 0) & (v < 2.0**-1022))) if low else 0
    slack = b / 2**53 + Fraction(subnormal, 2**1075)  # half an ulp of 2**-1074 each
    return b - slack, b + slack


def _sum_bounds_narrow(
    v: npt.NDArray[np.float64], span: tuple[float, float] | None
) -> tuple[Fraction, Fraction] | None:
    """:func:`float_sum_bounds` for normal floats and zeros whose non-zero values span at
    most 2**42: each is an integer multiple of the smallest one's ulp ``u`` below 2**96,
    so ``v / u`` splits exactly into three float parts below 2**32 (two below 2**63)
    whose sums (of at most 2**15) are exact integers below 2**53; None otherwise."""
    lo_v, hi_v = span if span is not None else (float(v.min()), float(v.max()))
    if lo_v <= 0 < hi_v:  # zeros add nothing: the smallest positive sets the grid
        lo_v = _smallest_positive(v)
    if lo_v < 2.0**-1021:  # subnormals, or all zeros
        return None
    _, e_lo = math.frexp(lo_v)
    _, e_hi = math.frexp(hi_v)
    if e_hi - e_lo > 42:
        return None
    total = 0
    size = min(_BLOCK, v.size)
    t_buf, hi_buf = np.empty(size), np.empty(size)  # reused: they stay in the cache
    for a in range(0, v.size, _BLOCK):  # 2**15 parts below 2**32 sum exactly in floats
        m = min(_BLOCK, v.size - a)
        t = np.ldexp(v[a : a + m], 53 - e_lo, out=t_buf[:m])  # v / u: whole, below 2**96
        hi = hi_buf[:m]
        for shift in (64, 32) if e_hi - e_lo > 10 else (32,):
            np.multiply(t, 2.0**-shift, out=hi)
            np.floor(hi, out=hi)
            total += int(hi.sum()) << shift
            hi *= 2.0**shift
            t -= hi  # exact: a multiple of t's ulp, below 2**shift
        total += int(t.sum())
    b = Fraction(total) * Fraction(2) ** (e_lo - 53)
    return b - b / 2**53, b + b / 2**53


def _smallest_positive(v: npt.NDArray[np.float64]) -> float:
    """The smallest positive value (inf if none), without a masked pass: for floats
    ``>= +0.0`` the bits ``- 1`` as uint64 keep their order and send +0.0 to the top
    (-0.0 and NaN, above every positive float's bits, never win)."""
    best = np.uint64(2**64 - 1)
    buf = np.empty(min(_BLOCK, v.size), np.uint64)
    for a in range(0, v.size, _BLOCK):
        b = np.subtract(
            v[a : a + _BLOCK].view(np.uint64), np.uint64(1), out=buf[: min(_BLOCK, v.size - a)]
        )
        best = min(best, b.min())
    return (
        math.inf
        if best >= np.uint64(0x7FF0000000000000)
        else float(np.array([best + np.uint64(1)]).view(np.float64)[0])
    )


def float_ratios(xs: list[float]) -> tuple[list[int], int]:
    """Finite floats as exact ints over one power of ten, each through its shortest repr.

    Examples
    --------
    >>> float_ratios([0.1, 2.25, 3.0])
    ([10, 225, 300], 100)
    """
    parts = []
    for v in xs:
        s = repr(float(v))
        i = s.find(".")
        if i < 0 or "e" in s:
            sign, digits, exp = Decimal(s).as_tuple()
            n = int("".join(map(str, digits))) * (-1 if sign else 1)
            parts.append((n * 10 ** max(int(exp), 0), max(-int(exp), 0)))
        else:
            parts.append((int(s[:i] + s[i + 1 :]), len(s) - i - 1))
    top = max((d for _, d in parts), default=0)
    return [p * 10 ** (top - d) for p, d in parts], 10**top


def ratio(v: object) -> tuple[int, int]:
    """One value as an exact ``(numerator, denominator)``, denominator positive.

    Raises ``ValueError`` naming the value for bools, NaN, infinities and text that is
    not a number.

    Examples
    --------
    >>> ratio(0.35), ratio("80.50"), ratio(Decimal("-2")), ratio(Fraction(1, 3))
    ((7, 20), (161, 2), (-2, 1), (1, 3))
    """
    if isinstance(v, (bool, np.bool_)):
        msg = f"not a number: {v!r} (a bool)"
        raise ValueError(msg)
    if isinstance(v, (int, np.integer)):
        return int(v), 1
    if isinstance(v, Fraction):
        return v.numerator, v.denominator
    if isinstance(v, (float, np.floating)):
        if not math.isfinite(v):
            msg = f"not a finite number: {v!r}"
            raise ValueError(msg)
        return Decimal(repr(float(v))).as_integer_ratio()
    if isinstance(v, str):
        try:
            d = Decimal(v.strip())
        except InvalidOperation:
            msg = f"not a number: {v!r}"
            raise ValueError(msg) from None
    elif isinstance(v, Decimal):
        d = v
    else:
        msg = f"not a number: {v!r} (type {type(v).__name__})"
        raise ValueError(msg)
    if not d.is_finite():
        msg = f"not a finite number: {v!r}"
        raise ValueError(msg)
    return d.as_integer_ratio()


def numerators(values: npt.ArrayLike, *, what: str = "weights") -> tuple[npt.NDArray, int]:
    """Values as integer numerators over one common denominator: ``(n, den)``.

    ``n`` is int64 when every numerator fits comfortably (|n| < 2**62), else an object
    array of Python ints. Integer arrays pass through; float arrays take the vectorized
    :func:`float_decimals` path when they can; anything else is read value by value
    with :func:`ratio`.

    Raises
    ------
    ValueError
        For an input that is not a 1-D or 2-D array of numbers; the message names `what`
        and the position.

    Examples
    --------
    >>> n, den = numerators(["0.35", 0.65, 1])
    >>> n.tolist(), den
    ([7, 13, 20], 20)
    """
    arr = np.asarray(values)
    if arr.dtype.kind == "b":
        msg = f"{what} must be numbers, not bools"
        raise ValueError(msg)
    if arr.dtype.kind == "i":
        return arr.astype(np.int64, copy=False), 1
    if arr.dtype.kind == "u":
        if arr.size and int(arr.max()) >= _INT64_SAFE:
            return _objects(arr, what)
        return arr.astype(np.int64), 1
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr)
        if bad.any():
            pos = np.argwhere(bad)[0].tolist()
            msg = f"{what} must be finite numbers; position {pos} is {arr[bad][0]!r}"
            raise ValueError(msg)
        short = float_decimals(arr)
        if short is not None:
            n, d = short
            return n, 10**d
    return _objects(arr, what)


def _objects(arr: npt.NDArray, what: str) -> tuple[npt.NDArray, int]:
    """Value-by-value reading to Python ints over the least common denominator."""
    flat = arr.ravel().tolist()
    pairs = []
    for i, v in enumerate(flat):
        try:
            pairs.append(ratio(v))
        except ValueError as exc:
            pos = np.unravel_index(i, arr.shape)
            msg = f"{what}: position {list(map(int, pos))}: {exc}"
            raise ValueError(msg) from None
    den = math.lcm(*{q for _, q in pairs}) if pairs else 1
    ints = [p * (den // q) for p, q in pairs]
    if all(-_INT64_SAFE < v < _INT64_SAFE for v in ints):
        return np.asarray(ints, dtype=np.int64).reshape(arr.shape), den
    out = np.empty(len(ints), dtype=object)
    out[:] = ints
    return out.reshape(arr.shape), den


def decimal_parts(
    values: npt.ArrayLike,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each float as ``num / den`` with ``den`` the smallest power of ten that reads it back.

    NaN (not given) becomes ``0 / 1``. A float is read through its shortest decimal form,
    so ``0.65`` is ``65 / 100`` and ``23870.5`` is ``238705 / 10``.

    Examples
    --------
    >>> n, d = decimal_parts([0.65, 23870.5, 2.0, float("nan")])
    >>> n.tolist(), d.tolist()
    ([65, 238705, 2, 0], [100, 10, 1, 1])
    """
    v = np.asarray(values, dtype=np.float64)
    num = np.zeros(v.shape, dtype=np.int64)
    den = np.ones(v.shape, dtype=np.int64)
    todo = np.isfinite(v)
    for k in range(10):
        if not todo.any():
            break
        scale = 10.0**k
        scaled = np.round(v[todo] * scale)
        ok = (np.abs(scaled) < 2**53) & (scaled / scale == v[todo])
        idx = np.flatnonzero(todo)[ok]
        num[idx] = scaled[ok].astype(np.int64)
        den[idx] = 10**k
        todo[idx] = False
    for i in np.flatnonzero(todo):  # more than 9 decimals: the exact shortest repr
        n, d = ratio(float(v[i]))
        num[i], den[i] = n, d
    return num, den
