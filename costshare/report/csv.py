"""The one CSV writer of costshare: UTF-8 with BOM (Excel opens Chinese), formulas escaped."""

from __future__ import annotations

import pandas as pd

from costshare.report._safe import escape_frame

__all__ = ["csv_bytes"]


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """`frame` as CSV bytes: UTF-8 with BOM, no index, text cells escaped against formulas.

    Examples
    --------
    >>> csv_bytes(pd.DataFrame({"名称": ["=1+1"], "n": [2]}))
    b"\\xef\\xbb\\xbf\\xe5\\x90\\x8d\\xe7\\xa7\\xb0,n\\n'=1+1,2\\n"
    """
    return escape_frame(frame).to_csv(index=False).encode("utf-8-sig")
