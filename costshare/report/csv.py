"""The one CSV-with-BOM writer: every CSV download and export goes through :func:`csv_bytes`."""

from __future__ import annotations

import pandas as pd

from costshare.report.safe import escape_frame

__all__ = ["csv_bytes"]


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """`frame` as UTF-8 CSV with a byte-order mark (so Excel reads Chinese), no index.

    Text cells and headers that a spreadsheet would run as a formula are escaped
    (:func:`costshare.report.safe.escape_frame`); numbers are left alone.

    Examples
    --------
    >>> data = csv_bytes(pd.DataFrame({"名称": ["=1+1", "甲"], "amount": [-5, 2]}))
    >>> data[:3] == b"\\xef\\xbb\\xbf"
    True
    >>> data.decode("utf-8-sig").splitlines()
    ['名称,amount', "'=1+1,-5", '甲,2']
    """
    return escape_frame(frame).to_csv(index=False).encode("utf-8-sig")
