"""Roster headers: the aliases of each canonical column, and finding them in a row."""

from __future__ import annotations

import re
from collections.abc import Sequence

from costshare.households._roster_cells import is_blank

__all__ = ["HEADER_ALIASES", "REQUIRED"]

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
_ID_HEADERS = ("身份证号", "身份证号码", "身份证", "证件号码", "证件号", "id_number", "id_no")
_HEADER_SEARCH_ROWS = 10


def _norm_header(text: object) -> str:
    s = str(text).strip().lower()
    s = re.sub(r"[（(\[【].*?[)）\]】]", "", s)  # drop units: 面积(m²), 余额（元）
    s = re.sub(r"[\s_\-/]+", "_", s).strip("_")
    return s.removesuffix("m2").removesuffix("㎡").strip("_")


_ALIAS_RANK: dict[str, tuple[str, int]] = {
    _norm_header(a): (col, i) for col, names in HEADER_ALIASES.items() for i, a in enumerate(names)
}
_ID_NORM = {_norm_header(h) for h in _ID_HEADERS}


def _map_header(cells: Sequence[object]) -> dict[str, int]:
    """Canonical column -> position, keeping the best-ranked alias for each."""
    best: dict[str, tuple[int, int]] = {}
    for pos, cell in enumerate(cells):
        if is_blank(cell):
            continue
        hit = _ALIAS_RANK.get(_norm_header(cell))
        if hit is None:
            continue
        col, rank = hit
        if col not in best or rank < best[col][0]:
            best[col] = (rank, pos)
    return {col: pos for col, (_, pos) in best.items()}
