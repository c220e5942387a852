"""The evaluation report as a workbook: summary, items, buildings, notes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from costshare.households.evaluate import Evaluation

__all__ = ["write_evaluation_xlsx"]


def write_evaluation_xlsx(
    ev: Evaluation, path: str | Path, indicators: dict[str, object] | None = None
) -> None:
    """Write `ev` as an xlsx workbook (sheets 总体 summary, 分项 items, 分楼栋 buildings, 说明 notes).

    With `indicators` (e.g. a scenario's cost per household and per m²,
    :meth:`~costshare.community.scenario_result.ScenarioResult.indicators`) a sheet
    指标 indicators is added after the buildings.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from costshare import rules
    >>> from costshare.households.evaluate import evaluate
    >>> ev = evaluate(pd.DataFrame({"unit_id": ["A"], "overall": [5]}),
    ...               rules.load("hebei", on="2024-06-30"))
    >>> p = Path(tempfile.mkdtemp()) / "e.xlsx"; write_evaluation_xlsx(ev, p)
    >>> pd.read_excel(p, sheet_name=None).keys()
    dict_keys(['总体 summary', '分项 items', '分楼栋 buildings', '说明 notes'])
    """
    summary = pd.DataFrame(
        [
            ("规则 rule", ev.rule),
            ("社区户数 households", ev.households),
            ("答卷户数 answered", ev.answered),
            ("满意户数 satisfied", ev.satisfied),
            ("计算基数 base", ev.base),
            ("满意率 rate", f"{float(ev.rate):.2%} ({ev.rate})"),
            ("验收门槛 bar", str(ev.bar)),
            ("可组织竣工验收 acceptance may proceed", "是 yes" if ev.passed else "否 no"),
            ("尚差满意户数 short by", ev.short_by()),
        ],
        columns=["项目 field", "值 value"],
    )
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        summary.to_excel(xw, sheet_name="总体 summary", index=False)
        ev.items.to_excel(xw, sheet_name="分项 items", index=False)
        ev.buildings.to_excel(xw, sheet_name="分楼栋 buildings", index=False)
        if indicators:
            ind = pd.DataFrame({"指标 indicator": list(indicators),
                                "值 value": [str(v) for v in indicators.values()]})  # fmt: skip
            ind.to_excel(xw, sheet_name="指标 indicators", index=False)
        notes = pd.DataFrame({"说明": ev.notes_in("zh"), "note": ev.notes_in("en")})
        notes.to_excel(xw, sheet_name="说明 notes", index=False)
