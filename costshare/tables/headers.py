"""One header matcher: a table's header cells to canonical column names by aliases.

Rosters, registers, ballots and plan candidates all name their columns through
:func:`norm_header` and :func:`header_positions`: case, spaces, ``_``/``-``/``/`` and a
unit in brackets (``面积（m²）``, ``余额(元)``) are ignored; when two columns name one
field, the alias listed first wins and :func:`alternatives` says which others were seen.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from costshare.tables.cells import clean_text

__all__ = ["alternatives", "header_positions", "norm_header", "rename_columns"]

_BRACKETS = re.compile(r"[（(\[【].*?[)）\]】]")
# traditional forms of the characters in header aliases (a Big5 or Hong Kong/Taiwan table)
_SIMPLIFIED = str.maketrans(
    "號積築內樓棟業單戶門層數額資維餘區縣設見決間編稱項費實際產權證話機碼齡價準",
    "号积筑内楼栋业单户门层数额资维余区县设见决间编称项费实际产权证话机码龄价准",
)


def norm_header(text: object) -> str:
    """A header cell as compared with aliases: lower case, no unit, ``_`` for spaces.

    Examples
    --------
    >>> norm_header(" 建筑面积（㎡）"), norm_header("\\ufeffUnit ID"), norm_header("餘額(元)")
    ('建筑面积', 'unit_id', '余额')
    """
    s = clean_text(text).lower().translate(_SIMPLIFIED)
    s = _BRACKETS.sub("", s)  # drop units: 面积(m²), 余额（元）
    s = re.sub(r"[\s_\-/]+", "_", s).strip("_")
    return s.removesuffix("m2").removesuffix("㎡").strip("_")


def _ranks(aliases: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, int]]:
    ranks: dict[str, tuple[str, int]] = {}
    for col, names in aliases.items():
        for i, a in enumerate((col, *names)):
            ranks.setdefault(norm_header(a), (col, i))
    return ranks


def _hits(cells: Sequence[object], aliases: Mapping[str, Sequence[str]]) -> dict[str, list[Any]]:
    ranks = _ranks(aliases)
    hits: dict[str, list[Any]] = {}
    for pos, cell in enumerate(cells):
        if cell is None or (isinstance(cell, float) and cell != cell):
            continue
        hit = ranks.get(norm_header(cell))
        if hit is not None:
            hits.setdefault(hit[0], []).append((hit[1], pos))
    return {col: sorted(h) for col, h in hits.items()}


def header_positions(
    cells: Sequence[object], aliases: Mapping[str, Sequence[str]]
) -> dict[str, int]:
    """Canonical column → position in `cells`, keeping the best-ranked alias of each.

    A cell equal to the canonical name itself ranks first, then the aliases in order.

    Examples
    --------
    >>> header_positions(["房号", "建筑面积", "套内面积"], {"unit_id": ("房号",),
    ...                  "area_m2": ("套内面积", "建筑面积")})
    {'unit_id': 0, 'area_m2': 2}
    """
    return {col: h[0][1] for col, h in _hits(cells, aliases).items()}


def alternatives(
    cells: Sequence[object], aliases: Mapping[str, Sequence[str]]
) -> dict[str, list[int]]:
    """Canonical column → positions of the *other* cells naming it (not used).

    Examples
    --------
    >>> alternatives(["建筑面积", "套内面积"], {"area_m2": ("套内面积", "建筑面积")})
    {'area_m2': [0]}
    """
    return {col: [p for _, p in h[1:]] for col, h in _hits(cells, aliases).items() if len(h) > 1}


def rename_columns(
    columns: Sequence[object], aliases: Mapping[str, Sequence[str]], *, strict: bool = False
) -> tuple[list[object], list[str]]:
    """`columns` with the best header of each canonical column renamed to it.

    Returns the new column names and the canonical names named by more than one column
    (with `strict`, those are also left for the caller to refuse; otherwise the other
    columns keep their own names).

    Examples
    --------
    >>> rename_columns(["房号", "表决意见", "x"], {"unit_id": ("房号",), "vote": ("表决意见",)})
    (['unit_id', 'vote', 'x'], [])
    >>> rename_columns(["区", "district"], {"district": ("区",)})
    (['区', 'district'], ['district'])
    """
    hits = _hits(columns, aliases)
    names = list(columns)
    for col, h in hits.items():
        names[h[0][1]] = col
    many = sorted(col for col, h in hits.items() if len(h) > 1)
    if strict:
        for col, h in hits.items():
            for _, pos in h[1:]:
                names[pos] = col
    return names, many
