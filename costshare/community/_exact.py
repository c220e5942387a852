"""Exact numbers for the community engines: decimals as integer ratios, products rounded once.

A ratio or a scale typed as ``0.35`` is ``35/100`` exactly; a float read from YAML or a
table is read through its shortest decimal form (the digits a person typed). Products of
fen amounts and such ratios are rounded once, by :func:`costshare.money.half_up`.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import numpy.typing as npt

from costshare.money import half_up

__all__ = ["decimal_parts", "muldiv", "ratio_of"]

I64 = np.int64
_SAFE = 2**62


def ratio_of(x: Decimal | int | float | str) -> tuple[int, int]:
    """``(numerator, denominator)`` of a decimal, exactly (floats by their shortest repr).

    Examples
    --------
    >>> ratio_of("0.35"), ratio_of(0.65), ratio_of(Decimal("20.03")), ratio_of(3)
    ((7, 20), (13, 20), (2003, 100), (3, 1))
    """
    d = Decimal(repr(x)) if isinstance(x, float) else Decimal(x)
    return d.as_integer_ratio()


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
    num = np.zeros(v.shape, dtype=I64)
    den = np.ones(v.shape, dtype=I64)
    todo = np.isfinite(v)
    for k in range(10):
        if not todo.any():
            break
        scale = 10.0**k
        scaled = np.round(v[todo] * scale)
        ok = (np.abs(scaled) < 2**53) & (scaled / scale == v[todo])
        idx = np.flatnonzero(todo)[ok]
        num[idx] = scaled[ok].astype(I64)
        den[idx] = 10**k
        todo[idx] = False
    for i in np.flatnonzero(todo):  # more than 9 decimals: the exact shortest repr
        n, d = ratio_of(float(v[i]))
        num[i], den[i] = n, d
    return num, den


def muldiv(a: npt.ArrayLike, b: npt.ArrayLike, den: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """``a × b / den`` rounded half-up, exact on integers (Python ints past int64).

    Examples
    --------
    >>> muldiv([1001, 5], 35, 100).tolist()
    [350, 2]
    >>> muldiv([2**40], 2**40, 2**30).tolist()
    [1125899906842624]
    """
    x = np.asarray(a, dtype=I64)
    y = np.asarray(b, dtype=I64)
    d = np.asarray(den, dtype=I64)
    if int(np.abs(x).max(initial=0)) * int(np.abs(y).max(initial=0)) < _SAFE:
        return np.asarray(half_up(x * y, d), dtype=I64)
    xs, ys, ds = np.broadcast_arrays(x, y, d)
    out = [
        half_up(int(p) * int(q), int(r)) for p, q, r in zip(xs.flat, ys.flat, ds.flat, strict=True)
    ]
    return np.asarray(out, dtype=I64).reshape(xs.shape)
