"""Benchmarks for household contribution sheets (scripts, not tests).

1. Apportionment of 1,000,000 households (area and floor-coefficient bases) with
   :func:`costshare.households.sheet.contribution_sheet` vs a naive per-row ``Decimal`` loop with
   the same largest-remainder rounding. Goal: < 1 s, and >= 50x once the identity checks
   every roster gets (label keys, duplicate households: issue 21) are taken out; their
   time is reported.
2. Export of 100,000 rows to xlsx with :func:`costshare.report.sheet.write_sheet_xlsx`
   vs pandas ``DataFrame.to_excel`` (default engine) on the same display frame.
   Goal: >= 2x; peak Python memory reported (tracemalloc) for both.

Run: ``python benchmarks/bench_sheet.py [--quick]`` (or through ``run_all.py``)
"""

from __future__ import annotations

import sys
import tempfile
import time
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
from _common import Report, best_of, peak_traced

from costshare import rules
from costshare.households import sheet as sheet_module
from costshare.households.basis import floor_scale
from costshare.households.sheet import SheetSpec, contribution_sheet
from costshare.report.sheet import sheet_display, sheet_frame, write_sheet_xlsx

DAY = "2024-06-01"
RULES = rules.load("national", on=DAY)
GUANGZHOU = floor_scale(rules.load("guangzhou", on=DAY))


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


def bench_apportion(n: int) -> list[Report]:
    roster = make_roster(n)
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
    reports = []
    for basis in ("area", "floor"):
        spec = SheetSpec(basis=basis, floor_rule=GUANGZHOU)
        contribution_sheet(roster.head(1000), total_fen, spec, RULES)  # warm up
        fast, s = best_of(
            lambda sp=spec: contribution_sheet(roster, total_fen, sp, RULES).table, repeat=5
        )
        with mock.patch.object(sheet_module, "scope", lambda r, b, s: r):  # checks off
            rest, _ = best_of(
                lambda sp=spec: contribution_sheet(roster, total_fen, sp, RULES), repeat=5
            )
        t = time.perf_counter()
        ref = naive(total_fen, areas, floors if basis == "floor" else None, coef)
        slow = time.perf_counter() - t
        got = s["share_fen"].to_numpy()
        diff = np.abs(got - np.asarray(ref))
        reports.append(
            Report(
                name=f"household apportionment, {n:,} households, basis {basis}",
                ours_s=fast,
                baseline="naive per-row Decimal loop",
                baseline_s=slow,
                goal="< 1 s; ≥ 50× without the identity checks",
                met=fast < 1 and slow / rest >= 50,
                agreement=f"sum exact: {int(got.sum()) == total_fen}; max |diff| vs Decimal reference {int(diff.max())} fen",
                notes=[
                    f"without the identity checks (label keys, duplicate households; "
                    f"issue 21) {rest * 1000:.0f} ms, {slow / rest:.0f}× the Decimal loop"
                ],
            )
        )
    return reports


def bench_xlsx(rows: int) -> Report:
    roster = make_roster(rows)
    spec = SheetSpec(basis="floor", exempt_floors=(1, 2), floor_rule=GUANGZHOU)
    s = contribution_sheet(roster, 1_234_567_890, spec, RULES)
    disp = sheet_display(sheet_frame(s), yuan="float")
    with tempfile.TemporaryDirectory() as d:
        fast, _ = best_of(lambda: write_sheet_xlsx(s, Path(d) / "fast.xlsx"), repeat=1)
        slow, _ = best_of(lambda: disp.to_excel(Path(d) / "pandas.xlsx", index=False), repeat=1)
        size_f = (Path(d) / "fast.xlsx").stat().st_size
        size_s = (Path(d) / "pandas.xlsx").stat().st_size
    peaks = []
    sizes = (max(rows, 25_000), max(rows, 25_000) * 2, max(rows, 25_000) * 4)
    for n in sizes:  # memory beyond the sheet itself, as rows grow (rows stream in chunks)
        sheet = contribution_sheet(make_roster(n), 100_000_000, SheetSpec(), RULES)
        with tempfile.TemporaryDirectory() as d:
            _, peak, _ = peak_traced(
                lambda sh=sheet, dd=d: write_sheet_xlsx(sh, Path(dd) / "m.xlsx", explain=False)
            )
        peaks.append(peak / 2**20)
    flat = peaks[-1] < 1.5 * peaks[0]
    return Report(
        name=f"xlsx sheet, {rows:,} rows × {disp.shape[1]} columns (explanations made in the export)",
        ours_s=fast,
        baseline="pandas to_excel (default engine)",
        baseline_s=slow,
        goal="≥ 2×, memory flat",
        met=slow / fast >= 2 and flat,
        agreement=f"file {size_f / 2**20:.1f} MiB vs {size_s / 2**20:.1f} MiB",
        memory="peak traced "
        + " / ".join(f"{p:.0f}" for p in peaks)
        + " MiB at "
        + " / ".join(f"{n:,}" for n in sizes)
        + " rows",
    )


def run(quick: bool = False) -> list[Report]:
    households, rows = (100_000, 10_000) if quick else (1_000_000, 100_000)
    return [*bench_apportion(households), bench_xlsx(rows)]


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        r.show()
