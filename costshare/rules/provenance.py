"""Provenance hygiene: do a rule's marks say what its source really supports?

:func:`seed_problems` checks the rules of a rule file against the seed documents:

* a rule marked ``S`` (a seed states it) names a seed file that exists and cites a line
  (``第N行`` or ``第N–M行``) that exists; each quoted piece of its passage (split at
  ``……``) is on those lines;
* every numeric value of an ``S`` rule other than 0 and 1 appears on the cited lines, as a
  percentage (``80%``), a fraction (``2/3``) or as written (``0.5``) — a cited passage that
  contradicts the value (90 % against the seed's 50 %) is refused;
* a rule marked ``H`` or ``M`` (a document checked) names a real document, not ``none``.

The seeds are kept in the repository (``docs/seeds``; or the folder in ``COSTSHARE_SEEDS``,
or ``../shared/seeds`` next to the checkout); without them only the document check runs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from costshare.errors import Problem

__all__ = ["NO_DOCUMENT", "seed_problems", "seeds_dir"]

NO_DOCUMENT = {"none", "无", "无文件依据", ""}
_LINE = re.compile(r"^第(\d+)(?:[–-](\d+))?行")


def seeds_dir() -> Path | None:
    """The seed documents' folder, or None when it is not at hand."""
    env = os.environ.get("COSTSHARE_SEEDS")
    cands = [Path(env)] if env else []
    repo = Path(__file__).resolve().parents[2]
    cands += [repo / "docs" / "seeds", repo.parent / "shared" / "seeds"]
    return next((c for c in cands if c.is_dir()), None)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _spellings(v: Any) -> list[str]:
    """How a number may be written in a seed: 80%, 4/5, 0.8."""
    x = Fraction(str(v)) if isinstance(v, Decimal | float) else Fraction(v)
    out = [f"{x.numerator}/{x.denominator}"] if x.denominator != 1 else [str(x.numerator)]
    pct = x * 100
    if pct.denominator == 1:
        out.append(f"{pct.numerator}%")
    out.append(format(Decimal(x.numerator) / Decimal(x.denominator), "f").rstrip("0").rstrip("."))
    return out


def _numbers(rule: Any) -> Iterable[tuple[str, Any]]:
    for f in getattr(rule, "VALUE_FIELDS", ()):
        v = getattr(rule, f, None)
        if isinstance(v, bool) or v is None:
            continue
        if isinstance(v, int | Fraction | Decimal | float) and v not in (0, 1):
            yield f, v
        elif isinstance(v, dict):
            yield from ((f"{f}[{k}]", x) for k, x in v.items()
                        if isinstance(x, int | Fraction | Decimal | float) and x not in (0, 1))  # fmt: skip


def seed_problems(rules: Iterable[Any], file: str, seeds: Path | None = None) -> list[Problem]:
    """What is wrong with the marks of `rules` (see the module text); empty when all is well.

    Examples
    --------
    >>> from costshare.rules import load
    >>> seed_problems(load("hebei", on="2024-06-30").vote_rules[:1], "hebei.yaml")
    []
    """
    seeds = seeds if seeds is not None else seeds_dir()
    out: list[Problem] = []
    for r in rules:
        src = r.source
        where = f"rule {r.id!r}"
        if r.confidence in ("H", "M") and src.document.strip().lower() in NO_DOCUMENT:
            msg = f"marked {r.confidence} (a document checked) but names no document"
            out.append(Problem(msg, file, where, "source.document"))
        if r.confidence != "S":
            continue
        m = _LINE.match(src.passage or "")
        if not src.seed or m is None:
            msg = "marked S (a seed states it) but cites no seed file and line (第N行：…)"
            out.append(Problem(msg, file, where, "source.passage"))
            continue
        if seeds is None:
            continue
        path = seeds / src.seed
        if not path.is_file():
            out.append(Problem(f"seed file {src.seed} not found", file, where, "source.seed"))
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        if not 1 <= a <= b <= len(lines):
            msg = f"the seed has {len(lines)} lines; line {a}–{b} does not exist"
            out.append(Problem(msg, file, where, "source.passage"))
            continue
        text = _norm("".join(lines[a - 1 : b]))
        quoted = (src.passage or "")[m.end() :].lstrip("：: ")
        for piece in (p for p in quoted.split("……") if p.strip()):
            if _norm(piece) not in text:
                msg = f"the passage is not on seed line {a}: {piece[:20]}…"
                out.append(Problem(msg, file, where, "source.passage"))
        for field, v in _numbers(r):
            if not any(s in text for s in _spellings(v)):
                msg = f"value {v} is not on the cited seed line {a} (marked S)"
                out.append(Problem(msg, file, where, field))
    return out
