"""Residents' evaluation after renovation: a satisfaction survey tallied, an acceptance gate.

Hebei lets the completion acceptance go ahead only when 80 % of residents are satisfied
(seed 002_8a0447c565a51b86.txt line 60, rule ``hebei.acceptance``); Beijing's guide asks
for a "renovation–evaluation–improvement" loop judged on facility use and residents'
satisfaction (seed 001_943ffc00bb33d354.txt line 76); Jiangsu asks how well it went
(问效于民, seed 000 line 123). :func:`evaluate` tallies a survey (one row per household:
an overall answer and any number of item answers, each on the five-level scale
非常满意 … 非常不满意 or 1–5) per item, per building and overall, and applies the
jurisdiction's ``acceptance`` vote rule to the overall answers.

Which answers count as "satisfied" no seed defines: by default 基本满意 (3) and above
(``satisfied_from=3``), an assumption the report marks A.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd

from costshare.errors import InputError, Problem
from costshare.rules import RuleSet

__all__ = ["LEVELS", "Evaluation", "evaluate", "read_answers"]

LEVELS = {"非常满意": 5, "满意": 4, "基本满意": 3, "比较满意": 3, "不满意": 2, "非常不满意": 1}
"""Answer words and their level (5 best); numbers 1–5 are read as they are."""
_ID = ("unit_id", "房号", "户号")
_BUILDING = ("building", "楼栋", "楼号")
_OVERALL = ("overall", "总体满意度", "总体评价", "总体")
SATISFIED_NOTE = (
    "A: no seed defines which answers count as satisfied; 'fairly satisfied' (level 3) and above "
    "are counted unless --satisfied-from says otherwise"
)
SATISFIED_NOTE_ZH = (
    "A：资料未规定哪些回答算作满意；除非用 --satisfied-from 另行指定，"
    "“基本满意”（第 3 级）及以上计为满意"
)


def _find(df: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    return next((c for c in df.columns if str(c).strip() in names), None)


def read_answers(values: pd.Series, file: str, column: str) -> pd.Series:
    """Answers as levels 1–5 (NaN where blank); unknown words are errors naming the row.

    Examples
    --------
    >>> read_answers(pd.Series(["满意", 2, None]), "s.csv", "roof").tolist()
    [4.0, 2.0, nan]
    """
    out = []
    for i, v in enumerate(values, start=2):
        if v is None or (isinstance(v, float) and pd.isna(v)) or str(v).strip() == "":
            out.append(float("nan"))
            continue
        t = str(v).strip()
        if t in LEVELS:
            out.append(float(LEVELS[t]))
            continue
        try:
            x = float(t)
        except ValueError:
            x = 0.0
        if x not in (1, 2, 3, 4, 5):
            msg = f"unknown answer; use 1–5 or {', '.join(LEVELS)}"
            raise InputError(Problem(msg, file, f"row {i}", column))
        out.append(x)
    return pd.Series(out, index=values.index, dtype=float)


@dataclass(frozen=True)
class Evaluation:
    """The survey's tallies and the acceptance gate."""

    items: pd.DataFrame  # item, answered, satisfied, rate, mean_level
    buildings: pd.DataFrame  # building, households_answered, satisfied, rate
    households: int
    answered: int
    satisfied: int
    rule: str
    bar: Fraction
    base: int
    passed: bool
    notes: list[str] = field(default_factory=list)
    notes_zh: list[str] = field(default_factory=list)  # the same notes in Chinese

    def notes_in(self, lang: str = "zh") -> list[str]:
        """The notes in `lang`: :attr:`notes_zh` in Chinese, :attr:`notes` in English."""
        return self.notes if lang == "en" else (self.notes_zh or self.notes)

    @property
    def rate(self) -> Fraction:
        """Satisfied overall answers over the rule's base (all households or respondents)."""
        return Fraction(self.satisfied, self.base) if self.base else Fraction(0)

    def summary(self) -> str:
        """One line: the rate against the bar and whether acceptance may go ahead."""
        verdict = "may proceed" if self.passed else "may NOT proceed"
        return (
            f"{self.satisfied} of {self.base} households satisfied ({float(self.rate):.1%}); "
            f"acceptance bar {self.bar} ({self.rule}): acceptance {verdict}"
        )

    def short_by(self) -> int:
        """How many more satisfied households the bar needs (0 when passed)."""
        need = -(-self.bar.numerator * self.base // self.bar.denominator)
        return max(0, need - self.satisfied)


def evaluate(
    survey: pd.DataFrame,
    rules: RuleSet,
    *,
    households: int | None = None,
    satisfied_from: int = 3,
    file: str = "survey",
) -> Evaluation:
    """Tally a satisfaction survey and apply the jurisdiction's acceptance rule.

    Parameters
    ----------
    survey : DataFrame
        One row per responding household: ``unit_id`` (房号), optional ``building``
        (楼栋), ``overall`` (总体满意度) and one column per evaluated item.
    rules : RuleSet
        Rules in force; its vote rule for matter ``acceptance`` is the gate.
    households : int, optional
        Households in the community (the base when the rule counts over all of them;
        default: the respondents).
    satisfied_from : int
        The lowest level counted as satisfied (assumption, default 3 = 基本满意).

    Examples
    --------
    >>> from costshare import rules
    >>> s = pd.DataFrame({"unit_id": list("ABCDE"), "overall": ["满意"] * 4 + ["不满意"],
    ...                   "屋面": [5, 4, 3, 2, None]})
    >>> e = evaluate(s, rules.load("hebei", on="2024-06-30"), households=5)
    >>> e.satisfied, e.base, e.passed, e.items["rate"].tolist()
    (4, 5, True, ['4/5', '3/4'])
    """
    uid = _find(survey, _ID)
    overall = _find(survey, _OVERALL)
    if uid is None or overall is None:
        miss = "unit_id (房号)" if uid is None else "overall (总体满意度)"
        raise InputError(Problem(f"missing column {miss}", file))
    if survey[uid].duplicated().any():
        raise InputError(Problem("a household answers twice", file, field=str(uid)))
    bld = _find(survey, _BUILDING)
    rule = rules.vote_rule("acceptance") if _has(rules, "acceptance") else None
    if rule is None:
        msg = f"{rules.key} has no acceptance rule; try --jurisdiction hebei"
        raise InputError(Problem(msg, file, field="jurisdiction"))
    item_cols = [c for c in survey.columns if c not in (uid, overall, bld)]
    levels = {c: read_answers(survey[c], file, str(c)) for c in [overall, *item_cols]}
    rows = []
    for c in [overall, *item_cols]:
        x = levels[c].dropna()
        sat = int((x >= satisfied_from).sum())
        rows.append((str(c), len(x), sat, str(Fraction(sat, len(x))) if len(x) else "",
                     round(float(x.mean()), 2) if len(x) else None))  # fmt: skip
    items = pd.DataFrame(rows, columns=["item", "answered", "satisfied", "rate", "mean_level"])
    ov = levels[overall]
    answered, satisfied = int(ov.notna().sum()), int((ov >= satisfied_from).sum())
    hh = households if households is not None else len(survey)
    if hh < len(survey):
        msg = f"{len(survey)} households answered but the community has {hh}"
        raise InputError(Problem(msg, file, field="households"))
    b = pd.DataFrame({"building": survey[bld].astype(str) if bld else "(all)", "s": ov})
    buildings = (
        b.assign(answered=b["s"].notna(), satisfied=b["s"] >= satisfied_from)
        .groupby("building", sort=False)[["answered", "satisfied"]]
        .sum()
        .reset_index()
    )
    buildings["rate"] = [str(Fraction(int(s), int(a))) if a else ""
                         for s, a in zip(buildings["satisfied"], buildings["answered"], strict=True)]  # fmt: skip
    base = hh if rule.approve_of == "all" else answered
    bar = Fraction(rule.approve_owners) if rule.approve_owners is not None else Fraction(1, 2)
    reached = Fraction(satisfied, base) if base else Fraction(0)
    passed = reached > bar if rule.strict else reached >= bar
    notes = [SATISFIED_NOTE] if satisfied_from == 3 else [
        f"A: answers of level {satisfied_from} and above are counted as satisfied (given)"]  # fmt: skip
    notes_zh = [SATISFIED_NOTE_ZH] if satisfied_from == 3 else [
        f"A：第 {satisfied_from} 级及以上的回答计为满意（按输入）"]  # fmt: skip
    if rule.approve_of == "all" and hh > answered:
        notes.append(f"{hh - answered} household(s) did not answer: not satisfied under {rule.id}")
        notes_zh.append(f"{hh - answered} 户未作答：验收规则以全体住户为基数，未作答计为不满意")
    return Evaluation(items, buildings, hh, answered, satisfied, rule.id, bar, base, passed, notes,
                      notes_zh)  # fmt: skip


def _has(rules: RuleSet, matter: str) -> bool:
    try:
        rules.vote_rule(matter)
    except KeyError:
        return False
    return True
