"""Chart data and plotly figures for a community scenario (no streamlit here).

The app only lays these out; the numbers come from the result types
(:class:`~costshare.community.scenario_result.ScenarioResult`,
:class:`~costshare.community.portfolio_result.PortfolioResult`), imported for typing only.

* :func:`sankey_links` / :func:`sankey_figure`: funding sources → payers → work items.
* :func:`waterfall_steps` / :func:`waterfall_figure`: each source adding up to total
  sources, then the gap (or surplus) that reaches total uses.
* :func:`comparison_table`: several scenarios side by side, rows that differ flagged.
* :func:`portfolio_bars` / :func:`portfolio_figure`: a city portfolio's funding by channel
  per district or per community, positive gaps stacked on top.

Amounts are integer fen in the data frames and yuan (float, for plotting only) in figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

import pandas as pd
import plotly.graph_objects as go

from costshare import i18n
from costshare.community.channels import PAYER_PREFIX, channel_kind, channel_label
from costshare.money import allocate, to_yuan
from costshare.report.palette import series_colors

if TYPE_CHECKING:
    from costshare.community.portfolio_result import PortfolioResult
    from costshare.community.scenario_result import ScenarioResult

__all__ = [
    "comparison_table",
    "portfolio_bars",
    "portfolio_figure",
    "sankey_figure",
    "sankey_links",
    "waterfall_figure",
    "waterfall_steps",
]

Lang = Literal["zh", "en"]

_PLAN_PAYERS = ("local_finance", "pooled")
UNIT_KEYS = {"元": "yuan", "万元": "wan", "亿元": "yi"}
"""A money unit's key in the translation table (``money.unit.<key>``)."""


def _w(key: str, lang: Lang) -> str:
    """Chart word `key` (``chart.<key>`` of the one translation table) in `lang`."""
    return i18n.t(f"chart.{key}", lang)


def _has(key: str) -> bool:
    """Whether the translation table has chart word `key`."""
    return f"chart.{key}" in i18n.table()


def _payer_label(result: ScenarioResult, payer: str, lang: Lang) -> str:
    """A payer's name from the translation table (the rule file's name if it has none)."""
    if payer == "pooled":
        return _w("pooled", lang)
    return i18n.label("payer", payer, lang, result.rules.payers.get(payer, payer))


def _source_label(channel: str, line: str, lang: Lang) -> str:
    """A funding line's name in `lang`: payers, channels and residents' lines from the
    table; ``other:`` lines keep the name the user gave them."""
    return channel_label(channel, line, lang)


def sankey_links(result: ScenarioResult, lang: Lang = "zh") -> pd.DataFrame:
    """Links of the sources → payers → items sankey, in fen.

    Columns: ``source``, ``target`` (node labels, prefixed ``S:``, ``P:``, ``I:`` for the
    three columns so equal names stay distinct), ``amount_fen``, ``stage``
    (``source_to_payer`` or ``payer_to_item``).

    Enterprises and other payers that fund their own rule share link their funding line to
    themselves. Every other source (subsidies, finance, residents, ...) funds the payers
    of the funding plan (local finance and the pooled items) in proportion to what each
    owes; a gap enters as its own source, a surplus leaves to its own node. Each link is
    exact to the fen; a plan payer's inflow differs from its outflow by at most a fen per
    source line (proportional rounding).

    Examples
    --------
    >>> from costshare.community.scenario import Scenario, default_scenario_path
    >>> r = Scenario.from_yaml(default_scenario_path()).run()
    >>> links = sankey_links(r)
    >>> int(links.loc[links.stage == "payer_to_item", "amount_fen"].sum()) == r.uses_fen
    True
    """
    split = result.split.table
    rows: list[tuple[str, str, int, str]] = []
    by_pi = split.groupby(["payer", "item"], sort=False)["amount_fen"].sum()
    for (payer, item), fen in by_pi.items():
        if fen:
            rows.append(
                (
                    f"P:{_payer_label(result, payer, lang)}",
                    f"I:{item}",
                    int(fen),
                    "payer_to_item",
                )
            )
    owed = split.groupby("payer", sort=False)["amount_fen"].sum()
    plan_payers = [p for p in owed.index if p in _PLAN_PAYERS and owed[p] > 0]
    plan_src: list[tuple[str, int]] = []
    for r in result.sources.itertuples(index=False):
        if r.amount_fen <= 0:
            continue
        if channel_kind(r.channel) == "payer":
            payer = r.channel.removeprefix(PAYER_PREFIX)
            rows.append(
                (
                    f"S:{_source_label(r.channel, r.line, lang)}",
                    f"P:{_payer_label(result, payer, lang)}",
                    int(r.amount_fen),
                    "source_to_payer",
                )
            )
        else:
            plan_src.append((_source_label(r.channel, r.line, lang), int(r.amount_fen)))
    gap = result.gap_fen
    if gap > 0:
        plan_src.append((_w("gap", lang), gap))
    sinks = [(f"P:{_payer_label(result, p, lang)}", int(owed[p])) for p in plan_payers]
    if gap < 0:
        sinks.append((f"P:{_w('surplus', lang)}", -gap))
    if sinks:
        weights = [fen for _, fen in sinks]
        for line, fen in plan_src:
            for (target, _), part in zip(sinks, allocate(fen, weights), strict=True):
                if part:
                    rows.append((f"S:{line}", target, int(part), "source_to_payer"))
    return pd.DataFrame(rows, columns=["source", "target", "amount_fen", "stage"])


