"""One roster cell at a time: numbers (decimal commas, units, NFKC), bounds, labels.

Used by :mod:`._roster_parse` for every cell that is not a plain number, so its value
or its problem is made here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np

from costshare.money import MAX_FEN
from costshare.tables.cells import clean_text, ident_cell_problem

__all__ = [
    "AmbiguousNumberError",
    "Bounds",
    "is_blank",
    "is_formula",
    "is_total_label",
    "nfkc",
    "parse_cell",
    "shown",
]


@dataclass(frozen=True)
class Bounds:
    """Plausibility bounds of a roster's numeric columns (both ends included).

    A value outside them is an error naming the row and field (an ID or phone number
    typed into the area column is then caught, not charged). Floor 0 does not exist:
    floors run ``floor[0]..-1`` (basements) and ``1..floor[1]``. The fund balance is
    bounded by the one money limit, :data:`costshare.money.MAX_FEN`.

    Examples
    --------
    >>> Bounds().area_m2, Bounds(area_m2=(1, 5000)).area_m2
    ((5, 2000), (1, 5000))
    """

    area_m2: tuple[float, float] = (5, 2000)
    headcount: tuple[int, int] = (0, 30)
    floor: tuple[int, int] = (-5, 200)


def _expect(col: str, b: Bounds) -> str:
    if col == "unit_id":
        return "a unit id such as 501"
    if col == "floor":
        return f"a whole number from {b.floor[0]} to {b.floor[1]} (there is no floor 0)"
    if col == "area_m2":
        return f"an area from {b.area_m2[0]:g} to {b.area_m2[1]:g} m² such as 82.5"
    if col == "headcount":
        return f"a whole number of people from {b.headcount[0]} to {b.headcount[1]}"
    return "an amount in yuan, 0 or more, such as 1234.50"


_LONG_DIGITS = re.compile(r"\d{7,}")


def shown(v: object) -> str:
    """How a bad cell is quoted in a message: never a long number (ID, phone, account).

    Examples
    --------
    >>> shown("abc"), shown("110101199001011232"), shown("138 0013 8000")
    ("'abc'", 'a long number (not shown: it may be an ID or phone number)', \
'a long number (not shown: it may be an ID or phone number)')
    """
    text = v.strip() if isinstance(v, str) else _text(v) if isinstance(v, float) else str(v)
    if _LONG_DIGITS.search(re.sub(r"[\s\-+().]", "", text)):
        return "a long number (not shown: it may be an ID or phone number)"
    return repr(text if len(text) <= 40 else text[:40] + "…")


def nfkc(text: str) -> str:
    """One Unicode normalisation (NFKC) for cell text: ``１０１`` → ``101``, ``１２３．４`` → ``123.4``.

    Examples
    --------
    >>> nfkc("１２３．４"), nfkc("１０１"), nfkc("82.5㎡")
    ('123.4', '101', '82.5m2')
    """
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


_TOTAL = re.compile(
    r"^(?:.{0,12}(?:合计|小计|总计|共计|累计|总和)|(?:grand\s*|sub\s*)?totals?|sum|subtotal)[:：]?$",
    re.IGNORECASE,
)


_MAY_TOTAL = re.compile(r"[计計和]|[tｔTＴ][oｏOＯ]|[sｓSＳ][uｕUＵ]")


def is_total_label(v: object) -> bool:
    """True for a totals or subtotal label: 合计, 小计, 1号楼小计, 总 计, Total...

    Examples
    --------
    >>> [is_total_label(x) for x in ("合计", "合 计：", "本页小计", "Sub-total", "Total", "张计")]
    [True, True, True, False, True, False]
    """
    if not isinstance(v, str) or len(v) > 30:
        return False
    if not _MAY_TOTAL.search(v):  # cheap test first: most cells are names and numbers
        return False
    return bool(_TOTAL.match(re.sub(r"\s+", "", nfkc(v))))


def is_blank(v: object) -> bool:
    return (
        v is None
        or (isinstance(v, float) and np.isnan(v))
        or (isinstance(v, str) and not v.strip())
    )


# ---------------------------------------------------------------- parsing cells


def _text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


class AmbiguousNumberError(ValueError):
    """A number whose comma (or dot) may be a decimal or a thousands separator."""


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DEC_COMMA = re.compile(r"[+-]?\d+,\d+")
_DOT_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?")


def _number(v: object, decimal_comma: bool = False, money: bool = False) -> Decimal | None:
    """The number in a cell, or None; :class:`AmbiguousNumberError` when its comma cannot be told.

    ``82,5`` is 82.5; ``1,234.5`` is 1234.5; ``1,234`` alone is ambiguous except for
    money (three decimals of a yuan do not exist). With `decimal_comma` (a
    semicolon-separated file), ``1.234,5`` is 1234.5 and ``1.234`` is ambiguous.
    """
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(repr(v)) if np.isfinite(v) else None
    s = nfkc(str(v)).strip().replace(" ", "")
    s = re.sub(r"(m²|m2|平方米|平米|元|人|层|f)$", "", s, flags=re.IGNORECASE)
    if decimal_comma and ("," in s or _DOT_THOUSANDS.fullmatch(s)):
        if _DOT_THOUSANDS.fullmatch(s) and "," not in s:
            raise AmbiguousNumberError(s)
        s = s.replace(".", "").replace(",", ".")
    elif "," in s:
        if _THOUSANDS.fullmatch(s):
            if "." not in s and s.count(",") == 1 and not money:
                raise AmbiguousNumberError(s)
            s = s.replace(",", "")
        elif _DEC_COMMA.fullmatch(s):
            s = s.replace(",", ".")
        else:
            return None
    try:
        d = Decimal(s)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _whole(v: object) -> int | None:
    try:
        d = _number(v)
    except AmbiguousNumberError:
        return None
    if d is None or d != d.to_integral_value():
        return None
    return int(d)


def is_formula(v: object) -> bool:
    return isinstance(v, str) and v.startswith("=") and len(v) > 1


def parse_cell(
    col: str, v: object, row: int, bad: Any, b: Bounds, decimal_comma: bool = False
) -> Any:
    blank = is_blank(v)
    got = "nothing" if blank else shown(v)
    expect = _expect(col, b)
    if col in ("unit_id", "building", "stairwell", "owner_name"):
        if blank:
            if col == "unit_id":
                bad(row, col, f"is empty: expected {expect}")
            return ""
        odd = None if col == "owner_name" else ident_cell_problem(v)
        if odd is not None:  # a date Excel made of 1-101: refused, never '2001-01-01'
            bad(row, col, odd)
            return ""
        return clean_text(v)
    if col in ("floor", "headcount"):
        if blank and col == "headcount":
            return None
        n = None if blank else _whole(v)
        lo, hi = b.floor if col == "floor" else b.headcount
        if n is None or not lo <= n <= hi or (col == "floor" and n == 0):
            bad(row, col, f"expected {expect}, got {got}")
            return None
        return n
    if blank and col == "fund_balance":
        return None
    try:
        d = None if blank else _number(v, decimal_comma, money=col == "fund_balance")
    except AmbiguousNumberError:
        msg = (
            "cannot tell whether the comma (or dot) is a decimal or a thousands separator; "
            "write the number without thousands separators, with a dot for decimals"
        )
        bad(row, col, msg)
        return None
    if col == "area_m2":
        if d is None or not b.area_m2[0] <= d <= b.area_m2[1]:
            bad(row, col, f"expected {expect}, got {got}")
            return None
        return float(d)
    # fund_balance: at most the one money limit, whole fen
    if d is None or d < 0 or d * 100 > MAX_FEN or d != d.quantize(Decimal("0.01")):
        bad(row, col, f"expected {expect}, got {got}")
        return None
    return float(d)
