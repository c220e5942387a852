"""Synthetic city portfolios (seeded) for tests, benchmarks and demonstrations.

The default city is shaped like Yancheng's 2019–2022 programme (seed 003): 412
communities, 158,890 households, 17.238 million m², and the four documented funding
channels with their exact totals. Everything per community (district, size, cost,
which communities received which channel) is **synthetic**: drawn from seeded
log-normal weights and split with :func:`costshare.money.allocate`, so every total is
exact to the fen (or household, or 0.01 m²).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare.money import allocate, to_fen

if TYPE_CHECKING:
    from costshare.community.portfolio import Portfolio

__all__ = [
    "YANCHENG_CHANNELS",
    "YANCHENG_DISTRICTS",
    "city_arrays",
    "synthetic_city",
    "synthetic_portfolio",
]

YANCHENG_CHANNELS: dict[str, int] = {
    "municipal": 310_000_000,
    "social_capital": 67_200_000,
    "other:住宅专项维修资金、小区公共收益": 11_730_000,
    "other:通信、广电、供电等渠道争取资金": 186_000_000,
}
"""Yancheng's documented funding channels, yuan (seed 003); 574.93 million in all."""

YANCHENG_DISTRICTS: dict[str, float] = {
    "亭湖区": 0.20,
    "盐都区": 0.16,
    "盐南高新区": 0.08,
    "大丰区": 0.10,
    "东台市": 0.10,
    "建湖县": 0.08,
    "射阳县": 0.08,
    "阜宁县": 0.07,
    "滨海县": 0.07,
    "响水县": 0.06,
}
"""Yancheng's county-level units with ASSUMED weights (no per-district data in seed 003)."""

# Which share of communities receives a channel, and what it is spread by (assumptions).
_CHANNEL_SHAPE = {
    "municipal": (1.0, "area"),
    "social_capital": (0.35, "area"),
    "other:住宅专项维修资金、小区公共收益": (0.6, "households"),
    "other:通信、广电、供电等渠道争取资金": (1.0, "households"),
}


def _whole_weights(x: npt.NDArray[np.floating]) -> npt.NDArray[np.int64]:
    """Random weights drawn as floats, used as whole numbers (parts per million, ≥ 1)."""
    return (x * 1_000_000).astype(np.int64) + 1


def city_arrays(
    n: int,
    *,
    households: int,
    area_cm2: int,
    channels: Mapping[str, int],
    cost_fen: int | None = None,
    districts: Mapping[str, float] = YANCHENG_DISTRICTS,
    seed: int = 0,
    cost_spread: float = 0.2,
    household_sigma: float | None = None,
) -> dict[str, Any]:
    """:func:`synthetic_city` as integer arrays: households, area_cm2, cost and channels in fen.

    Also ``district`` (index into ``names``) and ``names`` (the district names). With
    `household_sigma`, the area is drawn per household first (log-normal sizes with that
    sigma, times a community factor) and split from `area_cm2` in one exact
    :func:`~costshare.money.allocate`; ``household_area_cm2`` then holds every
    household's area (communities in order) and each community's area is their sum.

    Examples
    --------
    >>> a = city_arrays(3, households=30, area_cm2=240_000, channels={"municipal": 9_000}, seed=1)
    >>> int(a["households"].sum()), int(a["cost"].sum()), int(a["municipal"].sum())
    (30, 9000, 9000)
    """
    if n < 1 or households < n:
        msg = f"need n ≥ 1 and at least one household per community (n={n}, {households=})"
        raise ValueError(msg)
    rng = np.random.default_rng(seed)
    names = list(districts)
    p = np.asarray([districts[d] for d in names], dtype=np.float64)
    dist = np.sort(rng.choice(len(names), size=n, p=p / p.sum()))
    hh = 1 + allocate(households - n, _whole_weights(rng.lognormal(0.0, 0.6, n)))
    factor = rng.lognormal(0.0, 0.15, n)
    out: dict[str, Any] = {"district": dist, "names": names, "households": hh}
    if household_sigma is None:
        area = allocate(area_cm2, _whole_weights(hh * factor))
    else:
        w = rng.standard_normal(int(hh.sum()), dtype=np.float32)  # float32: 39M draws fast
        w *= np.float32(household_sigma)  # in place: exp(z σ) × factor, as float32
        np.exp(w, out=w)
        w *= np.repeat(factor.astype(np.float32), hh)
        w *= 1_000_000  # then the whole weights of _whole_weights(w), without copies
        hh_area = allocate(area_cm2, np.add(w.astype(np.int64), 1, dtype=np.int64))
        area = np.add.reduceat(hh_area, np.cumsum(hh) - hh)
        out["household_area_cm2"] = hh_area
    out["area_cm2"] = area
    total = sum(channels.values()) if cost_fen is None else cost_fen
    out["cost"] = allocate(total, _whole_weights(area * rng.lognormal(0.0, cost_spread, n)))
    for k, fen in channels.items():
        share, basis = _CHANNEL_SHAPE.get(k, (1.0, "area"))
        w = _whole_weights((area if basis == "area" else hh) * rng.lognormal(0.0, 0.3, n))
        if share < 1:
            w = w * (rng.random(n) < share)
            if not w.any():
                w[0] = 1
        out[k] = allocate(fen, w)
    return out


