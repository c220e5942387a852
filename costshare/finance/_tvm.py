"""Time value of money: ``fv``, ``pmt``, ``nper``, ``ipmt``, ``ppmt``, ``pv``, ``rate``.

Signatures, sign convention (money paid out is negative), ``when`` ('end'/'begin', 0/1)
and broadcasting follow numpy-financial; :class:`decimal.Decimal` inputs are computed in
Decimal with numpy-financial's formulas (so its exact Decimal results are reproduced),
everything else in float64. Inputs that are NaN or infinite are refused with a
``ValueError`` naming the argument. ``pv`` and ``fv`` compute at rates at or below -100 %
as Excel does (whole `nper`: a number; -100 % in ``pv`` or a fractional `nper` below
-100 %: NaN with an :class:`ExcelErrorWarning` naming Excel's #NUM!); the other
functions refuse such rates with a ``ValueError``.

References
----------
numpy-financial, ``numpy_financial/_financial.py``; OpenFormula (ODF 1.2) PMT, IPMT,
PPMT, FV, PV, NPER, RATE, which LibreOffice and Excel implement.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import numpy as np

from costshare.finance._excel import mark_errors

__all__ = ["fv", "ipmt", "nper", "pmt", "ppmt", "pv", "rate"]

_WHEN = {"end": 0, "begin": 1, "e": 0, "b": 1, 0: 0, 1: 1, "beginning": 1, "start": 1}
_WHEN.update({"finish": 0})


def _when(when: Any) -> np.ndarray:
    """'end'/'begin'/0/1 (or a list of them) as an array of 0 and 1."""
    if isinstance(when, np.ndarray) and when.dtype.kind in "iuf":
        w = when
    else:
        try:
            w = np.asarray(_WHEN[when])
        except (KeyError, TypeError):
            try:
                w = np.asarray([_WHEN[x] for x in when])
            except (KeyError, TypeError):
                msg = f"when must be 'end'/'begin' or 0/1 (or a list of them), got {when!r}"
                raise ValueError(msg) from None
    if isinstance(w.flat[0] if w.size else 0, Decimal):
        w = np.asarray([int(x) for x in w.ravel()]).reshape(w.shape)
    return w


def _arr(x: Any, name: str) -> np.ndarray:
    """An argument as an array (object dtype for Decimals), refusing NaN and infinity."""
    a = np.asarray(x)
    if a.dtype == object:
        bad = any(not math.isfinite(v) for v in a.ravel())
    elif a.dtype.kind in "fc":
        bad = not np.isfinite(a).all()
    elif a.dtype.kind in "iub":
        bad = False
    else:
        msg = f"{name} must be numbers, got {a.dtype} values"
        raise ValueError(msg)
    if bad:
        msg = f"{name} contains NaN or infinity; give finite numbers"
        raise ValueError(msg)
    return a


def _rate(x: Any, name: str = "rate") -> np.ndarray:
    a = _arr(x, name)
    if (a <= -1).any():
        msg = f"{name} must be above -100 % (> -1), got {a[a <= -1].ravel()[0]}"
        raise ValueError(msg)
    return a


def _rate_any(x: Any) -> np.ndarray:
    """A rate for pv/fv: any finite float (Excel computes below -100 % too); Decimal
    rates keep the refusal at or below -100 %."""
    a = _arr(x, "rate")
    return _rate(a) if a.dtype == object else a


def _excel_nan(out: Any, fn: str) -> Any:
    """Non-finite float results (rate -100 % or a fractional power of a negative base)
    become NaN with Excel's #NUM! named in an ExcelErrorWarning."""
    a = np.asarray(out)
    if a.dtype == object:
        return out
    a = np.array(a, dtype=np.float64)
    mark_errors(a, ~np.isfinite(a), fn, "#NUM!", "no value at this rate and nper", 4)
    return _scalar(a)


def _scalar(x: np.ndarray) -> Any:
    return x.item(0) if np.ndim(x) == 0 else x


