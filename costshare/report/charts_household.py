"""Household-sheet figures: the share of the total each floor pays, by basis."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from costshare.report.charts import Lang, _has, _w
from costshare.report.palette import series_colors

__all__ = ["floor_share_figure", "floor_share_frame"]

_FONT = {"family": "WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif", "size": 12}


def _basis_name(basis: str, lang: Lang) -> str:
    key = f"basis.{basis}"
    return _w(key, lang) if _has(key) else basis


def floor_share_frame(fairness: pd.DataFrame) -> pd.DataFrame:
    """Long form of a fairness summary's ``floor_<f>`` columns: basis, floor, share (%).

    `fairness` is :func:`costshare.households.fairness.fairness_summary`'s frame. Empty when the
    roster has no floors.

    Examples
    --------
    >>> f = pd.DataFrame({"basis": ["area"], "floor_1": [40.0], "floor_2": [60.0]})
    >>> floor_share_frame(f).to_dict("records")
    [{'basis': 'area', 'floor': 1, 'share': 40.0}, {'basis': 'area', 'floor': 2, 'share': 60.0}]
    """
    cols = [c for c in fairness.columns if str(c).startswith("floor_")]
    if not cols:
        return pd.DataFrame({"basis": [], "floor": [], "share": []})
    long = fairness.melt(id_vars="basis", value_vars=cols, var_name="floor", value_name="share")
    long["floor"] = long["floor"].str.removeprefix("floor_").astype(int)
    long["share"] = long["share"].fillna(0.0).astype(float)
    return long.sort_values(["basis", "floor"], kind="stable").reset_index(drop=True)


def floor_share_figure(fairness: pd.DataFrame, lang: Lang = "zh") -> go.Figure:
    """Grouped bars: the share of the total each floor pays, one colour per basis."""
    long = floor_share_frame(fairness)
    colors = series_colors(str(b) for b in fairness["basis"])
    fig = go.Figure()
    for basis in fairness["basis"]:
        part = long[long["basis"] == basis]
        fig.add_bar(
            marker_color=colors[str(basis)],
            x=part["floor"],
            y=part["share"],
            name=_basis_name(str(basis), lang),
            hovertemplate="%{x}: %{y:.2f}%<extra>" + _basis_name(str(basis), lang) + "</extra>",
        )
    fig.update_layout(
        barmode="group",
        title=_w("floor_share_title", lang),
        xaxis_title=_w("floor", lang),
        yaxis_title=_w("share_pct", lang),
        xaxis={"dtick": 1},
        font=_FONT,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=400,
        legend={"orientation": "h"},
    )
    return fig
