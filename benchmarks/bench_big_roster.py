"""Reading a large roster through the one table reader: time and peak memory.

Run: ``python benchmarks/bench_big_roster.py [--households 200000] [--keep DIR]``, or
through ``run_all.py`` (``run()``, 200,000 households; 20,000 with ``--quick``).

Writes a synthetic roster (7 columns: 楼栋, 单元, 房号, 楼层, 建筑面积, 业主姓名,
维修资金余额) as .xlsx (xlsxwriter, constant memory) and as GB18030 CSV, then reads
each with :func:`costshare.households.roster.read_roster` in a fresh process and
reports the wall time, the CPU time and the peak resident memory. The baseline, in the
same run and also in a fresh process, is what an analyst would otherwise type:
``pandas.read_excel`` / ``pandas.read_csv(encoding="gb18030")``, which reads the cells
but checks nothing (no header detection, totals rows, identifiers or amounts). Goal
(issue 21): 200,000 households in under 60 s and under 1 GiB. Writing the xlsx itself
takes longer than reading it.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Report

READ = """
import resource, sys, time
t, c = time.perf_counter(), time.process_time()
from costshare.households.roster import read_roster
df = read_roster(sys.argv[1])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{len(df):,} households: {time.perf_counter() - t:.2f} s wall, "
      f"{time.process_time() - c:.1f} s CPU, {peak:,.0f} MiB peak")
"""

PEER = """
import resource, sys, time
t = time.perf_counter()
import pandas as pd
p = sys.argv[1]
df = pd.read_excel(p) if p.endswith(".xlsx") else pd.read_csv(p, encoding="gb18030")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{len(df):,} households: {time.perf_counter() - t:.2f} s wall, 0 s CPU, {peak:,.0f} MiB peak")
"""
_OUT = re.compile(r"([\d,]+) households: ([\d.]+) s wall, ([\d.]+) s CPU, ([\d,]+) MiB peak")


def _rows(n: int) -> list[list[object]]:
    rnd = random.Random(1)
    out: list[list[object]] = []
    for i in range(n):
        b, rest = divmod(i, 1000)
        s, r = divmod(rest, 100)
        fl = r // 4 + 1
        out.append(
            [f"{b + 1}号楼", s + 1, f"{fl}{r % 4 + 1:02d}", fl, round(rnd.uniform(40, 140), 2),
             f"业主{i}", round(rnd.uniform(0, 5000), 2)]
        )  # fmt: skip
    return out


def write(folder: Path, households: int) -> tuple[Path, Path]:
    """The synthetic roster as .xlsx and as GB18030 .csv in `folder`."""
    import xlsxwriter

    header = ["楼栋", "单元", "房号", "楼层", "建筑面积", "业主姓名", "维修资金余额"]
    rows = _rows(households)
    xlsx, csv = folder / "big_roster.xlsx", folder / "big_roster.csv"
    wb = xlsxwriter.Workbook(str(xlsx), {"constant_memory": True})
    ws = wb.add_worksheet("名册")
    ws.write_row(0, 0, header)
    for i, r in enumerate(rows, start=1):
        ws.write_row(i, 0, r)
    wb.close()
    lines = [",".join(header)] + [",".join(map(str, r)) for r in rows]
    csv.write_bytes(("\n".join(lines) + "\n").encode("gb18030"))
    return xlsx, csv


def _measure(script: str, path: Path) -> tuple[int, float, float]:
    """Rows read, wall seconds and peak MiB of `script` reading `path` in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True
    )
    m = _OUT.search(out.stdout)
    return int(m[1].replace(",", "")), float(m[2]), float(m[4].replace(",", ""))


def run(quick: bool = False) -> list[Report]:
    """Reports for run_all.py: the xlsx and the CSV roster, ours against pandas."""
    households = 20_000 if quick else 200_000
    reports = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in write(Path(tmp), households):
            n, wall, peak = _measure(READ, path)
            n_peer, wall_peer, peak_peer = _measure(PEER, path)
            kind = "xlsx" if path.suffix == ".xlsx" else "GB18030 CSV"
            reports.append(
                Report(
                    f"roster of {households:,} households from {kind}, fresh process",
                    wall,
                    f"pandas.read_{'excel' if kind == 'xlsx' else 'csv'} (no checks)",
                    wall_peer,
                    "< 60 s and < 1 GiB peak (issue 21)",
                    wall < 60 and peak < 1024,
                    f"households read: {n:,} (pandas rows: {n_peer:,})",
                    f"peak {peak:,.0f} MiB (pandas {peak_peer:,.0f} MiB)",
                )
            )
    return reports


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=200_000)
    ap.add_argument("--keep", type=Path, default=None)
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp())
    for path in write(folder, args.households):
        size = path.stat().st_size / 2**20
        out = subprocess.run(
            [sys.executable, "-c", READ, str(path)], capture_output=True, text=True, check=True
        )
        print(f"{path.suffix} ({size:.1f} MiB): {out.stdout.strip()}")


if __name__ == "__main__":
    main()
