"""The operation model's arithmetic, vectorized over communities and lines.

Every line becomes a row of yearly fen amounts (``rows × years``); rows are summed into
per-community accounts with exact integer sums. The break-even property fee is

    fee = (costs − non-fee revenue − subsidy) ÷ (area × 12 × collection rate)

rounded **up** to the fen per m² per month, so the fee revenue it yields (rounded
half-up to the fen) covers the gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from costshare.errors import InputError, Problem
from costshare.money import allocate_rows, half_up, to_yuan
from costshare.operation._amounts import fen, ratio, scale

__all__ = [
    "breakeven_fee",
    "breakeven_fee_fen",
    "line_amounts",
    "line_base_fen",
    "split_public_income",
]

I64 = np.int64


def _frac(x: object) -> Fraction:
    if isinstance(x, (Fraction, int)):
        return Fraction(x)
    return Fraction(Decimal(repr(x))) if isinstance(x, float) else Fraction(Decimal(str(x)))


def line_base_fen(
    annual: object = None, quantity: object = None, price: object = None, rate: object = 1
) -> int:
    """A line's full yearly amount in fen: ``annual``, or ``quantity × price × 12 × rate``.

    Examples
    --------
    >>> line_base_fen(quantity=200, price=150, rate="0.85")  # 200 spaces at 150 a month
    30600000
    >>> line_base_fen(annual="80000")
    8000000
    """
    if annual is not None:
        return fen(annual, "annual")
    x = _frac(quantity) * _frac(price) * 12 * _frac(rate) * 100
    return int(half_up(x.numerator, x.denominator))


def line_amounts(
    base_fen: npt.ArrayLike,
    years: int,
    *,
    start: npt.ArrayLike = 1,
    end: npt.ArrayLike | None = None,
    growth: Sequence[Fraction] | None = None,
) -> npt.NDArray[np.int64]:
    """Yearly amounts ``(rows, years)``: the base from ``start``, grown each later year.

    Growth compounds on the rounded amount (``amount_{t+1} = half_up(amount_t × (1+g))``),
    so every year is a whole number of fen; a row is zero outside ``start..end``. This is
    operation's stated convention (a fee is raised on the fee actually billed); the PPP
    engine compounds from the base year and rounds once per year, because it projects
    a forecast rather than bills (both tested in tests/test_growth_conventions.py).

    Examples
    --------
    >>> line_amounts([10000, 500], 4, start=[1, 2], growth=[Fraction(1, 10), Fraction(0)]).tolist()
    [[10000, 11000, 12100, 13310], [0, 500, 500, 500]]
    """
    base = np.atleast_1d(np.asarray(base_fen, dtype=I64))
    r = base.size
    s = np.broadcast_to(np.asarray(start, dtype=I64), (r,))
    e = np.broadcast_to(np.asarray(years if end is None else end, dtype=I64), (r,))
    g = list(growth) if growth is not None else [Fraction(0)] * r
    rows_of: dict[Fraction, list[int]] = {}
    for i, gi in enumerate(g):
        if gi:
            rows_of.setdefault(gi, []).append(i)
    groups = {k: np.asarray(v, dtype=np.intp) for k, v in rows_of.items()}
    out = np.zeros((years, r), dtype=I64)
    cur = base.copy()
    for k in range(years):
        year = k + 1
        out[k] = np.where((s <= year) & (year <= e), cur, 0)
        for gi, idx in groups.items():  # grow the rows already started
            go = idx[s[idx] <= year]
            cur[go] = scale(cur[go], 1 + gi)
    return out.T.copy()


def _ratios(values: npt.ArrayLike) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each value as an exact ``num / den`` (decimals as written, floats by shortest repr)."""
    flat = np.asarray(values, dtype=object).ravel()
    pairs = [_frac(v).as_integer_ratio() for v in flat]
    num = np.asarray([p for p, _ in pairs], dtype=object)
    den = np.asarray([q for _, q in pairs], dtype=object)
    shape = np.shape(np.asarray(values, dtype=object))
    return num.reshape(shape), den.reshape(shape)


