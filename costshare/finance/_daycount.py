"""Day-count conventions for dated flows: the year fraction between two dates.

Names are pyxirr's (``pyxirr.DayCount``): ``ACT_365F`` (actual/365 fixed, the default
and Excel's XNPV/XIRR), ``ACT_360``, ``ACT_364``, ``ACT_365_25``, ``ACT_ACT_ISDA``,
``THIRTY_U_360`` (30/360 US), ``THIRTY_360_ISDA`` (30/360 bond basis), ``THIRTY_E_360``
(30E/360, European), ``THIRTY_E_360_ISDA`` (30E/360 German), ``THIRTY_E_PLUS_360``,
``NL_365`` and ``NL_360`` (no leap days). pyxirr's spellings (``"30/360 US"``,
``"Actual/Actual ISDA"``, ``"act/360"`` ...) and its ``DayCount`` values are accepted too.
Dates are whole days; numbers given instead of dates count days from 1970-01-01.

References
----------
ISDA 2006 Definitions, section 4.16 (day count fractions); pyxirr 0.10 ``DayCount``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["DAY_COUNTS", "day_count_name", "year_fraction"]

_ALIASES = {
    "ACT_ACT_ISDA": ("actual/actual", "actual/actual isda", "act/act", "act/act isda"),
    "ACT_365F": ("actual/365 fixed", "act/365 fixed", "a/365 fixed", "actual/365f", "act/365f",
                 "a/365f", "english"),
    "ACT_365_25": ("actual/365.25", "act/365.25", "a/365.25"),
    "ACT_364": ("actual/364", "act/364", "a/364"),
    "ACT_360": ("actual/360", "act/360", "a/360", "french"),
    "THIRTY_360_ISDA": ("30/360", "30/360 isda", "bond basis"),
    "THIRTY_E_360": ("30e/360", "30/360 isma", "eurobond basis", "30/360 european"),
    "THIRTY_U_360": ("30u/360", "30us/360", "30/360 us", "30/360 sia"),
    "THIRTY_E_PLUS_360": ("30e+/360",),
    "THIRTY_E_360_ISDA": ("30e/360 isda", "30e/360 german", "german"),
    "NL_365": ("nl/365", "nl365"),
    "NL_360": ("nl/360", "nl360"),
}  # fmt: skip
DAY_COUNTS = tuple(_ALIASES)
_LOOKUP = {k.lower(): k for k in _ALIASES} | {a: k for k, v in _ALIASES.items() for a in v}
_LOOKUP |= {f"daycount.{k.lower()}": k for k in _ALIASES}


def day_count_name(day_count: Any) -> str:
    """The canonical (pyxirr) name of a day-count convention.

    Examples
    --------
    >>> day_count_name("30/360 US"), day_count_name("act_360"), day_count_name(None)
    ('THIRTY_U_360', 'ACT_360', 'ACT_365F')
    """
    if day_count is None:
        return "ACT_365F"
    key = str(day_count).strip().lower()
    if key not in _LOOKUP:
        msg = f"unknown day count {day_count!r}; use one of {', '.join(DAY_COUNTS)}"
        raise ValueError(msg)
    return _LOOKUP[key]


def _leap(y: np.ndarray) -> np.ndarray:
    return (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))


def _leaps_through(y: np.ndarray) -> np.ndarray:
    """Leap years in 1..y (proleptic Gregorian)."""
    return y // 4 - y // 100 + y // 400


def _year_start(y: np.ndarray) -> np.ndarray:
    """Day number of 1 January of year `y`."""
    return (y - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = days.astype("datetime64[D]")
    y = d.astype("datetime64[Y]")
    m = d.astype("datetime64[M]")
    year = y.astype(np.int64) + 1970
    month = (m - y.astype("datetime64[M]")).astype(np.int64) + 1
    day = (d - m.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def _last_of_feb(month: np.ndarray, day: np.ndarray, year: np.ndarray) -> np.ndarray:
    return (month == 2) & (day == np.where(_leap(year), 29, 28))


def _thirty(d1: np.ndarray, d2: np.ndarray, name: str) -> np.ndarray:
    y1, m1, a = _ymd(d1)
    y2, m2, b = _ymd(d2)
    if name == "THIRTY_E_360":
        a, b = np.minimum(a, 30), np.minimum(b, 30)
    elif name == "THIRTY_360_ISDA":
        a = np.minimum(a, 30)
        b = np.where(a >= 30, np.minimum(b, 30), b)
    elif name == "THIRTY_E_360_ISDA":
        a = np.where(_last_of_feb(m1, a, y1), 30, np.minimum(a, 30))
        b = np.where(_last_of_feb(m2, b, y2), 30, np.minimum(b, 30))
    elif name == "THIRTY_U_360":
        feb1 = _last_of_feb(m1, a, y1)
        a2 = np.where(feb1, 30, np.minimum(a, 30))
        b = np.where(feb1 & _last_of_feb(m2, b, y2), 30, np.where(a2 >= 30, np.minimum(b, 30), b))
        a = a2
    else:  # THIRTY_E_PLUS_360: a 31st end date rolls to the 1st of the next month
        a = np.minimum(a, 30)
        y3, m3, b3 = _ymd(d2 + 1)
        roll = b == 31
        y2, m2, b = np.where(roll, y3, y2), np.where(roll, m3, m2), np.where(roll, b3, b)
    return 360 * (y2 - y1) + 30 * (m2 - m1) + (b - a)


def year_fraction(d1: npt.ArrayLike, d2: npt.ArrayLike, day_count: Any = None) -> np.ndarray:
    """Years from day `d1` to day `d2` (int day numbers from 1970-01-01) by a convention.

    Examples
    --------
    >>> d = np.array(["2007-12-28", "2008-02-29"], dtype="datetime64[D]").astype(np.int64)
    >>> [round(float(year_fraction(d[0], d[1], k)) * 360, 9) for k in ("ACT_360", "30U/360")]
    [63.0, 61.0]
    >>> float(year_fraction(d[0], d[1], "ACT_ACT_ISDA")) == 4 / 365 + 59 / 366
    True
    """
    name = day_count_name(day_count)
    a = np.asarray(d1, dtype=np.int64)
    b = np.asarray(d2, dtype=np.int64)
    a, b = np.broadcast_arrays(a, b)
    if name.startswith("ACT_") and name != "ACT_ACT_ISDA":
        div = {"ACT_365F": 365.0, "ACT_360": 360.0, "ACT_364": 364.0, "ACT_365_25": 365.25}
        return (b - a) / div[name]
    if name.startswith("THIRTY"):
        return _thirty(a, b, name) / 360.0
    y1, m1, _ = _ymd(a)
    y2, _, _ = _ymd(b)
    leaps = _leaps_through(y2) - _leaps_through(y1 - 1)
    if name == "ACT_ACT_ISDA":
        normal = (y2 - y1 + 1 - leaps) * 365
        leap = leaps * 366
        ord1, ord2 = a - _year_start(y1), b - _year_start(y2)  # day of the year, from 0
        l1, l2 = _leap(y1), _leap(y2)
        leap = leap - np.where(l1, ord1, 0) - np.where(l2, 366 - ord2, 0)
        normal = normal - np.where(l1, 0, ord1) - np.where(l2, 0, 365 - ord2)
        return normal / 365.0 + leap / 366.0
    ord2 = b - _year_start(y2)
    skip = leaps - (_leap(y1) & (m1 > 2)) - (_leap(y2) & (ord2 < 59))
    return (b - a - skip) / (365.0 if name == "NL_365" else 360.0)
