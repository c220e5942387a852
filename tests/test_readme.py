"""README that runs: every Python block in order in one fresh interpreter, every command block.

Python blocks run from the repository root (their paths are the bundled files) and write
into a scratch folder. A ``bash`` block runs when every command in it is ``costshare ...``
(or ``python -m costshare``): in a scratch folder holding links to the bundled files, with
a scratch store. Blocks that install or deploy (``make``, ``pip``, ``createdb``, ``curl``
against a server) are the setup steps of a machine, not examples, and are listed so that
a new block of another kind is noticed.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w+)\n(.*?)^```", README, flags=re.S | re.M)
SETUP_WORDS = ("make ", "pip ", "createdb ", "export ", "curl ")


def _commands(block: str) -> list[str]:
    """A bash block's commands: continuation lines joined, comments dropped."""
    joined = block.replace("\\\n", " ")
    return [
        ln.split("  #")[0].strip()
        for ln in joined.splitlines()
        if ln.strip() and not ln.startswith("#")
    ]


def _is_cli(block: str) -> bool:
    return all(c.startswith(("costshare ", "python -m costshare")) for c in _commands(block))


def test_every_block_is_run_or_is_setup() -> None:
    for lang, body in BLOCKS:
        if lang != "bash":
            assert lang in ("python", "yaml"), lang
            continue
        assert _is_cli(body) or any(w in body for w in SETUP_WORDS), body[:80]


def test_python_blocks_run_in_order(tmp_path: Path) -> None:
    code = "\n\n".join(body for lang, body in BLOCKS if lang == "python")
    script = tmp_path / "readme.py"
    script.write_text(code, encoding="utf-8")
    env = {**os.environ, "COSTSHARE_DB": f"sqlite:///{tmp_path / 'store.db'}", "MPLBACKEND": "Agg"}
    res = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr[-3000:]


@pytest.mark.parametrize(
    "block", [b for lang, b in BLOCKS if lang == "bash" and _is_cli(b)], ids=lambda b: b.split()[1]
)
def test_command_blocks_run(tmp_path: Path, block: str) -> None:
    for name in ("data", "scenarios", "portfolios", "costshare"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "out").mkdir()
    env = {**os.environ, "COSTSHARE_DB": f"sqlite:///{tmp_path / 'store.db'}"}
    for cmd in _commands(block):
        args = shlex.split(cmd)
        args = (
            [sys.executable, "-m", "costshare", *args[1:]]
            if args[0] == "costshare"
            else [sys.executable, *args[1:]]
        )
        res = subprocess.run(
            args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
        )
        assert res.returncode == 0, f"{cmd}\n{res.stderr[-2000:]}"


def _benchmark_figures() -> set[str]:
    """Every way README may quote a figure of BENCHMARKS.md's current table: our time in
    ms or s (one or two decimals), the baseline's time, and the ratio."""
    text = (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8")
    current = text.split("## Current", 1)[1].split("## History", 1)[0]
    figures: set[str] = set()
    for row in current.splitlines():
        cells = [c.strip() for c in row.strip("|").split("|")]
        if len(cells) < 4 or not cells[1].endswith(" ms"):
            continue
        for ms in [float(cells[1][:-3])] + [float(x) for x in re.findall(r"([\d.]+) ms", cells[2])]:
            figures |= {f"{ms / 1000:.1f} s", f"{ms / 1000:.2f} s", f"{ms:.0f} ms", f"{ms:.1f} ms"}
        figures.add(cells[3])  # the ratio, as "2.12×"
    return figures


def test_readme_quotes_only_the_newest_benchmark_figures() -> None:
    """A time or speed ratio in README is one of BENCHMARKS.md's current figures (issue 23:
    README's measured figures match the newest run), never a stale copy."""
    quoted = re.findall(r"(?<![\d.,])(\d+(?:\.\d+)?) ?(ms|s)\b", README)
    quoted = [f"{n} {unit}" for n, unit in quoted]
    quoted += [m + "×" for m in re.findall(r"(?<![\d.,±])(\d+(?:\.\d+)?)×(?![\d])", README)]
    quoted = [q for q in quoted if not q.startswith("0 ")]
    known = _benchmark_figures()
    assert quoted, "README quotes at least the national sweep's time"
    assert [q for q in quoted if q not in known] == [], sorted(known)[:20]
