"""One palette for every chart: a distinct colour per payer, channel or series.

Plotly (and Streamlit's plotly theme) cycles through ten colours, so an eleventh funding
line repeats the first: on the city chart the funding gap looked like telecom money. The
charts ask this module for their series' colours instead: the first twenty series get
twenty hand-picked distinct colours, any further one a generated colour not used before,
and the funding gap (or a deficit) always the one red no series gets.
"""

from __future__ import annotations

import colorsys
from collections.abc import Iterable

__all__ = ["GAP", "PALETTE", "series_colors"]

PALETTE: tuple[str, ...] = (
    "#4C78A8",  # blue
    "#F58518",  # orange
    "#54A24B",  # green
    "#B279A2",  # purple
    "#72B7B2",  # teal
    "#EECA3B",  # yellow
    "#9D755D",  # brown
    "#FF9DA6",  # pink
    "#BAB0AC",  # grey
    "#2F4B7C",  # navy
    "#8CD17D",  # light green
    "#D37295",  # rose
    "#A0CBE8",  # light blue
    "#FFBE7D",  # light orange
    "#59A14F",  # dark green
    "#79706E",  # dark grey
    "#B6992D",  # olive
    "#D4A6C8",  # lilac
    "#86BCB6",  # sage
    "#665191",  # indigo
)
"""Series colours in the order series are drawn (none of them is :data:`GAP`)."""

GAP = "#D62728"
"""The funding gap's (or a deficit's) colour, never given to a series."""


def _generated(i: int) -> str:
    """The `i`-th colour past the palette: hues spread by the golden angle."""
    hue = (0.13 + i * 0.618033988749895) % 1.0
    light = (0.40, 0.55, 0.70)[i % 3]
    r, g, b = colorsys.hls_to_rgb(hue, light, 0.55)
    return f"#{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"


def series_colors(keys: Iterable[str], gap: str | None = None) -> dict[str, str]:
    """A distinct colour for each of `keys`, in order; `gap` (a key among them) gets :data:`GAP`.

    Parameters
    ----------
    keys
        The series, in drawing order (repeated keys share their colour).
    gap
        The key of the funding gap or deficit series, if any.

    Returns
    -------
    dict
        Key → ``#RRGGBB``; no two keys share a colour.

    Examples
    --------
    >>> series_colors(["central", "telecom", "gap"], gap="gap")
    {'central': '#4C78A8', 'telecom': '#F58518', 'gap': '#D62728'}
    >>> len(set(series_colors(str(i) for i in range(40)).values()))
    40
    """
    out: dict[str, str] = {}
    used = {GAP}
    extra = 0
    for key in keys:
        if key in out:
            continue
        if key == gap:
            out[key] = GAP
            continue
        n = len(out) - (gap in out)
        if n < len(PALETTE):
            color = PALETTE[n]
        else:
            color = _generated(extra)
            while color in used:
                extra += 1
                color = _generated(extra)
            extra += 1
        out[key] = color
        used.add(color)
    return out
