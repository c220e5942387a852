"""Residents' consent as plan gates: vote counts per community checked against the rules.

A jurisdiction's vote rules (``vote_rules`` in ``costshare/rules/*.yaml``) say what share
of owners and area must take part and agree on a matter — Beijing's consensus before
inclusion (seed 002 line 19), Hebei's 3 × 80 % (line 60), Yichang's 100 % (line 50),
Zhuhai/Chengdu's 2/3 + 3/4 for the plan (line 55), Changping's double 80 % (line 102).
:func:`consent_table` checks every community's counts against the rule of each matter
(exact fractions) and names each threshold it misses; :func:`gate_candidates` turns the
result into plan :class:`~costshare.community.plan_criteria.Gate` s so that
:func:`~costshare.community.plan.score` marks a candidate without consent ineligible and
says which gate it fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import pandas as pd

from costshare.community.plan_criteria import Criteria, Gate
from costshare.community.plan_score import candidate_columns
from costshare.errors import InputError, Problem
from costshare.rules import RuleSet

__all__ = ["COUNT_COLUMNS", "consent_table", "gate_candidates"]

COUNT_COLUMNS = ("community_id", "matter", "owners", "took_part", "yes")
"""Required columns of a vote-count file (owners = every owner of the community)."""
_AREA = ("area_m2", "area_took_part", "area_yes")
_TEST_NAMES = {
    "quorum_owners": "参与人数",
    "quorum_area": "参与面积",
    "approve_owners": "同意人数",
    "approve_area": "同意面积",
}


def _frac(v: object, file: str, row: int, col: str) -> Fraction:
    try:
        x = Fraction(str(v))
    except (ValueError, ZeroDivisionError):
        raise InputError(Problem(f"not a number: {col}", file, f"row {row}", col)) from None
    if x < 0:
        raise InputError(Problem(f"{col} is negative", file, f"row {row}", col))
    return x


def _tests(rule, r: dict[str, Fraction]) -> list[tuple[str, Fraction | None, Fraction, bool]]:
    """(test, reached, bar, strict) of each threshold the rule sets."""
    out = []
    of_all = rule.approve_of == "all"
    pairs = {
        "quorum_owners": (r["took_part"], r["owners"]),
        "quorum_area": (r.get("area_took_part"), r.get("area_m2")),
        "approve_owners": (r["yes"], r["owners"] if of_all else r["took_part"]),
        "approve_area": (
            r.get("area_yes"),
            r.get("area_m2") if of_all else r.get("area_took_part"),
        ),
    }
    for name, (num, den) in pairs.items():
        bar = getattr(rule, name)
        if bar is None:
            continue
        reached = None if num is None or not den else Fraction(num) / Fraction(den)
        out.append((name, reached, Fraction(bar), rule.strict and name.startswith("approve")))
    return out


def consent_table(
    counts: pd.DataFrame, rules: RuleSet, matters: Sequence[str], file: str = "votes"
) -> pd.DataFrame:
    """Check each community's vote counts on each matter against the jurisdiction's rule.

    Parameters
    ----------
    counts : DataFrame
        One row per community and matter: ``community_id, matter, owners, took_part, yes``
        and, where the rule tests area, ``area_m2, area_took_part, area_yes``.
    rules : RuleSet
        The jurisdiction's rules in force (loaded by the caller).
    matters : sequence of str
        The matters that gate the plan (e.g. ``["inclusion"]`` or ``["renovation_plan"]``).
    file : str
        Name used in error messages.

    Returns
    -------
    DataFrame
        ``community_id, matter, rule, passed, failed`` (the missed thresholds as text,
        e.g. ``同意人数 9/10 < 1``; ``无表决记录`` when a community has no row), ``seed``.

    Examples
    --------
    >>> from costshare import rules
    >>> rs = rules.load("yichang", on="2024-06-30")
    >>> c = pd.DataFrame({"community_id": ["A", "B"], "matter": ["renovation_plan"] * 2,
    ...                   "owners": [10, 10], "took_part": [10, 10], "yes": [10, 9]})
    >>> consent_table(c, rs, ["renovation_plan"])[["community_id", "passed", "failed"]].values.tolist()
    [['A', True, ''], ['B', False, '同意人数 9/10 < 1']]
    """
    missing = [c for c in COUNT_COLUMNS if c not in counts.columns]
    if missing:
        raise InputError(Problem(f"missing column(s) {missing}", file))
    by_key: dict[tuple[str, str], dict[str, Fraction]] = {}
    for i, row in enumerate(counts.to_dict("records"), start=2):
        key = (str(row["community_id"]), str(row["matter"]))
        if key in by_key:
            msg = f"community {key[0]!r} has two rows for matter {key[1]!r}"
            raise InputError(Problem(msg, file, f"row {i}", "matter"))
        vals = {}
        for col in (*COUNT_COLUMNS[2:], *_AREA):
            if col in row and not pd.isna(row[col]):
                vals[col] = _frac(row[col], file, i, col)
        by_key[key] = vals
    ids = list(dict.fromkeys(str(x) for x in counts["community_id"]))
    rows = []
    for matter in matters:
        try:
            rule = rules.vote_rule(matter)
        except KeyError as exc:
            raise InputError(Problem(exc.args[0], file, field="matter")) from None
        for cid in ids:
            r = by_key.get((cid, matter))
            if r is None:
                rows.append((cid, matter, rule.id, False, "无表决记录 no vote", rule.source.seed))
                continue
            fails = []
            for name, reached, bar, strict in _tests(rule, r):
                if reached is None:
                    fails.append(f"{_TEST_NAMES[name]} 未给出 (give {name.split('_')[1]} counts)")
                elif not (reached > bar if strict else reached >= bar):
                    fails.append(f"{_TEST_NAMES[name]} {reached} {'≤' if strict else '<'} {bar}")
            rows.append((cid, matter, rule.id, not fails, "; ".join(fails), rule.source.seed))
    cols = ["community_id", "matter", "rule", "passed", "failed", "seed"]
    return pd.DataFrame(rows, columns=cols)


def gate_candidates(
    candidates: pd.DataFrame, consent: pd.DataFrame, criteria: Criteria, rules: RuleSet
) -> tuple[pd.DataFrame, Criteria]:
    """The candidates with a 1/0 ``consent_<matter>`` column each, and the sheet's gates.

    A candidate with no vote row on a matter gets 0 (it fails the gate). The gate's label
    is the rule's own label and its failure reason from :func:`consent_table`.

    Examples
    --------
    >>> from costshare import rules
    >>> from costshare.community.plan import load_criteria
    >>> rs = rules.load("hebei", on="2024-06-30")
    >>> c = pd.DataFrame({"community_id": ["A"], "matter": ["inclusion"], "owners": [10],
    ...                   "took_part": [9], "yes": [8]})
    >>> cands, crit = gate_candidates(pd.DataFrame({"community_id": ["A", "B"]}),
    ...     consent_table(c, rs, ["inclusion"]), load_criteria(), rs)
    >>> cands["consent_inclusion"].tolist(), [g.id for g in crit.gates]
    ([1, 0], ['consent_inclusion'])
    """
    out = candidate_columns(candidates)
    if "community_id" not in out.columns:
        raise InputError(Problem("missing column community_id (小区编号)", "candidates"))
    gates = list(criteria.gates)
    ids = out["community_id"].astype(str)
    for matter, part in consent.groupby("matter", sort=False):
        rule = rules.vote_rule(str(matter))
        ok = dict(zip(part["community_id"].astype(str), part["passed"], strict=True))
        col = f"consent_{matter}"
        out[col] = [int(bool(ok.get(i, False))) for i in ids]
        passage = rule.source.passage or ""
        gates.append(Gate(id=col, label=f"{rule.label}（{rule.id}）", column=col, min=1,
                          passage=passage or None))  # fmt: skip
    return out, criteria.model_copy(update={"gates": gates})
