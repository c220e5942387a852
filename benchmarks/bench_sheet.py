"""Benchmarks for household contribution sheets (scripts, not tests).

1. Apportionment of 1,000,000 households (area and floor-coefficient bases) with
   :func:`costshare.sheet.contribution_sheet` vs a naive per-row ``Decimal`` loop with
   the same largest-remainder rounding. Goal: < 1 s and >= 50x.
2. Export of 100,000 rows to xlsx with :func:`costshare.export.sheet.write_sheet_xlsx`
   vs pandas ``DataFrame.to_excel`` (default engine) on the same display frame.
   Goal: >= 2x; peak Python memory reported (tracemalloc) for both.

Run: ``python benchmarks/bench_sheet.py [--households 1000000] [--rows 100000]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from costshare.export.sheet import sheet_display, write_sheet_xlsx
from costshare.money import allocate
from costshare.sheet import contribution_sheet


def make_roster(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "building": pd.array((np.arange(n) // 84).astype(str), dtype="str"),
            "stairwell": pd.array((np.arange(n) // 14 % 6).astype(str), dtype="str"),
            "unit_id": pd.array(np.arange(n).astype(str), dtype="str"),
            "floor": rng.integers(1, 8, n),
            "area_m2": np.round(rng.uniform(40, 120, n), 2),
            "owner_name": pd.array(
                np.array(["张小三", "李四", "欧阳小明"])[np.arange(n) % 3], dtype="str"
            ),
            "headcount": pd.array(rng.integers(1, 6, n), dtype="Int64"),
        }
    )


def naive(
    total_fen: int, areas: list[float], floors: list[int] | None, coef: dict[int, Decimal]
) -> list[int]:
    """Per-row Decimal loop: weight, exact quota, floor, then largest remainder (ties to lower row)."""
    weights = []
    for i, a in enumerate(areas):
        w = Decimal(repr(a))
        if floors is not None:
            w *= coef.get(floors[i], Decimal(0))
        weights.append(w)
    wsum = sum(weights, Decimal(0))
    shares, rems = [], []
    for w in weights:
        q = Decimal(total_fen) * w / wsum
        f = q.to_integral_value(rounding=ROUND_FLOOR)
        shares.append(int(f))
        rems.append(q - f)
    left = total_fen - sum(shares)
    order = sorted(range(len(rems)), key=lambda i: (-rems[i], i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def bench_apportion(n: int) -> None:
    roster = make_roster(n)
    total = "987654321.09"
    total_fen = 98765432109
    coef = {
        3: Decimal("0.7"),
        4: Decimal("0.8"),
        5: Decimal("0.9"),
        6: Decimal("1.0"),
        7: Decimal("1.1"),
    }
    areas = roster["area_m2"].tolist()
    floors = roster["floor"].tolist()
    for basis in ("area", "floor"):
        contribution_sheet(roster.head(1000), total=total, basis=basis, explain=False)  # warm up
        fast = float("inf")
        for _ in range(3):  # best of 3: the machine is shared
            t = time.perf_counter()
            s = contribution_sheet(roster, total=total, basis=basis, explain=False)
            fast = min(fast, time.perf_counter() - t)
        t = time.perf_counter()
        allocate(total_fen, roster["area_m2"].to_numpy())
        in_allocate = time.perf_counter() - t
        t = time.perf_counter()
        ref = naive(total_fen, areas, floors if basis == "floor" else None, coef)
        slow = time.perf_counter() - t
        got = s["share_fen"].to_numpy()
        diff = np.abs(got - np.asarray(ref))
        print(
            f"apportion {n:,} households, basis {basis:5}: vectorized {fast:.3f} s, "
            f"(of which money.allocate {in_allocate:.3f} s), Decimal loop {slow:.2f} s, "
            f"ratio {slow / fast:.0f}x; sum exact: {int(got.sum()) == total_fen}; "
            f"max |diff| vs exact-Decimal reference {int(diff.max())} fen ({int((diff > 0).sum())} rows differ)"
        )


def bench_xlsx(rows: int) -> None:
    roster = make_roster(rows)
    s = contribution_sheet(
        roster, total="12345678.90", basis="floor", exempt_floors=[1, 2], explain=True
    )
    disp = sheet_display(s, yuan="float")
    with tempfile.TemporaryDirectory() as d:
        tracemalloc.start()
        t = time.perf_counter()
        write_sheet_xlsx(s, Path(d) / "fast.xlsx")
        fast = time.perf_counter() - t
        _, peak_fast = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        tracemalloc.start()
        t = time.perf_counter()
        disp.to_excel(Path(d) / "pandas.xlsx", index=False)
        slow = time.perf_counter() - t
        _, peak_slow = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size_f = (Path(d) / "fast.xlsx").stat().st_size
        size_s = (Path(d) / "pandas.xlsx").stat().st_size
    print(
        f"xlsx {rows:,} rows x {disp.shape[1]} cols (with explanations): write_sheet_xlsx {fast:.2f} s "
        f"(peak {peak_fast / 2**20:.0f} MiB, {size_f / 2**20:.1f} MiB file), pandas to_excel "
        f"{slow:.2f} s (peak {peak_slow / 2**20:.0f} MiB, {size_s / 2**20:.1f} MiB); ratio {slow / fast:.1f}x"
    )


def bench_xlsx_memory(rows_list: list[int]) -> None:
    """Peak traced memory of write_sheet_xlsx beyond the sheet itself, as rows grow."""
    for rows in rows_list:
        s = contribution_sheet(make_roster(rows), total="1000000", explain=False)
        with tempfile.TemporaryDirectory() as d:
            tracemalloc.start()
            write_sheet_xlsx(s, Path(d) / "m.xlsx")
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        print(f"  write_sheet_xlsx {rows:>9,} rows: peak {peak / 2**20:6.1f} MiB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=1_000_000)
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    bench_apportion(args.households)
    bench_xlsx(args.rows)
    bench_xlsx_memory([args.rows // 4, args.rows, args.rows * 4])


if __name__ == "__main__":
    main()
