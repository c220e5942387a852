"""Printed operands that reproduce each share: "a × rate = c" recomputes to c.

A sheet shares an amount by weight (area, headcount, coefficient × area); the exact rate
(yuan per unit of weight) rarely has a short decimal form. Printed to 4 decimals, some
lines "52.36 × 21.9304 = 1,148.27" do not recompute (52.36 × 21.9304 = 1,148.2757 →
1,148.28). :func:`printed_rate` picks the fewest decimals (4 to 12) for which the most
lines recompute, by half-up rounding of the printed operands, to the fen they show; the
other lines (where the largest-remainder allocation moved a fen) are marked "≈".
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare.money import half_up

__all__ = ["decimal_text", "decimal_texts", "printed_rate"]


def decimal_text(value: float, places: int = 2) -> str:
    """`value` with at least `places` decimals and as many more as it has (up to 6).

    Examples
    --------
    >>> decimal_text(52.36), decimal_text(52.355), decimal_text(3.0, 0), decimal_text(0.1, 0)
    ('52.36', '52.355', '3', '0.1')
    """
    r = round(float(value), 6) + 0.0  # + 0.0: -0.0 (or -1e-7 rounded) is worded 0, not -0
    s = repr(r)
    if places <= 6 and abs(r) < 2**30 and "e" not in s and "n" not in s:
        # the float is within 2**-24 of the decimal its repr shows: printed to at most 6
        # decimals it shows that decimal (no Decimal needed, as for every roster weight)
        return format(r, f".{max(places, len(s.partition('.')[2].rstrip('0')))}f")
    d = Decimal(s).normalize()
    exp = -int(d.as_tuple().exponent)  # type: ignore[operator]
    return format(d, f".{max(places, exp)}f")


def decimal_texts(values: npt.ArrayLike, places: int = 2) -> list[str]:
    """:func:`decimal_text` of every value, each distinct value worded once.

    >>> decimal_texts([52.36, 52.36, 3.0], 2)
    ['52.36', '52.36', '3.00']
    """
    codes, uniq = pd.factorize(np.asarray(values, dtype=np.float64))
    u = np.asarray(uniq, dtype=np.float64) + 0.0  # -0.0 is worded 0, as decimal_text does
    # decimals of each value's repr when it has at most 6 (the fast route of decimal_text):
    # the fewest k with rint(u 10^k) / 10^k == u (below 10^15 that string is the repr)
    k = np.full(u.size, -1)
    if places <= 6:
        for d in range(7):
            hit = (k < 0) & (np.rint(u * 10.0**d) / 10.0**d == u) & (np.abs(u) < 2**30)
            k[hit] = d
    words = np.array(
        [
            format(v, f".{max(places, d)}f") if d >= 0 else decimal_text(v, places)
            for v, d in zip(u.tolist(), k.tolist(), strict=True)
        ],
        dtype=object,
    )
    return words[codes].tolist() if len(codes) else []


def printed_rate(
    amount_fen: int, weights: Sequence[str], fen: npt.ArrayLike, weight_sum: float | None = None
) -> tuple[str, npt.NDArray[np.bool_]]:
    """The rate (yuan per unit of weight) as printed, and which lines then recompute.

    Parameters
    ----------
    amount_fen : int
        The amount shared by this basis.
    weights : sequence of str
        Each line's printed weight (``"52.36"``; a coefficient × area as its exact product).
    fen : array_like of int
        Each line's share as printed.
    weight_sum : float, optional
        The sum of the weights (default the sum of `weights`).

    Returns
    -------
    rate : str
        ``amount / weight_sum`` half-up to the chosen number of decimals.
    ok : ndarray of bool
        True where ``half_up(weight × rate)`` to the fen equals the printed share.

    Examples
    --------
    >>> rate, ok = printed_rate(10000, ["1", "2"], [3333, 6667])
    >>> rate, ok.tolist()
    ('33.3333', [True, True])
    >>> rate, ok = printed_rate(12000000, ["52.36", "5419.52"], [114827, 11885173])
    >>> rate, ok.tolist()  # 21.9303 would give 1,148.27 and 118,851.61
    ('21.930305', [True, True])
    """
    fen = np.asarray(fen, dtype=np.int64)
    codes, texts = pd.factorize(pd.Series(list(weights), dtype=object))
    dec = [Decimal(w) for w in texts.tolist()]  # each distinct weight once
    total = (
        Fraction(Decimal(repr(round(weight_sum, 6))))
        if weight_sum is not None
        else Fraction(sum((dec[c] for c in codes.tolist()), Decimal(0)))
    )
    if not total or not len(codes):
        return "0.0000", np.zeros(len(codes), dtype=bool)
    rate = Fraction(amount_fen, 100) / total
    k = max((-int(d.as_tuple().exponent) for d in dec), default=0)  # type: ignore[operator]
    k = max(k, 0)
    uniq = np.array([int(d.scaleb(k)) for d in dec], dtype=object)  # Python ints
    pos = np.asarray(codes, dtype=np.int64)
    # lines the exact rate reproduces: the most any printed rate can
    exact = half_up(uniq * (rate.numerator * 100), rate.denominator * 10**k)
    reachable = int((exact[pos] == fen).sum())
    best: tuple[int, str, npt.NDArray[np.bool_]] | None = None
    for d in range(4, 13):
        r_int = int(half_up(rate.numerator * 10**d, rate.denominator))
        got = half_up(uniq * (r_int * 100), 10 ** (k + d))
        ok = got[pos] == fen
        text = str(Decimal(r_int).scaleb(-d))
        if best is None or int(ok.sum()) > best[0]:
            best = (int(ok.sum()), text, ok)
        if best[0] >= reachable:
            break
    assert best is not None
    return best[1], best[2]
