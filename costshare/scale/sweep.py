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

import contextlib
import ctypes
import datetime as dt
import platform
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from costshare.community.engine import Rows, run_group
from costshare.community.template import bare_template
from costshare.money import allocate, allocate_groups, times, to_fen, to_yuan
from costshare.rules import RuleSet
from costshare.rules import load as load_rules
from costshare.scale.synth import city_arrays

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

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
"""glibc's ``mallopt`` parameter numbers (malloc.h)."""

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
    rules: RuleSet,
) -> SweepResult:
    """One chunk: communities → engine → households' shares; returns its sums only."""
    city = city_arrays(
        n,
        households=households,
        area_cm2=area_cm2,
        channels=channels,
        cost_fen=cost_fen,
        districts={"": 1.0},
        seed=seed,
        household_sigma=0.25,
    )
    hh = city["households"]
    cols = {k: city[k] / 100 for k in ("cost", *channels)}
    cols["households"] = hh.astype(np.float64)
    cols["area_m2"] = city["area_cm2"] / 100
    g = run_group(bare_template(rules), Rows(np.arange(n).astype(object), cols))
    uses = g.uses
    src = sum(g.sources.values(), np.zeros(n, np.int64))
    out = SweepResult(
        communities=n,
        households=int(hh.sum()),
        area_cm2=int(g.area_cm2.sum()),
        uses_fen=int(uses.sum()),
        sources_fen=int(src.sum()),
        gap_communities=int((uses > src).sum()),
        channels_fen={k: int(v.sum()) for k, v in g.sources.items()},
        chunks=1,
    )
    # households (areas drawn with the chunk), then residents' money by area (Art. 283)
    groups = np.repeat(np.arange(n), hh)
    hh_area = city["household_area_cm2"]
    residents = g.sources.get("residents", np.zeros(n, np.int64))
    shares = allocate_groups(residents, groups, hh_area)
    out.residents_fen = int(shares.sum())
    out.households_by_bin = _histogram(shares)
    out.max_household_fen = int(shares.max(initial=0))
    return out


def _histogram(shares: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """``np.histogram(shares, _BINS)[0]`` by counting the shares at or above each edge
    (one vectorized comparison per edge: much faster than sorting or searching).

    Examples
    --------
    >>> _histogram(np.array([-1, 0, 99, 100, 2_000_000, 10**12])).tolist()
    [2, 1, 0, 0, 0, 0, 0, 0, 2]
    """
    at_least = [np.count_nonzero(shares >= int(e)) for e in _BINS[:-1]]  # last edge: inf
    return -np.diff(np.array([*at_least, 0], np.int64))


@contextlib.contextmanager
def _steady_heap() -> Iterator[None]:
    """Let glibc keep the chunks' freed arrays for the next chunk, then restore it.

    By default glibc returns big freed blocks to the system, so every chunk's arrays
    are faulted in afresh (about 40 % of a sweep's CPU time went to page faults). Inside
    this context blocks below 32 MiB come from the heap and the heap is not trimmed;
    afterwards the default thresholds are set again and the heap is trimmed. Forked
    workers inherit the setting. Does nothing where glibc's ``mallopt`` is missing.
    """
    libc = None
    if platform.system() == "Linux" and platform.libc_ver()[0] == "glibc":
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None)
            libc.mallopt, libc.malloc_trim  # noqa: B018 - both must exist
    if libc is None:
        yield
        return
    libc.mallopt(_M_MMAP_THRESHOLD, 32 << 20)
    libc.mallopt(_M_TRIM_THRESHOLD, 1 << 30)
    try:
        yield
    finally:
        libc.mallopt(_M_TRIM_THRESHOLD, 128 << 10)  # glibc's defaults
        libc.mallopt(_M_MMAP_THRESHOLD, 128 << 10)
        libc.malloc_trim(0)


def _chunk_args(x: tuple[Any, ...]) -> SweepResult:
    return _chunk(*x)


def national_sweep(
    communities: int = NATIONAL_ASSUMPTIONS["communities"],
    households: int = NATIONAL_ASSUMPTIONS["households"],
    *,
    chunk: int = 2_000,
    seed: int = 0,
    use_dask: bool = False,
    progress: Callable[[int], None] | None = None,
    rules: RuleSet | None = None,
    workers: int | None = None,
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
    rules : RuleSet, optional
        The national rules to run under (default: in force today, loaded once here).
    workers : int, optional
        Processes running chunks side by side without Dask (default 1, serial); the
        result does not depend on it.

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
    rs = load_rules("national", dt.date.today()) if rules is None else rules
    starts = list(range(0, communities, chunk))
    sizes = np.array([min(chunk, communities - s) for s in starts], dtype=np.int64)
    hh = allocate(households, sizes)
    area = hh * to_fen(a["area_per_household_m2"])  # ×100 exactly: m² → cm², as yuan → fen
    cost = hh * to_fen(a["cost_per_household_yuan"])
    total = int(cost.sum())
    mix = {k: allocate(times(total, x), hh) for k, x in a["mix"].items()}
    args = [
        (
            int(sizes[i]),
            int(hh[i]),
            int(area[i]),
            {k: int(v[i]) for k, v in mix.items()},
            int(cost[i]),
            seed + 2 * i,
            rs,
        )
        for i in range(len(starts))
    ]
    total = SweepResult()
    t0 = time.perf_counter()
    with _steady_heap():
        for part in _parts(args, use_dask, workers or 1):
            total.add(part)
            if progress is not None:
                progress(part.communities)
    total.seconds = time.perf_counter() - t0
    return total


def _parts(args: list[tuple[Any, ...]], use_dask: bool, workers: int) -> Iterator[SweepResult]:
    """Each chunk's sums, in chunk order (so they are folded exactly as serially)."""
    if use_dask:
        import dask

        yield from dask.compute(*[dask.delayed(_chunk)(*x) for x in args])
    elif workers > 1 and len(args) > 1:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        # one process per worker, forked where the system can (modules and rules are
        # then already loaded); each returns only its chunk's sums
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
        with ProcessPoolExecutor(max_workers=min(workers, len(args)), mp_context=ctx) as pool:
            yield from pool.map(_chunk_args, args, chunksize=1)
    else:
        for x in args:
            yield _chunk(*x)
