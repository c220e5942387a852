"""The one largest-remainder allocator, in three forms, on exact integer arithmetic.

Weights become integer numerators ``n_i`` over a common denominator (see
:mod:`costshare.money._weights`); a total ``T`` then has the exact quota
``T n_i / N`` (``N = sum n_i``), whose floor and remainder ``T n_i mod N`` are computed
as integers. Leftover fen go to the largest remainders; **tie rule:** equal remainders
are served in index order (the lower index first).

Two exact cores share the work:

* ``N < 2**57`` (all typed decimals, areas, counts): a float estimate of the floor is
  corrected with the exact remainder ``T n_i - f_i N`` in wrapping int64 arithmetic
  (exact: the true value is far below 2**63); few distinct values are split once each.
* larger ``N`` (floats with 16-17 significant digits, huge weights): the float estimate
  is kept where it provably decides the floor and the ranking, and the few values it
  cannot decide are settled with Python integers. For floats those few are read through
  their repr one by one against exact bounds on ``N`` (:func:`~costshare.money._weights.float_sum_bounds`: the
  binary values summed exactly, plus or minus half an ulp each) instead of reading
  every weight; only a value the bounds cannot decide (about one in 10**11) reads them
  all.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from costshare.money._core import MAX_FEN, check_range
from costshare.money._exact import EPS as _EPS
from costshare.money._exact import Weights, one_int
from costshare.money._floats import one_float

__all__ = ["allocate", "allocate_groups", "allocate_rows"]

I64 = np.int64
_BIG = 2**57


def _totals(totals_fen: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Totals as int64, refused beyond ±MAX_FEN before anything can overflow."""
    raw = np.atleast_1d(np.asarray(totals_fen))
    if raw.dtype.kind not in "iuO":
        if raw.dtype.kind == "f" and np.array_equal(raw, np.floor(raw)):
            raw = raw.astype(object)
        else:
            msg = "totals must be whole numbers of fen"
            raise ValueError(msg)
    if raw.dtype.kind == "O" and not all(_whole(v) for v in raw.ravel()):
        msg = "totals must be whole numbers of fen"  # Decimal("100.5") is not truncated
        raise ValueError(msg)
    if raw.dtype.kind in "uO":
        check_range(np.asarray([int(v) for v in raw.ravel()], dtype=object), "total")
    check_range(raw.astype(I64), "total")
    return raw.astype(I64)


def _whole(v: object) -> bool:
    """True for an integer, or a finite number equal to one (Decimal("100"), 100.0)."""
    if isinstance(v, bool | str | bytes):
        return False
    if isinstance(v, int | np.integer):
        return True
    try:
        return bool(v == int(v))  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError, ArithmeticError):
        return False


def _segsum(x: npt.NDArray, starts: npt.NDArray[np.intp], sizes: npt.NDArray[np.intp]):
    """Sum of each contiguous group (0 for an empty one), in the dtype of `x`."""
    out = np.zeros(starts.size, x.dtype)
    full = sizes > 0
    if full.any():
        out[full] = np.add.reduceat(x, starts[full])
    return out


def _group_sums(w: Weights, starts: npt.NDArray[np.intp], sizes: npt.NDArray[np.intp]):
    """Exact per-group int64 sums when all are below 2**57, else None."""
    if w.n is None or w.n.dtype == object or not w.n.size:
        return None if w.n is None or w.n.size else np.zeros(starts.size, I64)
    if int(w.n.max()) * int(sizes.max(initial=0)) >= _BIG / 2:  # else every sum is small
        approx = _segsum(w.n.astype(np.float64), starts, sizes)
        if approx.max(initial=0.0) >= _BIG / 2:
            return None
    cs = np.concatenate([[0], np.cumsum(w.n)])
    return cs[starts + sizes] - cs[starts]


def _floors_small(Tg: npt.NDArray[np.int64], n: npt.NDArray[np.int64], Ng, sizes):
    """Exact floor and remainder of ``T n / N`` per row, for ``N < 2**57`` (``T``, ``N``
    per group, repeated over its `sizes` rows)."""
    safe = np.where(Ng > 0, Ng, 1)
    f = np.multiply(n, np.repeat(Tg / safe, sizes))  # estimate: within 2 of T n / N
    np.floor(f, out=f)
    f = f.astype(I64)
    N = np.repeat(safe, sizes)
    with np.errstate(over="ignore"):
        r = np.multiply(f, N)
        np.subtract(n * np.repeat(Tg, sizes), r, out=r)  # exact: within a few N of zero
    off = np.flatnonzero(r.view(np.uint64) >= N.view(np.uint64))  # r < 0 or r >= N
    if off.size:  # the estimate missed the floor: correct those rows exactly
        adj = r[off] // N[off]
        f[off] += adj
        r[off] -= adj * N[off]
    return f, r


