"""National sweep: every community and household of the stock count, streamed in chunks.

The 2020 stock count found about 220,000 old communities with 39 million households
(DOMAIN.md §1, [H]). This module generates a synthetic nation of that shape chunk by
chunk, runs each chunk as a :class:`~costshare.community.portfolio.Portfolio`, splits each
community's residents' money among its households by exclusive area (Civil Code
Art. 283) with :func:`~costshare.money.allocate_groups`, and keeps only running sums,
so memory stays flat whatever the size. Chunks are independent, so they run one after
another on a laptop or as Dask tasks on a cluster (``use_dask=True`` with an active
``distributed.Client``).

Everything per community and household is synthetic; the national totals follow the
assumptions in :data:`NATIONAL_ASSUMPTIONS`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from costshare.community.portfolio import Portfolio
from costshare.money import allocate, allocate_groups, to_yuan
from costshare.scale.synth import synthetic_city

__all__ = ["NATIONAL_ASSUMPTIONS", "SweepResult", "national_sweep"]

NATIONAL_ASSUMPTIONS: dict[str, Any] = {
    "communities": 220_000,  # 2020 stock count [H]
    "households": 39_000_000,  # 2020 stock count [H]
    "area_per_household_m2": 70,  # ASSUMED
    "cost_per_household_yuan": 26_800,  # 2023: 240 bn ÷ 8.97 M households [H], rounded
    # funding mix as shares of cost, ASSUMED (no national breakdown in the documents);
    # they add up to 0.95 so that the sweep shows a gap to close
    "mix": {
        "central_subsidy": Decimal("0.20"),
        "provincial": Decimal("0.05"),
        "municipal": Decimal("0.10"),
        "district_finance": Decimal("0.10"),
        "special_bonds": Decimal("0.15"),
        "other:专营单位出资": Decimal("0.10"),
        "social_capital": Decimal("0.08"),
        "maintenance_fund": Decimal("0.02"),
        "residents_amount": Decimal("0.15"),
    },
}
"""National shape and funding mix; the mix is an assumption, stated here once."""

_BINS = np.array([0, 1, 1_000, 2_000, 3_000, 5_000, 8_000, 12_000, 20_000, np.inf]) * 100
"""Per-household residents' contribution bins, fen (0, <10 yuan, <1,000, …, ≥20,000)."""


