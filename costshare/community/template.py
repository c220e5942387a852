"""What a group of communities shares: work items, their rule split and a funding plan.

A :class:`Template` is built from a scenario (the scenario itself, or a portfolio's
template file) with the :class:`~costshare.rules.RuleSet` its caller resolved for the
scenario's date, or as a bare template (one pooled item, no plan) for table rows that
give their own figures. The engine (:mod:`costshare.community.engine`) runs any number of
communities on one template at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare.community.land import land_value
from costshare.community.model import CHANNELS, POOLED, FundTopup, ScenarioModel, WorkItem
from costshare.community.split import split_costs
from costshare.errors import InputError, Problem
from costshare.money import ratio, to_fen
from costshare.rules import RuleSet

__all__ = ["SPLIT_COLUMNS", "Template", "bare_template", "template_from_scenario"]

SPLIT_COLUMNS = ["item", "category", "owner", "payer", "share", "rule", "source", "fallback"]
"""The split table's columns besides ``amount_fen`` (see :class:`SplitResult`)."""


@dataclass(frozen=True)
class Template:
    """Items, rule split and funding plan shared by a group of communities (fen, exact).

    ``split`` has one row per item and payer (columns :data:`SPLIT_COLUMNS`);
    ``row_item`` maps each split row to its item, ``row_weight`` holds the payer shares
    as integers over a common denominator. ``residents`` is ``(basis, num, den)``: the
    residents' money as ``ratio`` of uses, yuan ``per_household``, yuan ``per_m2`` or an
    ``amount`` in yuan, each value ``num / den`` exactly.
    """

    key: str
    rules: RuleSet
    items: tuple[str, ...]
    categories: tuple[str, ...]
    item_fen: npt.NDArray[np.int64]
    split: pd.DataFrame
    row_item: npt.NDArray[np.intp]
    row_weight: npt.NDArray[np.int64]
    channels: dict[str, int]
    residents: tuple[str, int, int] | None = None
    residents_note: str = ""
    other: tuple[tuple[str, int, str], ...] = ()
    fund_topup: FundTopup | None = None
    households: int | None = None
    area: tuple[int, int] | None = None
    bare: bool = False

    @property
    def payers(self) -> list[str]:
        """Payer of each split row."""
        return self.split["payer"].astype(str).tolist()


