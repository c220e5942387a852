"""Between a scenario's plain data and the frames the editors show (no streamlit here).

Only reshaping: values go through unchanged (costs stay the yuan the user typed); the
library validates and computes. Blank cells are left out so validation names what is
missing.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from costshare.community.scenario import CHANNELS
from costshare.i18n import Lang, label

ITEM_COLUMNS = ["item", "category", "cost", "owner", "payer", "note"]
OTHER_COLUMNS = ["name", "amount", "note"]
RESIDENT_BASES = ("none", "ratio", "per_household", "per_m2", "amount")


def _blank(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and not v.strip()


def _value(v: Any) -> Any:
    """A cell as plain data: numpy scalars to Python, whole floats to int."""
    if hasattr(v, "item") and not isinstance(v, str):
        v = v.item()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def items_frame(raw: dict[str, Any]) -> pd.DataFrame:
    """Work items as an editable frame (costs as float yuan)."""
    rows = [{c: w.get(c) for c in ITEM_COLUMNS} for w in raw.get("work_items") or []]
    df = pd.DataFrame(rows, columns=ITEM_COLUMNS)
    df["cost"] = pd.to_numeric(df["cost"], errors="coerce").astype("float64")
    for c in ("item", "category", "owner", "payer", "note"):
        df[c] = df[c].astype("object")
    for c in ("owner", "payer", "note"):  # blank, not "None", in the editor
        df[c] = df[c].where(df[c].notna(), "")
    return df


def funding_frame(raw: dict[str, Any], lang: Lang = "zh") -> pd.DataFrame:
    """The ten funding channels, labelled in `lang`, with their amounts (0 when absent)."""
    f = raw.get("funding") or {}
    return pd.DataFrame(
        {
            "channel": list(CHANNELS),
            "label": [label("channel", k, lang, default=v) for k, v in CHANNELS.items()],
            "amount": [float(f.get(k, 0) or 0) for k in CHANNELS],
        }
    )


def other_frame(raw: dict[str, Any]) -> pd.DataFrame:
    """Other funding lines (name, amount, note)."""
    rows = [
        {c: o.get(c) for c in OTHER_COLUMNS} for o in (raw.get("funding") or {}).get("other") or []
    ]
    df = pd.DataFrame(rows, columns=OTHER_COLUMNS)
    df["amount"] = pd.to_numeric(df["amount"], errors="coerce").astype("float64")
    df["name"] = df["name"].astype("object")
    df["note"] = df["note"].astype("object")
    df["note"] = df["note"].where(df["note"].notna(), "")
    return df


def residents_of(raw: dict[str, Any]) -> tuple[str, float, str | None]:
    """(basis, value, note) of the residents' contribution; basis ``none`` when absent."""
    r = (raw.get("funding") or {}).get("residents")
    if not r:
        return "none", 0.0, None
    for basis in RESIDENT_BASES[1:]:
        if r.get(basis) is not None:
            return basis, float(r[basis]), r.get("note")
    return "none", 0.0, r.get("note")


def _records(df: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    out = []
    for row in df[columns].to_dict("records"):
        if all(_blank(v) for v in row.values()):
            continue  # an empty row added in the editor
        out.append({k: _value(v) for k, v in row.items() if not _blank(v)})
    return out


def build_scenario(
    base: dict[str, Any],
    *,
    households: int,
    area_m2: float,
    jurisdiction: str,
    rules_date: dt.date | None,
    items: pd.DataFrame,
    funding: pd.DataFrame,
    other: pd.DataFrame,
    residents: tuple[str, float, str | None],
) -> dict[str, Any]:
    """The base scenario with the page's edits applied, as plain data for validation."""
    raw = {k: v for k, v in base.items() if k not in ("work_items", "funding", "rules_date")}
    raw["community"] = {
        **(base.get("community") or {}),
        "households": _value(households),
        "area_m2": _value(area_m2),
        "jurisdiction": jurisdiction,
    }
    if rules_date is not None:
        raw["rules_date"] = rules_date.isoformat()
    raw["work_items"] = _records(items, ITEM_COLUMNS)
    fund: dict[str, Any] = {
        k: v for k, v in (base.get("funding") or {}).items() if k not in CHANNELS
    }
    fund.pop("other", None)
    fund.pop("residents", None)
    for r in funding.itertuples(index=False):
        if not _blank(r.amount) and r.amount != 0:
            fund[r.channel] = _value(r.amount)
    basis, value, note = residents
    if basis != "none":
        fund["residents"] = {basis: _value(value), **({"note": note} if note else {})}
    others = _records(other, OTHER_COLUMNS)
    if others:
        fund["other"] = others
    raw["funding"] = fund
    return raw
