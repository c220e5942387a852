"""Field-level difference between two versions of a document, results side by side.

Both versions are parsed and flattened to dotted paths: mapping keys join with ``.``;
list items are addressed as ``[key]`` when every item is a mapping with a unique ``id``,
``item`` or ``name`` (in that order of preference), else by position ``[0]``.

>>> flatten({"work_items": [{"item": "water", "cost": 5}], "funding": {"central": 1}})
{'work_items[water].item': 'water', 'work_items[water].cost': 5, 'funding.central': 1}
>>> [c.path for c in compare({"a": 1, "b": [1]}, {"a": 2, "c": 3})]
['a', 'c', 'b[0]']
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from costshare.store.content import plain
from costshare.store.engine import Store
from costshare.store.repo import Ref, get

__all__ = [
    "FieldChange",
    "ResultRow",
    "VersionDiff",
    "compare",
    "diff",
    "flatten",
    "results_in_yuan",
]

_LIST_KEYS = ("id", "item", "name")


@dataclass(frozen=True)
class FieldChange:
    """One path whose value differs: added, removed or changed, with old and new values."""

    path: str
    change: Literal["added", "removed", "changed"]
    old: Any = None
    new: Any = None


@dataclass(frozen=True)
class ResultRow:
    """One headline result of both versions; `delta` is new − old when both are integers."""

    key: str
    old: Any
    new: Any
    delta: int | None


@dataclass(frozen=True)
class VersionDiff:
    """What changed from version `old` to version `new` of `document`."""

    document: str
    old: int
    new: int
    changes: tuple[FieldChange, ...]
    results: tuple[ResultRow, ...]
    same_content: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for JSON)."""
        return plain(asdict(self))


def _list_key(items: list[Any]) -> str | None:
    if not items or not all(isinstance(x, dict) for x in items):
        return None
    for key in _LIST_KEYS:
        values = [x.get(key) for x in items]
        if all(isinstance(v, str | int) and not isinstance(v, bool) for v in values) and len(
            {str(v) for v in values}
        ) == len(values):
            return key
    return None


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """`data` as ``{dotted path: leaf value}``; empty mappings and lists are leaves."""
    out: dict[str, Any] = {}
    if isinstance(data, dict) and data:
        for k, v in data.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(data, list) and data:
        key = _list_key(data)
        for i, v in enumerate(data):
            out.update(flatten(v, f"{prefix}[{v[key] if key else i}]"))
    else:
        out[prefix] = plain(data)
    return out


def _differs(a: Any, b: Any) -> bool:
    return a != b or isinstance(a, bool) != isinstance(b, bool)


def compare(old: Any, new: Any) -> list[FieldChange]:
    """Changed and added paths in `new`'s order, then removed paths in `old`'s order."""
    fo, fn = flatten(old), flatten(new)
    out = []
    for path, value in fn.items():
        if path not in fo:
            out.append(FieldChange(path, "added", None, value))
        elif _differs(fo[path], value):
            out.append(FieldChange(path, "changed", fo[path], value))
    out += [FieldChange(p, "removed", v, None) for p, v in fo.items() if p not in fn]
    return out


def _results(old: dict[str, Any] | None, new: dict[str, Any] | None) -> tuple[ResultRow, ...]:
    old, new = old or {}, new or {}
    rows = []
    for key in [*new, *(k for k in old if k not in new)]:
        a, b = old.get(key), new.get(key)
        ints = all(isinstance(x, int) and not isinstance(x, bool) for x in (a, b))
        rows.append(ResultRow(key, a, b, b - a if ints else None))
    return tuple(rows)


def diff(store: Store, name: str, old: Ref = None, new: Ref = None) -> VersionDiff:
    """Difference from version `old` to version `new` of document `name`.

    `new` defaults to the latest version and `old` to the one before `new`.

    Examples
    --------
    >>> from costshare.store.repo import save
    >>> with Store("sqlite://") as st:
    ...     _ = save(st, "community", "d", "cost: 1\\n", "a", results={"gap_fen": 10})
    ...     _ = save(st, "community", "d", "cost: 2\\n", "a", results={"gap_fen": 4})
    ...     d = diff(st, "d")
    >>> d.changes[0], d.results[0].delta
    (FieldChange(path='cost', change='changed', old=1, new=2), -6)
    """
    b = get(store, name, new)
    if old is None:
        a = b if b.number == 1 else get(store, name, b.number - 1)
    else:
        a = get(store, name, old)
    return VersionDiff(
        document=name,
        old=a.number,
        new=b.number,
        changes=tuple(compare(a.data, b.data)),
        results=_results(a.results, b.results),
        same_content=a.content_hash == b.content_hash,
    )


def results_in_yuan(results: dict[str, Any] | None) -> dict[str, Any]:
    """Headline results for a reader: each integer under a ``*_fen`` key as yuan text.

    A record keeps money as integer fen (``uses_fen``); a table headed in 元 shows it
    with thousands separators and two decimals. Nested mappings (one row per community)
    are converted the same way; other values are left as they are.

    Examples
    --------
    >>> results_in_yuan({"uses_fen": 1_025_000_000, "households": 480, "x": {"gap_fen": -5}})
    {'uses_fen': '10,250,000.00', 'households': 480, 'x': {'gap_fen': '-0.05'}}
    """
    from costshare.money import yuan_text

    def one(key: str, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: one(str(k), v) for k, v in value.items()}
        if key.endswith("_fen") and isinstance(value, int) and not isinstance(value, bool):
            return yuan_text([value])[0]
        return value

    return {k: one(str(k), v) for k, v in (results or {}).items()}
