"""Households that opt out of an elevator (or any shared work) and what the others pay."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare.errors import InputError, Problem
from costshare.money import allocate

__all__ = ["opt_out_shares"]


def opt_out_shares(
    total_fen: int,
    weights: npt.ArrayLike | pd.Series,
    opted_out: npt.ArrayLike | pd.Series,
) -> npt.NDArray[np.int64] | pd.Series:
    """Share an optional item's cost (an elevator) among the households that stay in.

    Households that opt out pay nothing; the whole `total_fen` is split over the others
    in proportion to their weights with :func:`costshare.money.allocate` (largest
    remainder, ties to the lower index), so the shares add up to the fen.

    Parameters
    ----------
    total_fen : int
        The cost to share, in fen (for an elevator: the net cost after subsidies).
    weights : array_like or Series, shape (n,)
        Non-negative weights, e.g. floor coefficient × area.
    opted_out : array_like of bool or Series, shape (n,)
        True for each household that opts out.

    Returns
    -------
    ndarray of int64 or Series
        Shares in fen (a Series with the index of `weights` when it is one).

    Raises
    ------
    InputError
        Shapes differ, everyone opted out, or those left all have zero weight.

    Examples
    --------
    >>> opt_out_shares(100_00, [1, 1, 1, 1], [False, True, False, False]).tolist()
    [3334, 0, 3333, 3333]
    """
    index = weights.index if isinstance(weights, pd.Series) else None
    w = np.asarray(weights, dtype=np.float64)
    out = np.asarray(opted_out, dtype=bool)
    if w.shape != out.shape or w.ndim != 1:
        msg = f"weights {w.shape} and opted_out {out.shape} must be 1-D and the same length"
        raise InputError(Problem(msg, field="opted_out"))
    if out.all():
        raise InputError(
            Problem("every household opted out: nobody is left to pay", field="opted_out")
        )
    stay = np.where(out, 0.0, w)
    try:
        shares = allocate(total_fen, stay)
    except ValueError as exc:
        raise InputError(Problem(f"households that stay in: {exc}", field="weights")) from None
    return pd.Series(shares, index=index, name="share_fen") if index is not None else shares