def sankey_figure(result: ScenarioResult, lang: Lang = "zh") -> go.Figure:
    """A plotly sankey of :func:`sankey_links` (values in yuan)."""
    links = sankey_links(result, lang)
    nodes = list(dict.fromkeys([*links["source"], *links["target"]]))
    index = {n: i for i, n in enumerate(nodes)}
    colors = {"S": "#4C78A8", "P": "#F58518", "I": "#54A24B"}
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            valueformat=",.2f",
            valuesuffix=" 元" if lang == "zh" else " yuan",
            node={
                "label": [n[2:] for n in nodes],
                "color": [colors[n[0]] for n in nodes],
                "pad": 12,
            },
            link={
                "source": [index[s] for s in links["source"]],
                "target": [index[t] for t in links["target"]],
                "value": [float(to_yuan(f)) for f in links["amount_fen"]],
            },
        )
    )
    fig.update_layout(
        title=_w("sankey_title", lang),
        font={"family": "WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif", "size": 12},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=520,
    )
    return fig


def waterfall_steps(result: ScenarioResult, lang: Lang = "zh") -> pd.DataFrame:
    """Steps of the waterfall: each source line, total sources, gap or surplus, total uses.

    Columns: ``label``, ``measure`` (``relative`` or ``total``, as plotly reads them),
    ``amount_fen`` (for ``total`` rows the running total).

    Examples
    --------
    >>> from costshare.community.scenario import Scenario, default_scenario_path
    >>> r = Scenario.from_yaml(default_scenario_path()).run()
    >>> w = waterfall_steps(r)
    >>> int(w.amount_fen.iloc[-1]) == r.uses_fen, w.label.iloc[-2]
    (True, '资金缺口')
    """
    rows = [
        (_source_label(r.channel, r.line, lang), "relative", int(r.amount_fen))
        for r in result.sources.itertuples(index=False)
    ]
    rows.append((_w("total_sources", lang), "total", result.sources_fen))
    gap = result.gap_fen
    if gap:
        rows.append((_w("gap" if gap > 0 else "surplus", lang), "relative", gap))
    rows.append((_w("total_uses", lang), "total", result.uses_fen))
    return pd.DataFrame(rows, columns=["label", "measure", "amount_fen"])


def waterfall_figure(result: ScenarioResult, lang: Lang = "zh") -> go.Figure:
    """A plotly waterfall of :func:`waterfall_steps` (values in yuan)."""
    steps = waterfall_steps(result, lang)
    values = [float(to_yuan(f)) for f in steps["amount_fen"]]
    fig = go.Figure(
        go.Waterfall(
            x=list(steps["label"]),
            y=values,
            measure=list(steps["measure"]),
            text=[f"{v:,.0f}" for v in values],
            textposition="outside",
            increasing={"marker": {"color": "#4C78A8"}},
            decreasing={"marker": {"color": "#54A24B"}},
            totals={"marker": {"color": "#F58518"}},
            connector={"line": {"color": "#999"}},
        )
    )
    fig.update_layout(
        title=_w("waterfall_title", lang),
        yaxis_title=_w("yuan", lang),
        font={"family": "WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif", "size": 12},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=460,
        showlegend=False,
    )
    return fig


def portfolio_bars(
    result: PortfolioResult, by: Literal["district", "community"] = "district", top: int = 40
) -> pd.DataFrame:
    """Bars of the portfolio chart: funding by line and the positive gaps, in fen.

    Index: the district (communities without one under ``""``), in text order, or the
    first `top` communities' ids in the result's order (largest gap first). Columns: one
    int64 column per funding line key of ``result.sources``, then ``gap_fen``, the sum of
    the communities' **positive** gaps (a surplus elsewhere does not fill a gap).

    Examples
    --------
    >>> from costshare.community.portfolio import Portfolio
    >>> p = Portfolio.from_frame(pd.DataFrame({"district": ["甲", "乙", "甲"],
    ...     "households": [5, 5, 5], "area_m2": [400, 400, 400], "cost": [100, 100, 100],
    ...     "municipal": [100, 50, 130]}))
    >>> portfolio_bars(p.run()).to_dict("index")
    {'乙': {'municipal': 5000, 'gap_fen': 5000}, '甲': {'municipal': 23000, 'gap_fen': 0}}
    """
    c = result.communities
    frame = result.sources.astype("int64").assign(gap_fen=c["gap_fen"].clip(lower=0).to_numpy())
    if by == "community":
        frame.index = pd.Index(c["id"].astype(str), name="community")
        return frame.head(top)
    if by == "district":
        # group on the values, not a column name: a funding line may be keyed "district"
        keys = pd.Index(c["district"].astype(str).to_numpy(), name="district")
        return frame.set_axis(keys).groupby(level=0, sort=True).sum()
    msg = f"by must be 'district' or 'community', got {by!r}"
    raise ValueError(msg)


