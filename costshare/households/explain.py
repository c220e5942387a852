"""Words for a contribution sheet: how each amount was reached, reasons, parameters.

Everything here reads a typed :class:`~costshare.households.sheet.ContributionSheet`
and makes Chinese text for people (exports, notices, the app); the engine itself makes
no text.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare import i18n
from costshare.households.airport import AIRPORT_NOTE, airport_weights
from costshare.households.explain_rate import decimal_text, decimal_texts, printed_rate
from costshare.households.scope import EXEMPT_FLOORS, EXEMPT_LIST, FLOOR_RULE_ZERO
from costshare.households.sheet import (
    ELEVATOR_EXEMPT_FLOORS,
    BasisPart,
    ContributionSheet,
)
from costshare.households.source_words import citation, cited
from costshare.households.unit_label import unit_label
from costshare.money import half_up, to_yuan, yuan_text

__all__ = [
    "BASIS_LABELS",
    "ROUNDING_NOTE",
    "basis_text",
    "citation",
    "cited",
    "exempt_flags",
    "explain_sheet",
    "reason_text",
    "sheet_parameters",
    "sheet_title",
]

BASIS_LABELS = i18n.labels("basis")
"""Chinese name of each sharing basis, from the one translation table."""
_UNIT = {
    "area": "每平方米",
    "floor": "每单位（系数×面积）",
    "headcount": "每人",
    "equal": "每户",
    "fixed": "每户",
    "airport": "每单位（机场博弈权重）",
}
_STEPS = {
    "cost": "加装电梯总费用",
    "subsidy": "政府补贴",
    "pipes_subsidy": "管线迁移补贴",
    "other_subsidy": "其他补助",
    "fund_use": "使用住宅专项维修资金",
    "provident_fund": "提取住房公积金",
    "net": "业主分摊净额",
}


def _num_text(x: npt.ArrayLike, fmt: str) -> list[str]:
    return [format(v, fmt) for v in np.asarray(x).tolist()]


ROUNDING_NOTE = "（取整到分，尾差按最大余数法分配）"
"""Said after every "≈": how the printed amount follows from the line's exact value."""


def reason_text(sheet: ContributionSheet, table: pd.DataFrame | None = None) -> pd.Series:
    """Why each exempt household pays nothing ("" for payers).

    Examples
    --------
    >>> from costshare import rules
    >>> from costshare.households.sheet import SheetSpec, contribution_sheet
    >>> r = pd.DataFrame({"unit_id": ["101", "201", "301"], "floor": [1, 2, 3], "area_m2": [1.0] * 3})
    >>> s = contribution_sheet(r, 100, SheetSpec(exempt=("201",), exempt_floors=(1,)),
    ...                        rules.load("national", "2024-01-01"))
    >>> reason_text(s).tolist()
    ['1层不出资', '名单豁免', '']
    """
    t = sheet.table if table is None else table
    codes = t["exempt_reason"].astype(str)
    codes = codes.where(~_floor_zero(sheet, t) | (codes != ""), FLOOR_RULE_ZERO)
    floors = sheet.meta.exempt_floors
    elevator = sheet.meta.elevator is not None and floors == ELEVATOR_EXEMPT_FLOORS
    words = {
        "": "",
        EXEMPT_FLOORS: "1–2层不出资（加装电梯惯例）"
        if elevator
        else f"{'、'.join(map(str, floors))}层不出资",
        EXEMPT_LIST: "名单豁免",
        FLOOR_RULE_ZERO: _zero_words(sheet),
    }
    return codes.map(words).fillna("").astype("str")


