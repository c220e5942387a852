"""The portfolio workbook: summary, communities, and one sheet per funding channel.

Built in memory with xlsxwriter (:func:`portfolio_xlsx_bytes`, also the app's download)
and written atomically (:func:`costshare.report.safe.atomic_write_bytes`); every text
cell goes through :func:`costshare.report.safe.escape_cell`.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlsxwriter

from costshare.report.safe import atomic_write_bytes, escape_cell

if TYPE_CHECKING:
    from costshare.community.portfolio import PortfolioResult

__all__ = ["portfolio_xlsx_bytes", "sheet_name", "write_portfolio_xlsx"]

_BAD = re.compile(r"[\[\]:*?/\\']")


def sheet_name(label: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, no ``[]:*?/\\``).

    Examples
    --------
    >>> taken = set()
    >>> sheet_name("payer:water", taken), sheet_name("payer:water", taken)
    ('payer-water', 'payer-water (2)')
    """
    base = _BAD.sub("-", label).strip() or "sheet"
    base = base[:31]
    name, i = base, 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f" ({i})"
        name = base[: 31 - len(suffix)] + suffix
        i += 1
    taken.add(name)
    return name


def _cell(v: Any) -> Any:
    return escape_cell(v) if isinstance(v, str) else v


def write_portfolio_xlsx(result: PortfolioResult, path: Path) -> Path:
    """Write `result` to `path` (xlsx) atomically; return `path`."""
    atomic_write_bytes(path, portfolio_xlsx_bytes(result))
    return path


def portfolio_xlsx_bytes(result: PortfolioResult) -> bytes:
    """The portfolio workbook as bytes (what :func:`write_portfolio_xlsx` writes).

    Examples
    --------
    >>> import io, openpyxl, pandas as pd
    >>> from costshare.community.portfolio import Portfolio
    >>> r = Portfolio.from_frame(pd.DataFrame({"households": [10], "area_m2": [700],
    ...     "cost": [100], "municipal": [60]})).run()
    >>> openpyxl.load_workbook(io.BytesIO(portfolio_xlsx_bytes(r))).sheetnames[:2]
    ['summary', 'communities']
    """
    buf = io.BytesIO()
    c = result.communities
    tot = result.totals()
    wb = xlsxwriter.Workbook(buf, {"nan_inf_to_errors": True, "in_memory": True})
    bold = wb.add_format({"bold": True})
    money = wb.add_format({"num_format": "#,##0.00"})
    taken: set[str] = set()

    ws = wb.add_worksheet(sheet_name("summary", taken))
    ws.set_column(0, 0, 36)
    ws.set_column(1, 4, 18)
    ws.write(0, 0, _cell(result.name), bold)
    r = 2
    for k, v in tot.items():
        ws.write(r, 0, k)
        if hasattr(v, "as_tuple"):  # Decimal
            ws.write_number(r, 1, float(v), money)
        else:
            ws.write(r, 1, v)
        r += 1
    r += 1
    ws.write_row(r, 0, ["funding line", "key", "amount (yuan)", "communities"], bold)
    for row in result.by_channel().itertuples():
        r += 1
        ws.write(r, 0, _cell(row.line))
        ws.write(r, 1, _cell(row.key))
        ws.write_number(r, 2, row.amount_fen / 100, money)
        ws.write_number(r, 3, int(row.communities))
    r += 2
    ws.write_row(r, 0, ["payer (rule obligations)", "id", "amount (yuan)"], bold)
    for row in result.by_payer().itertuples():
        r += 1
        ws.write(r, 0, _cell(row.label))
        ws.write(r, 1, _cell(row.payer))
        ws.write_number(r, 2, row.amount_fen / 100, money)

    ws = wb.add_worksheet(sheet_name("communities", taken))
    keys = list(result.sources.columns)
    head = [
        "id",
        "name",
        "district",
        "households",
        "area_m2",
        "uses",
        "sources",
        "gap",
        *[result.labels[k] for k in keys],
    ]
    ws.write_row(0, 0, [_cell(h) for h in head], bold)
    ws.freeze_panes(1, 2)
    ws.set_column(5, 7 + len(keys), 16, money)
    # plain Python columns once: pandas indexing per cell is the slow part
    ids = [_cell(str(v)) for v in c["id"]]
    names = [_cell(str(v)) for v in c["name"]]
    dists = [_cell(str(v)) for v in c["district"]]
    hh = c["households"].astype(int).tolist()
    area = c["area_m2"].astype(float).tolist()
    yuan = {
        col: (c[col].to_numpy() / 100).tolist() for col in ("uses_fen", "sources_fen", "gap_fen")
    }
    src = {k: result.sources[k].to_numpy() for k in keys}
    src_yuan = {k: (v / 100).tolist() for k, v in src.items()}
    for i in range(len(c)):
        ws.write_row(
            i + 1,
            0,
            [
                ids[i],
                names[i],
                dists[i],
                hh[i],
                area[i],
                yuan["uses_fen"][i],
                yuan["sources_fen"][i],
                yuan["gap_fen"][i],
                *(src_yuan[k][i] for k in keys),
            ],
        )

    for k in keys:
        ws = wb.add_worksheet(sheet_name(result.labels[k], taken))
        ws.write(0, 0, _cell(result.labels[k]), bold)
        ws.write(0, 1, _cell(k))
        ws.write_row(1, 0, ["id", "name", "district", "households", "amount (yuan)"], bold)
        ws.set_column(4, 4, 16, money)
        r = 1
        for i in map(int, src[k].nonzero()[0]):
            r += 1
            ws.write_row(r, 0, [ids[i], names[i], dists[i], hh[i], src_yuan[k][i]])
        ws.write(r + 1, 0, "total", bold)
        ws.write_number(r + 1, 4, int(src[k].sum()) / 100, money)
    _fund_sheet(wb, result, taken, bold, money)
    from costshare.report.audit import audit_frame, write_audit_sheet

    write_audit_sheet(wb, audit_frame(result), sheet_name("audit", taken))
    wb.close()
    return buf.getvalue()


def _fund_sheet(wb: Any, result: PortfolioResult, taken: set[str], bold: Any, money: Any) -> None:
    """A ``fund`` sheet: each top-up community's maintenance-fund memo, in yuan."""
    if result.fund is None:
        return
    from costshare.community.portfolio_result import FUND_LABELS

    ws = wb.add_worksheet(sheet_name("fund", taken))
    ws.write_row(0, 0, ["id", *FUND_LABELS.values()], bold)
    ws.set_column(1, len(FUND_LABELS), 22, money)
    for i, row in enumerate(result.fund[["id", *FUND_LABELS]].itertuples(index=False), 1):
        ws.write(i, 0, _cell(str(row[0])))
        for j, fen in enumerate(row[1:], 1):
            ws.write_number(i, j, int(fen) / 100)
