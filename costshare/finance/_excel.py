"""Spreadsheet errors as NaN with a reason: where Excel (and LibreOffice Calc) answer
``#NUM!`` or ``#DIV/0!``, the finance functions return NaN and warn once per call with an
:class:`ExcelErrorWarning` that names the function, the error, the reason and how many
inputs it hit.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

__all__ = ["ExcelErrorWarning", "as_result", "broadcast", "mark_errors"]


class ExcelErrorWarning(RuntimeWarning):
    """An input where Excel answers #NUM! or #DIV/0!; the result there is NaN."""


def broadcast(*args: Any) -> list[np.ndarray]:
    """Arguments as float64 arrays of one broadcast shape (numpy-financial's convention).

    >>> [a.shape for a in broadcast(1, [1, 2], [[1], [2]])]
    [(2, 2), (2, 2), (2, 2)]
    """
    return np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in args))


def mark_errors(
    out: np.ndarray, bad: Any, fn: str, code: str, why: str, stacklevel: int = 3
) -> None:
    """Set ``out[bad] = NaN`` and warn naming `fn`, the Excel `code` and the reason.

    >>> out = np.array([1.0, 2.0])
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     mark_errors(out, [False, True], "sln", "#DIV/0!", "life is 0")
    >>> out.tolist(), str(w[0].message)
    ([1.0, nan], 'sln: Excel gives #DIV/0! (life is 0) for 1 of 2 input(s); NaN there')
    """
    bad = np.broadcast_to(np.asarray(bad, dtype=bool), out.shape)
    if bad.any():
        out[bad] = np.nan
        k = int(bad.sum())
        msg = f"{fn}: Excel gives {code} ({why}) for {k} of {out.size} input(s); NaN there"
        warnings.warn(msg, ExcelErrorWarning, stacklevel=stacklevel)


def as_result(out: np.ndarray) -> Any:
    """A 0-d result as a Python float, anything else as the array.

    >>> as_result(np.array(2.5)), as_result(np.array([2.5])).tolist()
    (2.5, [2.5])
    """
    return float(out) if np.ndim(out) == 0 else out