def _floor_zero(sheet: ContributionSheet, t: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Rows the floor rule gives nothing (factor 0) and that pay nothing."""
    if sheet.meta.floor_rule is None or "factor" not in t:
        return np.zeros(len(t), dtype=bool)
    f = t["factor"].to_numpy(dtype=np.float64)
    return np.asarray((f == 0) & (t["share_fen"].to_numpy() == 0), dtype=bool)


def _zero_words(sheet: ContributionSheet) -> str:
    scale = sheet.meta.floor_rule
    if scale is None:
        return "楼层规则不出资"
    if scale.style == "percent":
        return f"楼层规则不出资（{scale.label}；{min(scale.values)}层以下承担 0%）"
    return f"楼层规则不出资（{scale.label}；本层系数为 0）"


def exempt_flags(sheet: ContributionSheet, table: pd.DataFrame | None = None) -> pd.Series:
    """Which households pay nothing with a reason: the sheet's exemptions and zero floors.

    A percent floor rule that gives a floor 0 % (Hangzhou: floors 1–2) makes its
    households exempt by the rule, with that reason (:func:`reason_text`).

    Examples
    --------
    >>> from costshare import rules
    >>> from costshare.households.basis import floor_scale
    >>> from costshare.households.sheet import SheetSpec, contribution_sheet
    >>> hz = floor_scale(rules.load("hangzhou", "2024-01-01"))
    >>> r = pd.DataFrame({"unit_id": ["101", "301"], "floor": [1, 3], "area_m2": [50.0, 50.0]})
    >>> s = contribution_sheet(r, 1000, SheetSpec(basis="floor", floor_rule=hz),
    ...                        rules.load("hangzhou", "2024-01-01"))
    >>> exempt_flags(s).tolist(), reason_text(s)[0][:7]
    ([True, False], '楼层规则不出资')
    """
    t = sheet.table if table is None else table
    flags = t["exempt"].to_numpy(dtype=bool) | _floor_zero(sheet, t)
    return pd.Series(flags, index=t.index)


def basis_text(sheet: ContributionSheet) -> str:
    """The basis in words: ``"按专有部分面积 70% + 按户均摊 30%"``."""
    parts = sheet.meta.parts
    return " + ".join(
        _basis_name(sheet, p.basis) + (f" {p.weight * 100:.0f}%" if len(parts) > 1 else "")
        for p in parts
    )


def _basis_name(sheet: ContributionSheet, basis: str) -> str:
    scale = sheet.meta.floor_rule
    if basis == "floor" and scale is not None and scale.style == "percent":
        return "按楼层分担比例（各层按规定百分比分担，层内按面积）"
    return BASIS_LABELS[basis]


def sheet_title(sheet: ContributionSheet) -> str:
    """What is shared: the user's title, else from the elevator or scenario."""
    m = sheet.meta
    if m.spec.title:
        return m.spec.title
    if m.elevator is not None:
        return "加装电梯业主分摊"
    if m.spec.scenario is not None:
        return f"{m.spec.scenario.community} 改造居民自筹"
    return "居民出资分摊"


def sheet_parameters(sheet: ContributionSheet) -> list[tuple[str, str]]:
    """The sheet's parameters as ``(name, value)`` lines for the sources sheet and notice."""
    m, spec = sheet.meta, sheet.meta.spec
    params = [("分摊总额（元）", f"{to_yuan(m.total_fen):,}"), ("分摊方式", basis_text(sheet))]
    if spec.building is not None or spec.stairwell is not None:
        params.append(("分摊范围", unit_label(spec.building, spec.stairwell, "")))
    params += [("户数", str(m.households)), ("出资户数", str(m.payers))]
    scale = m.floor_rule
    t = sheet.table
    for p in m.parts:
        label = _basis_name(sheet, p.basis).split("（")[0]
        params.append((f"{label}：金额（元）", f"{to_yuan(p.amount_fen):,}"))
        weights = _weights(sheet, t, p)
        if weights is not None:
            fen = t[f"share_{p.basis}_fen" if len(m.parts) > 1 else "share_fen"].to_numpy()
            rate, _ = printed_rate(p.amount_fen, weights, fen, p.weight_sum)
            params.append((f"{label}：{_UNIT[p.basis]}（元）", rate))
    if any(p.basis == "airport" for p in m.parts):
        params.append(("假设", AIRPORT_NOTE))
    if scale is not None:
        if scale.style == "percent":
            vals = "，".join(
                f"{f}层 {decimal_text(float(v) * 100, 0)}%" for f, v in sorted(scale.values.items())
            )
            vals += f"；{min(scale.values)}层以下 0%"
        else:
            vals = "，".join(f"{f}层 ×{v}" for f, v in sorted(scale.values.items()))
        params.append(("楼层规则", f"{scale.label}：{vals}"))  # the id is in the audit
    if m.elevator is not None:
        params += [(f"电梯：{_STEPS[k]}（元）", f"{to_yuan(v):,}") for k, v in m.elevator.steps]
    if spec.scenario is not None:
        s = spec.scenario
        params.append(("方案", f"{s.name}（{s.community}）"))
        params.append(("方案居民自筹合计（元）", f"{to_yuan(m.total_fen):,}"))
        if s.households != m.households:
            params.append(("注意", f"方案户数 {s.households} 与名册户数 {m.households} 不一致"))
    if m.fund is not None:
        f = m.fund
        params += [
            ("维修资金补齐比例", str(f.ratio)),
            ("维修资金标准（元/m²）", str(f.standard) if f.standard is not None else ""),
            ("维修资金使用补贴比例", str(f.subsidy_ratio)),
            ("补贴去向", "回补维修资金" if f.subsidy_to == "fund" else "返还现金"),
        ]
    jur = i18n.label("jur", m.jurisdiction, "zh")
    params.append(("规则", f"{jur}，{m.rules_on.isoformat()} 有效"))
    params.append(("取整规则", "整数分，最大余数法；余数相同时名册靠前者先得 1 分"))
    return params


def _weights(sheet: ContributionSheet, t: pd.DataFrame, p: BasisPart) -> list[str] | None:
    """Each line's printed weight for a rate basis (area, headcount, coefficient × area)."""
    if p.basis == "area":
        return decimal_texts(t["area_m2"])
    if p.basis == "headcount":
        hc = t["headcount"].fillna(0).to_numpy(dtype=np.float64).astype(np.int64)
        return [str(v) for v in hc.tolist()]
    scale = sheet.meta.floor_rule
    if p.basis == "floor" and scale is not None and scale.style == "coefficient":
        pairs = (
            pd.Series(decimal_texts(t["factor"], 0)) + "×" + pd.Series(decimal_texts(t["area_m2"]))
        )
        codes, uniq = pd.factorize(pairs)
        prods = np.array(
            [str(Decimal(c) * Decimal(a)) for c, a in (u.split("×") for u in uniq.tolist())],
            dtype=object,
        )
        return prods[codes].tolist()
    return None


def _lead(
    sheet: ContributionSheet, t: pd.DataFrame, p: BasisPart, fen: npt.NDArray[np.int64]
) -> tuple[pd.Series, npt.NDArray[np.bool_]]:
    """The text before "= amount" for one part, and where "=" holds for the printed operands.

    Every printed "a × b = c" recomputes to c by half-up rounding of a × b (the rate is
    printed with as many decimals as that takes, :func:`printed_rate`); elsewhere the
    caller writes "≈" and states the rounding.
    """
    n = len(t)
    area_t = decimal_texts(t["area_m2"])
    area_s = pd.Series(area_t, index=t.index)
    b = p.basis
    weights = _weights(sheet, t, p)
    if weights is not None:
        rate, ok = printed_rate(p.amount_fen, weights, fen, p.weight_sum)
    if b == "area":
        return "面积 " + area_s + f" m² × 每平方米 {rate} 元", ok
    if b == "headcount":
        hc_t = pd.Series(weights, index=t.index)
        return hc_t.radd("人口 ") + f" 人 × 每人 {rate} 元", ok
    if b == "fixed":
        per = fen.max() if n else 0
        return pd.Series([f"每户 {to_yuan(int(per))} 元"] * n, index=t.index), fen == per
    if b == "equal":
        k = round(p.weight_sum)
        text = f"按户均摊 {to_yuan(p.amount_fen):,} 元 ÷ {k} 户"
        ok = fen == (half_up(p.amount_fen, k) if k else 0)
        return pd.Series([text] * n, index=t.index), np.asarray(ok, dtype=bool)
    if b == "airport":
        return _airport_lead(sheet, t, p)
    f = t["factor"].to_numpy(dtype=np.float64)
    if sheet.meta.floor_rule is not None and sheet.meta.floor_rule.style == "coefficient":
        coef = decimal_texts(f, 0)
        lead = "楼层系数 " + pd.Series(coef, index=t.index) + " × 面积 " + area_s
        return lead + f" m² × 每单位（系数×面积）{rate} 元", ok
    # percent: the floor's part, then by area within the floor (sums over the rows given)
    pay = (f > 0) & ~t["exempt"].to_numpy(dtype=bool)  # who shares the floor's part
    fl = t["floor"].to_numpy()
    codes, uniq = pd.factorize(pd.Series(area_t, dtype=object))
    decs = [Decimal(a) for a in uniq.tolist()]
    k = max([2, *(-int(d.as_tuple().exponent) for d in decs)])  # type: ignore[operator]
    area_h = np.array([int(d.scaleb(k)) for d in decs], dtype=np.int64)[codes]
    g = pd.DataFrame({"floor": fl, "fen": fen, "area": np.where(pay, area_h, 0)})
    sums = g.groupby("floor").transform("sum")
    # the floors present among payers share the amount in proportion to their percentages
    present = sum(Decimal(decimal_text(v, 0)) for v in pd.Series(f[pay]).groupby(fl[pay]).first())
    whole = f"（出资楼层合计 {decimal_text(float(present) * 100, 0)}%，按比例折算）"
    tail = "" if present == 1 else whole
    pct = pd.Series([v + "%" + tail for v in decimal_texts(f * 100, 0)], index=t.index)
    floor_fen = sums["fen"].to_numpy(dtype=np.int64)
    floor_area = sums["area"].to_numpy(dtype=np.int64)
    lead = (
        pd.Series(_num_text(fl, "d"), index=t.index)
        + "层分担比例 "
        + pct
        + "，本层合计（"
        + pd.Series(yuan_text(floor_fen), index=t.index)
        + " 元），按本层面积分摊："
        + pd.Series(yuan_text(floor_fen), index=t.index)
        + " 元 × "
        + area_s
        + " m² ÷ 本层 "
        + pd.Series(decimal_texts(floor_area / 10**k, k), index=t.index)
        + " m²"
    )
    lead = lead.where(
        f > 0, pd.Series(_num_text(fl, "d"), index=t.index) + "层分担比例 0%（楼层规则）"
    )
    want = [
        int(half_up(int(s_) * int(a), int(w))) if w else 0
        for s_, a, w in zip(floor_fen.tolist(), area_h.tolist(), floor_area.tolist(), strict=True)
    ]
    return lead, np.asarray(want, dtype=np.int64) == fen


def _airport_lead(
    sheet: ContributionSheet, t: pd.DataFrame, p: BasisPart
) -> tuple[pd.Series, npt.NDArray[np.bool_]]:
    """Airport game: the household's Σ 1/n_k over the floors its elevator ride needs.

    The weights are fractions (1/3 + 1/2 …), so no printed rate recomputes every share
    exactly: each line is written with "≈" and the rounding stated by the caller.
    """
    full = sheet.table
    pay = ~full["exempt"].to_numpy(dtype=bool)
    w = pd.Series(airport_weights(full["floor"].to_numpy(), pay), index=full.index).loc[t.index]
    per = decimal_text(p.amount_fen / 100 / p.weight_sum, 6) if p.weight_sum else "0"
    lead = [
        f"机场博弈：2–{int(f)}层各段费用由该段及以上出资户均摊，Σ1/n = {x} × 每单位 {per} 元"
        if x
        else f"{int(f)}层无需电梯增量"
        for f, x in zip(t["floor"], w, strict=True)
    ]
    return pd.Series(lead, index=t.index), np.zeros(len(t), dtype=bool)


def explain_sheet(sheet: ContributionSheet, table: pd.DataFrame | None = None) -> pd.Series:
    """How each household's amount was reached, as text (one line per household).

    Parameters
    ----------
    sheet : ContributionSheet
    table : DataFrame, optional
        Rows of ``sheet.table`` to explain (all by default): a slice of a huge sheet.

    Examples
    --------
    >>> from costshare import rules
    >>> from costshare.households.basis import floor_scale
    >>> from costshare.households.sheet import SheetSpec, contribution_sheet
    >>> gz = floor_scale(rules.load("guangzhou", "2024-01-01"))
    >>> roster = pd.DataFrame({"unit_id": ["301", "401"], "floor": [3, 4], "area_m2": [80.0, 80.0]})
    >>> s = contribution_sheet(roster, 150000, SheetSpec(basis="floor", floor_rule=gz),
    ...                        rules.load("national", "2024-01-01"))
    >>> print(explain_sheet(s)[1].split("（依据")[0])
    楼层系数 0.8 × 面积 80.00 m² × 每单位（系数×面积）12.5000 元 = 800.00 元
    """
    t = sheet.table if table is None else table
    parts = sheet.meta.parts
    if len(t) == 0 or not parts:
        return pd.Series([""] * len(t), index=t.index, dtype="str")
    src = {s.rule: s for s in sheet.sources}
    pieces = []
    for p in parts:
        fen = t[f"share_{p.basis}_fen" if len(parts) > 1 else "share_fen"].to_numpy()
        lead, ok = _lead(sheet, t, p, np.asarray(fen, dtype=np.int64))
        amount = pd.Series(yuan_text(fen), index=t.index) + " 元"
        tail = amount.where(ok, amount + ROUNDING_NOTE)
        text = lead + pd.Series(np.where(ok, " = ", " ≈ "), index=t.index) + tail
        rid = sheet.meta.basis_rules.get(p.basis)
        if rid in src and cited(src[rid]):
            text = text + f"（依据 {citation(src[rid], short=True)}）"  # id: audit
        pieces.append(text)
    out = pieces[0]
    if len(pieces) > 1:
        for piece in pieces[1:]:
            out = out + "；" + piece
        out = out + "；合计 " + pd.Series(yuan_text(t["share_fen"]), index=t.index) + " 元"
    out = out.where(~exempt_flags(sheet, t), "免缴：" + reason_text(sheet, t))
    return out.astype("str")
