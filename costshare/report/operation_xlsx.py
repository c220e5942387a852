"""The operation result as a workbook: summary, yearly accounts, lines, fund, space, sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from costshare.report.table_xlsx import frames_xlsx

if TYPE_CHECKING:
    from costshare.operation.result import OperationResult

__all__ = ["operation_xlsx_bytes"]


def operation_xlsx_bytes(result: OperationResult) -> bytes:
    """One sheet per table of `result`, amounts in yuan (the CLI and the app write this).

    Examples
    --------
    >>> from costshare.operation import OperationScenario, run_scenario
    >>> s = OperationScenario.from_yaml("scenarios/operation/changping_closed_estate.yaml")
    >>> r = run_scenario(s)
    >>> operation_xlsx_bytes(r)[:2]
    b'PK'
    """
    from costshare.money.frames import yuan_frame as yuan_columns

    sheets = {
        "summary": yuan_columns(result.summary),
        "yearly": yuan_columns(result.yearly),
        "lines": yuan_columns(result.lines),
        "fund": yuan_columns(result.fund_table()),
        "space": yuan_columns(result.space),
        "sources": result.sources().fillna(""),
    }
    money = tuple(c.removesuffix("_fen") for c in result.yearly.columns if c.endswith("_fen"))
    return frames_xlsx(sheets, money)
