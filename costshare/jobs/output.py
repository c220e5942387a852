"""The one JSON form of a job's result: what ``--format json`` prints and the HTTP API returns.

A job's :meth:`~costshare.jobs.base.Job.summary` holds plain data, tables (DataFrames) and
exact numbers (Decimal); :func:`to_jsonable` turns it into JSON data the same way for
every shell: a table becomes a list of row records, a Decimal or a Fraction its exact text,
a date its ISO form, a missing value (NaN, NaT, NA, ±inf) ``null``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from pathlib import PurePath
from typing import Any

__all__ = ["json_text", "to_jsonable"]


def to_jsonable(obj: Any) -> Any:
    """`obj` as JSON data: dicts, lists, str, int, float (finite), bool and ``None`` only.

    Parameters
    ----------
    obj : Any
        A job's summary or any part of it: mappings, sequences, DataFrames and Series,
        numpy scalars, Decimal, Fraction, dates, pydantic models, paths, enums.

    Returns
    -------
    Any
        Plain JSON data. Money stays exact (a Decimal is its text, never a float); keys
        become text; a value no rule covers becomes its ``str``.

    Examples
    --------
    >>> import pandas as pd
    >>> from decimal import Decimal
    >>> to_jsonable({"total": Decimal("1400.00"), 1: float("nan"),
    ...              "t": pd.DataFrame({"a": [1, 2]})})
    {'total': '1400.00', '1': None, 't': [{'a': 1}, {'a': 2}]}
    """
    if obj is None or isinstance(obj, bool | str | int):
        return obj.value if isinstance(obj, Enum) else obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, Decimal):
        return str(obj) if obj.is_finite() else None
    if isinstance(obj, Fraction):
        return str(obj)
    if isinstance(obj, dict):
        return {str(to_jsonable(k)): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, dt.date | dt.time):  # datetime and pandas' Timestamp too
        return obj.isoformat()
    if isinstance(obj, Enum):
        return to_jsonable(obj.value)
    if isinstance(obj, PurePath):
        return obj.as_posix()
    return _other(obj)


def _other(obj: Any) -> Any:
    import pandas as pd
    from pydantic import BaseModel

    if isinstance(obj, pd.DataFrame):
        return [to_jsonable(r) for r in obj.to_dict("records")]
    if isinstance(obj, pd.Series):
        return to_jsonable(obj.to_dict())
    if isinstance(obj, BaseModel):
        return to_jsonable(obj.model_dump(mode="json"))
    if obj is pd.NaT or obj is pd.NA:
        return None
    if hasattr(obj, "item") and hasattr(obj, "dtype"):  # a numpy scalar
        return to_jsonable(obj.item())
    return str(obj)


def json_text(obj: Any, *, indent: int | None = 2) -> str:
    """`obj` as JSON text (non-ASCII kept, ``NaN`` never written).

    >>> json_text({"区": Decimal("0.10")}, indent=None)
    '{"区": "0.10"}'
    """
    return json.dumps(to_jsonable(obj), ensure_ascii=False, indent=indent, allow_nan=False)
