"""BENCHMARKS.md as a dashboard: the current table holds the newest row of every benchmark,
the history every run newest first; the old appended log is read back row for row."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]


def _dashboard():
    spec = importlib.util.spec_from_file_location(
        "_dashboard", ROOT / "benchmarks" / "_dashboard.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _rep(name: str, ours: float, base: float | None, met: bool | None, load: str = "1.0"):
    return SimpleNamespace(
        name=name,
        ours_s=ours,
        baseline="plain" if base else "—",
        baseline_s=base,
        ratio=None if base is None else base / ours,
        goal=">= 1×",
        met=met,
        agreement="",
        memory="",
        load=load,
        notes=[],
    )


def test_current_table_has_the_newest_row_of_each() -> None:
    d = _dashboard()
    rows = [
        d.entry(_rep("a", 0.2, 0.1, False), "2026-01-01 10:00", "m"),
        d.entry(_rep("b", 0.1, None, None), "2026-01-01 10:00", "m"),
        d.entry(_rep("a", 0.05, 0.1, True, "3.0 / 2.0 / 1.0"), "2026-01-02 10:00", "m"),
    ]
    text = d.render(rows)
    current = text.split("## History")[0]
    assert "| a | 50.0 ms | plain 100 ms | 2.00× | >= 1× | met | 3.0 / 2.0 / 1.0 |" in current
    assert "200.0 ms" not in current  # the older run of a is history only
    history = text.split("## History")[1]
    assert history.index("2026-01-02") < history.index("2026-01-01")  # newest first
    assert "**missed**" in history


def test_legacy_log_is_read_back() -> None:
    d = _dashboard()
    legacy = (
        "# Benchmarks\n\n## 2026-11-24 16:16 — 2 cores\n\n"
        "| benchmark | ours | baseline (same run) | ratio | agreement | memory | goal | verdict |\n"
        "|---|---|---|---|---|---|---|---|\n"
        "| allocate x | 58.4 ms | loop 309 ms | 2.9× | max \\|Δ\\| 0 |  | >= 1× | met |\n"
    )
    (row,) = d.seed_from_legacy(legacy)
    assert row["name"] == "allocate x" and row["ours_ms"] == 58.4
    assert row["baseline"] == "loop" and row["baseline_ms"] == 309.0 and row["ratio"] == 2.9
    assert (
        row["met"] is True and row["agreement"] == "max |Δ| 0" and row["when"] == "2026-11-24 16:16"
    )


def test_checked_in_history_renders_to_the_checked_in_file() -> None:
    """BENCHMARKS.md is exactly what the dashboard makes of benchmarks/history.jsonl."""
    d = _dashboard()
    assert (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8") == d.render(d.load())


def test_every_benchmark_runs_under_make_bench():
    """`make bench` runs every bench_*.py through run_all.py, which calls its ``run``:
    a benchmark without one (a script with only ``main``) used to stop the whole run."""
    import ast

    for path in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        runs = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "run"]
        assert runs, f"{path.name} has no run(quick=False) for run_all.py"
        assert [a.arg for a in runs[0].args.args][:1] == ["quick"], path.name
