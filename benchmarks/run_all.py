"""Run every benchmark in this folder, print each, and rewrite the BENCHMARKS.md dashboard.

Each ``bench_*.py`` module exposes ``run(quick: bool = False) -> list[Report]``; ``--quick``
shrinks the sizes for a smoke run. Usage: ``python benchmarks/run_all.py [--quick] [names…]``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import Report, load_average, record  # noqa: E402 - after the path is set


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    wanted = [a for a in argv if not a.startswith("--")]
    reports: list[Report] = []
    for path in sorted(HERE.glob("bench_*.py")):
        if wanted and not any(w in path.stem for w in wanted):
            continue
        module = _load(path)
        print(f"\n### {path.name}")
        before = load_average()
        for rep in module.run(quick=quick):
            rep.load = rep.load or before
            rep.show()
            reports.append(rep)
    if not quick:
        record(reports)
        print(f"\nrecorded {len(reports)} rows; BENCHMARKS.md rewritten")
    missed = [r.name for r in reports if r.met is False]
    if missed:
        print("missed goals: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
