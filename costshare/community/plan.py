"""Project library and annual plan (项目库与年度计划), after Ningbo's practice.

Districts score candidate communities on several criteria — facility and service
shortfalls, residents' participation, long-term management after renovation, and the
basic survey (building age, safety hazards) — rank them, and put the highest scores into
the year's plan first; projects left out are improved and considered first next year, or
brought in when a planned project cannot go ahead (seed 002, line 14).

Three steps, three modules: the scoring sheet is data, loaded by the caller
(:mod:`costshare.community.plan_criteria`); :func:`score` ranks the candidates on it in
exact arithmetic (:mod:`costshare.community.plan_score`); :func:`choose_plan` (here) fills
the year's budget and district quotas in rank order.

>>> import pandas as pd
>>> cands = pd.DataFrame({
...     "community_id": ["A", "B"], "built_year": [1985, 1995], "facility_gaps": [4, 2],
...     "safety_hazards": [3, 1], "support_share": [0.9, 0.95],
...     "self_raise_share": [0.1, 0.05], "management": [1, 0], "cost": [3_000_000, 2_000_000],
... })
>>> plan = choose_plan(score(cands, load_criteria()), budget="4000000")
>>> plan.chosen
['A']
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare.community.plan_criteria import (
    CRITERIA_FILE,
    Criteria,
    Criterion,
    Gate,
    load_criteria,
)
from costshare.community.plan_score import (
    CANDIDATE_HEADERS,
    CANDIDATE_TEXT,
    candidate_columns,
    score,
)
from costshare.errors import InputError, Problem
from costshare.i18n import Lang, t
from costshare.money import format_amount, to_fen, to_fen_array, to_yuan

__all__ = [
    "CANDIDATE_HEADERS",
    "CANDIDATE_TEXT",
    "CRITERIA_FILE",
    "Criteria",
    "Criterion",
    "Gate",
    "PlanResult",
    "candidate_columns",
    "choose_plan",
    "load_criteria",
    "reason_text",
    "score",
]

_MAX_PROBLEMS = 20


Decision = Literal["chosen", "not_eligible", "withdrawn", "quota_full", "over_budget"]


@dataclass(frozen=True)
class PlanResult:
    """An annual plan: each candidate's decision and the reason, and the money.

    ``table`` has, in rank order: the id, ``district`` (if any), ``score``, ``rank``,
    ``cost_fen``, ``decision`` (chosen / not_eligible / withdrawn / quota_full /
    over_budget), ``reason_args`` (the reason's parameters, for :func:`reason_text` in
    another language), ``reason`` (in English), ``budget_left_fen`` (after this candidate) and
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


def reason_text(decision: str, args: Mapping[str, str], lang: Lang = "en") -> str:
    """The reason for a decision in `lang`, from its code and parameters (the translation table).

    A failed gate's text (``args["gate"]``) comes from the criteria file's labels.

    Examples
    --------
    >>> reason_text("quota_full", {"quota": "2", "district": "海曙区"})
    'district quota full: 2 already chosen in 海曙区'
    >>> reason_text("quota_full", {"quota": "2", "district": "海曙区"}, "zh")
    '海曙区名额已满：已选入 2 个'
    """
    if decision == "not_eligible" and not args.get("gate"):
        args = {"gate": t("plan.reason.gate_failed", lang)}
    return t(f"plan.reason.{decision}", lang, **args)


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
    args: list[dict[str, str]] = []
    left_after = np.empty(len(df), dtype=np.int64)
    for i in range(len(df)):  # sequential by nature: each choice spends the budget
        d = district[i] if district is not None else None
        if not eligible[i]:
            decision.append("not_eligible")
            args.append({"gate": gate[i]})
        elif withdrawn[i]:
            decision.append("withdrawn")
            args.append({})
        elif d is not None and d in quotas and taken.get(d, 0) >= quotas[d]:
            decision.append("quota_full")
            args.append({"quota": str(quotas[d]), "district": str(d)})
        elif cost[i] > left:
            decision.append("over_budget")
            args.append({"cost": format_amount(cost[i]), "left": format_amount(left)})
        else:
            left -= int(cost[i])
            if d is not None:
                taken[d] = taken.get(d, 0) + 1
            decision.append("chosen")
            args.append(
                {"rank": str(int(df["rank"].iloc[i])), "score": f"{df['score'].iloc[i]:.2f}"}
            )
        left_after[i] = left

    out = df.copy()
    out["cost_fen"] = cost
    out["decision"] = decision
    out["reason_args"] = args
    out["reason"] = [reason_text(d, a) for d, a in zip(decision, args, strict=True)]
    out["budget_left_fen"] = left_after
    res = out["decision"].isin(["quota_full", "over_budget"]).to_numpy()
    reserve = np.full(len(out), np.nan)
    reserve[res] = np.arange(1, int(res.sum()) + 1)
    out["reserve_rank"] = pd.array(reserve, dtype="Int64")
    return PlanResult(out, budget_fen, budget_fen - left, id_col)
