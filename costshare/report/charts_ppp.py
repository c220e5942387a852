"""Finance and PPP figures: cash flows, loans, affordability, tornado, Monte Carlo.

Plotly figures over the library's tables (no streamlit here); labels in Chinese or
English from the one translation table (``chart.*`` of :mod:`costshare.i18n`). Amounts are integer
fen in the tables and yuan (float, for plotting only) in the figures.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from costshare.money import to_yuan
from costshare.report.charts import _FONT, Lang, _has, _w

__all__ = [
    "affordability_figure",
    "cashflow_figure",
    "cashflow_frame",
    "loan_figure",
    "montecarlo_figure",
    "ppp_cashflow_figure",
    "tornado_figure",
]

# -- cash flows and loans ----------------------------------------------------------------


def cashflow_frame(flows: list[float] | tuple[float, ...]) -> pd.DataFrame:
    """Year (0, 1, ...), flow and cumulative flow of a cash-flow series.

    Examples
    --------
    >>> cashflow_frame([-100, 60, 60]).cumulative.tolist()
    [-100.0, -40.0, 20.0]
    """
    frame = pd.DataFrame({"year": range(len(flows)), "flow": [float(f) for f in flows]})
    frame["cumulative"] = frame["flow"].cumsum()
    return frame


def cashflow_figure(flows: list[float] | tuple[float, ...], lang: Lang = "zh") -> go.Figure:
    """Bars of the annual flows with the cumulative flow as a line (yuan)."""
    cf = cashflow_frame(flows)
    fig = go.Figure()
    fig.add_bar(
        x=cf["year"],
        y=cf["flow"],
        name=_w("flow", lang),
        marker_color=["#E45756" if v < 0 else "#4C78A8" for v in cf["flow"]],
    )
    fig.add_scatter(
        x=cf["year"], y=cf["cumulative"], name=_w("cumulative", lang), mode="lines+markers"
    )
    fig.update_layout(
        title=_w("cashflow_title", lang),
        xaxis_title=_w("year", lang),
        yaxis_title=_w("yuan", lang),
        font={"family": "WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif", "size": 12},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=420,
    )
    return fig


def loan_figure(schedule: pd.DataFrame, lang: Lang = "zh") -> go.Figure:
    """Stacked interest and principal per period, closing balance as a line (yuan).

    `schedule` is :func:`costshare.finance.loan_schedule`'s frame (``*_fen`` columns).
    """
    x = schedule["period"]
    fig = go.Figure()
    for col, color in (("principal", "#4C78A8"), ("interest", "#F58518")):
        fig.add_bar(
            x=x,
            y=[float(to_yuan(v)) for v in schedule[f"{col}_fen"]],
            name=_w(col, lang),
            marker_color=color,
        )
    fig.add_scatter(
        x=x,
        y=[float(to_yuan(v)) for v in schedule["balance_fen"]],
        name=_w("balance", lang),
        mode="lines",
        yaxis="y2",
    )
    # equal instalments stack to one height: without headroom the bars and the opening
    # balance ran into the top edge and read as cut off
    top = max(float(to_yuan(int(v))) for v in schedule["payment_fen"]) if len(schedule) else 0.0
    high = max((float(to_yuan(int(v))) for v in schedule["balance_fen"]), default=0.0)
    fig.update_layout(
        barmode="stack",
        title=_w("loan_title", lang),
        xaxis_title=_w("period", lang),
        yaxis_title=_w("yuan", lang),
        yaxis={"range": [0, top * 1.1 or 1]},
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "range": [0, high * 1.1 or 1],
        },
        font={"family": "WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif", "size": 12},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=420,
        legend={"orientation": "h"},
    )
    return fig


# -- PPP project model -------------------------------------------------------------------


def _driver_name(driver: str, lang: Lang) -> str:
    key = f"driver.{driver}"
    if _has(key):
        return _w(key, lang)
    return driver.replace("revenue.", _w("driver.revenue", lang) + "·")


def _year_axis(table: pd.DataFrame) -> pd.Series:
    return table["calendar_year"] if "calendar_year" in table.columns else table["year"]


def ppp_cashflow_figure(table: pd.DataFrame, lang: Lang = "zh") -> go.Figure:
    """Project and equity cash flow per year (bars) and the project's cumulative line.

    `table` is :func:`costshare.ppp.cash_flow_table`'s frame (``*_fen`` columns).
    """
    x = _year_axis(table)
    fig = go.Figure()
    for col, color in (("project_cf", "#4C78A8"), ("equity_cf", "#72B7B2")):
        fig.add_bar(x=x, y=table[f"{col}_fen"] / 100, name=_w(col, lang), marker_color=color)
    fig.add_scatter(
        x=x, y=table["project_cum_fen"] / 100, name=_w("project_cum", lang), mode="lines+markers"
    )
    fig.update_layout(
        title=_w("ppp_cf_title", lang),
        xaxis_title=_w("project_year", lang),
        yaxis_title=_w("yuan", lang),
        font=_FONT,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=420,
        legend={"orientation": "h"},
    )
    return fig


def affordability_figure(
    table: pd.DataFrame,
    lang: Lang = "zh",
    *,
    limit: float,
    warning: float | None,
    start_year: int | None = None,
) -> go.Figure:
    """Each year's obligations as a share of budget expenditure, against the rule lines.

    `table` is :class:`costshare.ppp.Affordability`'s ``table``; bars are coloured by
    its ``status`` (pass / warning / fail); the subsidy's own share is a second trace.
    `limit` and `warning` are the rule set's lines (``Affordability.lines``); no line
    is drawn for a warning of None.
    """
    x = table["year"] + (start_year - 1 if start_year is not None else 0)
    colors = {"pass": "#54A24B", "warning": "#F58518", "fail": "#E45756"}
    fig = go.Figure()
    fig.add_bar(
        x=x,
        y=100 * table["share"],
        name=_w("obligations", lang),
        marker_color=[colors.get(s, "#4C78A8") for s in table["status"]],
    )
    fig.add_scatter(
        x=x,
        y=100 * table["subsidy_fen"] / table["budget_fen"],
        name=_w("subsidy", lang),
        mode="lines+markers",
    )
    for level, key, dash in ((limit, "limit", "solid"), (warning, "warning", "dash")):
        if level is None:
            continue
        fig.add_scatter(
            x=x,
            y=[100 * float(level)] * len(table),
            name=_w(key, lang).format(pct=f"{float(level):.0%}"),
            mode="lines",
            line={"color": "#E45756" if key == "limit" else "#F58518", "dash": dash},
        )
    fig.update_layout(
        title=_w("afford_title", lang),
        xaxis_title=_w("project_year", lang),
        yaxis_title=_w("share_of_budget", lang),
        font=_FONT,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=400,
        legend={"orientation": "h"},
    )
    return fig


def tornado_figure(table: pd.DataFrame, lang: Lang = "zh") -> go.Figure:
    """Horizontal bars of project NPV at each driver's low and high value, around the base.

    `table` is :func:`costshare.ppp.tornado`'s frame (largest swing first, drawn on top).
    """
    t = table.iloc[::-1]
    names = [
        f"{_driver_name(d, lang)} ±{c:.0%}" for d, c in zip(t["driver"], t["change"], strict=True)
    ]
    base = float(t["npv_base"].iloc[0]) if len(t) else 0.0
    fig = go.Figure()
    for col, color in (("npv_low", "#E45756"), ("npv_high", "#4C78A8")):
        fig.add_bar(
            y=names,
            x=t[col] - base,
            base=base,
            orientation="h",
            name=_w("low" if col == "npv_low" else "high", lang),
            marker_color=color,
            customdata=t[col],
            hovertemplate="%{customdata:,.0f}<extra>%{y}</extra>",
        )
    fig.add_vline(x=base, line_dash="dot", annotation_text=_w("base", lang))
    fig.update_layout(
        barmode="overlay",
        title=_w("tornado_title", lang),
        xaxis_title=_w("npv_yuan", lang),
        font=_FONT,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=max(260, 60 + 45 * len(t)),
        legend={"orientation": "h"},
    )
    return fig


def montecarlo_figure(
    samples: pd.DataFrame, summary: pd.DataFrame, lang: Lang = "zh", metric: str = "project_npv"
) -> go.Figure:
    """Histogram of one Monte Carlo metric with its p5 / p50 / p95 marked.

    `samples` and `summary` are :class:`costshare.ppp.MonteCarloResult`'s frames.
    """
    x = samples[metric]
    fig = go.Figure()
    fig.add_histogram(x=x[x.notna()], nbinsx=60, name=_w("draws", lang), marker_color="#4C78A8")
    for q, dash in (("p5", "dash"), ("p50", "solid"), ("p95", "dash")):
        v = float(summary.loc[metric, q])
        if v == v and abs(v) != float("inf"):
            fig.add_vline(x=v, line_dash=dash, line_color="#E45756", annotation_text=q.upper())
    fig.update_layout(
        title=_w("mc_title", lang),
        xaxis_title=_w("npv_yuan", lang) if metric == "project_npv" else metric,
        yaxis_title=_w("draws", lang),
        font=_FONT,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=400,
        showlegend=False,
    )
    return fig
