"""One palette, a distinct colour per payer/channel (the city chart reused plotly's ten).

The bundled city portfolio has twelve funding lines and a gap: with plotly's ten-colour
cycle the gap was drawn in the colour of the telecom operators' money.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from costshare.community.portfolio import Portfolio
from costshare.report import charts
from costshare.report.charts_household import floor_share_figure
from costshare.report.palette import GAP, PALETTE, series_colors

ROOT = Path(__file__).resolve().parent.parent


def test_palette_colours_are_distinct_and_not_the_gap():
    assert len(set(PALETTE)) == len(PALETTE) == 20
    assert GAP not in PALETTE


def test_city_chart_gives_every_funding_line_its_own_colour():
    result = Portfolio.from_file(ROOT / "portfolios" / "fujian_city_example.yaml").run()
    for lang in ("zh", "en"):
        fig = charts.portfolio_figure(result, lang=lang)
        colors = [t.marker.color for t in fig.data]
        assert len(fig.data) == len(result.sources.columns) + 1 > 10  # more than plotly's cycle
        assert all(isinstance(c, str) and c.startswith("#") for c in colors)
        assert len(set(colors)) == len(colors), colors
        gap = fig.data[-1]
        assert gap.name == charts.i18n.t("chart.gap", lang)
        assert gap.marker.color == GAP
        assert GAP not in colors[:-1]


def test_city_chart_unit_is_worded_in_the_language():
    result = Portfolio.from_file(ROOT / "portfolios" / "fujian_city_example.yaml").run()
    en = charts.portfolio_figure(result, lang="en", unit="亿元")
    assert en.layout.yaxis.title.text == "100M yuan"
    assert en.layout.title.text.endswith("(100M yuan)")
    zh = charts.portfolio_figure(result, lang="zh")
    assert zh.layout.yaxis.title.text == "万元"


def test_floor_share_bases_have_distinct_colours():
    fairness = pd.DataFrame(
        {"basis": ["area", "floor_coefficient", "equal"], "floor_1": [30.0, 20.0, 50.0]}
    )
    colors = [t.marker.color for t in floor_share_figure(fairness).data]
    assert colors == list(PALETTE[:3])


@given(st.lists(st.text(min_size=1, max_size=4), min_size=1, max_size=60))
def test_series_colours_distinct_for_any_number_of_series(keys):
    gap = keys[len(keys) // 2]
    colors = series_colors(keys, gap=gap)
    assert set(colors) == set(keys)
    assert len(set(colors.values())) == len(colors)
    assert colors[gap] == GAP
    assert all(len(c) == 7 and c.startswith("#") for c in colors.values())


def test_loan_chart_leaves_headroom_above_the_bars_and_the_balance():
    """The PPP loan chart was cut at the top: equal instalments stack to one height."""
    from costshare.finance import loan_schedule
    from costshare.report.charts_ppp import loan_figure

    schedule = loan_schedule(28_000_000, "0.042", 15, grace_years=2)
    fig = loan_figure(schedule, "en")
    stacked = (schedule["principal_fen"] + schedule["interest_fen"]).max() / 100
    assert fig.layout.yaxis.range[1] > stacked * 1.05
    assert fig.layout.yaxis2.range[1] > schedule["balance_fen"].max() / 100 * 1.05
