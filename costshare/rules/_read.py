"""Reading rule files: validation in context (vocabularies, overlaps, dates) and ``extends``."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from costshare.base import problems_from_validation
from costshare.errors import InputError, Problem
from costshare.rules.schema import SECTIONS, Rule, RuleFile
from costshare.yamlio import load_kind_yaml

__all__ = ["RULES_DIR", "available", "chain_for", "read_rule_file", "validate_file"]

RULES_DIR = Path(__file__).parent
_KEY = re.compile(r"[a-z][a-z0-9_]{0,63}")


def available() -> list[str]:
    """Keys of the bundled jurisdictions, sorted.

    Examples
    --------
    >>> available()[:3]
    ['beijing', 'changping', 'chengdu']
    """
    return sorted(p.stem for p in RULES_DIR.glob("*.yaml"))


def _check(rf: RuleFile, file: str, inherited_payers: set[str], inherited_cats: set[str]) -> None:
    """Cross-rule checks pydantic cannot see: vocabularies, overlaps, date order."""
    payers = inherited_payers | set(rf.payers)
    cats = inherited_cats | set(rf.categories)
    problems: list[Problem] = []
    seen_ids: set[str] = set()
    for section in SECTIONS:
        for rule in getattr(rf, section):
            where = f"rule {rule.id!r} ({section})"
            if rule.id in seen_ids:
                problems.append(Problem("duplicate rule id", file, where, "id"))
            seen_ids.add(rule.id)
            start = rule.effective_from
            if rule.effective_to is not None and start is not None and rule.effective_to < start:
                msg = f"ends {rule.effective_to} before it starts {rule.effective_from}"
                problems.append(Problem(msg, file, where, "effective_to"))
    for rule in rf.utility_splits:
        where = f"rule {rule.id!r} (utility_splits)"
        if rule.category not in cats:
            msg = f"unknown category {rule.category!r}; declared: {sorted(cats)}"
            problems.append(Problem(msg, file, where, "category"))
        problems.extend(
            Problem(
                f"unknown payer {p!r}; declared payers: {sorted(payers)}", file, where, "shares"
            )
            for p in rule.shares
            if p not in payers
        )
    splits = rf.utility_splits
    for i, a in enumerate(splits):
        for b in splits[i + 1 :]:
            if (a.category, a.owner) == (b.category, b.owner) and _overlap(a, b):
                msg = f"overlaps rule {a.id!r}: same category and owner on the same dates"
                problems.append(
                    Problem(msg, file, f"rule {b.id!r} (utility_splits)", "effective_from")
                )
    if problems:
        raise InputError(problems)


def _overlap(a: Rule, b: Rule) -> bool:
    far, near = dt.date.max, dt.date.min
    return (a.effective_from or near) <= (b.effective_to or far) and (b.effective_from or near) <= (
        a.effective_to or far
    )


def _rule_names(raw: object) -> dict[tuple[object, ...], str]:
    names: dict[tuple[object, ...], str] = {}
    if isinstance(raw, dict):
        for section in SECTIONS:
            for i, r in enumerate(raw.get(section) or []):
                rid = r.get("id") if isinstance(r, dict) else None
                names[(section, i)] = f"rule {rid!r} ({section})" if rid else f"{section}[{i}]"
    return names


def read_rule_file(path: str | Path) -> RuleFile:
    """Read and validate one rule file on its own (no inheritance resolved).

    Its ``kind:`` line, when present, must say ``rules``.
    """
    path = Path(path)
    raw = load_kind_yaml(path, "rules")
    if not isinstance(raw, dict):
        raise InputError(Problem("a rule file must be a mapping at top level", path.name))
    try:
        return RuleFile.model_validate(raw)
    except ValidationError as exc:
        raise problems_from_validation(exc, path.name, _rule_names(raw)) from None


def _resolve(path: Path) -> list[tuple[RuleFile, str]]:
    """The chain from the root ancestor down to `path`, each file validated in context."""
    chain: list[tuple[RuleFile, str]] = []
    seen: set[str] = set()
    cur: Path | None = path
    while cur is not None:
        rf = read_rule_file(cur)
        if rf.jurisdiction.key in seen:
            raise InputError(Problem("circular 'extends'", cur.name, field="extends"))
        seen.add(rf.jurisdiction.key)
        chain.append((rf, cur.name))
        if rf.extends is None:
            cur = None
        elif not _KEY.fullmatch(rf.extends):  # a key in the rules folder, never a path
            msg = "extends must name a jurisdiction key such as 'fujian' (letters, digits, _), not a path"
            raise InputError(Problem(msg, chain[-1][1], field="extends"))
        else:
            cur = cur.parent / f"{rf.extends}.yaml"
            if not cur.exists():
                cur = RULES_DIR / f"{rf.extends}.yaml"
            if not cur.exists():
                msg = f"extends unknown jurisdiction {rf.extends!r}"
                raise InputError(Problem(msg, chain[-1][1], field="extends"))
    chain.reverse()
    payers: set[str] = set()
    cats: set[str] = set()
    for rf, name in chain:
        _check(rf, name, payers, cats)
        payers |= set(rf.payers)
        cats |= set(rf.categories)
    return chain


def validate_file(path: str | Path) -> RuleFile:
    """Validate a rule file and its ``extends`` chain; raise :class:`InputError` if broken."""
    return _resolve(Path(path))[-1][0]


@cache
def _chain_cached(path: Path, mtime: float) -> tuple[tuple[RuleFile, str], ...]:
    del mtime  # part of the cache key only: an edited file is read again
    return tuple(_resolve(path))


def chain_for(key: str | Path) -> tuple[tuple[RuleFile, str], ...]:
    """The validated ``extends`` chain of `key` (a bundled key or a YAML path), root first.

    Read once per file version (an edited file is read again).
    """
    path = Path(key) if str(key).endswith((".yaml", ".yml")) else RULES_DIR / f"{key}.yaml"
    if not path.exists():
        msg = f"unknown jurisdiction {str(key)!r}; available: {available()}"
        raise InputError(Problem(msg, field="jurisdiction"))
    return _chain_cached(path.resolve(), path.stat().st_mtime)
