"""Roster headers: the aliases of each canonical column, matched by the one matcher."""

from __future__ import annotations

import re
from collections.abc import Sequence

from costshare.households._roster_cells import is_blank
from costshare.tables.headers import header_positions

__all__ = ["HEADER_ALIASES", "REQUIRED", "map_header"]

REQUIRED = ("unit_id", "area_m2")

# Earlier aliases win when a roster has two columns for the same thing
# (专有部分面积 is preferred to 建筑面积: Civil Code Art. 283 shares by exclusive area).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "unit_id": ("房号", "户号", "房间号", "门牌号", "房屋编号", "室号", "unit_id", "unit", "room"),
    "building": ("楼栋", "楼号", "栋号", "楼栋号", "幢号", "栋", "幢", "building", "bldg"),
    "stairwell": ("单元", "单元号", "stairwell", "entrance"),
    "floor": ("楼层", "所在楼层", "层", "层次", "floor"),
    "area_m2": (
        "专有部分面积",
        "套内建筑面积",
        "套内面积",
        "建筑面积",
        "房屋面积",
        "面积",
        "area_m2",
        "area",
        "exclusive_area",
    ),
    "owner_name": ("业主姓名", "户主姓名", "业主", "户主", "姓名", "owner_name", "owner", "name"),
    "headcount": ("人口", "人数", "家庭人口", "户籍人口", "常住人口", "headcount", "persons"),
    "fund_balance": (
        "维修资金余额",
        "专项维修资金余额",
        "住宅专项维修资金余额",
        "维修基金余额",
        "fund_balance",
        "maintenance_fund_balance",
    ),
}
_PERSONAL = re.compile(
    r"身份[证證]|[证證]件|[电電][话話]|手[机機]|[联聯]系方式"
    r"|\b(id[\s_]*(no|number|card)|phone|mobile|tel(ephone)?)\b",
    re.IGNORECASE,
)
"""Header words of personal numbers: such a column is never read as a roster column,
whatever else its header says (``业主（身份证号）`` is not the owner's name)."""


def map_header(cells: Sequence[object]) -> dict[str, int]:
    """Canonical column -> position in a header row, keeping the best-ranked alias.

    The one header matcher (:func:`costshare.tables.headers.header_positions`);
    a header naming a personal number is not matched at all.

    Examples
    --------
    >>> map_header(["房号", "业主（身份证号）", "建筑面积", "专有部分面积"])
    {'unit_id': 0, 'area_m2': 3}
    """
    safe = [None if is_blank(c) or _PERSONAL.search(str(c)) else c for c in cells]
    return header_positions(safe, HEADER_ALIASES)
