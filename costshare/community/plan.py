"""Project library and annual plan (项目库与年度计划), after Ningbo's practice.

Districts score candidate communities on several criteria — facility and service
shortfalls, residents' participation, long-term management after renovation, and the
basic survey (building age, safety hazards) — rank them, and put the highest scores into
the year's plan first; projects left out are improved and considered first next year, or
brought in when a planned project cannot go ahead (seed 002, line 14).

The criteria and their weights are data (``costshare/data/plan_criteria.yaml``); the
seed gives no weights, so the bundled ones are marked as assumptions.

>>> import pandas as pd
>>> cands = pd.DataFrame({
...     "community_id": ["A", "B"], "built_year": [1985, 1995], "facility_gaps": [4, 2],
...     "safety_hazards": [3, 1], "support_share": [0.9, 0.95],
...     "self_raise_share": [0.1, 0.05], "management": [1, 0], "cost": [3_000_000, 2_000_000],
... })
>>> plan = choose_plan(score(cands), budget="4000000")
>>> plan.chosen
['A']
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BeforeValidator, Field, ValidationError, model_validator

from costshare._base import StrictModel, problems_from_validation
from costshare._yaml import load_yaml
from costshare.errors import InputError, Problem
from costshare.money import format_amount, to_fen, to_fen_array, to_yuan
from costshare.rules._schema import Source

__all__ = [
    "CRITERIA_FILE",
    "Criteria",
    "Criterion",
    "Gate",
    "PlanResult",
    "choose_plan",
    "load_criteria",
    "score",
]

CRITERIA_FILE = Path(__file__).parent.parent / "data" / "plan_criteria.yaml"
_MAX_PROBLEMS = 20


def _dec(v: Any) -> Any:
    return Decimal(repr(v)) if isinstance(v, float) else v


Number = Annotated[Decimal, BeforeValidator(_dec)]


class Criterion(StrictModel):
    """One scoring criterion: which column, which way is better, how it is scaled, its weight.

    ``method``: ``minmax`` scales to [0, 1] over the candidates (all equal → 0);
    ``max`` divides by the largest value (for counts; all zero → 0); ``range`` scales
    ``[lo, hi]`` to [0, 1] and clips. ``direction: lower`` turns the scale round
    (1 − scaled), e.g. an earlier building year is more urgent.
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str
    column: str
    direction: Literal["higher", "lower"] = "higher"
    method: Literal["minmax", "max", "range"] = "minmax"
    lo: Number | None = None
    hi: Number | None = None
    weight: Annotated[Decimal, BeforeValidator(_dec), Field(gt=0)]
    assumed: bool = False
    passage: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Criterion:
        if self.method == "range":
            if self.lo is None or self.hi is None or not self.lo < self.hi:
                msg = "method 'range' needs lo < hi"
                raise ValueError(msg)
        elif self.lo is not None or self.hi is not None:
            msg = f"lo/hi only apply to method 'range', not {self.method!r}"
            raise ValueError(msg)
        return self


