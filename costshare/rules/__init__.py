"""Rule tables as data: one YAML file per jurisdiction, validated, dated and sourced.

A rule's value may have a dated history (``values:`` keyed by date, each with its own
source; see :mod:`costshare.rules.schema`). :func:`load` resolves a jurisdiction for one
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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costshare import i18n
from costshare.errors import InputError, Problem
from costshare.rules._read import RULES_DIR, available, chain_for, read_rule_file, validate_file
from costshare.rules.citation import cite, value_text
from costshare.rules.schema import (
    SECTIONS,
    BasisRule,
    ElevatorSubsidy,
    FloorRule,
    Parameter,
    Rule,
    UtilitySplit,
    VoteRule,
    parse_day,
)

if TYPE_CHECKING:  # pandas loads when a table is asked for, not at import
    import pandas as pd

__all__ = [
    "RULES_DIR",
    "RuleSet",
    "available",
    "cite",
    "history",
    "load",
    "read_rule_file",
    "validate_file",
]


class _ReadParameters(dict[str, Parameter]):
    """The parameters of a RuleSet; each one looked up is noted in the set's ``reads``."""

    def __init__(self, data: dict[str, Parameter], reads: set[str]) -> None:
        super().__init__(data)
        self.reads = reads

    def __getitem__(self, pid: str) -> Parameter:
        value = super().__getitem__(pid)
        self.reads.add(value.id)
        return value

    def get(self, pid: str, default: Any = None) -> Any:  # type: ignore[override]
        value = super().get(pid, default)
        if isinstance(value, Parameter):
            self.reads.add(value.id)
        return value

    def __reduce__(self) -> Any:
        return (_ReadParameters, (dict(self), self.reads))


