"""The airport game (Littlechild & Owen 1973): elevator shares from first principles.

An elevator that reaches floor *f* costs the increments needed to reach floors 2 … *f*;
in the cost game "each set of households pays for the highest floor among them" the
Shapley value has a closed form: every increment is shared equally by the households who
need it (those living at or above it). With equal increments per floor of rise — an
assumption (A: no seed or rule gives the cost of each floor's shaft) — a household on
floor *f* weighs ``Σ_{k=2}^{f} 1 / n_k``, where ``n_k`` is the number of paying households
on floor *k* or higher; ground-floor households need no increment and weigh 0.

Reference: S. C. Littlechild and G. Owen, "A simple expression for the Shapley value in a
special case", Management Science 20(3), 1973, 370–372.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import numpy.typing as npt

__all__ = ["AIRPORT_NOTE", "airport_weights"]

AIRPORT_NOTE = (
    "A: airport game (Shapley value, Littlechild & Owen 1973): each floor's increment of the "
    "elevator is shared equally by the households on that floor and above; equal increments "
    "per floor are assumed (no seed gives the cost of each floor)"
)


def airport_weights(floors: npt.ArrayLike, payer: npt.ArrayLike, ground: int = 1) -> list[Fraction]:
    """Each household's Shapley weight (in floor increments; 0 for non-payers, ground floor).

    Examples
    --------
    Floors 2, 3, 3: the 2nd-floor increment is shared by 3, the 3rd by 2.

    >>> [str(w) for w in airport_weights([2, 3, 3], [True] * 3)]
    ['1/3', '5/6', '5/6']
    >>> [str(w) for w in airport_weights([1, 2, 6], [True, True, False])]
    ['0', '1', '0']
    """
    fl = np.asarray(floors, dtype=np.int64)
    pay = np.asarray(payer, dtype=bool)
    top = int(fl[pay].max()) if pay.any() else ground
    # n_k: paying households on floor k or higher
    need = {k: int((pay & (fl >= k)).sum()) for k in range(ground + 1, top + 1)}
    cum: dict[int, Fraction] = {ground: Fraction(0)}
    for k in range(ground + 1, top + 1):
        cum[k] = cum[k - 1] + (Fraction(1, need[k]) if need[k] else Fraction(0))
    return [cum[min(int(f), top)] if p and f > ground else Fraction(0)
            for f, p in zip(fl.tolist(), pay.tolist(), strict=True)]  # fmt: skip
