"""The one CSV-with-BOM encoder: UTF-8 with BOM (Excel opens it), formulas escaped."""

from __future__ import annotations

import pandas as pd

from costshare.report._safe import escape_frame

__all__ = ["csv_bytes"]


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """`frame` as UTF-8-with-BOM CSV bytes, every text cell escaped against formulas.

    Examples
    --------
    >>> csv_bytes(pd.DataFrame({"a": ["x"], "b": [-2]})).startswith("\ufeff".encode())
    True
    >>> csv_bytes(pd.DataFrame({"a": ["=1"]})).decode("utf-8-sig").splitlines()
    ['a', "'=1"]
    """
    return escape_frame(frame).to_csv(index=False).encode("utf-8-sig")