def _like(arr: np.ndarray, value: float) -> Any:
    return Decimal(value) if arr.size and isinstance(arr.flat[0], Decimal) else value


def fv(rate: Any, nper: Any, pmt: Any, pv: Any, when: Any = "end") -> Any:
    """Future value of a present value plus level payments (Excel's FV).

    ``fv + pv (1+r)^n + pmt (1 + r w) ((1+r)^n - 1) / r = 0``. Rates at or below -100 %
    give Excel's numbers (NaN where Excel gives #NUM!: a fractional `nper` there).

    Examples
    --------
    >>> fv(-2, 3, 100, 1000)  # Excel: FV(-200 %, 3, 100, 1000) = 900
    900.0
    >>> round(fv(0.075, 20, -2000, 0), 6)
    86609.362673
    >>> round(fv(0.075, 20, -2000, 0, "begin"), 6)
    93105.064874
    """
    r, n, p, v, w = np.broadcast_arrays(
        _rate_any(rate), _arr(nper, "nper"), _arr(pmt, "pmt"), _arr(pv, "pv"), _when(when)
    )
    out = np.empty_like(r) if r.dtype == object else np.empty(r.shape)
    zero = r == 0
    nz = ~zero
    out[zero] = -(v[zero] + p[zero] * n[zero])
    rz = r[nz]
    with np.errstate(all="ignore"):
        temp = (1 + rz) ** n[nz]
        out[nz] = -v[nz] * temp - p[nz] * (1 + rz * w[nz]) / rz * (temp - 1)
    return _excel_nan(out, "fv")


def pmt(rate: Any, nper: Any, pv: Any, fv: Any = 0, when: Any = "end") -> Any:
    """Level payment per period (Excel's PMT).

    Examples
    --------
    >>> round(pmt(0.08 / 12, 60, 15000), 6)
    -304.145914
    >>> round(pmt(0.045 / 12, 180, 280_000_000), 2)  # the Chongqing loan, monthly
    -2141981.21
    """
    r, n, v, f, w = map(
        np.asarray, (_rate(rate), _arr(nper, "nper"), _arr(pv, "pv"), _arr(fv, "fv"), _when(when))
    )
    temp = (1 + r) ** n
    mask = r == 0
    mr = np.where(mask, 1, r)
    fact = np.where(mask, n, (1 + mr * w) * (temp - 1) / mr)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = -(f + v * temp) / fact
    return _scalar(np.asarray(out))


def nper(rate: Any, pmt: Any, pv: Any, fv: Any = 0, when: Any = "end") -> Any:
    """Number of periods to reach `fv` (Excel's NPER); ``inf`` with no rate and no payment.

    Broadcasts its arguments (numpy-financial takes their outer product instead; the two
    agree on scalars and on arguments of one shape).

    Examples
    --------
    >>> nper(0, -100, 1000)
    10.0
    >>> round(nper(0.075, -2000, 0, 100000), 6)
    21.544944
    """
    r, p, v, f, w = np.broadcast_arrays(
        *(
            _arr(x, k).astype(np.float64)
            for x, k in ((rate, "rate"), (pmt, "pmt"), (pv, "pv"), (fv, "fv"))
        ),
        _when(when).astype(np.float64),
    )
    _rate(r)
    out = np.full(r.shape, np.nan)
    with np.errstate(all="ignore"):
        zr = r == 0
        out[zr & (p == 0)] = np.inf
        k = zr & (p != 0)
        out[k] = -(f[k] + v[k]) / p[k]
        k = ~zr
        z = p[k] * (1.0 + r[k] * w[k]) / r[k]
        out[k] = np.log((-f[k] + z) / (v[k] + z)) / np.log1p(r[k])
    return _scalar(out) if out.ndim else float(out)


