"""Benchmark: national sweep, 39 million synthetic households in 220,000 communities.

Each run is a fresh subprocess so that its peak RSS is its own. Goals (issue 24): the
median of 5 runs ≤ 8 s on 2 processes and ≤ 12 s on one core, on the development machine
(2 cores) with its usual load, streamed in chunks of 2,000 communities, peak RSS < 4 GiB,
exact to the fen and equal to the serial run. No baseline exists for this size (nothing
else fits in memory), so the baseline is the same sweep on one core (serial), run
alternately with the parallel one; the ratio is serial ÷ 2 processes. CPU seconds are
reported too, as on a shared machine they vary less than the wall time.

Usage: ``python benchmarks/bench_national.py [--quick]``
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from _common import Report

CHILD = """
import json, resource, sys, time
from costshare.scale.sweep import national_sweep
n, hh, chunk, workers = map(int, sys.argv[1:5])
def used():
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
cpu = used()
r = national_sweep(n, hh, chunk=chunk, workers=workers)
cpu = used() - cpu
s = r.summary()
rss = max(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"seconds": r.seconds, "cpu": cpu, "rss_mib": rss / 1024,
                  "households": s["households"], "residents_exact": r.residents_fen == r.channels_fen["residents"],
                  "gap": str(s["gap"]), "uses": str(s["uses"])}))
"""


def _sweep(n: int, hh: int, chunk: int, workers: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(n), str(hh), str(chunk), str(workers)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _autogroup() -> list[str]:
    """A note when the kernel shares the CPU per session (a loaded machine then gives a
    session's second process no extra CPU time)."""
    try:
        on = Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1"
    except OSError:
        return []
    return (
        [
            "kernel autogroup scheduling on: CPU time is shared per session, so under "
            "load 2 processes of one session get no more CPU than one"
        ]
        if on
        else []
    )


def run(quick: bool = False, rounds: int = 5) -> list[Report]:
    n, hh = (22_000, 3_900_000) if quick else (220_000, 39_000_000)
    cores = os.cpu_count() or 1
    par, ser = [], []
    for _ in range(rounds):  # alternate, so both see the same load
        par.append(_sweep(n, hh, 2_000, cores))
        ser.append(_sweep(n, hh, 2_000, 1))
    t_par = statistics.median(r["seconds"] for r in par)
    t_ser = statistics.median(r["seconds"] for r in ser)
    same = all((r["gap"], r["uses"]) == (ser[0]["gap"], ser[0]["uses"]) for r in par + ser)
    exact = all(r["residents_exact"] and r["households"] == hh for r in par + ser)
    rss = max(r["rss_mib"] for r in par + ser)
    rep = Report(
        name=f"national sweep, {hh:,} households in {n:,} communities (chunks of 2,000, "
        f"{cores} processes)",
        ours_s=t_par,
        baseline="same sweep on one core",
        baseline_s=t_ser,
        goal=f"median of {rounds}: ≤ 8 s on 2 processes, ≤ 12 s on one core; exact, = serial, "
        "peak RSS < 4 GiB",
        met=rss < 4096 and same and exact and (quick or (t_par <= 8 and t_ser <= 12)),
        agreement=f"households {hh:,}; residents' shares exact: {exact}; uses {ser[0]['uses']} "
        f"yuan, gap {ser[0]['gap']}; every run equal to the serial one: {same}",
        memory=f"peak RSS {rss:.0f} MiB per process",
        notes=[
            f"2 processes {min(r['seconds'] for r in par):.1f}–{max(r['seconds'] for r in par):.1f} s, "
            f"one core {min(r['seconds'] for r in ser):.1f}–{max(r['seconds'] for r in ser):.1f} s "
            f"in {rounds} runs; serial ÷ 2 processes = {t_ser / t_par:.2f}×",
            f"CPU seconds (all processes, medians): one core "
            f"{statistics.median(r['cpu'] for r in ser):.1f} s, 2 processes "
            f"{statistics.median(r['cpu'] for r in par):.1f} s",
            *_autogroup(),
        ],
    )
    return [rep]


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        r.show()
