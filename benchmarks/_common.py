"""Shared benchmark plumbing: timing, peak memory, machine info, and BENCHMARKS.md rows.

Every benchmark measures its baseline in the same run (these machines are noisy) and
reports the ratio, the absolute times, the agreement of results and the machine.
"""

from __future__ import annotations

import gc
import importlib.metadata
import os
import platform
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "BENCHMARKS.md"
_PACKAGES = ("numpy", "pandas", "numpy-financial", "pyxirr", "xlsxwriter", "openpyxl", "dask")


def machine() -> str:
    """Cores, Python and package versions, one line."""
    versions = []
    for name in _PACKAGES:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    return f"{os.cpu_count()} cores, Python {platform.python_version()}, " + ", ".join(versions)


def best_of(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Best wall time of `repeat` calls (seconds) and the last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def peak_traced(fn: Callable[[], Any]) -> tuple[float, int, Any]:
    """Wall time, peak Python-allocated bytes (tracemalloc; numpy included), result."""
    gc.collect()
    tracemalloc.start()
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return dt, peak, out


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB."""
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 2**20


@dataclass
class Report:
    """One benchmark's line: what was measured, times, ratio, goal, verdict."""

    name: str
    ours_s: float
    baseline: str = "—"
    baseline_s: float | None = None
    goal: str = ""
    met: bool | None = None
    agreement: str = ""
    memory: str = ""
    notes: list[str] = field(default_factory=list)
    load: str = ""
    """Load average when it was measured (set by run_all.py if the benchmark did not)."""

    @property
    def ratio(self) -> float | None:
        """Baseline time / our time (higher is better)."""
        return None if self.baseline_s is None else self.baseline_s / self.ours_s

    def show(self) -> None:
        """Print the result to the terminal."""
        print(f"\n== {self.name}")
        print(f"   ours:     {self.ours_s * 1000:10.1f} ms")
        if self.baseline_s is not None:
            print(f"   baseline: {self.baseline_s * 1000:10.1f} ms  ({self.baseline})")
            print(f"   ratio:    {self.ratio:10.1f} ×")
        for label, text in (
            ("agreement", self.agreement),
            ("memory", self.memory),
            ("goal", self.goal),
        ):
            if text:
                print(f"   {label + ':':9} {text}")
        if self.met is not None:
            print(f"   verdict:  {'MET' if self.met else 'MISSED'}")
        for n in self.notes:
            print(f"   note:     {n}")
        print(f"   machine:  {machine()}")

    def row(self) -> str:
        """A Markdown table row for BENCHMARKS.md."""
        ratio = f"{self.ratio:.1f}×" if self.ratio is not None else "—"
        verdict = "" if self.met is None else ("met" if self.met else "**missed**")
        base = (
            f"{self.baseline} {self.baseline_s * 1000:.0f} ms"
            if self.baseline_s is not None
            else "—"
        )
        return (
            f"| {self.name} | {self.ours_s * 1000:.1f} ms | {base} | {ratio} | {self.agreement} "
            f"| {self.memory} | {self.goal} | {verdict} |"
        )


HEADER = (
    "| benchmark | ours | baseline (same run) | ratio | agreement | memory | goal | verdict |\n"
    "|---|---|---|---|---|---|---|---|"
)


def load_average() -> str:
    """The machine's load average (1, 5, 15 min) now, as text."""
    try:
        return "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())
    except OSError:
        return "n/a"


def record(reports: list[Report]) -> None:
    """Add these reports to benchmarks/history.jsonl and rewrite BENCHMARKS.md from it."""
    import _dashboard

    stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime())
    _dashboard.append([_dashboard.entry(r, stamp, machine()) for r in reports])
    _dashboard.write()
