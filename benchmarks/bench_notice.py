"""Benchmark of the PDF public notice (公示) against the csv export of the same sheet.

For 3,000, 30,000 and 200,000 households: the time to make the notice
(:func:`costshare.report.notice.notice_pdf_bytes`, explanation appendix included), its
pages and the peak RSS of a fresh process making it, vs the csv export
(:func:`costshare.report.sheet.sheet_csv_bytes`) in the same run. Goals (issue 12):
30,000 households ≤ 8 s and ≤ 12× the time of 3,000 (linear); 200,000 ≤ 60 s, < 1 GiB.

Each size runs in its own process so that RSS is that size's. ``--quick`` stops at
30,000; ``BENCH_NOTICE_MAX`` caps the sizes (e.g. 30000 on a slow shared machine).

Run: ``python benchmarks/bench_notice.py [--quick]`` (or through ``run_all.py``)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from _common import Report

SIZES = (3_000, 30_000, 200_000)


def _one(n: int) -> dict[str, float]:
    """Make the sheet, the csv and the notice for `n` households (in this process)."""
    import datetime as dt

    from bench_sheet import RULES, make_roster

    from costshare.households.sheet import SheetSpec, contribution_sheet
    from costshare.report.notice import notice_pdf_bytes
    from costshare.report.sheet import sheet_csv_bytes

    sheet = contribution_sheet(make_roster(n), 100_000_000 * 100, SheetSpec(), RULES)
    t0 = time.perf_counter()
    csv = sheet_csv_bytes(sheet)
    t_csv = time.perf_counter() - t0
    t0 = time.perf_counter()
    pdf = notice_pdf_bytes(sheet, date=dt.date(2024, 6, 1), community="基准小区")
    t_pdf = time.perf_counter() - t0
    pages = len(re.findall(rb"/Type /Page\b", pdf))
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "n": n,
        "pdf_s": t_pdf,
        "csv_s": t_csv,
        "pages": pages,
        "rss_mib": rss,
        "bytes": len(pdf),
        "csv_bytes": len(csv),
    }


def _spawn(n: int) -> dict[str, float]:
    here = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": f"{here.parent}{os.pathsep}{here}"}
    out = subprocess.run(
        [sys.executable, str(Path(__file__)), "--one", str(n)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(quick: bool = False) -> list[Report]:
    cap = int(os.environ.get("BENCH_NOTICE_MAX", "30000" if quick else "200000"))
    got = {n: _spawn(n) for n in SIZES if n <= cap}
    reports = []
    for n, r in got.items():
        ratio = ""
        met = None
        if n == 30_000 and 3_000 in got:
            growth = r["pdf_s"] / got[3_000]["pdf_s"]
            ratio = f"; {growth:.1f}× the time of 3,000"
            met = r["pdf_s"] <= 8 and growth <= 12
        if n == 200_000:
            met = r["pdf_s"] <= 60 and r["rss_mib"] < 1024
        reports.append(
            Report(
                name=f"PDF notice, {n:,} households",
                ours_s=r["pdf_s"],
                baseline="csv export",
                baseline_s=r["csv_s"],
                goal={3_000: "", 30_000: "≤ 8 s, ≤ 12× 3k", 200_000: "≤ 60 s, < 1 GiB"}[n],
                met=met,
                agreement=f"{int(r['pages'])} pages{ratio}",
                memory=f"peak RSS {r['rss_mib']:.0f} MiB",
            )
        )
    return reports


if __name__ == "__main__":
    if "--one" in sys.argv:
        print(json.dumps(_one(int(sys.argv[sys.argv.index("--one") + 1]))))
    else:
        for rep in run(quick="--quick" in sys.argv):
            rep.show()
