"""One normaliser for identifier cells: building, stairwell, room and unit labels.

A clerk writes one household many ways: ``1``/``1栋``/``1号楼``/``１号楼``/``一号楼``
for a building, ``1-101``/``1栋101``/``1号楼101室`` for a unit, sometimes with a
zero-width space, a byte-order mark or a leading apostrophe (Excel's "text" marker)
pasted in. :func:`ident_key` reduces every spelling to one key, used wherever two
identifiers are compared (duplicate households, ``--building`` filters, ballots against
the register, exempt lists); the original text is kept for display.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterable

import numpy as np

__all__ = [
    "clean_text",
    "clean_texts",
    "ident_cell_problem",
    "ident_key",
    "ident_keys",
    "same_ident",
]

_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_APOSTROPHES = "'‘’`´"
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_DIGITS |= {"七": 7, "八": 8, "九": 9}
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百]+")
# markers that end a part of a unit's name: 1号楼 / 1栋 / 2单元 / 101室 ...
_MARKERS = re.compile(r"号楼|栋楼|单元|号院|号房|[栋幢座号楼门室房户#＃]")
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−_/\\.·・,，、:：]+")


def clean_text(value: object) -> str:
    """A text cell as the clerk meant it: NFKC, no invisible characters, no Excel apostrophe.

    Zero-width spaces, joiners, byte-order marks and direction marks are removed, a
    leading apostrophe (Excel's marker for "text") is dropped and surrounding spaces
    are stripped. A float holding a whole number (``101.0`` from a workbook) is ``101``.

    Examples
    --------
    >>> clean_text("\\ufeff'１０１\\u200b "), clean_text(101.0), clean_text(None)
    ('101', '101', '')
    """
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
    s = str(value)
    if not s.isascii():
        s = _INVISIBLE.sub("", unicodedata.normalize("NFKC", s))
    s = s.strip()
    if s[:1] in _APOSTROPHES:
        s = s[1:].strip()
    return s


def ident_cell_problem(value: object) -> str | None:
    """Why `value` cannot be an identifier cell (room, unit, building), or None.

    Excel turns ``1-101`` or ``3/2`` typed in a cell into a date, and ``TRUE`` into a
    truth value: the clerk's label is gone, and reading the date as text would make a
    room called ``2001-01-01``. Such a cell is refused (by the reader, with its row).

    Examples
    --------
    >>> import datetime as dt
    >>> ident_cell_problem("1-101") is None, ident_cell_problem(101) is None
    (True, True)
    >>> ident_cell_problem(dt.datetime(2001, 1, 1))
    'the spreadsheet shows a date (2001-01-01) here, not a room or unit label: Excel turns 1-101 typed in a cell into a date; format the column as text and type the label again'
    """
    import datetime as dt

    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        shown = value.date() if isinstance(value, dt.datetime) else value
        return (
            f"the spreadsheet shows a date ({shown}) here, not a room or unit label: Excel "
            "turns 1-101 typed in a cell into a date; format the column as text and type "
            "the label again"
        )
    if isinstance(value, bool):
        return f"the spreadsheet shows a truth value ({value}) here, not a room or unit label"
    return None


def _cn_number(m: re.Match[str]) -> str:
    text = m.group(0)
    if "百" in text:
        return text  # not a building or room number; left as written
    if "十" not in text:
        return "".join(str(_CN_DIGITS[c]) for c in text)
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return text
    return str((_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0)))


def ident_key(value: object) -> str:
    """The comparison key of a building, stairwell, room or unit label.

    Parts are separated by ``-``; the markers 栋/幢/号楼/号/单元/室/# end a part;
    Chinese numerals become digits (一 → 1, 十二 → 12); leading zeros of a numeric part
    are dropped (``0101`` → ``101``); letters are upper case; spaces, zero-width
    characters, BOMs and a leading apostrophe are ignored.

    Examples
    --------
    >>> [ident_key(x) for x in ("1", "1栋", "1号楼", "１号楼", "一号楼", " '1\\u200b")]
    ['1', '1', '1', '1', '1', '1']
    >>> [ident_key(x) for x in ("1-101", "1栋101", "1号楼101室", "1 - 101")]
    ['1-101', '1-101', '1-101', '1-101']
    >>> [ident_key(x) for x in ("1-1-101", "1栋1单元101", "一号楼一单元101室", "a座")]
    ['1-1-101', '1-1-101', '1-1-101', 'A']
    """
    s = clean_text(value)
    if not s:
        return ""
    if not s.isascii():
        s = s.removeprefix("第")
        s = _CN_NUMBER.sub(_cn_number, s)
        s = _MARKERS.sub("-", s)
    s = _SEPARATORS.sub("-", s.replace("#", "-")).strip("-").upper()
    if "-" not in s:
        return s.lstrip("0") or s if s.isdigit() else s
    return "-".join((p.lstrip("0") or "0") if p.isdigit() else p for p in s.split("-"))


def same_ident(a: object, b: object) -> bool:
    """True when `a` and `b` name the same building, stairwell or unit.

    Examples
    --------
    >>> same_ident("1号楼", "１"), same_ident("1-101", "1-102")
    (True, False)
    """
    return ident_key(a) == ident_key(b)


def _by_unique(values: Iterable[object], fn: Callable[[object], str]) -> list[str]:
    memo: dict[object, str] = {}
    out = []
    for v in values:
        try:
            k = memo[v]
        except KeyError:
            k = memo[v] = fn(v)
        except TypeError:  # an unhashable cell
            k = fn(v)
        out.append(k)
    return out


def ident_keys(values: Iterable[object]) -> list[str]:
    """:func:`ident_key` of every value (each distinct value normalised once).

    Labels already in key form (``101``, ``1-101``: digits without leading zeros) are
    their own key and skip the per-value work, which a million distinct room numbers
    would otherwise spend in Python; a pandas string column is checked for that form
    in one vectorized pass.

    Examples
    --------
    >>> ident_keys(["1号楼", "1栋", "2"])
    ['1', '1', '2']
    """
    if _is_text_series(values):
        done = values.str.fullmatch(_KEY_FORM.pattern).to_numpy(dtype=bool, na_value=False)
        out = values.to_numpy(dtype=object)
        rest = np.flatnonzero(~done)
        if rest.size:
            out[rest] = _by_unique(out[rest].tolist(), ident_key)
        return out.tolist()
    return _by_unique(values, _ident_key_quick)


_KEY_FORM = re.compile(r"(?:[1-9][0-9]*|0)(?:-(?:[1-9][0-9]*|0))*")  # ident_key(s) == s


def _ident_key_quick(value: object) -> str:
    if type(value) is str and _KEY_FORM.fullmatch(value):
        return value
    return ident_key(value)


def _is_text_series(values: object) -> bool:
    """A pandas Series of the string dtype (no pandas import when there is none)."""
    pd = sys.modules.get("pandas")
    return (
        pd is not None
        and isinstance(values, pd.Series)
        and isinstance(values.dtype, pd.StringDtype)
    )


def clean_texts(values: Iterable[object]) -> list[str]:
    """:func:`clean_text` of every value (each distinct value cleaned once).

    Examples
    --------
    >>> clean_texts(["'007", "a\u200b"])
    ['007', 'a']
    """
    return _by_unique(values, clean_text)
