"""Per-household explanations of a contribution sheet: how each amount was reached."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare.money import to_yuan, yuan_text

__all__ = ["explain_sheet"]


def _num_text(x: npt.ArrayLike, fmt: str) -> list[str]:
    return [format(v, fmt) for v in np.asarray(x).tolist()]


def explain_sheet(sheet: pd.DataFrame) -> pd.Series:
    """How each household's amount was reached, as text (one line per household).

    Uses ``sheet.attrs["costshare"]`` written by :func:`contribution_sheet`, so it can be
    called on a slice (only the rows to display) of a huge sheet.

    Examples
    --------
    >>> from costshare.households.sheet import contribution_sheet
    >>> roster = pd.DataFrame({"unit_id": ["301", "401"], "floor": [3, 4], "area_m2": [80.0, 80.0]})
    >>> s = contribution_sheet(roster, total=1500, basis="floor", floor_rule="guangzhou")
    >>> print(s["explanation"][1])
    楼层系数 0.8 × 面积 80.00 m² × 每单位 12.5000 元 = 800.00 元（依据 guangzhou.floor_coefficient：DOMAIN.md §7: elevator retrofit practice summary (no national table) §7 加装电梯）
    """
    meta = sheet.attrs.get("costshare") or {}
    parts = meta.get("parts", [])
    n = len(sheet)
    if n == 0 or not parts:
        return pd.Series([""] * n, index=sheet.index, dtype="str")
    style = meta.get("floor_style")
    src = {r["rule"]: r for r in meta.get("sources", [])}
    area_s = pd.Series(_num_text(sheet["area_m2"], ".2f"), index=sheet.index)
    pieces = []
    for p in parts:
        b = p["basis"]
        col = f"share_{b}_fen" if len(parts) > 1 else "share_fen"
        fen = sheet[col].to_numpy()
        amt = pd.Series(yuan_text(fen), index=sheet.index)
        per = Decimal(p["amount_fen"]) / 100 / Decimal(repr(round(p["weight_sum"], 6)))
        per_t = f"{per.quantize(Decimal('0.0001'), ROUND_HALF_UP)}"
        per_f = float(per)
        if b == "area":
            exact = sheet["area_m2"].to_numpy() * per_f
            lead = "面积 " + area_s + f" m² × 每平方米 {per_t} 元"
            rid = "civil_code.art283"
        elif b == "headcount":
            hc = sheet["headcount"].fillna(0).to_numpy(dtype=np.float64)
            exact = hc * per_f
            lead = (
                pd.Series(_num_text(hc.astype(np.int64), "d"), index=sheet.index).radd("人口 ")
                + f" 人 × 每人 {per_t} 元"
            )
            rid = None
        elif b in ("equal", "fixed"):
            exact = np.full(n, per_f)
            lead = pd.Series(
                [
                    f"每户 {per_t} 元"
                    if b == "fixed"
                    else f"按户均摊 {to_yuan(p['amount_fen']):,} 元 ÷ {round(p['weight_sum'])} 户"
                ]
                * n,
                index=sheet.index,
            )
            rid = None
        elif style == "coefficient":
            f = sheet["factor"].to_numpy(dtype=np.float64)
            exact = f * sheet["area_m2"].to_numpy() * per_f
            coef = pd.Series(
                [format(Decimal(repr(v)).normalize(), "f") for v in f.tolist()], index=sheet.index
            )
            lead = "楼层系数 " + coef + " × 面积 " + area_s + f" m² × 每单位 {per_t} 元"
            rid = next((k for k, r in src.items() if r["kind"] == "FloorRule"), None)
        else:  # percent
            f = sheet["factor"].to_numpy(dtype=np.float64)
            pay = fen > 0
            fl = sheet["floor"].to_numpy()
            g = pd.DataFrame(
                {"floor": fl, "fen": fen, "area": np.where(pay, sheet["area_m2"], 0.0)}
            )
            sums = g.groupby("floor").transform("sum")
            pct = pd.Series([f"{v * 100:g}%" for v in f.tolist()], index=sheet.index)
            floor = pd.Series(_num_text(fl, "d"), index=sheet.index)
            lead = (
                floor
                + "层承担 "
                + pct
                + "（"
                + pd.Series(yuan_text(sums["fen"]), index=sheet.index)
                + " 元），按本层面积分摊："
                + area_s
                + " m² ÷ 本层 "
                + pd.Series(_num_text(sums["area"], ".2f"), index=sheet.index)
                + " m²"
            )
            exact = np.where(pay, sums["fen"].to_numpy() * sheet["area_m2"].to_numpy(), 0.0)
            exact = (
                exact / np.where(sums["area"].to_numpy() > 0, sums["area"].to_numpy(), 1.0) / 100
            )
            rid = next((k for k, r in src.items() if r["kind"] == "FloorRule"), None)
        sign = np.where(np.round(exact * 100 + 1e-9) == fen, " = ", " ≈ ")
        text = lead + pd.Series(sign, index=sheet.index) + amt + " 元"
        if rid is not None and rid in src:
            r = src[rid]
            text = text + f"（依据 {rid}：{r['document']} {r['article']}）"
        pieces.append(text)
    out = pieces[0]
    if len(pieces) > 1:
        for t in pieces[1:]:
            out = out + "；" + t
        out = out + "；合计 " + pd.Series(yuan_text(sheet["share_fen"]), index=sheet.index) + " 元"
    ex = sheet["exempt"].to_numpy() if "exempt" in sheet else np.zeros(n, dtype=bool)
    reason = (
        sheet["exempt_reason"].astype(str)
        if "exempt_reason" in sheet
        else pd.Series([""] * n, index=sheet.index)
    )
    out = out.where(~ex, "免缴：" + reason)
    return out.astype("str")
