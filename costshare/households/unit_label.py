"""The one builder of household labels: ``1号楼1单元101`` or ``1-1-101`` from normalised parts.

A roster may write its building as ``1``, ``1号楼``, ``1栋`` or ``1幢`` and its stairwell
as ``1`` or ``1单元``; gluing a suffix onto such a cell gives ``1号楼栋1单元单元101``.
Here each part is first normalised (the suffix a roster may carry is taken off), then
the label is built with one suffix per part. Every other module calls :func:`unit_label`
or :func:`unit_label_series`.
"""

from __future__ import annotations

import re
from typing import Literal

import pandas as pd

__all__ = ["LabelStyle", "normalise_part", "unit_label", "unit_label_series"]

LabelStyle = Literal["dash", "zh"]

_SUFFIX = {
    "building": re.compile(r"^(.+?)\s*(?:号楼|号栋|号幢|栋|幢|楼|号)$"),
    "stairwell": re.compile(r"^(.+?)\s*(?:单元|号门|门|梯)$"),
    "unit": re.compile(r"^(.+?)\s*(?:室|号房|号)$"),
}
_ZH = {"building": "号楼", "stairwell": "单元"}
_PLAIN = re.compile(r"^[0-9A-Za-z一二三四五六七八九十百零〇]+$")


def normalise_part(value: object, part: Literal["building", "stairwell", "unit"]) -> str:
    """`value` without the suffix a roster may carry (``1号楼`` → ``1``); blanks are "".

    Examples
    --------
    >>> normalise_part("1号楼", "building"), normalise_part(" 3栋", "building")
    ('1', '3')
    >>> normalise_part("2单元", "stairwell"), normalise_part("501室", "unit")
    ('2', '501')
    >>> normalise_part("A座", "building"), normalise_part(None, "building")
    ('A座', '')
    """
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    text = str(value).strip()
    if text.lower() in ("nan", "none", "<na>"):
        return ""
    m = _SUFFIX[part].match(text)
    return m.group(1).strip() if m else text


def unit_label(building: object, stairwell: object, unit: object, style: LabelStyle = "zh") -> str:
    """One household's label from its parts; a blank building or stairwell is left out.

    Parameters
    ----------
    building, stairwell, unit : object
        The roster's cells, with or without their suffixes (``1``, ``1号楼``, ``1单元``).
    style : {"zh", "dash"}
        ``"1号楼1单元101"`` (notices and ballots) or ``"1-1-101"`` (what users type).

    Examples
    --------
    >>> unit_label("1号楼", "1单元", "101"), unit_label("1", "1", "101", "dash")
    ('1号楼1单元101', '1-1-101')
    >>> unit_label("3栋", "", "501室"), unit_label("A座", "2", "101")
    ('3号楼501', 'A座2单元101')
    """
    b = normalise_part(building, "building")
    s = normalise_part(stairwell, "stairwell")
    u = normalise_part(unit, "unit")
    if style == "dash":
        return "-".join(p for p in (b, s, u) if p)
    out = ""
    for text, key in ((b, "building"), (s, "stairwell")):
        if text:
            out += text + (_ZH[key] if _PLAIN.match(text) else "")
    return out + u


def unit_label_series(frame: pd.DataFrame, style: LabelStyle = "dash") -> pd.Series:
    """:func:`unit_label` for every row of `frame` (``unit_id``, optional ``building``, ``stairwell``).

    Each distinct part is normalised once, so a million rows cost a few distinct values.

    Examples
    --------
    >>> f = pd.DataFrame({"building": ["1号楼", "1"], "stairwell": ["1单元", "2"],
    ...                   "unit_id": ["101", "102"]})
    >>> unit_label_series(f, "zh").tolist(), unit_label_series(f).tolist()
    (['1号楼1单元101', '1号楼2单元102'], ['1-1-101', '1-2-102'])
    """
    cols = {"building": "building", "stairwell": "stairwell", "unit_id": "unit"}
    parts = {}
    for col, part in cols.items():
        if col in frame.columns:
            raw = frame[col].astype(object)
            raw = raw.where(raw.notna(), "")
            uniq = {v: normalise_part(v, part) for v in pd.unique(raw)}  # type: ignore[arg-type]
            parts[part] = raw.map(uniq).astype(str)
        else:
            parts[part] = pd.Series([""] * len(frame), index=frame.index, dtype=str)
    b, s, u = parts["building"], parts["stairwell"], parts["unit"]
    if style == "dash":
        lab = u
        for p in (s, b):
            lab = (p + "-" + lab).where(p != "", lab)
        return lab.astype(str)
    plain_b = b.str.match(_PLAIN.pattern)
    plain_s = s.str.match(_PLAIN.pattern)
    lab = u
    lab = (s + pd.Series("单元", index=s.index).where(plain_s, "") + lab).where(s != "", lab)
    lab = (b + pd.Series("号楼", index=b.index).where(plain_b, "") + lab).where(b != "", lab)
    return lab.astype(str)
