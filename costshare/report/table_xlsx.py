"""A scenario's sources-and-uses table (and its split) as an xlsx workbook.

Text cells are escaped against formula injection (:func:`escape_frame`); amounts are
written as numbers in yuan with two decimals, computed from integer fen; files are
written atomically.

>>> import io, openpyxl
>>> from costshare.community.scenario import Scenario, default_scenario_path
>>> r = Scenario.from_yaml(default_scenario_path()).run()
>>> wb = openpyxl.load_workbook(io.BytesIO(scenario_result_xlsx(r)))
>>> wb.sheetnames
['资金来源与使用', '分摊明细', '指标', 'audit']
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import xlsxwriter

from costshare.report.safe import atomic_write_bytes, escape_frame

if TYPE_CHECKING:
    from costshare.community.scenario_result import ScenarioResult

__all__ = ["frames_xlsx", "scenario_result_xlsx", "write_scenario_result_xlsx"]


def _cell(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return value


def frames_xlsx(sheets: Mapping[str, pd.DataFrame], money_columns: tuple[str, ...] = ()) -> bytes:
    """Workbook bytes with one sheet per frame; `money_columns` get a ``#,##0.00`` format."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False})
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    money = wb.add_format({"num_format": "#,##0.00"})
    for name, frame in sheets.items():
        ws = wb.add_worksheet(name[:31])
        safe = escape_frame(frame)
        for j, col in enumerate(safe.columns):
            ws.write_string(0, j, str(col), bold)
            width = max([len(str(col)) * 2, *(len(str(v)) * 2 for v in safe[col].head(200))])
            fmt = money if frame.columns[j] in money_columns else None
            ws.set_column(j, j, min(max(width, 8), 60), fmt)
        for i, row in enumerate(safe.itertuples(index=False), start=1):
            for j, value in enumerate(row):
                v = _cell(value)
                if isinstance(v, str):
                    ws.write_string(i, j, v)
                else:
                    ws.write(i, j, v)
        ws.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue()


def _yuan(fen: pd.Series) -> list[Decimal]:
    return [Decimal(int(f)) / 100 for f in fen]


def scenario_result_xlsx(result: ScenarioResult) -> bytes:
    """Sources and uses, the per-payer split and the indicators of one scenario, as xlsx."""
    t = result.table()
    su = pd.DataFrame(
        {
            "部分 section": t["section"],
            "项目 line": t["line"],
            "代码 key": t["key"],
            "金额（元） amount": _yuan(t["amount_fen"]),
            "说明 note": t["note"],
        }
    )
    s = result.split.table
    payers = result.rules.payers
    split = pd.DataFrame(
        {
            "改造项目 item": s["item"],
            "类别 category": s["category"],
            "出资方 payer": [payers.get(p, p) for p in s["payer"]],
            "比例 share": [float(x) for x in s["share"]],
            "金额（元） amount": _yuan(s["amount_fen"]),
            "规则 rule": s["rule"],
            "依据 source": s["source"],
        }
    )
    ind = pd.DataFrame(
        {
            "指标 indicator": list(result.indicators()),
            "数值（元） value": list(result.indicators().values()),
        }
    )
    from costshare.report.audit import AUDIT_SHEET, audit_frame

    return frames_xlsx(
        {"资金来源与使用": su, "分摊明细": split, "指标": ind, AUDIT_SHEET: audit_frame(result)},
        money_columns=("金额（元） amount", "数值（元） value"),
    )


def write_scenario_result_xlsx(result: ScenarioResult, path: str | Path) -> Path:
    """Write :func:`scenario_result_xlsx` to `path` atomically and return the path."""
    path = Path(path)
    atomic_write_bytes(path, scenario_result_xlsx(result))
    return path
