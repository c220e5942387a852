"""The PPP page's tables as the reader sees them: headers in the chosen language, amounts in
yuan with thousands separators, rates as percentages, drivers and lines by name."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages._i18n import label, t

MONEY = "accounting"
"""Streamlit's number format with thousands separators and two decimals."""


def line_name(name: str) -> str:
    """A revenue or cost line's name through the translation table (else as written)."""
    return label("ppp.line", name, default=name)


def driver_name(driver: str) -> str:
    """A tornado / Monte Carlo driver by name (``revenue.<line>`` → revenue: line)."""
    if driver.startswith("revenue."):
        return f"{t('chart.driver.revenue')}：{line_name(driver.removeprefix('revenue.'))}"
    return label("chart.driver", driver)


def money_frame(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """`table` with every ``*_fen`` column in yuan (renamed without ``_fen``) and a column
    config labelling each column in the chosen language."""
    out = pd.DataFrame(index=table.index)
    config: dict[str, Any] = {}
    for col in table.columns:
        name = col.removesuffix("_fen")
        if col.endswith("_fen"):
            out[name] = table[col].astype("int64") / 100
            config[name] = st.column_config.NumberColumn(t(f"ppp.col.{name}"), format=MONEY)
        elif col == "phase":
            out[name] = [t(f"ppp.phase.{v}") for v in table[col]]
            config[name] = t("col.phase")
        elif col == "status":
            out[name] = [t(f"ppp.status.{v}") for v in table[col]]
            config[name] = t("ppp.col.status")
        elif col == "share":
            out[name] = table[col] * 100
            config[name] = st.column_config.NumberColumn(t("ppp.col.share"), format="%.2f%%")
        else:
            out[name] = table[col]
            config[name] = (
                t(f"col.{col}") if col in ("year", "calendar_year") else t(f"ppp.col.{col}")
            )
    return out, config


def tornado_frame(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The tornado table: drivers by name, NPV in yuan, IRR and change as percentages."""
    out = table.copy()
    out["driver"] = [driver_name(d) for d in table["driver"]]
    config: dict[str, Any] = {"driver": t("ppp.col.driver")}
    for col in table.columns:
        if col == "driver":
            continue
        if col.startswith("npv"):
            fmt = MONEY
        elif col.startswith(("irr", "change")):
            out[col] = table[col] * 100
            fmt = "%.2f%%"
        else:
            fmt = "%.2f"
        config[col] = st.column_config.NumberColumn(t(f"ppp.col.{col}"), format=fmt)
    return out, config


def mc_frame(summary: pd.DataFrame) -> pd.DataFrame:
    """The Monte Carlo summary with metrics and statistics by name; IRRs as percentages,
    NPV in yuan with thousands separators, payback in years (all as text)."""
    rows = {}
    for metric, row in summary.iterrows():
        if str(metric).endswith("irr"):
            cells = [f"{v:.2%}" for v in row]
        elif str(metric).endswith("npv"):
            cells = [f"{v:,.2f}" for v in row]
        else:
            cells = [f"{v:.2f}" for v in row]
        rows[t(f"ppp.mc.{metric}")] = cells
    stats = [t("ppp.mc.mean") if c == "mean" else c.upper() for c in summary.columns]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=stats)
    out.index.name = t("col.metric")
    return out.reset_index()