def synthetic_city(
    n: int = 412,
    *,
    households: int = 158_890,
    area_m2: int | str | Decimal = 17_238_000,
    channels: Mapping[str, int | str | Decimal] = YANCHENG_CHANNELS,
    cost_total: int | str | Decimal | None = None,
    districts: Mapping[str, float] = YANCHENG_DISTRICTS,
    seed: int = 0,
    cost_spread: float = 0.2,
    template: str | None = None,
) -> pd.DataFrame:
    """A seeded community table whose totals match the given city exactly.

    Parameters
    ----------
    n : int
        Number of communities.
    households : int
        Total households (each community gets at least one).
    area_m2 : int, str or Decimal
        Total area in m² (split to 0.01 m²).
    channels : mapping
        Funding line key (channel key or ``other:<name>``) to city total in yuan.
    cost_total : int, str or Decimal, optional
        Total uses in yuan; default the sum of `channels` (a balanced city in which
        individual communities have gaps or surpluses).
    districts : mapping
        District name to weight (communities drawn at random with these weights).
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same table.
    cost_spread : float
        Log-normal sigma of cost per m² between communities.
    template : str, optional
        Template scenario path written into every row (its items are scaled to ``cost``).

    Returns
    -------
    DataFrame
        Portfolio columns: id, name, district, households, area_m2, cost and one column
        per channel (yuan floats with two decimals), plus template when given.

    Examples
    --------
    >>> df = synthetic_city(20, households=1000, area_m2=80_000,
    ...                     channels={"municipal": 2_000_000}, seed=1)
    >>> from costshare.money import to_fen_array
    >>> int(df["households"].sum()), int(to_fen_array(df["cost"]).sum())
    (1000, 200000000)
    """
    a = city_arrays(
        n,
        households=households,
        area_cm2=to_fen(area_m2),
        channels={k: to_fen(v) for k, v in channels.items()},
        cost_fen=None if cost_total is None else to_fen(cost_total),
        districts=districts,
        seed=seed,
        cost_spread=cost_spread,
    )
    names = a["names"]
    df = pd.DataFrame(
        {
            "id": [f"C{i + 1:04d}" for i in range(n)],
            "name": [f"{names[d]}第{i + 1}小区" for i, d in enumerate(a["district"])],
            "district": [names[d] for d in a["district"]],
            "households": a["households"],
            "area_m2": a["area_cm2"] / 100,
            "cost": a["cost"] / 100,
        }
    )
    for k in channels:
        df[k] = a[k] / 100
    if template is not None:
        df["template"] = template
    return df


def synthetic_portfolio(n: int = 412, *, seed: int = 0, **kwargs: Any) -> Portfolio:
    """:func:`synthetic_city` wrapped as a :class:`~costshare.community.portfolio.Portfolio`.

    Examples
    --------
    >>> r = synthetic_portfolio(seed=3).run()
    >>> r.totals()["sources"], r.totals()["households"]
    (Decimal('574930000.00'), 158890)
    """
    from costshare.community.portfolio import Portfolio

    table = synthetic_city(n, seed=seed, **kwargs)
    return Portfolio.from_frame(table, name=f"合成城市（{n}个小区，seed={seed}）")