@dataclass
class SweepResult:
    """Running sums of a sweep (all money in integer fen)."""

    communities: int = 0
    households: int = 0
    area_cm2: int = 0
    uses_fen: int = 0
    sources_fen: int = 0
    gap_communities: int = 0
    channels_fen: dict[str, int] = field(default_factory=dict)
    residents_fen: int = 0
    households_by_bin: npt.NDArray[np.int64] = field(
        default_factory=lambda: np.zeros(len(_BINS) - 1, np.int64)
    )
    max_household_fen: int = 0
    chunks: int = 0
    seconds: float = 0.0

    def add(self, other: SweepResult) -> None:
        """Fold another chunk's sums into this one."""
        for name in (
            "communities",
            "households",
            "area_cm2",
            "uses_fen",
            "sources_fen",
            "gap_communities",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for k, v in other.channels_fen.items():
            self.channels_fen[k] = self.channels_fen.get(k, 0) + v
        self.residents_fen += other.residents_fen
        self.households_by_bin = self.households_by_bin + other.households_by_bin
        self.max_household_fen = max(self.max_household_fen, other.max_household_fen)
        self.chunks += other.chunks

    def summary(self) -> dict[str, Any]:
        """Totals in Decimal yuan and the distribution of household contributions."""
        labels = ["0", "<1,000 (>0)", "1,000–2,000", "2,000–3,000", "3,000–5,000"]
        labels += ["5,000–8,000", "8,000–12,000", "12,000–20,000", "≥20,000"]
        return {
            "communities": self.communities,
            "households": self.households,
            "area_m2": (Decimal(self.area_cm2) / 100).quantize(Decimal("0.01")),
            "uses": to_yuan(self.uses_fen),
            "sources": to_yuan(self.sources_fen),
            "gap": to_yuan(self.uses_fen - self.sources_fen),
            "communities_with_gap": self.gap_communities,
            "channels": {k: to_yuan(v) for k, v in self.channels_fen.items()},
            "residents": to_yuan(self.residents_fen),
            "max_household_contribution": to_yuan(self.max_household_fen),
            "households_by_contribution_yuan": dict(
                zip(labels, self.households_by_bin.tolist(), strict=True)
            ),
            "chunks": self.chunks,
            "seconds": round(self.seconds, 2),
        }


def _chunk(
    n: int,
    households: int,
    area_cm2: int,
    channels: dict[str, int],
    cost_fen: int,
    seed: int,
    prefix: str,
) -> SweepResult:
    """One chunk: communities → portfolio → households' shares; returns its sums only."""
    df = synthetic_city(
        n,
        households=households,
        area_m2=Decimal(area_cm2) / 100,
        channels={k: Decimal(v) / 100 for k, v in channels.items()},
        cost_total=Decimal(cost_fen) / 100,
        districts={prefix: 1.0},
        seed=seed,
    )
    df["id"] = prefix + df["id"]
    res = Portfolio.from_frame(df, name=prefix).run()
    c = res.communities
    out = SweepResult(
        communities=n,
        households=int(c["households"].sum()),
        area_cm2=int(c["area_cm2"].sum()),
        uses_fen=int(c["uses_fen"].sum()),
        sources_fen=int(c["sources_fen"].sum()),
        gap_communities=int((c["gap_fen"] > 0).sum()),
        channels_fen={k: int(v) for k, v in res.sources.sum(axis=0).items()},
        chunks=1,
    )
    # households: area per household from the community area, then residents' money by area
    hh = c["households"].to_numpy(np.int64)
    groups = np.repeat(np.arange(len(c)), hh)
    rng = np.random.default_rng(seed + 1)
    hh_area = allocate_groups(
        c["area_cm2"].to_numpy(np.int64), groups, rng.lognormal(0.0, 0.25, groups.size)
    )
    residents = c["residents_fen"].to_numpy(np.int64)
    shares = allocate_groups(residents, groups, hh_area.astype(np.float64))
    out.residents_fen = int(shares.sum())
    out.households_by_bin = np.histogram(shares, bins=_BINS)[0].astype(np.int64)
    out.max_household_fen = int(shares.max(initial=0))
    return out


def national_sweep(
    communities: int = NATIONAL_ASSUMPTIONS["communities"],
    households: int = NATIONAL_ASSUMPTIONS["households"],
    *,
    chunk: int = 2_000,
    seed: int = 0,
    use_dask: bool = False,
    progress: Callable[[int], None] | None = None,
) -> SweepResult:
    """Sweep a synthetic nation in chunks of `chunk` communities, keeping only sums.

    National totals (households, area, cost, each funding line) are split among chunks
    with :func:`allocate`, so the sums over chunks are exact; each chunk is generated,
    run and reduced, then dropped.

    Parameters
    ----------
    communities, households : int
        Size of the nation (default: the 2020 stock count).
    chunk : int
        Communities per chunk (memory grows with it, not with the nation).
    seed : int
        Base seed; chunk ``i`` uses ``seed + 2 i``.
    use_dask : bool
        Run chunks as ``dask.delayed`` tasks on the active scheduler.
    progress : callable, optional
        Called with the number of communities of each finished chunk.

    Returns
    -------
    SweepResult

    Examples
    --------
    >>> r = national_sweep(300, 30_000, chunk=100)
    >>> r.summary()["households"], r.residents_fen == r.channels_fen["residents"]
    (30000, True)
    """
    a = NATIONAL_ASSUMPTIONS
    starts = list(range(0, communities, chunk))
    sizes = np.array([min(chunk, communities - s) for s in starts], dtype=np.float64)
    hh = allocate(households, sizes)
    area = hh * int(a["area_per_household_m2"] * 100)
    cost = hh * int(a["cost_per_household_yuan"] * 100)
    mix = {k: allocate(int(Decimal(int(cost.sum())) * share), hh) for k, share in a["mix"].items()}
    args = [
        (
            int(sizes[i]),
            int(hh[i]),
            int(area[i]),
            {k: int(v[i]) for k, v in mix.items()},
            int(cost[i]),
            seed + 2 * i,
            f"Q{i:03d}-",
        )
        for i in range(len(starts))
    ]
    total = SweepResult()
    t0 = time.perf_counter()
    if use_dask:
        import dask

        for part in dask.compute(*[dask.delayed(_chunk)(*x) for x in args]):
            total.add(part)
            if progress is not None:
                progress(part.communities)
    else:
        for x in args:
            part = _chunk(*x)
            total.add(part)
            if progress is not None:
                progress(part.communities)
    total.seconds = time.perf_counter() - t0
    return total