def _floors_big(T, w: Weights, starts, sizes, g_of):
    """Floor per row and a float ranking key, exact wherever the estimate cannot decide."""
    wf = w.floats()
    if starts.size == 1 and w.n is None:  # the exact binary sum, correctly rounded: fsum
        lo, hi = w.sum_bounds(0, int(sizes[0]))
        Nf = np.array([float((lo + hi) / 2)])
        k_err = np.zeros(1)
    elif starts.size == 1:
        Nf = np.array([math.fsum(wf)])
        k_err = np.zeros(1)
    else:
        Nf = _segsum(wf.astype(np.longdouble), starts, sizes).astype(np.float64)
        k_err = sizes * 2 * float(np.finfo(np.longdouble).eps)
    Nf = np.where(sizes > 0, Nf, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        est = T * np.where(Nf[g_of] > 0, wf / Nf[g_of], 0.0)
    f = np.floor(est)
    key = est - f
    err = T * (_EPS + k_err[g_of]) + _EPS
    zero = (w.n == 0) if w.n is not None else (wf == 0)  # exact zeros only
    key[zero], f[zero] = -1.0, 0.0
    f = f.astype(I64)
    edge = np.flatnonzero(~zero & ((key <= err) | (key >= 1 - err)))
    for grp in np.unique(g_of[edge]).tolist():
        rows = edge[g_of[edge] == grp].tolist()
        got = w.quotas(int(T[rows[0]]), rows, int(starts[grp]), int(sizes[grp]))
        for i, (q, ra, rb) in zip(rows, got, strict=True):
            f[i], key[i] = q, float((ra + rb) / 2)
    return f, key, err


def _rank_order(kr: npt.NDArray, gr: npt.NDArray[np.intp], N: npt.NDArray | None):
    """Order of rows by group, then key descending, then index: ``lexsort((-kr, gr))``.

    One stable float sort of ``group - key/N`` (the key as a fraction of its group's sum;
    float keys are fractions already) does it; where two rows of a group meet at one float
    value with different keys, the exact lexsort decides instead.
    """
    u = kr / N[gr] if N is not None else kr
    comp = gr - u
    order = np.argsort(comp, kind="stable")
    cs = comp[order]
    same = np.flatnonzero(cs[1:] == cs[:-1])
    if same.size:
        ks, gs = kr[order], gr[order]
        if ((ks[same] != ks[same + 1]) & (gs[same] == gs[same + 1])).any():
            return np.lexsort((-kr, gr))
    return order


def _int_take(r, g_of, left, N, sizes):
    """Rows that take a leftover fen (1) or not (0), from exact remainders ``0 <= r < N``.

    Each group's remainders fall into ``B`` buckets by ``floor(r B / N)`` (monotone in
    ``r``, so a higher bucket holds larger remainders); counts per bucket place each
    group's cut in one bucket. Rows above it take a fen, and only the rows of the cut's
    bucket are ranked exactly (remainder descending, then index: the tie rule). Rows
    with a zero remainder (zero weights among them) never take one, as more than
    ``left`` rows have a positive one (the remainders add up to ``left × N``).
    """
    G = sizes.size
    B = 1 << max(0, min(8, (4 * r.size // max(G, 1)).bit_length() - 1))
    b = np.multiply(r, np.repeat(B / np.where(N > 0, N, 1), sizes))
    np.floor(b, out=b)
    down = (B - 1) - np.minimum(b.astype(np.intp), B - 1)  # bucket, counted from the top
    cum = np.cumsum(np.bincount(g_of * B + down, minlength=G * B).reshape(G, B), axis=1)
    j = np.count_nonzero(cum < left[:, None], axis=1)  # the bucket holding the cut
    k = left - np.where(j > 0, cum[np.arange(G), np.maximum(j - 1, 0)], 0)  # fen left there
    jr = np.repeat(j, sizes)
    take = (down < jr).astype(I64)
    cand = np.flatnonzero(down == jr)
    order = cand[np.lexsort((cand, -r[cand], g_of[cand]))]
    og = g_of[order]
    counts = np.bincount(og, minlength=G)
    rank = np.arange(order.size) - (np.cumsum(counts) - counts)[og]
    take[order[rank < k[og]]] = 1
    return take


def _core(Tg, w: Weights, starts, sizes):
    """Shares in fen for rows grouped contiguously: totals Tg, starts and sizes per group."""
    g_of = np.repeat(np.arange(starts.size), sizes)
    N = _group_sums(w, starts, sizes)
    if N is not None:
        n = w.n.astype(I64, copy=False)
        f, key = _floors_small(Tg, n, N, sizes)
        err, nonzero = None, n != 0
    else:
        T = np.repeat(Tg, sizes)
        f, key, err = _floors_big(T, w, starts, sizes, g_of)
        nonzero = key >= 0
    cs = np.concatenate([[0], np.cumsum(f)])
    left = np.where(sizes > 0, Tg - (cs[starts + sizes] - cs[starts]), 0)
    if not (left > 0).any():
        return f
    take = np.zeros(f.size, bool)
    cut = np.full(starts.size, np.nan)
    if starts.size == 1:
        k = int(left[0])
        c = np.partition(key, key.size - k)[key.size - k]  # the k-th largest key
        above = key > c
        take[np.flatnonzero(key == c)[: k - int(above.sum())]] = True
        take |= above
        cut[0] = c
    elif err is None:  # exact integer remainders: ranked bucket by bucket
        return f + _int_take(key, g_of, left, N, sizes)
    else:
        rows = np.flatnonzero((left[g_of] > 0) & nonzero)
        order = rows[_rank_order(key[rows], g_of[rows], None if err is not None else N)]
        og = g_of[order]
        counts = np.bincount(og, minlength=starts.size)
        rank = np.arange(order.size) - (np.cumsum(counts) - counts)[og]
        take[order[rank < left[og]]] = True
        at = rank == left[og] - 1
        cut[og[at]] = key[order[at]]
    if err is not None:
        _settle(take, key, err, cut, g_of, left, T, w, starts, sizes)
    return f + take


def _settle(take, key, err, cut, g_of, left, T, w: Weights, starts, sizes) -> None:
    """Decide near-ties of the float ranking exactly, group by group (big weights only)."""
    band = np.abs(key - cut[g_of]) <= 2 * err
    for grp in np.flatnonzero(np.bincount(g_of[band], minlength=cut.size) > 1).tolist():
        s, k = int(starts[grp]), int(sizes[grp])
        mine = slice(s, s + k)
        sure = key[mine] > cut[grp] + 2 * err[mine]
        cand = np.flatnonzero(band[mine]).tolist()
        got = w.quotas(int(T[s]), [s + i for i in cand], s, k)
        at_hi = sorted((-rb, i) for i, (_, _, rb) in zip(cand, got, strict=True))
        at_lo = sorted((-ra, i) for i, (_, ra, _) in zip(cand, got, strict=True))
        if [i for _, i in at_hi] != [i for _, i in at_lo]:  # the bounds on N cannot tell
            ints, big_n = w.exact(s, k)
            at_hi = sorted((-(int(T[s]) * ints[i] % big_n), i) for i in cand)
        chosen = [i for _, i in at_hi[: int(left[grp]) - int(sure.sum())]]
        sure[chosen] = True
        take[mine] = sure


def _run(totals: npt.NDArray[np.int64], w: Weights, sizes: npt.NDArray[np.intp]):
    """Allocate each group's total among its contiguous rows; signs mirrored."""
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)
    empty = (_segsum((w.floats() > 0).astype(np.int64), starts, sizes) == 0) & (totals != 0)
    if empty.any():
        msg = f"group {int(np.argmax(empty))} has an amount to share but no positive weight"
        raise ValueError(msg)
    sign = np.where(totals < 0, -1, 1)
    return _core(np.abs(totals), w, starts, sizes) * np.repeat(sign, sizes)


def allocate(total_fen: int, weights: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Split `total_fen` in proportion to `weights`, exactly, by largest remainder.

    Each share first gets the floor of its exact quota ``total * w / sum(w)``; the fen
    left over go one each to the largest remainders. **Tie rule:** equal remainders
    are served in index order (the lower index gets the fen first). A zero weight always
    gets 0. A negative total (a refund) is split as its absolute value and the signs
    mirrored, so refunds and charges round the same way.

    Parameters
    ----------
    total_fen : int
        Amount to split, in fen, at most ±MAX_FEN (9×10^15).
    weights : array_like, shape (n,)
        Non-negative weights as the decimals a person typed: int, str, Decimal,
        Fraction or float (read through its shortest repr, so 0.35 is 35/100).

    Returns
    -------
    ndarray of int64, shape (n,)
        Shares in fen; ``shares.sum() == total_fen`` always, each within one fen of its
        exact quota.

    Raises
    ------
    ValueError
        For empty, all-zero, negative, NaN or infinite weights, or a total beyond
        ±MAX_FEN (the message names the limit).

    Examples
    --------
    >>> allocate(100, [1, 1, 1]).tolist()
    [34, 33, 33]
    >>> allocate(-100, [1, 1, 1]).tolist()
    [-34, -33, -33]
    >>> allocate(19755, [5, 5, 4, 2, 5, 5, 1]).tolist()
    [3659, 3658, 2927, 1463, 3658, 3658, 732]
    >>> allocate(100.5, [1, 1])
    Traceback (most recent call last):
    ValueError: totals must be whole numbers of fen
    """
    if np.ndim(total_fen) != 0:
        raise ValueError("total must be one whole number of fen")
    total = int(_totals(total_fen)[0])  # 100.5 refused, range checked
    w = Weights(weights)
    if len(w.shape) != 1 or w.shape[0] == 0:
        msg = "weights must be a non-empty 1-D sequence"
        raise ValueError(msg)
    ints = w.n is not None and w.n.dtype != object
    top = int(w.n.max()) if ints else 0
    if not ((w.range[1] > 0) if w.range else top > 0 if ints else (w.floats() > 0).any()):
        msg = "weights are all zero: nothing to allocate by"
        raise ValueError(msg)
    if w.n is None:  # full-precision floats: the one-group float path
        out = one_float(abs(total), w)
    elif ints and top * w.n.size < _BIG / 2:  # int64 sum exact and below 2**56
        scale = getattr(w, "scale", 0)  # floats typed with few decimals: n == x × scale;
        x = w.x if scale else None  # their n is allocate's own: shares may overwrite it
        out = one_int(abs(total), w.n, int(w.n.sum()), x, scale or 1, reuse=x is not None)
    else:
        out = _run(np.array([abs(total)], I64), w, np.array([w.shape[0]], np.intp))
    return np.negative(out, out=out) if total < 0 else out  # in place: no copy of 8 MB


def allocate_groups(
    totals_fen: npt.ArrayLike, groups: npt.ArrayLike, weights: npt.ArrayLike
) -> npt.NDArray[np.int64]:
    """Split many totals at once, each among its own group, by largest remainder.

    The vectorized form of :func:`allocate` for a stairwell per elevator, a community per
    budget, a province of communities: row ``i`` belongs to group ``groups[i]`` and gets a
    share of ``totals_fen[groups[i]]`` in proportion to ``weights[i]`` within its group.
    Same exact arithmetic, tie rule (lower row index first) and sign mirroring; the
    result equals a loop of :func:`allocate` over the groups. Rows of a group need not
    be contiguous (they are sorted by group once if not already).

    Parameters
    ----------
    totals_fen : array_like of int, shape (g,)
        Amount per group, in fen.
    groups : array_like of int, shape (n,)
        Group index of each row, in ``0 .. g-1``.
    weights : array_like, shape (n,)
        Non-negative weights (as for :func:`allocate`); each group with a non-zero total
        needs a positive one.

    Returns
    -------
    ndarray of int64, shape (n,)
        Shares; within each group they add up exactly to its total.

    Examples
    --------
    >>> allocate_groups([100, 10], [0, 0, 0, 1, 1], [1, 1, 1, 1, 3]).tolist()
    [34, 33, 33, 3, 7]
    """
    totals = _totals(totals_fen)
    g = np.asarray(groups, dtype=I64)
    w = Weights(weights)
    if g.shape != w.shape or g.ndim != 1:
        msg = "groups and weights must be 1-D arrays of the same length"
        raise ValueError(msg)
    if g.size and (g.min() < 0 or g.max() >= totals.size):
        msg = f"group indices must lie in 0..{totals.size - 1}"
        raise ValueError(msg)
    sizes = np.bincount(g, minlength=totals.size).astype(np.intp)
    if g.size < 2 or bool((g[1:] >= g[:-1]).all()):
        return _run(totals, w, sizes)
    perm = np.argsort(g, kind="stable")
    out = np.empty(g.size, I64)
    out[perm] = _run(totals, w.take(perm), sizes)
    return out


def allocate_rows(totals_fen: npt.ArrayLike, weights: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Split each total of a column over the columns of its row: shape (n, k).

    Row ``i`` equals ``allocate(totals_fen[i], w_i)`` where ``w_i`` is `weights` (shape
    (k,), shared) or ``weights[i]`` (shape (n, k)).

    Examples
    --------
    >>> allocate_rows([100, 7], [1, 1, 1]).tolist()
    [[34, 33, 33], [3, 2, 2]]
    >>> allocate_rows([10, 10], [[1, 0], [1, 3]]).tolist()
    [[10, 0], [3, 7]]
    """
    totals = _totals(totals_fen)
    w = Weights(weights)
    shape = w.shape
    if len(shape) not in (1, 2) or (len(shape) == 2 and shape[0] != totals.size):
        msg = f"weights must have shape (k,) or ({totals.size}, k), got {shape}"
        raise ValueError(msg)
    k = shape[-1]
    flat = w.take(tile=totals.size) if len(shape) == 1 else w.take()
    out = _run(totals, flat, np.full(totals.size, k, np.intp))
    return out.reshape(totals.size, k)


assert MAX_FEN < _BIG // 4  # the small core's estimate error stays far below 2**63