def ipmt(rate: Any, per: Any, nper: Any, pv: Any, fv: Any = 0, when: Any = "end") -> Any:
    """Interest part of the payment in period `per` (1-based; Excel's IPMT).

    NaN for ``per < 1`` and ``per > nper`` (Excel's #NUM!); 0 in period 1 when paying
    at the beginning, and later ``(FV(per - 2) - pmt) × rate`` there, as Calc computes.

    Examples
    --------
    >>> round(ipmt(0.1 / 12, 1, 24, 2000), 6)
    -16.666667
    >>> ipmt(0.1 / 12, 1, 24, 2000, 0, "begin")
    0.0
    """
    r, k, n, v, f, w = np.broadcast_arrays(
        _rate(rate), _arr(per, "per"), _arr(nper, "nper"), _arr(pv, "pv"), _arr(fv, "fv"),
        _when(when),
    )  # fmt: skip
    total = pmt(r, n, v, f, w)
    with np.errstate(all="ignore"):  # paying at the beginning: Calc's (FV(k-2) - pmt) r
        out = np.array(np.asarray(fv_(r, k - 1 - w, total, v, w)))
        out = np.array((out - np.where(w == 1, total, 0)) * r)
    out[(w == 1) & (k == 1)] = _like(out, 0)
    if out.dtype != object:
        out = out.astype(np.float64)
        mark_errors(out, (k < 1) | (k > n), "ipmt", "#NUM!", "need 1 <= per <= nper", 4)
    out[k < 1] = _like(out, np.nan)
    return _scalar(out)


fv_ = fv


def ppmt(rate: Any, per: Any, nper: Any, pv: Any, fv: Any = 0, when: Any = "end") -> Any:
    """Principal part of the payment in period `per` (Excel's PPMT): ``pmt - ipmt``.

    Examples
    --------
    >>> round(ppmt(0.1 / 12, 1, 60, 55000), 4)
    -710.2541
    """
    return pmt(rate, nper, pv, fv, when) - ipmt(rate, per, nper, pv, fv, when)


def pv(rate: Any, nper: Any, pmt: Any, fv: Any = 0, when: Any = "end") -> Any:
    """Present value of level payments and a final value (Excel's PV).

    Rates below -100 % give Excel's numbers; NaN where Excel gives #NUM! (rate -100 %, or
    a fractional `nper` below -100 %).

    Examples
    --------
    >>> pv(-2, 3, 100, 1000, "begin")  # Excel: PV(-200 %, 3, 100, 1000, 1) = 900
    900.0
    >>> round(pv(0.07, 20, 12000), 4)
    -127128.1709
    """
    r, n, p, f, w = map(
        np.asarray,
        (_rate_any(rate), _arr(nper, "nper"), _arr(pmt, "pmt"), _arr(fv, "fv"), _when(when)),
    )
    with np.errstate(all="ignore"):
        temp = (1 + r) ** n
        mr = np.where(r == 0, 1, r)
        fact = np.where(r == 0, n, (1 + mr * w) * (temp - 1) / mr)
        return _excel_nan(np.asarray(-(f + p * fact) / temp), "pv")


def _g_div_gp(r: Any, n: Any, p: Any, x: Any, y: Any, w: Any) -> Any:
    """``g(r) / g'(r)`` for ``g = fv + pv (1+r)^n + pmt (1+r w)/r ((1+r)^n - 1)``."""
    t1 = (r + 1) ** n
    t2 = (r + 1) ** (n - 1)
    g = y + t1 * x + p * (t1 - 1) * (r * w + 1) / r
    gp = (
        n * t2 * x
        - p * (t1 - 1) * (r * w + 1) / (r**2)
        + n * p * t2 * (r * w + 1) / r
        + p * (t1 - 1) * w / r
    )
    return g / gp


def _g(r: np.ndarray, n: Any, p: Any, x: Any, y: Any, w: Any) -> np.ndarray:
    """``fv + pv (1+r)^n + pmt (1 + r w) ((1+r)^n - 1) / r`` (its limit at ``r = 0``)."""
    with np.errstate(all="ignore"):
        t1 = (1 + r) ** n
        ann = np.where(r == 0, n, (t1 - 1) / np.where(r == 0, 1, r))
        return y + t1 * x + p * (1 + r * w) * ann


