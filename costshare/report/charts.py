"""Chart data and plotly figures for a community scenario (no streamlit here).

The app only lays these out; the numbers come from :class:`~costshare.community.scenario.ScenarioResult`.

* :func:`sankey_links` / :func:`sankey_figure`: funding sources → payers → work items.
* :func:`waterfall_steps` / :func:`waterfall_figure`: each source adding up to total
  sources, then the gap (or surplus) that reaches total uses.
* :func:`comparison_table`: several scenarios side by side, rows that differ flagged.

Amounts are integer fen in the data frames and yuan (float, for plotting only) in figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

import pandas as pd
import plotly.graph_objects as go

from costshare.money import allocate, to_yuan

if TYPE_CHECKING:
    from costshare.community.scenario_result import ScenarioResult

__all__ = [
    "affordability_figure",
    "cashflow_figure",
    "cashflow_frame",
    "comparison_table",
    "loan_figure",
    "montecarlo_figure",
    "ppp_cashflow_figure",
    "sankey_figure",
    "sankey_links",
    "tornado_figure",
    "waterfall_figure",
    "waterfall_steps",
]

Lang = Literal["zh", "en"]

_WORDS: dict[str, tuple[str, str]] = {
    "pooled": ("资金方案统筹", "funding plan (pooled)"),
    "gap": ("资金缺口", "funding gap"),
    "surplus": ("资金结余", "surplus"),
    "total_sources": ("资金来源合计", "total sources"),
    "total_uses": ("改造总投资", "total uses"),
    "sankey_title": ("资金来源 → 出资方 → 改造项目", "Sources → payers → work items"),
    "waterfall_title": ("资金来源与改造总投资", "Sources building up to total uses"),
    "yuan": ("金额（元）", "amount (yuan)"),
    "uses_per_household": ("户均投资", "uses per household"),
    "uses_per_m2": ("每平方米投资", "uses per m²"),
    "residents_total": ("居民出资合计", "residents' total"),
    "residents_per_household": ("户均居民出资", "residents per household"),
    "residents_per_m2": ("每平方米居民出资", "residents per m²"),
    "indicator": ("指标", "indicator"),
    "source": ("资金来源", "source"),
    "obligation": ("出资义务", "obligation"),
    "item": ("改造项目", "work item"),
    "households": ("户数", "households"),
    "area_m2": ("建筑面积（m²）", "area (m²)"),
    "jurisdiction": ("规则", "rules"),
    "gap_or_surplus": ("缺口（负数为结余）", "gap (negative: surplus)"),
    "year": ("年份", "year"),
    "period": ("期数", "period"),
    "flow": ("年度净现金流", "net cash flow"),
    "cumulative": ("累计现金流", "cumulative"),
    "cashflow_title": ("年度现金流与累计现金流", "Annual and cumulative cash flow"),
    "interest": ("利息", "interest"),
    "principal": ("本金", "principal"),
    "balance": ("期末余额", "closing balance"),
    "loan_title": ("还本付息计划", "Loan repayment schedule"),
}

_PLAN_PAYERS = ("local_finance", "pooled")
_PAYER_PREFIX = "payer:"


def _w(key: str, lang: Lang) -> str:
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


def _payer_label(result: ScenarioResult, payer: str, lang: Lang) -> str:
    if payer == "pooled":
        return _w("pooled", lang)
    return result.rules.payers.get(payer, payer)


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
        if r.channel.startswith(_PAYER_PREFIX):
            payer = r.channel.removeprefix(_PAYER_PREFIX)
            rows.append(
                (
                    f"S:{r.line}",
                    f"P:{_payer_label(result, payer, lang)}",
                    int(r.amount_fen),
                    "source_to_payer",
                )
            )
        else:
            plan_src.append((r.line, int(r.amount_fen)))
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
    rows = [(r.line, "relative", int(r.amount_fen)) for r in result.sources.itertuples(index=False)]
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
    fig.update_layout(
        barmode="stack",
        title=_w("loan_title", lang),
        xaxis_title=_w("period", lang),
        yaxis_title=_w("yuan", lang),
        yaxis2={"overlaying": "y", "side": "right", "showgrid": False},
        font={"family": "WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif", "size": 12},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=420,
        legend={"orientation": "h"},
    )
    return fig


_FONT = {"family": "WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif", "size": 12}


# -- PPP project model -------------------------------------------------------------------
_WORDS.update(
    {
        "project_cf": ("项目现金流（全投资）", "project cash flow"),
        "equity_cf": ("资本金现金流", "equity cash flow"),
        "project_cum": ("项目累计现金流", "project cumulative"),
        "ppp_cf_title": ("PPP 项目年度现金流", "PPP project: annual cash flows"),
        "project_year": ("项目年度", "project year"),
        "share_of_budget": ("占一般公共预算支出（%）", "share of budget expenditure (%)"),
        "obligations": ("PPP 财政支出责任", "PPP fiscal obligations"),
        "limit": ("10% 红线", "10% limit"),
        "warning": ("5% 预警线", "5% warning line"),
        "afford_title": ("财政承受能力：逐年支出责任占比", "Fiscal affordability by year"),
        "subsidy": ("运营补贴", "operating subsidy"),
        "tornado_title": (
            "龙卷风图：项目净现值对各因素的敏感性",
            "Tornado: project NPV sensitivity",
        ),
        "npv_yuan": ("项目净现值（元）", "project NPV (yuan)"),
        "low": ("下调", "low"),
        "high": ("上调", "high"),
        "base": ("基准", "base"),
        "draws": ("模拟次数", "draws"),
        "mc_title": ("蒙特卡洛：项目净现值分布", "Monte Carlo: project NPV distribution"),
        "driver.construction_cost": ("建设成本", "construction cost"),
        "driver.revenue": ("经营收入", "revenue"),
        "driver.om_cost": ("运营成本", "O&M cost"),
        "driver.loan_rate": ("贷款利率", "loan rate"),
        "driver.subsidy": ("运营补贴", "subsidy"),
        "driver.residual_value": ("残值", "residual value"),
        "driver.discount_rate": ("折现率", "discount rate"),
    }
)


def _driver_name(driver: str, lang: Lang) -> str:
    key = f"driver.{driver}"
    if key in _WORDS:
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
    limit: float = 0.10,
    warning: float = 0.05,
    start_year: int | None = None,
) -> go.Figure:
    """Each year's obligations as a share of budget expenditure, against 10 % and 5 %.

    `table` is :class:`costshare.ppp.Affordability`'s ``table``; bars are coloured by
    its ``status`` (pass / warning / fail); the subsidy's own share is a second trace.
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
        fig.add_scatter(
            x=x,
            y=[100 * level] * len(table),
            name=_w(key, lang),
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
