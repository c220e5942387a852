"""The community page's land-use money inputs (plot-ratio / land-use change as a funding line).

Each land line of the scenario (``funding.land``, see :mod:`costshare.community.land`) gets
number inputs for its figures; a figure left as the scenario gives it keeps its source and
confidence, a figure changed on the page becomes an assumption (A) "entered on the page".
A scenario without a land line can add one. The library values the line; the page only
collects the figures.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import streamlit as st

from app_pages._i18n import t

# field, step, is a ratio (0–1)
FIELDS = (
    ("site_area_m2", 100.0, False),
    ("old_plot_ratio", 0.1, False),
    ("new_plot_ratio", 0.1, False),
    ("added_floor_area_m2", 100.0, False),
    ("floor_price", 100.0, False),
    ("use_change_premium", 10000.0, False),
    ("capture_share", 0.05, True),
)
NEW_LINE = {
    "name": "容积率调增与用途变更",
    "site_area_m2": 10000,
    "old_plot_ratio": 1.0,
    "new_plot_ratio": 1.5,
    "floor_price": 2000,
    "capture_share": 0.5,
}
"""A land line the page starts from when the scenario has none (every figure the user's)."""


def _value(fig: Any) -> float | None:
    if fig is None:
        return None
    v = fig.get("value") if isinstance(fig, dict) else fig
    return None if v is None else float(v)


def edited_line(line: dict[str, Any], values: dict[str, float], reason: str) -> dict[str, Any]:
    """`line` with the page's `values`: a changed figure becomes A with `reason`.

    Examples
    --------
    >>> base = {"name": "p", "floor_price": {"value": 2500, "confidence": "A", "reason": "x"}}
    >>> edited_line(base, {"floor_price": 2500.0}, "page")["floor_price"]["reason"]
    'x'
    >>> edited_line(base, {"floor_price": 3000.0}, "page")["floor_price"]
    {'value': 3000, 'confidence': 'A', 'reason': 'page'}
    """
    out = dict(line)
    for k, v in values.items():
        if _value(line.get(k)) is not None and Decimal(repr(v)) == Decimal(repr(_value(line[k]))):
            continue
        value: int | float = int(v) if float(v).is_integer() else v
        out[k] = {"value": value, "confidence": "A", "reason": reason}
    return out


def land_section(base: dict[str, Any], S: str) -> list[dict[str, Any]]:
    """The inputs of every land line of `base` (keys under `S`); the lines as plain data."""
    lines = list((base.get("funding") or {}).get("land") or [])
    with st.expander(t("land.section"), expanded=bool(lines)):
        st.caption(t("land.intro"))
        if not lines and st.toggle(t("land.add"), key=S + "land_add", help=t("help.land.add")):
            lines = [dict(NEW_LINE)]
        out = []
        for i, line in enumerate(lines):
            st.markdown(f"**{line.get('name', '')}**")
            fields = [
                f
                for f in FIELDS
                if (f[0] == "added_floor_area_m2") == ("added_floor_area_m2" in line)
                or f[0] in ("site_area_m2", "floor_price", "use_change_premium", "capture_share")
            ]
            cols = st.columns(len(fields))
            values = {}
            for col, (k, step, is_ratio) in zip(cols, fields, strict=True):
                v = _value(line.get(k))
                values[k] = col.number_input(
                    t(f"land.{k}"),
                    help=t(f"help.land.{k}"),
                    min_value=0.0,
                    max_value=1.0 if is_ratio else None,
                    value=0.0 if v is None else v,
                    step=step,
                    key=f"{S}land_{i}_{k}",
                )
            if values.get("use_change_premium") == 0 and "use_change_premium" not in line:
                values.pop("use_change_premium")
            if "site_area_m2" not in line and not values.get("site_area_m2"):
                values.pop("site_area_m2", None)
            out.append(edited_line(line, values, t("land.page_reason")))
    return out