def _rate_fallback(
    rn: np.ndarray, close: np.ndarray, n: Any, p: Any, x: Any, y: Any, w: Any
) -> tuple[np.ndarray, np.ndarray]:
    """Where Newton failed: the root nearest 0 bracketed on irr's rate grid, bisected."""
    from costshare.finance._irrgrid import GRID

    shape = np.broadcast_shapes(rn.shape, *(np.shape(a) for a in (n, p, x, y, w)))
    rn, close = np.broadcast_to(rn, shape).copy(), np.broadcast_to(close, shape).copy()
    args = [
        np.broadcast_to(np.asarray(a, dtype=np.float64), shape)[~close] for a in (n, p, x, y, w)
    ]
    g = np.stack([np.sign(_g(np.full(args[0].shape, r), *args)) for r in GRID.tolist()], -1)
    ch = (g[..., :-1] * g[..., 1:] <= 0) & (g[..., :-1] != 0)
    i0 = int(np.searchsorted(GRID, 0.0))
    k = np.where(ch, np.abs(np.arange(GRID.size - 1) - i0), 10**9).argmin(axis=-1)
    found = ch.any(axis=-1)
    lo, hi = GRID[k], GRID[k + 1]
    slo = np.sign(_g(lo, *args))
    for _ in range(120):
        mid = 0.5 * (lo + hi)
        left = np.sign(_g(mid, *args)) == slo
        lo, hi = np.where(left, mid, lo), np.where(left, hi, mid)
    sol = np.where(found, 0.5 * (lo + hi), np.nan)
    rn[~close], close[~close] = sol, found
    return (rn[()] if rn.ndim == 0 else rn), close


def rate(
    nper: Any,
    pmt: Any,
    pv: Any,
    fv: Any,
    when: Any = "end",
    guess: Any = None,
    tol: Any = None,
    maxiter: int = 100,
) -> Any:
    """Rate per period that makes the annuity balance (Excel's RATE), by Newton's method.

    Newton's method from `guess` (numpy-financial's iteration, so Decimal `pmt` gives
    its exact Decimal answer). Where it does not settle within `tol` in `maxiter` steps
    or lands at or below -100 %, float inputs fall back to bracketing on irr's rate grid
    and bisection (numpy-financial and pyxirr give NaN or -100 % there); NaN where no
    rate exists (e.g. `pmt` and `pv` of one sign). With payments at the beginning Excel's
    and Calc's Newton can end at -100 %, where ``1 + rate`` and the whole equation
    vanish; costshare never returns that (the Calc parity cases count where it happens).

    Examples
    --------
    >>> round(rate(10, 0, -3500, 10000), 4)
    0.1107
    """
    w = _when(when)
    kind = Decimal if isinstance(pmt, Decimal) else float
    guess = kind("0.1") if guess is None else guess
    tol = kind("1e-6") if tol is None else tol
    n, p, v, f = (_arr(a, k) for a, k in ((nper, "nper"), (pmt, "pmt"), (pv, "pv"), (fv, "fv")))
    rn: Any = guess
    close: Any = False
    with np.errstate(all="ignore"):
        for _ in range(maxiter):
            rnp1 = rn - _g_div_gp(rn, n, p, v, f, w)
            close = abs(rnp1 - rn) < tol
            rn = rnp1
            if np.all(close):
                break
    close = np.asarray(close) & np.asarray(rn > -1 + 1e-9)  # (1 + r w) vanishes at -1
    if kind is float:  # a step below `tol` is not a root unless g is ~0 there
        scale = np.abs(v) + np.abs(f) + np.abs(p) * np.abs(n) + 1e-300
        close = close & (np.abs(_g(np.asarray(rn, np.float64), n, p, v, f, w)) <= 1e-9 * scale)
    if kind is float and not close.all():  # Newton failed: bracket on a grid and bisect
        rn, close = _rate_fallback(np.array(rn, dtype=np.float64), close, n, p, v, f, w)
    if np.ndim(rn) == 0:
        return kind(rn) if bool(close) else kind(np.nan)
    rn = np.array(rn)
    rn[~close] = _like(rn, np.nan)
    return rn
