"""Shells that present results: charts (plotly) and exports (xlsx, csv, PDF notice).

Every exporter writes to bytes or, atomically, to a path; text cells are escaped against
spreadsheet formulas. The names below load their module on first use (plotly, xlsxwriter
and reportlab stay unloaded until needed).

>>> from costshare import report
>>> report.csv_bytes.__module__
'costshare.report.csv'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from costshare.report.ballot import ballot_pdf_bytes, write_ballots
    from costshare.report.csv import csv_bytes
    from costshare.report.notice import notice_pdf_bytes, write_notice
    from costshare.report.portfolio_xlsx import portfolio_xlsx_bytes, write_portfolio_xlsx
    from costshare.report.safe import plain_text
    from costshare.report.sheet import (
        sheet_csv_bytes,
        sheet_xlsx_bytes,
        write_sheet_csv,
        write_sheet_xlsx,
    )
    from costshare.report.table_xlsx import scenario_result_xlsx, write_scenario_result_xlsx

__all__ = [
    "ballot_pdf_bytes",
    "csv_bytes",
    "notice_pdf_bytes",
    "plain_text",
    "portfolio_xlsx_bytes",
    "scenario_result_xlsx",
    "sheet_csv_bytes",
    "sheet_xlsx_bytes",
    "write_ballots",
    "write_notice",
    "write_portfolio_xlsx",
    "write_scenario_result_xlsx",
    "write_sheet_csv",
    "write_sheet_xlsx",
]

_LAZY = {
    "ballot_pdf_bytes": "costshare.report.ballot",
    "write_ballots": "costshare.report.ballot",
    "csv_bytes": "costshare.report.csv",
    "plain_text": "costshare.report.safe",
    "notice_pdf_bytes": "costshare.report.notice",
    "write_notice": "costshare.report.notice",
    "portfolio_xlsx_bytes": "costshare.report.portfolio_xlsx",
    "write_portfolio_xlsx": "costshare.report.portfolio_xlsx",
    "scenario_result_xlsx": "costshare.report.table_xlsx",
    "write_scenario_result_xlsx": "costshare.report.table_xlsx",
    "sheet_csv_bytes": "costshare.report.sheet",
    "sheet_xlsx_bytes": "costshare.report.sheet",
    "write_sheet_csv": "costshare.report.sheet",
    "write_sheet_xlsx": "costshare.report.sheet",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    msg = f"module 'costshare.report' has no attribute {name!r}"
    raise AttributeError(msg)
