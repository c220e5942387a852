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
from costshare.households.scope import EXEMPT_FLOORS, EXEMPT_LIST, FLOOR_RULE_ZERO
from costshare.households.sheet import ELEVATOR_EXEMPT_FLOORS, BasisPart, ContributionSheet
from costshare.money import half_up, to_yuan, yuan_text

__all__ = [
    "BASIS_LABELS",
    "basis_text",
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


def _per_unit(p: BasisPart) -> str:
    """Yuan per unit of weight, half-up to 4 decimals (display only)."""
    if not p.weight_sum:
        return "0.0000"
    num, den = (Decimal(p.amount_fen) / Decimal(repr(round(p.weight_sum, 6)))).as_integer_ratio()
    return str(Decimal(int(half_up(num * 100, den))).scaleb(-4))


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
    floors = sheet.meta.exempt_floors
    elevator = sheet.meta.elevator is not None and floors == ELEVATOR_EXEMPT_FLOORS
    words = {
        "": "",
        EXEMPT_FLOORS: "1–2层不出资（加装电梯惯例）"
        if elevator
        else f"{'、'.join(map(str, floors))}层不出资",
        EXEMPT_LIST: "名单豁免",
        FLOOR_RULE_ZERO: "楼层规则不出资",
    }
    return t["exempt_reason"].astype(str).map(words).fillna("").astype("str")


def basis_text(sheet: ContributionSheet) -> str:
    """The basis in words: ``"按专有部分面积 70% + 按户均摊 30%"``."""
    parts = sheet.meta.parts
    return " + ".join(
        BASIS_LABELS[p.basis] + (f" {p.weight * 100:.0f}%" if len(parts) > 1 else "") for p in parts
    )


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
        where = (f"{spec.building}栋" if spec.building is not None else "") + (
            f"{spec.stairwell}单元" if spec.stairwell is not None else ""
        )
        params.append(("分摊范围", where))
    params += [("户数", str(m.households)), ("出资户数", str(m.payers))]
    scale = m.floor_rule
    for p in m.parts:
        label = BASIS_LABELS[p.basis]
        params.append((f"{label}：金额（元）", f"{to_yuan(p.amount_fen):,}"))
        if scale is None or p.basis != "floor" or scale.style == "coefficient":
            params.append((f"{label}：{_UNIT[p.basis]}（元）", _per_unit(p)))
    if any(p.basis == "airport" for p in m.parts):
        params.append(("假设", AIRPORT_NOTE))
    if scale is not None:
        vals = ", ".join(f"{f}F {v}" for f, v in sorted(scale.values.items()))
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


def _lead(
    sheet: ContributionSheet, t: pd.DataFrame, p: BasisPart, fen: npt.NDArray[np.int64]
) -> tuple[pd.Series, npt.NDArray[np.float64]]:
    """The text before "= amount" and the exact (unrounded) amount in yuan, for one part."""
    n = len(t)
    per_t = _per_unit(p)
    per_f = p.amount_fen / 100 / p.weight_sum if p.weight_sum else 0.0
    area_s = pd.Series(_num_text(t["area_m2"], ".2f"), index=t.index)
    b = p.basis
    if b == "area":
        return "面积 " + area_s + f" m² × 每平方米 {per_t} 元", t["area_m2"].to_numpy() * per_f
    if b == "headcount":
        hc = t["headcount"].fillna(0).to_numpy(dtype=np.float64)
        lead = pd.Series(_num_text(hc.astype(np.int64), "d"), index=t.index).radd("人口 ")
        return lead + f" 人 × 每人 {per_t} 元", hc * per_f
    if b in ("equal", "fixed"):
        text = (
            f"每户 {per_t} 元"
            if b == "fixed"
            else f"按户均摊 {to_yuan(p.amount_fen):,} 元 ÷ {round(p.weight_sum)} 户"
        )
        return pd.Series([text] * n, index=t.index), np.full(n, per_f)
    if b == "airport":
        return _airport_lead(sheet, t, per_t, per_f)
    f = t["factor"].to_numpy(dtype=np.float64)
    if sheet.meta.floor_rule is not None and sheet.meta.floor_rule.style == "coefficient":
        coef = pd.Series([format(Decimal(repr(v)).normalize(), "f") for v in f.tolist()], t.index)
        lead = "楼层系数 " + coef + " × 面积 " + area_s + f" m² × 每单位 {per_t} 元"
        return lead, f * t["area_m2"].to_numpy() * per_f
    # percent: the floor's part, then by area within the floor (sums over the rows given)
    pay = fen > 0
    fl = t["floor"].to_numpy()
    g = pd.DataFrame({"floor": fl, "fen": fen, "area": np.where(pay, t["area_m2"], 0.0)})
    sums = g.groupby("floor").transform("sum")
    pct = pd.Series([f"{v * 100:g}%" for v in f.tolist()], index=t.index)
    lead = (
        pd.Series(_num_text(fl, "d"), index=t.index)
        + "层承担 "
        + pct
        + "（"
        + pd.Series(yuan_text(sums["fen"]), index=t.index)
        + " 元），按本层面积分摊："
        + area_s
        + " m² ÷ 本层 "
        + pd.Series(_num_text(sums["area"], ".2f"), index=t.index)
        + " m²"
    )
    exact = np.where(pay, sums["fen"].to_numpy() * t["area_m2"].to_numpy(), 0.0)
    area_sum = sums["area"].to_numpy()
    return lead, exact / np.where(area_sum > 0, area_sum, 1.0) / 100


def _airport_lead(
    sheet: ContributionSheet, t: pd.DataFrame, per_t: str, per_f: float
) -> tuple[pd.Series, npt.NDArray[np.float64]]:
    """Airport game: the household's Σ 1/n_k over the floors its elevator ride needs."""
    full = sheet.table
    pay = ~full["exempt"].to_numpy(dtype=bool)
    w = pd.Series(airport_weights(full["floor"].to_numpy(), pay), index=full.index).loc[t.index]
    lead = [
        f"机场博弈：2–{int(f)}层各段费用由该段及以上出资户均摊，Σ1/n = {x} × 每单位 {per_t} 元"
        if x
        else f"{int(f)}层无需电梯增量"
        for f, x in zip(t["floor"], w, strict=True)
    ]
    return pd.Series(lead, index=t.index), np.array([float(x) for x in w]) * per_f


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
    >>> print(explain_sheet(s)[1].split("（")[0])
    楼层系数 0.8 × 面积 80.00 m² × 每单位 12.5000 元 = 800.00 元
    """
    t = sheet.table if table is None else table
    parts = sheet.meta.parts
    if len(t) == 0 or not parts:
        return pd.Series([""] * len(t), index=t.index, dtype="str")
    src = {s.rule: s for s in sheet.sources}
    pieces = []
    for p in parts:
        fen = t[f"share_{p.basis}_fen" if len(parts) > 1 else "share_fen"].to_numpy()
        lead, exact = _lead(sheet, t, p, fen)
        sign = np.where(np.round(exact * 100 + 1e-9) == fen, " = ", " ≈ ")
        text = lead + pd.Series(sign, index=t.index) + pd.Series(yuan_text(fen), t.index) + " 元"
        rid = sheet.meta.basis_rules.get(p.basis)
        if rid in src:
            text = text + f"（依据 {src[rid].document} {src[rid].article}）"  # id: audit
        pieces.append(text)
    out = pieces[0]
    if len(pieces) > 1:
        for piece in pieces[1:]:
            out = out + "；" + piece
        out = out + "；合计 " + pd.Series(yuan_text(t["share_fen"]), index=t.index) + " 元"
    out = out.where(~t["exempt"].to_numpy(dtype=bool), "免缴：" + reason_text(sheet, t))
    return out.astype("str")