class Gate(StrictModel):
    """An eligibility condition a candidate must meet before it can enter the plan.

    For example Hebei's "80% of residents agree before inclusion" (seed 002, line 60):
    ``column: support_share, min: 0.8``. Bounds are inclusive.
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str
    column: str
    min: Number | None = None
    max: Number | None = None
    passage: str | None = None

    @model_validator(mode="after")
    def _some_bound(self) -> Gate:
        if self.min is None and self.max is None:
            msg = "a gate needs min or max"
            raise ValueError(msg)
        return self


class Criteria(StrictModel):
    """A scoring sheet: criteria with weights, optional gates, and the source it rests on."""

    description: str | None = None
    source: Source
    confidence: Literal["H", "M", "S"]
    criteria: Annotated[list[Criterion], Field(min_length=1)]
    gates: list[Gate] = []

    @model_validator(mode="after")
    def _unique(self) -> Criteria:
        ids = [c.id for c in self.criteria] + [g.id for g in self.gates]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            msg = f"duplicate criterion/gate id(s) {dup}"
            raise ValueError(msg)
        return self

    @property
    def columns(self) -> list[str]:
        """Candidate columns the criteria and gates read, in order, without repeats."""
        cols = [c.column for c in self.criteria] + [g.column for g in self.gates]
        return list(dict.fromkeys(cols))


def load_criteria(criteria: Criteria | Mapping[str, Any] | str | Path | None = None) -> Criteria:
    """The scoring sheet: the bundled Ningbo-style one, a YAML file, a mapping or a model.

    Raises
    ------
    InputError
        When the file or mapping does not validate (the message names the field).

    Examples
    --------
    >>> c = load_criteria()
    >>> [x.id for x in c.criteria][:3]
    ['building_age', 'facility_shortfall', 'safety_hazards']
    >>> sum(x.weight for x in c.criteria)
    Decimal('100')
    """
    if isinstance(criteria, Criteria):
        return criteria
    if criteria is None or isinstance(criteria, (str, Path)):
        path = Path(criteria) if criteria is not None else CRITERIA_FILE
        raw, name = load_yaml(path), path.name
    else:
        raw, name = criteria, "criteria"
    if not isinstance(raw, Mapping):
        raise InputError(Problem("a criteria file must be a mapping at top level", name))
    names = {(k, i): f"{k}[{i}] ({r.get('id', '?')})" for k in ("criteria", "gates")
             for i, r in enumerate(raw.get(k) or []) if isinstance(r, Mapping)}  # fmt: skip
    try:
        return Criteria.model_validate(dict(raw))
    except ValidationError as exc:
        raise problems_from_validation(exc, name, names) from None


def _numeric(
    df: pd.DataFrame, cols: list[str], ids: pd.Series
) -> dict[str, npt.NDArray[np.float64]]:
    """Criterion columns as float arrays; every missing or non-numeric cell is a problem."""
    problems: list[Problem] = []
    missing = [c for c in cols if c not in df.columns]
    if missing:
        msg = f"missing column(s) {missing}; found {list(df.columns)}"
        raise InputError(Problem(msg, "candidates", field=missing[0]))
    out = {}
    for col in cols:
        x = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        problems.extend(
            Problem(
                f"not a number: {df[col].iloc[i]!r}",
                "candidates",
                f"row {i + 1} ({ids.iloc[i]})",
                col,
            )
            for i in np.flatnonzero(~np.isfinite(x))
        )
        out[col] = x
    if problems:
        raise InputError(problems[:_MAX_PROBLEMS], more=max(0, len(problems) - _MAX_PROBLEMS))
    return out


def _scale(x: npt.NDArray[np.float64], c: Criterion) -> npt.NDArray[np.float64]:
    """A criterion's column scaled to [0, 1], 1 being the most deserving."""
    if c.method == "minmax":
        lo, hi = x.min(), x.max()
        s = (x - lo) / (hi - lo) if hi > lo else np.zeros_like(x)
    elif c.method == "max":
        if (x < 0).any():
            raise InputError(
                Problem(
                    f"method 'max' needs values ≥ 0 in {c.column!r}", "candidates", field=c.column
                )
            )
        top = x.max()
        s = x / top if top > 0 else np.zeros_like(x)
    else:
        lo, hi = float(c.lo), float(c.hi)  # type: ignore[arg-type]
        s = np.clip((x - lo) / (hi - lo), 0.0, 1.0)
    if c.direction == "lower" and not (c.method == "minmax" and x.max() == x.min()):
        s = 1.0 - s
    return s