@dataclass(frozen=True)
class RuleSet:
    """The rules of one jurisdiction in force on one date, inheritance resolved.

    Later files in the ``extends`` chain override earlier ones rule by rule (same id,
    or for utility splits the same category and owner).

    ``reads`` collects the id of every rule an engine looked up (:meth:`param`,
    ``parameters[...]``/``.get``, :meth:`split_for`, :meth:`vote_rule`,
    :meth:`basis_rule`): the audit appendix (:mod:`costshare.report.audit`) lists them.
    :meth:`fresh` gives the same rules with an empty ``reads``.
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
    reads: set[str] = field(default_factory=set, compare=False, repr=False)

    def __post_init__(self) -> None:
        params = _ReadParameters(dict(self.parameters), self.reads)
        object.__setattr__(self, "parameters", params)

    def fresh(self) -> RuleSet:
        """The same rules with nothing read yet (to audit one run).

        Examples
        --------
        >>> rs = load("ningbo", on="2024-06-01")
        >>> _ = rs.param("fund.subsidy_ratio")
        >>> sorted(rs.reads), sorted(rs.fresh().reads)
        (['fund.subsidy_ratio'], [])
        """
        return replace(self, reads=set())

    def read(self, rule: Rule) -> None:
        """Note that `rule` was used (for an engine that picks a rule by itself)."""
        self.reads.add(rule.id)

    def split_for(self, category: str, owner: str | None = None) -> UtilitySplit | None:
        """The split for `category` and `owner` (exact owner first, then ``any``)."""
        owner = owner or "any"
        for want in (owner, "any"):
            for rule in self.utility_splits:
                if rule.category == category and rule.owner == want:
                    self.reads.add(rule.id)
                    return rule
        return None

    def param(self, pid: str) -> Parameter:
        """A parameter by id; :class:`KeyError` names what is available."""
        try:
            return self.parameters[pid]  # noted in reads
        except KeyError:
            msg = f"{self.key} has no parameter {pid!r} on {self.on}; it has {sorted(self.parameters)}"
            raise KeyError(msg) from None

    def vote_rule(self, matter: str) -> VoteRule:
        """The vote rule for `matter` (the most local jurisdiction's wins)."""
        for rule in self.vote_rules:
            if matter in rule.matters:
                self.reads.add(rule.id)
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
                self.reads.add(rule.id)
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

    def describe(self, rule: Rule, lang: i18n.Lang | None = None) -> dict[str, object]:
        """One rule as a provenance row: what it says, its source, article, date, confidence.

        The one place a rule becomes a row; exports that cite a rule use this. With
        `lang` ("zh" or "en") the value is worded in that language (for a page); without
        it, as the exports have always written it.

        Examples
        --------
        >>> rs = load("national", on="2024-01-01")
        >>> row = rs.describe(rs.basis_rule("area"))
        >>> row["rule"], row["value"], row["article"], row["effective_from"]
        ('civil_code.art283', '按专有部分面积', '第二百八十三条', '2021-01-01')
        >>> rs.describe(rs.basis_rule("area"), "zh")["value"]
        '按专有部分面积'
        """
        return _describe(rule, self, lang)

    def provenance(self) -> pd.DataFrame:
        """One row per rule in force (see :meth:`describe`), each with its applicable source."""
        import pandas as pd

        rows = [_describe(r, self) for r in self.all_rules()]
        return pd.DataFrame(rows)


def _value_text(rule: Rule, rs: RuleSet, lang: i18n.Lang | None = None) -> str:
    # one wording of a rule value: costshare.rules.citation.value_text (Chinese by default, as i18n)
    return value_text(rule, rs.payers, lang or "zh")


def _describe(rule: Rule, rs: RuleSet, lang: i18n.Lang | None = None) -> dict[str, object]:
    what = getattr(rule, "category", None) or getattr(rule, "city", None) or ""
    if isinstance(rule, UtilitySplit) and lang is not None:
        owner = i18n.label("owner", rule.owner, lang, i18n.label("payer", rule.owner, lang))
        owner = f"（{owner}）" if lang == "zh" else f" ({owner})"
        what = i18n.label("category", rule.category, lang) + owner
    elif isinstance(rule, UtilitySplit):
        what = f"{rs.categories.get(rule.category, rule.category)} / owner {rule.owner}"
    elif isinstance(rule, VoteRule):
        what = ", ".join(rule.matters)
    return {
        "rule": rule.id,
        "kind": type(rule).__name__,
        "applies_to": rule.label or what,
        "value": _value_text(rule, rs, lang),
        "document": rule.source.document,
        "issuer": rule.source.issuer,
        "article": rule.source.article,
        "date": rule.source.date_text,
        "seed": rule.source.seed or "",
        "confidence": rule.confidence,
        "reason": rule.reason or "",
        "effective_from": rule.effective_from.isoformat() if rule.effective_from else "undated",
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
    chain = chain_for(key)
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


def history(key: str | Path, rule_id: str) -> pd.DataFrame:
    """Every dated version of rule `rule_id` along `key`'s ``extends`` chain, oldest first.

    One row per version (see :meth:`RuleSet.describe`) plus ``file``: the national value and
    a local override both appear, each with its own period and source.

    Examples
    --------
    >>> h = history("ningbo", "fund.subsidy_ratio")
    >>> h[["file", "value", "effective_from", "effective_to"]].to_dict("records")
    [{'file': 'ningbo.yaml', 'value': '50%', 'effective_from': 'undated', 'effective_to': ''}]
    """
    rows = []
    for rf, name in chain_for(key):
        for section in SECTIONS:
            for rule in getattr(rf, section):
                if rule.id != rule_id:
                    continue
                versions = rule.history() if hasattr(rule, "history") else (rule,)
                rs = load(key, versions[0].effective_from or dt.date.min)
                rows += [{"file": name, **rs.describe(v)} for v in versions]
    if not rows:
        msg = f"no rule {rule_id!r} in {str(key)!r} or the files it extends"
        raise InputError(Problem(msg, field="rule"))
    import pandas as pd

    return pd.DataFrame(rows)
