"""Benchmark: national sweep, 39 million synthetic households in 220,000 communities.

Runs in a fresh subprocess so that its peak RSS is its own. Goal: ≤ 12 s on the
development machine (2 cores), streamed in chunks of 2,000 communities, one process per
core, peak RSS < 4 GiB. No baseline exists for this size (nothing else fits in memory),
so the baseline is the same sweep on one core (serial); its CPU seconds are reported too,
as on a shared machine they vary less than the wall time.

Usage: ``python benchmarks/bench_national.py [--quick]``
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from _common import Report

CHILD = """
import json, resource, sys, time
from costshare.scale.sweep import national_sweep
n, hh, chunk, workers = map(int, sys.argv[1:5])
cpu = time.process_time()
r = national_sweep(n, hh, chunk=chunk, workers=workers)
cpu = time.process_time() - cpu
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


def run(quick: bool = False) -> list[Report]:
    n, hh = (22_000, 3_900_000) if quick else (220_000, 39_000_000)
    cores = os.cpu_count() or 1
    ours = _sweep(n, hh, 2_000, cores)
    serial = _sweep(n, hh, 2_000, 1)
    rep = Report(
        name=f"national sweep, {hh:,} households in {n:,} communities (chunks of 2,000, "
        f"{cores} processes)",
        ours_s=ours["seconds"],
        baseline="same sweep on one core",
        baseline_s=serial["seconds"],
        goal="≤ 12 s (full size), streamed, peak RSS < 4 GiB",
        met=ours["rss_mib"] < 4096
        and ours["households"] == hh
        and (quick or ours["seconds"] <= 12),
        agreement=f"households {ours['households']:,}; residents' shares exact: {ours['residents_exact']}; "
        f"uses {ours['uses']} yuan, gap {ours['gap']}; same as serial: {ours['gap'] == serial['gap']}",
        memory=f"peak RSS {ours['rss_mib']:.0f} MiB per process (serial {serial['rss_mib']:.0f} MiB)",
        notes=[f"serial CPU {serial['cpu']:.1f} s"],
    )
    return [rep]


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        r.show()
