"""Rule tables as data: one YAML file per jurisdiction, validated, dated and sourced.

A rule's value may have a dated history (``values:`` keyed by date, each with its own
source; see :mod:`costshare.rules._schema`). :func:`load` resolves a jurisdiction for one
day into a :class:`RuleSet`: the values in force that day, each with the source that
applies. Shells (the CLI, the app, ``Scenario.run``) call :func:`load` with the scenario's
date; engines receive the resolved :class:`RuleSet` and never load rules themselves.

>>> from costshare import rules
>>> "fujian" in rules.available()
True
>>> rs = rules.load("fujian", on="2024-01-01")
>>> rs.split_for("telecom_cabling").shares["telecom_operators"]
Decimal('0.65')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from costshare._base import problems_from_validation
from costshare._yaml import load_kind_yaml
from costshare.errors import InputError, Problem
from costshare.rules._schema import (
    SECTIONS,
    BasisRule,
    ElevatorSubsidy,
    FloorRule,
    Parameter,
    Rule,
    RuleFile,
    UtilitySplit,
    VoteRule,
    parse_day,
)

__all__ = ["RULES_DIR", "RuleSet", "available", "load", "read_rule_file", "validate_file"]

RULES_DIR = Path(__file__).parent


def available() -> list[str]:
    """Keys of the bundled jurisdictions, sorted.

    Examples
    --------
    >>> available()[:3]
    ['beijing', 'chengdu', 'fujian']
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
            if rule.effective_to is not None and rule.effective_to < rule.effective_from:
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
    far = dt.date.max
    return a.effective_from <= (b.effective_to or far) and b.effective_from <= (
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


@dataclass(frozen=True)
class RuleSet:
    """The rules of one jurisdiction in force on one date, inheritance resolved.

    Later files in the ``extends`` chain override earlier ones rule by rule (same id,
    or for utility splits the same category and owner).
    """

    key: str
    name: str
    code: str
    on: dt.date
    chain: tuple[str, ...]
    payers: dict[str, str]
    categories: dict[str, str]
    utility_categories: frozenset[str]
    utility_splits: tuple[UtilitySplit, ...]
    parameters: dict[str, Parameter]
    vote_rules: tuple[VoteRule, ...]
    elevator_subsidies: tuple[ElevatorSubsidy, ...]
    floor_rules: tuple[FloorRule, ...]
    jurisdictions: dict[str, str] = field(default_factory=dict)
    sharing_bases: tuple[BasisRule, ...] = ()

    def split_for(self, category: str, owner: str | None = None) -> UtilitySplit | None:
        """The split for `category` and `owner` (exact owner first, then ``any``)."""
        owner = owner or "any"
        for want in (owner, "any"):
            for rule in self.utility_splits:
                if rule.category == category and rule.owner == want:
                    return rule
        return None

    def param(self, pid: str) -> Parameter:
        """A parameter by id; :class:`KeyError` names what is available."""
        try:
            return self.parameters[pid]
        except KeyError:
            msg = f"{self.key} has no parameter {pid!r} on {self.on}; it has {sorted(self.parameters)}"
            raise KeyError(msg) from None

    def vote_rule(self, matter: str) -> VoteRule:
        """The vote rule for `matter` (the most local jurisdiction's wins)."""
        for rule in self.vote_rules:
            if matter in rule.matters:
                return rule
        known = sorted({m for r in self.vote_rules for m in r.matters})
        msg = f"no vote rule for matter {matter!r} in {self.key}; known matters: {known}"
        raise KeyError(msg)

    def basis_rule(self, basis: str = "area") -> BasisRule:
        """The rule that makes `basis` the default way to share a cost (Civil Code Art. 283).

        Examples
        --------
        >>> load("national", on="2024-01-01").basis_rule("area").source.article
        '第二百八十三条'
        """
        for rule in self.sharing_bases:
            if rule.basis == basis:
                return rule
        known = sorted(r.basis for r in self.sharing_bases)
        msg = f"no sharing-basis rule for {basis!r} in {self.key} on {self.on}; known: {known}"
        raise KeyError(msg)

    def all_rules(self) -> list[Rule]:
        """Every rule in force, in section order."""
        return [
            *self.utility_splits,
            *self.parameters.values(),
            *self.vote_rules,
            *self.elevator_subsidies,
            *self.floor_rules,
            *self.sharing_bases,
        ]

    def provenance(self) -> pd.DataFrame:
        """One row per rule: what it says, its source, article, date and confidence."""
        rows = [_describe(r, self) for r in self.all_rules()]
        return pd.DataFrame(rows)


def _value_text(rule: Rule, rs: RuleSet) -> str:
    if isinstance(rule, UtilitySplit):
        return ", ".join(f"{rs.payers.get(p, p)} {s}" for p, s in rule.shares.items())
    if isinstance(rule, Parameter):
        return f"{rule.value} {rule.unit}" + (" (assumed)" if rule.assumed else "")
    if isinstance(rule, VoteRule):
        parts = [
            f"{k} {'>' if rule.strict and k.startswith('approve') else '≥'} {v}"
            for k in ("quorum_area", "quorum_owners", "approve_area", "approve_owners")
            if (v := getattr(rule, k)) is not None
        ]
        return "; ".join(parts)
    if isinstance(rule, ElevatorSubsidy):
        if rule.per_elevator is not None:
            return f"{rule.per_elevator} yuan per elevator"
        return f"{rule.cost_ratio} of cost, cap {rule.cap} yuan"
    if isinstance(rule, FloorRule):
        return f"{rule.style}: " + ", ".join(f"{f}F {v}" for f, v in sorted(rule.values.items()))
    if isinstance(rule, BasisRule):
        return f"basis {rule.basis}"
    return ""


def _describe(rule: Rule, rs: RuleSet) -> dict[str, object]:
    what = getattr(rule, "category", None) or getattr(rule, "city", None) or ""
    if isinstance(rule, UtilitySplit):
        what = f"{rs.categories.get(rule.category, rule.category)} / owner {rule.owner}"
    elif isinstance(rule, VoteRule):
        what = ", ".join(rule.matters)
    return {
        "rule": rule.id,
        "kind": type(rule).__name__,
        "applies_to": rule.label or what,
        "value": _value_text(rule, rs),
        "document": rule.source.document,
        "issuer": rule.source.issuer,
        "article": rule.source.article,
        "date": rule.source.date.isoformat(),
        "seed": rule.source.seed or "",
        "confidence": rule.confidence,
        "effective_from": rule.effective_from.isoformat(),
        "effective_to": rule.effective_to.isoformat() if rule.effective_to else "",
    }


def _key(rule: Rule) -> object:
    return (rule.category, rule.owner) if isinstance(rule, UtilitySplit) else rule.id


def _as_date(on: dt.date | str | None) -> dt.date:
    if on is None:
        return dt.date.today()  # backward compatibility: shells should pass the date
    if isinstance(on, dt.datetime):
        return on.date()
    try:
        return parse_day(on)
    except ValueError:
        raise InputError(Problem(f"not a date (want YYYY-MM-DD): {on!r}", field="on")) from None


@cache
def _chain_for(path: Path, mtime: float) -> tuple[tuple[RuleFile, str], ...]:
    del mtime  # part of the cache key only: an edited file is read again
    return tuple(_resolve(path))


def load(key: str | Path, on: dt.date | str | None = None) -> RuleSet:
    """Load a jurisdiction's rules in force on `on`: each value with the source that applies.

    Only shells call this (the CLI, the app, ``Scenario.run``), with the scenario's date;
    engines receive the resolved :class:`RuleSet`.

    Parameters
    ----------
    key : str or path
        A bundled key from :func:`available` (``"fujian"``), or a path to a YAML file.
    on : date or ISO string, optional
        The date the rules must be in force on. ``None`` means today; it is kept for
        backward compatibility and for interactive use, where "the rules now" is meant.

    Returns
    -------
    RuleSet

    Raises
    ------
    InputError
        Unknown key, or a broken file (the message names file, rule and field).

    Examples
    --------
    >>> rs = load("ningbo", on="2024-06-01")
    >>> rs.param("fund.subsidy_ratio").value
    Decimal('0.5')
    >>> rs.chain
    ('national', 'ningbo')
    """
    day = _as_date(on)
    path = Path(key) if str(key).endswith((".yaml", ".yml")) else RULES_DIR / f"{key}.yaml"
    if not path.exists():
        msg = f"unknown jurisdiction {str(key)!r}; available: {available()}"
        raise InputError(Problem(msg, field="jurisdiction"))
    chain = _chain_for(path.resolve(), path.stat().st_mtime)
    payers: dict[str, str] = {}
    cats: dict[str, str] = {}
    ucats: set[str] = set()
    sections: dict[str, dict[object, Rule]] = {s: {} for s in SECTIONS}
    for rf, _ in chain:
        payers |= rf.payers
        cats |= rf.categories
        ucats |= set(rf.utility_categories)
        for section in SECTIONS:
            now = (r.at(day) for r in getattr(rf, section))
            local = {_key(r): r for r in now if r is not None}
            # the more local file overrides by key and its rules are looked at first
            sections[section] = local | {
                k: r for k, r in sections[section].items() if k not in local
            }
    top = chain[-1][0].jurisdiction
    return RuleSet(
        key=top.key,
        name=top.name,
        code=top.code,
        on=day,
        chain=tuple(rf.jurisdiction.key for rf, _ in chain),
        payers=payers,
        categories=cats,
        utility_categories=frozenset(ucats),
        utility_splits=tuple(sections["utility_splits"].values()),  # type: ignore[arg-type]
        parameters={r.id: r for r in sections["parameters"].values()},  # type: ignore[misc]
        vote_rules=tuple(sections["vote_rules"].values()),  # type: ignore[arg-type]
        elevator_subsidies=tuple(sections["elevator_subsidies"].values()),  # type: ignore[arg-type]
        floor_rules=tuple(sections["floor_rules"].values()),  # type: ignore[arg-type]
        sharing_bases=tuple(sections["sharing_bases"].values()),  # type: ignore[arg-type]
        jurisdictions={rf.jurisdiction.key: rf.jurisdiction.name for rf, _ in chain},
    )