def score(
    candidates: pd.DataFrame,
    criteria: Criteria | Mapping[str, Any] | str | Path | None = None,
    *,
    id_column: str = "community_id",
) -> pd.DataFrame:
    """Score and rank candidate communities on weighted criteria.

    Parameters
    ----------
    candidates : DataFrame, one row per community
        ``community_id`` (or `id_column`) and one numeric column per criterion and gate
        (bundled sheet: ``built_year``, ``facility_gaps``, ``safety_hazards``,
        ``support_share``, ``self_raise_share``, ``management``). Other columns, such
        as ``district`` and ``cost``, are carried through.
    criteria : Criteria, mapping, path or None
        The scoring sheet; None for the bundled one (see :func:`load_criteria`).
    id_column : str, default "community_id"

    Returns
    -------
    DataFrame
        The candidates sorted by rank, with ``pts_<criterion>`` (points earned),
        ``score`` (0–100), ``rank`` (1 = best, unique), ``eligible`` and ``gate``
        (the failed gates, as text).

    Notes
    -----
    score = 100 · Σ wᵢ · sᵢ / Σ wᵢ with sᵢ ∈ [0, 1] the scaled criterion
    (see :class:`Criterion`). **Tie rule:** scores are compared rounded to 1e-6
    points; equal scores are ranked by id in ascending text order.

    References
    ----------
    Seed 002 line 14 (Ningbo: 量化计分、排序，将得分高的小区优先纳入年度改造计划).

    Examples
    --------
    Two criteria of equal weight; B is newer but has more shortfalls.

    >>> crit = {"source": {"document": "d", "issuer": "i", "article": "a", "date": "2021-12-01"},
    ...         "confidence": "S", "criteria": [
    ...     {"id": "age", "label": "age", "column": "built_year", "direction": "lower", "weight": 1},
    ...     {"id": "gaps", "label": "gaps", "column": "gaps", "method": "max", "weight": 1}]}
    >>> df = pd.DataFrame({"community_id": ["A", "B"], "built_year": [1980, 1990], "gaps": [1, 4]})
    >>> score(df, crit)[["community_id", "score", "rank"]].values.tolist()
    [['A', 62.5, 1], ['B', 50.0, 2]]
    """
    crit = load_criteria(criteria)
    if id_column not in candidates.columns:
        msg = f"missing column {id_column!r}; found {list(candidates.columns)}"
        raise InputError(Problem(msg, "candidates", field=id_column))
    if candidates.empty:
        raise InputError(Problem("no candidates to score", "candidates"))
    df = candidates.reset_index(drop=True).copy()
    ids = df[id_column].astype(str).str.strip()
    dup = ids[ids.duplicated()].unique().tolist()
    if dup:
        raise InputError(
            Problem(f"duplicate id(s) {dup[:_MAX_PROBLEMS]}", "candidates", field=id_column)
        )
    cols = _numeric(df, crit.columns, ids)

    weights = np.array([float(c.weight) for c in crit.criteria])
    weights = 100.0 * weights / weights.sum()
    scaled = np.column_stack([_scale(cols[c.column], c) for c in crit.criteria])
    pts = scaled * weights
    for j, c in enumerate(crit.criteria):
        df[f"pts_{c.id}"] = np.round(pts[:, j], 6)
    total = np.round(pts.sum(axis=1), 6)
    df["score"] = total

    ok = np.ones(len(df), dtype=bool)
    why = np.full(len(df), "", dtype=object)
    for g in crit.gates:
        x = cols[g.column]
        fail = np.zeros(len(df), dtype=bool)
        if g.min is not None:
            fail |= x < float(g.min)
        if g.max is not None:
            fail |= x > float(g.max)
        bound = " and ".join(
            t
            for t in (
                f"≥ {g.min}" if g.min is not None else "",
                f"≤ {g.max}" if g.max is not None else "",
            )
            if t
        )
        text = f"{g.label}: {g.column} must be {bound}"
        why = np.where(fail, np.where(why == "", text, why + "; " + text), why)
        ok &= ~fail
    df["eligible"] = ok
    df["gate"] = why

    order = np.lexsort((ids.to_numpy(dtype=str), -total))  # last key sorts first
    df = df.iloc[order].reset_index(drop=True)
    df["rank"] = np.arange(1, len(df) + 1)
    df.attrs["criteria"] = crit
    df.attrs["id_column"] = id_column
    return df


Decision = Literal["chosen", "not_eligible", "withdrawn", "quota_full", "over_budget"]