def portfolio_figure(
    result: PortfolioResult,
    by: Literal["district", "community"] = "district",
    lang: Lang = "zh",
    *,
    unit: Literal["元", "万元", "亿元"] = "万元",
    top: int = 40,
) -> go.Figure:
    """A plotly stacked bar of :func:`portfolio_bars`, one series per funding line.

    The gap series is drawn only when some community has a gap; `unit` scales the bars.

    Examples
    --------
    >>> from costshare.community.portfolio import Portfolio
    >>> p = Portfolio.from_frame(pd.DataFrame({"district": ["甲", "乙"], "households": [5, 5],
    ...     "area_m2": [400, 400], "cost": [100, 100], "municipal": [100, 50]}))
    >>> [t.name for t in portfolio_figure(p.run()).data]
    ['市级财政资金', '资金缺口']
    """
    bars = portfolio_bars(result, by, top)
    scale = {"元": 100, "万元": 1_000_000, "亿元": 10_000_000_000}[unit]
    x = [k or _w("no_district", lang) for k in bars.index] if by == "district" else list(bars.index)
    colors = series_colors([*result.sources.columns, "gap_fen"], gap="gap_fen")
    fig = go.Figure()
    for k in result.sources.columns:
        name = _source_label(k, result.labels[k], lang)
        fig.add_bar(name=name, x=x, y=(bars[k] / scale).tolist(), marker_color=colors[k])
    if (bars["gap_fen"] > 0).any():
        y = (bars["gap_fen"] / scale).tolist()
        fig.add_bar(name=_w("gap", lang), x=x, y=y, marker_color=colors["gap_fen"])
    words = i18n.t(f"money.unit.{UNIT_KEYS[unit]}", lang)
    title = _w("portfolio_title", lang)
    fig.update_layout(
        barmode="stack",
        title=f"{result.name}：{title}（{words}）"
        if lang == "zh"
        else f"{result.name}: {title} ({words})",
        yaxis_title=words,
        legend_title=_w("channel", lang),
        font={"family": "WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif", "size": 12},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=480,
    )
    return fig


def comparison_table(results: Mapping[str, ScenarioResult], lang: Lang = "zh") -> pd.DataFrame:
    """Scenarios side by side: indicators, funding lines, payers' obligations, in yuan.

    Index: (``group``, ``row``) where group is ``indicator``, ``source`` or ``obligation``.
    One ``Decimal`` column per scenario (a missing line is 0) and a last column
    ``differs`` that is True where the scenarios do not all agree.

    Examples
    --------
    >>> from costshare.community.scenario import Scenario, default_scenario_path
    >>> s = Scenario.from_yaml(default_scenario_path())
    >>> t = comparison_table({"a": s.run(), "b": s.run()})
    >>> bool(t["differs"].any())
    False
    """
    if not results:
        msg = "give at least one scenario to compare"
        raise ValueError(msg)
    columns: dict[str, dict[tuple[str, str], Decimal]] = {}
    order: dict[tuple[str, str], None] = {}
    g_ind, g_src, g_obl = _w("indicator", lang), _w("source", lang), _w("obligation", lang)
    for name, res in results.items():
        col: dict[tuple[str, str], Decimal] = {}
        c = res.scenario.community
        col[(g_ind, _w("households", lang))] = Decimal(c.households)
        col[(g_ind, _w("area_m2", lang))] = Decimal(c.area_m2)
        ind = res.indicators()
        col[(g_ind, _w("total_uses", lang))] = ind["total_uses"]
        col[(g_ind, _w("total_sources", lang))] = ind["total_sources"]
        col[(g_ind, _w("gap_or_surplus", lang))] = ind["gap"]
        for k in (
            "uses_per_household",
            "uses_per_m2",
            "residents_total",
            "residents_per_household",
            "residents_per_m2",
        ):
            col[(g_ind, _w(k, lang))] = ind[k]
        src = res.sources.groupby("line", sort=False)["amount_fen"].sum()
        for line, fen in src.items():
            col[(g_src, str(line))] = to_yuan(int(fen))
        for payer, amount in res.obligations().items():
            col[(g_obl, _payer_label(res, payer, lang))] = amount
        columns[name] = col
        order.update(dict.fromkeys(col))
    groups = [g_ind, g_src, g_obl]
    keys = sorted(order, key=lambda k: groups.index(k[0]))  # stable: first-seen order within
    index = pd.MultiIndex.from_tuples(keys, names=["group", "row"])
    zero = Decimal("0.00")
    frame = pd.DataFrame(
        {name: [col.get(k, zero) for k in keys] for name, col in columns.items()},
        index=index,
    )
    frame["differs"] = [len(set(vals)) > 1 for vals in frame.itertuples(index=False)]
    return frame


_FONT = {"family": "WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif", "size": 12}
