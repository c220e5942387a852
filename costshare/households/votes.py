"""Owners' votes (业主表决): quorum and approval tests, exact, with the margin to pass.

Civil Code Art. 278 (national rule table): a vote counts when owners holding at least
2/3 of the exclusive-part area *and* at least 2/3 of the owners take part; raising the
maintenance fund, rebuilding and changing the use of common parts then need at least 3/4
of the participating area and owners; other matters need *more than* half (过半数, strict).
"以上" includes the boundary (Art. 1259). One exclusive unit counts as one owner and its
registered area is the area (SPC interpretation on building-unit ownership, Art. 8–9).
Local tables add matters as data: Hebei's three 80% gates (``inclusion``, ``plan``,
``acceptance``), Zhuhai's and Chengdu's ``renovation_plan`` (2/3 + 3/4), Hangzhou's elevator.

Areas are turned into integer hundredths of a m² (centiares) and every test compares
integers and :class:`fractions.Fraction` objects, never floats.

>>> import pandas as pd
>>> from costshare import rules
>>> national = rules.load("national", on="2024-01-01")
>>> units = pd.DataFrame({"unit_id": ["101", "102", "201"], "area": [80, 80, 90]})
>>> r = tally(units, {"101": "yes", "102": "yes", "201": "no"}, "ordinary", rules=national)
>>> r.passed, r.quorum_met
(True, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from costshare.errors import InputError, Problem
from costshare.households.tally_rules import (
    MAX_PROBLEMS,
    Check,
    ballot_series,
    check,
    combined,
    m2,
    match_register,
    no_objection,
    normalise_vote,
    read_units,
)
from costshare.rules import RuleSet
from costshare.rules.schema import VoteRule

__all__ = ["Check", "VoteResult", "normalise_vote", "tally"]


@dataclass(frozen=True)
class VoteResult:
    """The outcome of one owners' vote: verdict, each threshold, counts and provenance.

    ``passed`` is ``quorum_met and approved``. Margins of the approval tests count
    votes switched to "yes" with participation as it is (a new voter would also enlarge
    the participating base); margins of the quorum tests count owners who did not take
    part.
    """

    matter: str
    jurisdiction: str
    rule: VoteRule
    checks: tuple[Check, ...]
    owners: int
    area_centiares: int
    counts: dict[str, int]
    areas_centiares: dict[str, int]

    @property
    def quorum_met(self) -> bool:
        """True when every participation test is met (or the rule has none)."""
        return all(c.met for c in self.checks if c.kind == "quorum")

    @property
    def approved(self) -> bool:
        """True when every approval test is met (or the rule has none)."""
        return all(c.met for c in self.checks if c.kind == "approval")

    @property
    def passed(self) -> bool:
        """True when the vote is valid and the matter carried."""
        return self.quorum_met and self.approved

    @property
    def more_participants(self) -> int | None:
        """Fewest more owners who must take part (largest areas first) for the quorum."""
        return combined(c for c in self.checks if c.kind == "quorum")

    @property
    def more_yes(self) -> int | None:
        """Fewest more "yes" votes (largest areas first) for every approval test."""
        return combined(c for c in self.checks if c.kind == "approval")

    @property
    def provenance(self) -> dict[str, str]:
        """The rule applied and where it comes from."""
        r, s = self.rule, self.rule.source
        return {
            "rule": r.id,
            "label": r.label or "",
            "document": s.document,
            "issuer": s.issuer,
            "article": s.article,
            "date": s.date_text,
            "seed": s.seed or "",
            "passage": s.passage or "",
            "confidence": r.confidence,
            "counted_over": r.counted_over,
            "jurisdiction": self.jurisdiction,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per threshold, for display.

        Columns: ``threshold``, ``counted``, ``reached`` (exact fraction as text),
        ``reached_pct`` (rounded, display only), ``bar``, ``met``, ``short_owners``,
        ``short_m2``.
        """
        rows = []
        for c in self.checks:
            unit = "m²" if c.measure == "area" else "owners"
            num, den = (
                (m2(c.numerator), m2(c.denominator))
                if c.measure == "area"
                else (c.numerator, c.denominator)
            )
            rows.append(
                {
                    "threshold": c.name,
                    "counted": f"{num} / {den} {unit}",
                    "reached": "" if c.reached is None else str(c.reached),
                    "reached_pct": None
                    if c.reached is None
                    else round(100 * c.reached.numerator / c.reached.denominator, 2),
                    "bar": c.bar_text,
                    "met": c.met,
                    "short_owners": c.short_owners,
                    "short_m2": c.short_area,
                }
            )
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: verdict, counts, thresholds (fractions as text), source."""
        return {
            "matter": self.matter,
            "passed": self.passed,
            "quorum_met": self.quorum_met,
            "approved": self.approved,
            "owners": self.owners,
            "area_m2": str(m2(self.area_centiares)),
            "counts": dict(self.counts),
            "areas_m2": {k: str(m2(v)) for k, v in self.areas_centiares.items()},
            "more_participants": self.more_participants,
            "more_yes": self.more_yes,
            "checks": [
                {
                    "threshold": c.name,
                    "kind": c.kind,
                    "measure": c.measure,
                    "numerator": c.numerator,
                    "denominator": c.denominator,
                    "reached": None if c.reached is None else str(c.reached),
                    "bar": str(c.bar),
                    "strict": c.strict,
                    "met": c.met,
                    "short_owners": c.short_owners,
                    "short_m2": None if c.short_area is None else str(c.short_area),
                }
                for c in self.checks
            ],
            "rule": self.provenance,
        }

    def summary(self) -> str:
        """One line saying what happened and, if it failed, what is missing."""
        verdict = "PASSED" if self.passed else "FAILED"
        label = self.rule.label or self.rule.id
        text = f"{self.matter}: {verdict} ({label})"
        text += f" [counted over the {c}]" if (c := self.rule.counted_over) != "community" else ""
        if not self.quorum_met:
            n = self.more_participants
            text += "; quorum not met" + (
                f": at least {n} more owner(s) must take part" if n else ""
            )
        elif not self.approved:
            n = self.more_yes
            text += "; not approved" + (f": at least {n} more yes vote(s) needed" if n else "")
        return text


def tally(
    units: pd.DataFrame,
    ballots: Mapping[Any, Any] | pd.Series | pd.DataFrame,
    matter: str,
    *,
    rules: RuleSet,
) -> VoteResult:
    """Count an owners' vote on `matter` under the vote rule of `rules`.

    Parameters
    ----------
    units : DataFrame
        The register: ``unit_id`` and ``area`` (registered exclusive-part area in m²,
        at most two decimals). One unit counts as one owner.
    ballots : mapping, Series or DataFrame
        unit_id -> ``"yes"``, ``"no"`` or ``"abstain"`` (also ``"absent"``; Chinese
        同意 / 反对 / 弃权 are read). A unit without a ballot did not take part. A
        DataFrame needs columns ``unit_id`` and ``vote``.
    matter : str
        ``raise_fund``, ``rebuild``, ``change_use``, ``commercial_use``, ``use_fund``,
        ``ordinary``, ``elevator`` (Art. 278 item 7 read: pass the stairwell's register),
        or a local matter such as Hebei's ``inclusion`` / ``plan`` / ``acceptance``.
    rules : RuleSet
        The jurisdiction's rules in force on the day of the vote (the caller loads
        them); the most local rule for the matter wins.

    Returns
    -------
    VoteResult
        ``.passed``, ``.quorum_met``, ``.approved``, ``.checks`` (one :class:`Check`
        per threshold with the fraction reached, the bar and the margin), ``.to_frame()``
        and ``.provenance``.

    Raises
    ------
    InputError
        Missing columns, bad or duplicate units, ballots for unknown units, unknown
        ballot values, or a matter the jurisdiction has no rule for.

    Notes
    -----
    Abstentions take part (they count in the participating base) but are not "yes".
    With ``approve_of: all`` (Hebei) the approval base is every unit. Margins are exact:
    for an area bar q on base B with `have` counted, the shortfall is
    ``ceil(q·B) − have`` (at least) or ``floor(q·B) + 1 − have`` (more than), in
    0.01 m².

    References
    ----------
    Civil Code Art. 278, 1259; SPC interpretation on building-unit ownership Art. 8–9;
    seed 002 line 55 (Zhuhai, Chengdu) and line 60 (Hebei).

    Examples
    --------
    Six equal units, four take part, three vote yes: 4/6 meets the 2/3 quorum exactly,
    and 3/4 of the participants meets the 3/4 bar for raising the fund.

    >>> from costshare import rules
    >>> national = rules.load("national", on="2024-01-01")
    >>> units = pd.DataFrame({"unit_id": list("ABCDEF"), "area": [50] * 6})
    >>> r = tally(units, {"A": "yes", "B": "yes", "C": "yes", "D": "no"}, "raise_fund",
    ...           rules=national)
    >>> r.passed
    True
    >>> [(c.name, str(c.reached), c.met) for c in r.checks][:2]
    [('quorum_area', '2/3', True), ('quorum_owners', '2/3', True)]

    For an ordinary matter 过半数 is strict: two yes out of four is not enough.

    >>> r = tally(units, {"A": "yes", "B": "yes", "C": "no", "D": "abstain"}, "ordinary",
    ...           rules=national)
    >>> r.passed, r.more_yes
    (False, 1)
    """
    rs = rules
    try:
        rule = rs.vote_rule(matter)
    except KeyError as exc:
        raise InputError(Problem(exc.args[0], field="matter")) from None
    ids, area = read_units(units)
    series, problems = ballot_series(ballots)
    series = match_register(series, ids)  # 1号楼-1单元-101 is the register's 1-1-101
    unknown = series.index.difference(ids, sort=False)
    if len(unknown):
        shown = list(unknown[:MAX_PROBLEMS])
        problems.append(
            Problem(
                f"ballot(s) for {len(unknown)} unit(s) not in the register: {shown}",
                "ballots",
                field="unit_id",
            )
        )
    votes = normalise_vote(series)
    bad = votes[votes == "?"]
    problems.extend(
        Problem(
            f"unknown vote {series[u]!r}; use yes, no, abstain or absent",
            "ballots",
            f"unit {u!r}",
            "vote",
        )
        for u in bad.index[:MAX_PROBLEMS]
    )
    if problems:
        raise InputError(problems[:MAX_PROBLEMS], more=max(0, len(problems) - MAX_PROBLEMS))

    vote = votes.reindex(ids).to_numpy(dtype=object)
    yes = vote == "yes"
    no = vote == "no"
    abstain = vote == "abstain"
    took_part = yes | no | abstain
    n_all, a_all = len(ids), int(area.sum())
    n_p, a_p = int(took_part.sum()), int(area[took_part].sum())
    n_y, a_y = int(yes.sum()), int(area[yes].sum())

    checks = []
    absent_area = area[~took_part]
    for name in ("quorum_area", "quorum_owners"):
        bar = getattr(rule, name)
        if bar is not None:
            num, den = (a_p, a_all) if name.endswith("area") else (n_p, n_all)
            checks.append(check(name, bar, num, den, strict=False, candidates=absent_area))
    of_all = rule.approve_of == "all"
    switchable = area[~yes] if of_all else area[took_part & ~yes]
    for name in ("approve_area", "approve_owners"):
        bar = getattr(rule, name)
        if bar is not None:
            if name.endswith("area"):
                num, den = a_y, (a_all if of_all else a_p)
            else:
                num, den = n_y, (n_all if of_all else n_p)
            checks.append(check(name, bar, num, den, strict=rule.strict, candidates=switchable))
    checks += [no_objection(int(no.sum()), n_p)] if rule.no_objection else []  # hangzhou.yaml

    return VoteResult(
        matter=matter,
        jurisdiction=rs.key,
        rule=rule,
        checks=tuple(checks),
        owners=n_all,
        area_centiares=a_all,
        counts={
            "yes": n_y,
            "no": int(no.sum()),
            "abstain": int(abstain.sum()),
            "absent": n_all - n_p,
        },
        areas_centiares={
            "yes": a_y,
            "no": int(area[no].sum()),
            "abstain": int(area[abstain].sum()),
            "absent": a_all - a_p,
        },
    )