@dataclass(frozen=True)
class PlanResult:
    """An annual plan: each candidate's decision and the reason, and the money.

    ``table`` has, in rank order: the id, ``district`` (if any), ``score``, ``rank``,
    ``cost_fen``, ``decision`` (chosen / not_eligible / withdrawn / quota_full /
    over_budget), ``reason``, ``budget_left_fen`` (after this candidate) and
    ``reserve_rank`` (eligible but not chosen, in the order they would be brought in).
    """

    table: pd.DataFrame
    budget_fen: int
    spent_fen: int
    id_column: str = "community_id"

    @property
    def left_fen(self) -> int:
        """Budget not committed, in fen."""
        return self.budget_fen - self.spent_fen

    @property
    def chosen(self) -> list[str]:
        """Ids of the chosen candidates, best first."""
        t = self.table
        return t.loc[t["decision"] == "chosen", self.id_column].astype(str).tolist()

    @property
    def reserve(self) -> list[str]:
        """Eligible candidates not chosen this year, in the order to bring them in."""
        t = self.table[self.table["reserve_rank"].notna()].sort_values("reserve_rank")
        return t[self.id_column].astype(str).tolist()

    def to_frame(self) -> pd.DataFrame:
        """The table for display: money in yuan (Decimal) instead of fen."""
        t = self.table.copy()
        t["score"] = t["score"].round(2)
        t["cost"] = [to_yuan(v) for v in t.pop("cost_fen")]
        t["budget_left"] = [to_yuan(v) for v in t.pop("budget_left_fen")]
        cols = [
            self.id_column,
            "district",
            "score",
            "rank",
            "cost",
            "decision",
            "reason",
            "budget_left",
        ]
        return t[[c for c in cols if c in t.columns]]

    def summary(self) -> str:
        """One line: how many chosen, money spent and left."""
        return (
            f"{len(self.chosen)} of {len(self.table)} candidates chosen; "
            f"spent {format_amount(self.spent_fen)} of {format_amount(self.budget_fen)}, "
            f"{format_amount(self.left_fen)} left; {len(self.reserve)} on the reserve list"
        )


def _costs(df: pd.DataFrame, col: str, ids: pd.Series) -> npt.NDArray[np.int64]:
    if col not in df.columns:
        msg = f"missing column {col!r} (each candidate's cost in yuan); found {list(df.columns)}"
        raise InputError(Problem(msg, "candidates", field=col))
    problems = []
    try:
        fen = to_fen_array(df[col].to_numpy())
    except ValueError:
        fen = np.zeros(len(df), dtype=np.int64)
        for i, v in enumerate(df[col]):
            try:
                fen[i] = to_fen(v)
            except ValueError as exc:
                problems.append(
                    Problem(str(exc), "candidates", f"row {i + 1} ({ids.iloc[i]})", col)
                )
    problems.extend(
        Problem("a cost cannot be negative", "candidates", f"row {i + 1} ({ids.iloc[i]})", col)
        for i in np.flatnonzero(fen < 0)
    )
    if problems:
        raise InputError(problems[:_MAX_PROBLEMS], more=max(0, len(problems) - _MAX_PROBLEMS))
    return fen


