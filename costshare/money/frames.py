"""Fen columns of a table shown in yuan: the one conversion every table and export uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from costshare.money._core import Unit, format_amount, to_yuan

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["yuan_frame"]


def yuan_frame(df: pd.DataFrame, unit: Unit | None = None) -> pd.DataFrame:
    """`df` with every ``*_fen`` column in yuan, named without ``_fen``, order kept.

    Parameters
    ----------
    df : DataFrame
        Any table; columns named ``*_fen`` hold integer fen (missing values stay missing).
    unit : {"元", "万元", "亿元"}, optional
        ``None`` (default): exact ``Decimal`` yuan. A unit: text with thousands separators
        in that unit, two decimals, half up (for a terminal or a page).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"year": [1], "capex_fen": [123456789]})
    >>> yuan_frame(df).to_dict("records")
    [{'year': 1, 'capex': Decimal('1234567.89')}]
    >>> yuan_frame(df, "万元").to_dict("records")
    [{'year': 1, 'capex': '123.46'}]
    """
    out = df.copy()
    for col in [c for c in df.columns if str(c).endswith("_fen")]:
        out[col] = [_cell(v, unit) for v in df[col]]
    return out.rename(columns={c: str(c).removesuffix("_fen") for c in df.columns})


def _cell(v: Any, unit: Unit | None) -> Any:
    if v is None or v != v:  # None or NaN: nothing to convert
        return None
    if unit is None:
        return to_yuan(int(v))
    return format_amount(int(v), unit).rsplit(" ", 1)[0]
