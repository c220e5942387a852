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
    """Arguments as float64 arrays of one broadcast shape (numpy-financial's convention)."""
    return np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in args))


def mark_errors(
    out: np.ndarray, bad: Any, fn: str, code: str, why: str, stacklevel: int = 3
) -> None:
    """Set ``out[bad] = NaN`` and warn naming `fn`, the Excel `code` and the reason."""
    bad = np.broadcast_to(np.asarray(bad, dtype=bool), out.shape)
    if bad.any():
        out[bad] = np.nan
        k = int(bad.sum())
        msg = f"{fn}: Excel gives {code} ({why}) for {k} of {out.size} input(s); NaN there"
        warnings.warn(msg, ExcelErrorWarning, stacklevel=stacklevel)


def as_result(out: np.ndarray) -> Any:
    """A 0-d result as a Python float, anything else as the array."""
    return float(out) if np.ndim(out) == 0 else out
