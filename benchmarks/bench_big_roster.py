"""Reading a large roster through the one table reader: time and peak memory.

Run: ``python benchmarks/bench_big_roster.py [--households 200000] [--keep DIR]``.

Writes a synthetic roster (7 columns: 楼栋, 单元, 房号, 楼层, 建筑面积, 业主姓名,
维修资金余额) as .xlsx (xlsxwriter, constant memory) and as GB18030 CSV, then reads
each with :func:`costshare.households.roster.read_roster` in a fresh process and prints
the wall time, the CPU time and the peak resident memory. Goal (issue 21): 200,000
households in under 60 s and under 1 GiB. Writing the xlsx itself takes longer than
reading it.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

READ = """
import resource, sys, time
t, c = time.perf_counter(), time.process_time()
from costshare.households.roster import read_roster
df = read_roster(sys.argv[1])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{len(df):,} households: {time.perf_counter() - t:.1f} s wall, "
      f"{time.process_time() - c:.1f} s CPU, {peak:,.0f} MiB peak")
"""


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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=200_000)
    ap.add_argument("--keep", type=Path, default=None)
    args = ap.parse_args()
    import xlsxwriter

    folder = args.keep or Path(tempfile.mkdtemp())
    header = ["楼栋", "单元", "房号", "楼层", "建筑面积", "业主姓名", "维修资金余额"]
    rows = _rows(args.households)
    xlsx, csv = folder / "big_roster.xlsx", folder / "big_roster.csv"
    wb = xlsxwriter.Workbook(str(xlsx), {"constant_memory": True})
    ws = wb.add_worksheet("名册")
    ws.write_row(0, 0, header)
    for i, r in enumerate(rows, start=1):
        ws.write_row(i, 0, r)
    wb.close()
    lines = [",".join(header)] + [",".join(map(str, r)) for r in rows]
    csv.write_bytes(("\n".join(lines) + "\n").encode("gb18030"))
    for path in (xlsx, csv):
        size = path.stat().st_size / 2**20
        out = subprocess.run(
            [sys.executable, "-c", READ, str(path)], capture_output=True, text=True, check=True
        )
        print(f"{path.suffix} ({size:.1f} MiB): {out.stdout.strip()}")


if __name__ == "__main__":
    main()