def _weights(shares: list[Decimal]) -> list[int]:
    """Shares as integers over their common denominator (0.65, 0.35 → 13, 7)."""
    parts = [ratio(s) for s in shares]
    den = int(np.lcm.reduce([d for _, d in parts]))
    return [n * (den // d) for n, d in parts]


def _split_rows(items: list[WorkItem], rs: RuleSet) -> pd.DataFrame:
    """One row per item and payer: rule items by :func:`split_costs`, the rest as given."""
    problems = [
        Problem(
            f"unknown category {w.category!r}; {rs.key} on {rs.on} knows {sorted(rs.categories)}",
            where=f"work item {i + 1} ({w.item!r})",
            field="category",
        )
        for i, w in enumerate(items)
        if w.category not in rs.categories
    ]
    if problems:
        raise InputError(problems)
    by_rule = [w.payer is None and w.category in rs.utility_categories for w in items]
    ruled = [w for w, r in zip(items, by_rule, strict=True) if r]
    records: list[tuple[object, ...]] = []
    if ruled:
        table = split_costs([{**w.model_dump(), "cost": 0} for w in ruled], rs).table
        records = list(table[SPLIT_COLUMNS].itertuples(index=False, name=None))
    rows, pos = [], 0
    for j, (w, r) in enumerate(zip(items, by_rule, strict=True)):
        if r:
            k = len(rs.split_for(w.category, w.owner).shares)  # type: ignore[union-attr]
            part = records[pos : pos + k]
            pos += k
            weights = _weights([rec[4] for rec in part])  # type: ignore[misc]
            rows += [(j, wt, *rec) for wt, rec in zip(weights, part, strict=True)]
            continue
        payer = w.payer or POOLED
        if payer not in rs.payers and payer != POOLED:
            msg = f"unknown payer {payer!r}; {rs.key} declares {sorted(rs.payers)}"
            raise InputError(Problem(msg, where=f"work item {w.item!r}", field="payer"))
        note = w.note or ("assigned in the scenario" if w.payer else "paid from the funding plan")
        rec = (w.item, w.category, w.owner, payer, Decimal(1), "", note, w.payer is None)
        rows.append((j, 1, *rec))
    return pd.DataFrame(rows, columns=["_item", "_weight", *SPLIT_COLUMNS])


def template_from_scenario(s: ScenarioModel, rules: RuleSet, key: str = "") -> Template:
    """The template of scenario `s` under `rules` (resolved by the caller for its date).

    Raises
    ------
    InputError
        A work item of an unknown category (naming the item and listing the categories
        of `rules`), an unknown payer, or a utility item no rule splits.

    Examples
    --------
    >>> from costshare import rules
    >>> from costshare.community.model import ScenarioModel
    >>> s = ScenarioModel.from_dict({"name": "t", "community": {"name": "c",
    ...     "jurisdiction": "fujian", "households": 10, "area_m2": 700},
    ...     "work_items": [{"item": "光纤", "category": "telecom_cabling", "cost": 100}]})
    >>> tpl = template_from_scenario(s, rules.load("fujian", on="2024-06-30"))
    >>> tpl.payers, tpl.row_weight.tolist()
    (['telecom_operators', 'local_finance'], [13, 7])
    """
    split = _split_rows(s.work_items, rules)
    f = s.funding
    res = None
    if f.residents is not None:
        basis, value = f.residents.basis()
        res = (basis, *ratio(value))
    others: dict[str, tuple[int, str]] = {}
    for o in f.other:  # a name given twice is one line: amounts add, notes join
        fen, note = others.get(o.name, (0, ""))
        others[o.name] = (fen + to_fen(o.amount), "；".join(x for x in (note, o.note or "") if x))
    for x in f.land:  # a land line is valued here; its note is its arithmetic
        lr = land_value(x)
        others[x.name] = (lr.amount_fen, "；".join(y for y in (lr.explain(), x.note or "") if y))
    return Template(
        key=key,
        rules=rules,
        items=tuple(w.item for w in s.work_items),
        categories=tuple(w.category for w in s.work_items),
        item_fen=np.array([to_fen(w.cost) for w in s.work_items], dtype=np.int64),
        split=split.drop(columns=["_item", "_weight"]),
        row_item=split["_item"].to_numpy(dtype=np.intp),
        row_weight=split["_weight"].to_numpy(dtype=np.int64),
        channels={k: to_fen(getattr(f, k)) for k in CHANNELS},
        residents=res,
        residents_note=(f.residents.note or "") if f.residents else "",
        other=tuple((name, fen, note) for name, (fen, note) in others.items()),
        fund_topup=f.fund_topup,
        households=s.community.households,
        area=ratio(s.community.area_m2),
    )


def bare_template(rules: RuleSet) -> Template:
    """One pooled item of cost 0 (rows give their total cost) and an empty plan.

    Examples
    --------
    >>> from costshare import rules
    >>> bare_template(rules.load("national", on="2024-06-30")).items
    ('改造工程',)
    """
    split = pd.DataFrame(
        [
            (
                "改造工程",
                "general",
                "any",
                POOLED,
                Decimal(1),
                "",
                "paid from the funding plan",
                True,
            )
        ],
        columns=SPLIT_COLUMNS,
    )
    return Template(
        key="",
        rules=rules,
        items=("改造工程",),
        categories=("general",),
        item_fen=np.zeros(1, dtype=np.int64),
        split=split,
        row_item=np.zeros(1, dtype=np.intp),
        row_weight=np.ones(1, dtype=np.int64),
        channels=dict.fromkeys(CHANNELS, 0),
        bare=True,
    )
