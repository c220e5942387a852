"""Import time of costshare and costshare.finance, by ``python -X importtime``.

Run: ``python benchmarks/bench_import.py [--quick]``. Each import is timed in a fresh
interpreter (``-X importtime``, the cumulative microseconds of the top module), 9 rounds
alternating with the baselines numpy_financial and pyxirr; the medians are reported.
Bytecode is cached as for an installed package (one warm-up import first).
Goals: ``import costshare`` ≤ 150 ms and ``import costshare.finance`` ≤ 120 ms (pandas not
imported), measured against numpy_financial in the same run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Report

ROOT = Path(__file__).resolve().parent.parent
# Bytecode as an installed package has it: written once (to a scratch prefix, not into the
# checkout) and then read, even where PYTHONDONTWRITEBYTECODE is set for the shell.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
_ENV["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "costshare-bench-pycache")


def _top_level(code: str) -> dict[str, int]:
    """Cumulative microseconds of each top-level import when running `code`."""
    res = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_ENV,
        check=True,
        timeout=120,
    )
    out = {}
    for line in res.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cum, name = line.split("|")
        if name.startswith(" ") and not name.startswith("  "):
            out[name.strip()] = int(cum)
    return out


_STARTUP: set[str] = set()


def import_ms(module: str) -> float:
    """Time of ``import module`` in a fresh interpreter, in ms: the cumulative times of the
    top-level imports it causes (``import a.b`` imports ``a`` first, on a line of its own),
    without the interpreter's start-up imports."""
    if not _STARTUP:
        _STARTUP.update(_top_level("pass"))
    return sum(v for k, v in _top_level(f"import {module}").items() if k not in _STARTUP) / 1000


def pandas_loaded(module: str) -> bool:
    code = f"import sys, {module}; print('pandas' in sys.modules)"
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=_ENV
    )
    return res.stdout.strip() == "True"


def run(quick: bool = False) -> list[Report]:
    """Reports for run_all.py."""
    rounds = 3 if quick else 9
    mods = ("costshare", "costshare.finance", "numpy_financial", "pyxirr")
    times: dict[str, list[float]] = {m: [] for m in mods}
    for m in mods:  # warm-up: writes the bytecode
        import_ms(m)
    for _ in range(rounds):
        for m in mods:
            times[m].append(import_ms(m))
    med = {m: statistics.median(v) / 1000 for m, v in times.items()}
    low = {m: min(v) for m, v in times.items()}
    out = []
    for m, goal in (("costshare", 150), ("costshare.finance", 120)):
        out.append(
            Report(
                f"import {m} (-X importtime, median of {rounds} fresh interpreters)",
                med[m],
                "import numpy_financial",
                med["numpy_financial"],
                f"<= {goal} ms, no pandas",
                med[m] * 1000 <= goal and not pandas_loaded(m),
                f"pandas imported: {pandas_loaded(m)}; fastest round {low[m]:.0f} ms "
                f"(numpy_financial {low['numpy_financial']:.0f} ms, pyxirr "
                f"{low['pyxirr']:.0f} ms, median {med['pyxirr'] * 1000:.0f} ms)",
            )
        )
    return out


def main() -> None:
    for rep in run(quick="--quick" in sys.argv):
        rep.show()


if __name__ == "__main__":
    main()