def breakeven_fee_fen(
    net_fen: npt.ArrayLike, area_m2: npt.ArrayLike, collection_rate: npt.ArrayLike
) -> npt.NDArray[np.int64]:
    """Break-even fee in fen per m² per month, rounded up; 0 where nothing is short.

    `net_fen` is costs − non-fee revenue − subsidy (fen a year); areas and rates are read
    as the decimals written. Broadcasts (one area and rate per community against a
    ``communities × years`` gap); exact: ``ceil(net × a_den × r_den / (a_num × 12 × r_num))``
    in int64 where it provably fits, else in Python integers.

    Examples
    --------
    >>> breakeven_fee_fen([1_000_000, -5], [1000], ["0.9"]).tolist()
    [93, 0]
    """
    an, ad = _ratios(area_m2)
    rn, rd = _ratios(collection_rate)
    if (an <= 0).any() or (rn <= 0).any():
        raise InputError(Problem("area and collection rate must be > 0", field="area_m2"))
    net = np.asarray(net_fen, dtype=np.int64)
    up = ad * rd  # object arrays of Python ints: exact
    down = an * rn * 12
    net, up, down = np.broadcast_arrays(net, up, down)
    pos = np.maximum(net, 0)
    big = float(np.abs(pos).max(initial=0)) * float(max(up.max(initial=1), 1))
    if big < 2**62 and float(down.max(initial=1)) < 2**62:
        num = pos * up.astype(np.int64)
        den = down.astype(np.int64)
        return (-((-num) // den)).astype(np.int64)
    flat = [
        -(-int(n) * int(u) // int(d))
        for n, u, d in zip(pos.ravel(), up.ravel(), down.ravel(), strict=True)
    ]
    return np.asarray(flat, dtype=np.int64).reshape(net.shape)


def breakeven_fee(
    costs: object,
    area_m2: object,
    collection_rate: object,
    other_revenue: object = 0,
    subsidy: object = 0,
) -> Decimal:
    """The property fee (yuan per m² per month) at which a year's revenue covers its costs.

    Parameters
    ----------
    costs : str, Decimal, int or float
        Yearly costs in yuan (management fee included).
    area_m2 : number
        Exclusive area charged, m².
    collection_rate : ratio
        Share of fees collected (0 < rate ≤ 1).
    other_revenue, subsidy : amount, default 0
        Non-fee revenue kept by the operator and the year's subsidy, yuan.

    Returns
    -------
    Decimal
        ``(costs − other_revenue − subsidy) ÷ (area × 12 × collection_rate)`` rounded
        **up** to the fen (0.00 when revenue and subsidy already cover the costs).

    Examples
    --------
    >>> breakeven_fee("1200000", 100000, "0.8", other_revenue="240000")
    Decimal('1.00')
    >>> breakeven_fee(1000, 3, 1)  # 27.777… rounded up
    Decimal('27.78')
    """
    r = ratio(collection_rate, "collection_rate")
    if not 0 < r <= 1:
        raise InputError(Problem("must lie in (0, 1]", field="collection_rate"))
    a = ratio(area_m2, "area_m2")
    if a <= 0:
        raise InputError(Problem("must be > 0", field="area_m2"))
    net = fen(costs, "costs") - fen(other_revenue, "other_revenue") - fen(subsidy, "subsidy")
    return to_yuan(int(breakeven_fee_fen([net], [a], [r])[0]))


def split_public_income(gross_fen: npt.ArrayLike, shares: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Split public income into (fund, operator, owners) by exact largest remainder.

    `gross_fen` is ``(communities, years)`` (or ``(years,)``); `shares` one row of three
    exact shares per community (or one row for all). Returns ``(..., years, 3)``.

    Examples
    --------
    >>> split_public_income([100001], [[Fraction(1, 2), Fraction(3, 10), Fraction(1, 5)]]).tolist()
    [[50001, 30000, 20000]]
    """
    g = np.asarray(gross_fen, dtype=I64)
    flat = g.reshape(-1, g.shape[-1]) if g.ndim > 1 else g[None, :]
    sh = [[Fraction(x) for x in row] for row in np.atleast_2d(np.asarray(shares, dtype=object))]
    if len(sh) == 1 and flat.shape[0] > 1:
        sh = sh * flat.shape[0]
    w = np.empty((flat.shape[0], 3), dtype=I64)
    for i, row in enumerate(sh):
        den = int(np.lcm.reduce([x.denominator for x in row]))
        w[i] = [x.numerator * (den // x.denominator) for x in row]
    weights = np.repeat(w, flat.shape[1], axis=0)
    out = allocate_rows(flat.ravel(), weights).reshape(*flat.shape, 3)
    return out.reshape(*g.shape, 3)