def choose_plan(
    scored: pd.DataFrame,
    budget: int | str | Decimal | float,
    quotas: Mapping[str, int] | None = None,
    *,
    cost_column: str = "cost",
    exclude: Collection[str] = (),
) -> PlanResult:
    """Choose the annual plan: best score first, while the money and district quotas last.

    Parameters
    ----------
    scored : DataFrame
        The output of :func:`score` with a cost column (yuan) per candidate, and a
        ``district`` column when `quotas` are given.
    budget : int, str, Decimal or float
        The year's budget in yuan.
    quotas : mapping of str to int, optional
        Most communities each district may have in the plan; districts not listed
        have no limit.
    cost_column : str, default "cost"
    exclude : collection of str, optional
        Ids withdrawn from this year's plan (a project that cannot go ahead); running
        again with it excluded brings in the next on the reserve list, and every
        candidate chosen before stays chosen.

    Returns
    -------
    PlanResult

    Notes
    -----
    Greedy in rank order, not a knapsack optimum: a candidate that does not fit the
    money left is passed over (``over_budget``) and cheaper ones further down may still
    come in. Costs and budget are compared in integer fen.

    Examples
    --------
    >>> df = pd.DataFrame({"community_id": ["A", "B", "C"], "district": ["x", "x", "y"],
    ...                    "score": [90.0, 80.0, 70.0], "rank": [1, 2, 3],
    ...                    "eligible": [True] * 3, "gate": [""] * 3, "cost": [50, 40, 60]})
    >>> p = choose_plan(df, budget=100, quotas={"x": 1})
    >>> p.table[["community_id", "decision"]].values.tolist()
    [['A', 'chosen'], ['B', 'quota_full'], ['C', 'over_budget']]
    """
    id_col = scored.attrs.get("id_column", "community_id")
    need = [c for c in (id_col, "score", "rank", "eligible") if c not in scored.columns]
    if need:
        msg = f"missing column(s) {need}: pass the output of costshare.community.plan.score()"
        raise InputError(Problem(msg, "candidates", field=need[0]))
    df = scored.sort_values("rank", kind="stable").reset_index(drop=True)
    ids = df[id_col].astype(str)
    cost = _costs(df, cost_column, ids)
    try:
        budget_fen = to_fen(budget)
    except ValueError as exc:
        raise InputError(Problem(str(exc), field="budget")) from None
    if budget_fen < 0:
        raise InputError(Problem("the budget cannot be negative", field="budget"))
    quotas = dict(quotas or {})
    bad_q = {k: v for k, v in quotas.items() if not isinstance(v, (int, np.integer)) or v < 0}
    if bad_q:
        raise InputError(Problem(f"quotas must be whole numbers ≥ 0: {bad_q}", field="quotas"))
    if quotas and "district" not in df.columns:
        raise InputError(Problem("quotas need a 'district' column", "candidates", field="district"))
    district = df["district"].astype(str).to_numpy() if "district" in df.columns else None
    eligible = df["eligible"].to_numpy(dtype=bool)
    gate = df["gate"].astype(str).to_numpy() if "gate" in df.columns else np.full(len(df), "")
    withdrawn = ids.isin({str(x) for x in exclude}).to_numpy()

    left = budget_fen
    taken: dict[str, int] = {}
    decision: list[Decision] = []
    reason: list[str] = []
    left_after = np.empty(len(df), dtype=np.int64)
    for i in range(len(df)):  # sequential by nature: each choice spends the budget
        d = district[i] if district is not None else None
        if not eligible[i]:
            decision.append("not_eligible")
            reason.append(f"not eligible: {gate[i] or 'a gate failed'}")
        elif withdrawn[i]:
            decision.append("withdrawn")
            reason.append("withdrawn from this year's plan")
        elif d is not None and d in quotas and taken.get(d, 0) >= quotas[d]:
            decision.append("quota_full")
            reason.append(f"district quota full: {quotas[d]} already chosen in {d}")
        elif cost[i] > left:
            decision.append("over_budget")
            reason.append(
                f"over budget: costs {format_amount(cost[i])}, {format_amount(left)} left"
            )
        else:
            left -= int(cost[i])
            if d is not None:
                taken[d] = taken.get(d, 0) + 1
            decision.append("chosen")
            reason.append(
                f"chosen: rank {int(df['rank'].iloc[i])}, score {df['score'].iloc[i]:.2f}"
            )
        left_after[i] = left

    out = df.copy()
    out["cost_fen"] = cost
    out["decision"] = decision
    out["reason"] = reason
    out["budget_left_fen"] = left_after
    res = out["decision"].isin(["quota_full", "over_budget"]).to_numpy()
    reserve = np.full(len(out), np.nan)
    reserve[res] = np.arange(1, int(res.sum()) + 1)
    out["reserve_rank"] = pd.array(reserve, dtype="Int64")
    return PlanResult(out, budget_fen, budget_fen - left, id_col)
