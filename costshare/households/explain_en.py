"""English words for an English notice: the explanations, the basis and the parameters.

:mod:`costshare.households.explain` writes the Chinese a posted notice needs; an English
notice rewords the same lines here, phrase by phrase, so the numbers (and every
"a × b = c") are exactly the Chinese notice's. Rule labels and document titles stay as
published.
"""

from __future__ import annotations

import re

import pandas as pd

from costshare import i18n
from costshare.households.sheet import ContributionSheet

__all__ = ["english_basis", "english_lines", "english_parameters"]

_N = r"([\d,.]+)"
_LINES: tuple[tuple[str, str], ...] = (
    (r"（依据 ([^）]*)）", r" (basis: \1)"),
    (
        r"（取整到分，尾差按最大余数法分配）",
        " (rounded to the fen, remainders by largest remainder)",
    ),
    (r"^免缴：", "exempt: "),
    (r"名单豁免", "exempted by name"),
    (r"1–2层不出资（加装电梯惯例）", "floors 1–2 do not pay (elevator practice)"),
    (
        r"楼层规则不出资（(.*)；(\d+)层以下承担 0%）",
        r"the floor rule charges nothing (\1; floors below \2 pay 0%)",
    ),
    (
        r"楼层规则不出资（(.*)；本层系数为 0）",
        r"the floor rule charges nothing (\1; coefficient 0)",
    ),
    (r"楼层规则不出资", "the floor rule charges nothing"),
    (r"([\d、]+)层不出资", r"floors \1 do not pay"),
    (rf"人口 {_N} 人 × 每人 {_N} 元", r"\1 persons × \2 yuan"),
    (rf"按户均摊 {_N} 元 ÷ {_N} 户", r"\1 yuan ÷ \2 households"),
    (rf"每户 {_N} 元", r"\1 yuan per household"),
    (
        rf"楼层系数 {_N} × 面积 {_N} m² × 每单位（系数×面积）{_N} 元",
        r"coefficient \1 × area \2 m² × \3 yuan",
    ),
    (rf"面积 {_N} m² × 每平方米 {_N} 元", r"area \1 m² × \2 yuan/m²"),
    (r"层分担比例 0%（楼层规则）", " shares 0% (floor rule)"),
    (r"^(\d+) shares 0%", r"floor \1 shares 0%"),
    (rf"（出资楼层合计 {_N}%，按比例折算）", r" (of the charged floors' \1%, scaled)"),
    (rf"(\d+)层分担比例 {_N}%", r"floor \1 shares \2%"),
    (rf"，本层合计（{_N} 元），按本层面积分摊：", r", floor total \1 yuan, by area: "),
    (rf"{_N} m² ÷ 本层 {_N} m²", r"\1 m² ÷ floor area \2 m²"),
    (r"；合计 ", "; total "),
    (r"；", "; "),
    (r" 元", " yuan"),
)
_PARAMS = {
    "分摊总额（元）": "Total shared (yuan)",
    "分摊方式": "Basis",
    "分摊范围": "Scope",
    "户数": "Households",
    "出资户数": "Paying households",
    "楼层规则": "Floor rule",
    "方案": "Scenario",
    "方案居民自筹合计（元）": "Residents' part of the scenario (yuan)",
    "注意": "Note",
    "维修资金补齐比例": "Fund top-up ratio",
    "维修资金标准（元/m²）": "Fund standard (yuan/m²)",
    "维修资金使用补贴比例": "Fund-use subsidy ratio",
    "补贴去向": "Subsidy goes to",
    "规则": "Rules",
    "取整规则": "Rounding",
}
_PARTS = (
    ("：金额（元）", ": amount (yuan)"),
    ("：每平方米（元）", ": per m² (yuan)"),
    ("：每人（元）", ": per person (yuan)"),
    ("：每单位（系数×面积）（元）", ": per unit of coefficient × area (yuan)"),
    ("电梯：", "Elevator: "),
)
_VALUES = {
    "整数分，最大余数法；余数相同时名册靠前者先得 1 分": (
        "whole fen, largest remainders; ties go to the earlier roster row"
    ),
    "回补维修资金": "back to the fund",
    "返还现金": "paid back in cash",
}


def english_lines(lines: pd.Series) -> pd.Series:
    """Explanation lines (:func:`~costshare.households.explain.explain_sheet`) in English.

    Examples
    --------
    >>> english_lines(pd.Series(["面积 50.00 m² × 每平方米 2.0000 元 = 100.00 元", "免缴：名单豁免"])).tolist()
    ['area 50.00 m² × 2.0000 yuan/m² = 100.00 yuan', 'exempt: exempted by name']
    """
    out = lines.astype(str)
    for pattern, repl in _LINES:
        out = out.str.replace(pattern, repl, regex=True)
    return out


def english_basis(sheet: ContributionSheet) -> str:
    """The basis in English: ``"By exclusive area 70% + Equal per household 30%"``."""
    parts = sheet.meta.parts
    scale = sheet.meta.floor_rule

    def name(basis: str) -> str:
        if basis == "floor" and scale is not None and scale.style == "percent":
            return "By floor percentages (within a floor by area)"
        return i18n.label("basis", basis, "en")

    return " + ".join(
        name(p.basis) + (f" {p.weight * 100:.0f}%" if len(parts) > 1 else "") for p in parts
    )


def english_parameters(params: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """:func:`~costshare.households.explain.sheet_parameters` with English names.

    Examples
    --------
    >>> english_parameters([("户数", "12"), ("按专有部分面积：金额（元）", "1,000.00")])
    [('Households', '12'), ('By exclusive area: amount (yuan)', '1,000.00')]
    """
    bases = [(zh, i18n.label("basis", k, "en")) for k, zh in i18n.labels("basis").items()]
    out = []
    for name, value in params:
        new = _PARAMS.get(name, name)
        for zh, en in (*_PARTS, *bases, ("按楼层分担比例", "By floor percentages")):
            new = new.replace(zh, en)
        value = _VALUES.get(value, value)
        value = re.sub(r"(\d+)层以下 0%", r"floors below \1 0%", value)
        value = re.sub(r"(\d+)层 ", r"floor \1 ", value)
        value = value.replace("；", "; ").replace("，", ", ").replace("有效", "in force")
        out.append((new, value))
    return out
