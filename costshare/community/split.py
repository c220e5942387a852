"""Utility cost splits: who pays what share of each work item, by the jurisdiction's rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from costshare.errors import InputError, Problem
from costshare.money import allocate, to_fen, to_yuan
from costshare.rules import RuleSet

__all__ = ["SplitResult", "split_costs"]

_COLUMNS = [
    "item",
    "category",
    "owner",
    "payer",
    "share",
    "amount_fen",
    "rule",
    "source",
    "fallback",
]


@dataclass(frozen=True)
class SplitResult:
    """The split of every item among its payers.

    Attributes
    ----------
    table : DataFrame
        One row per item and payer: item, category, owner, payer, share (Decimal),
        amount_fen (int64), rule id, source (document, article), fallback (True when
        no rule matched and the caller's fallback payer took the whole cost).
    rules : RuleSet
        The rules the split was made with.
    """

    table: pd.DataFrame
    rules: RuleSet

    def by_payer(self) -> dict[str, Decimal]:
        """Total per payer in ``Decimal`` yuan, largest first (ties by payer id)."""
        sums = self.table.groupby("payer", sort=True)["amount_fen"].sum()
        order = sorted(sums.items(), key=lambda kv: (-int(kv[1]), kv[0]))
        return {payer: to_yuan(fen) for payer, fen in order}

    def total_fen(self) -> int:
        """Sum of all items in fen."""
        return int(self.table["amount_fen"].sum())


def _items_frame(items: pd.DataFrame | Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    df = items.copy() if isinstance(items, pd.DataFrame) else pd.DataFrame(list(items))
    df = df.reset_index(drop=True)
    missing = [c for c in ("item", "category", "cost") if c not in df.columns]
    if missing:
        raise InputError(Problem(f"missing column(s) {missing}", field=", ".join(missing)))
    if "owner" not in df.columns:
        df["owner"] = "any"
    df["owner"] = df["owner"].fillna("any").astype(str).replace({"": "any", "None": "any"})
    problems = []
    fens = []
    for i, cost in enumerate(df["cost"].tolist()):
        try:
            fen = to_fen(cost)
        except ValueError as exc:
            problems.append(
                Problem(str(exc), where=f"item {i + 1} ({df['item'].iloc[i]})", field="cost")
            )
            fen = 0
        if fen < 0:
            problems.append(
                Problem("cost must not be negative", where=f"item {i + 1}", field="cost")
            )
        fens.append(fen)
    if problems:
        raise InputError(problems)
    df["cost_fen"] = np.asarray(fens, dtype=np.int64)
    return df


def split_costs(
    items: pd.DataFrame | Iterable[Mapping[str, Any]],
    rules: RuleSet,
    *,
    fallback: str | None = None,
) -> SplitResult:
    """Split each work item's cost among payers by the jurisdiction's utility rules.

    Parameters
    ----------
    items : DataFrame or iterable of dict
        Columns ``item`` (name), ``category``, optional ``owner`` (asset owner:
        ``power_company``, ``property_unit``, ``residents``; default ``any``) and
        ``cost`` in yuan (str, Decimal, int or float).
    rules : RuleSet
        Rules in force on the scenario's date, resolved by the caller
        (:func:`costshare.rules.load`).
    fallback : str, optional
        Payer that takes the whole cost of an item no rule matches; those rows are
        flagged ``fallback=True``. Without it, an unmatched item is an error.

    Returns
    -------
    SplitResult
        ``.table`` with one row per item and payer, and ``.by_payer()``. Each item's
        payer amounts add up exactly to its cost (largest remainder, ties to the payer
        listed first in the rule).

    Raises
    ------
    InputError
        An item no rule matches (named, with the jurisdiction), an unknown fallback
        payer, or a bad cost.

    Examples
    --------
    >>> from costshare import rules
    >>> fujian = rules.load("fujian", on="2024-01-01")
    >>> r = split_costs([{"item": "光纤迁改", "category": "telecom_cabling", "cost": "100.01"}],
    ...                 fujian)
    >>> r.table[["payer", "amount_fen"]].values.tolist()
    [['telecom_operators', 6501], ['local_finance', 3500]]
    >>> r.by_payer()
    {'telecom_operators': Decimal('65.01'), 'local_finance': Decimal('35.00')}
    """
    if not isinstance(rules, RuleSet):
        msg = f"pass the RuleSet of the scenario's date (rules.load(key, on=date)), not {rules!r}"
        raise TypeError(msg)
    rs = rules
    if fallback is not None and fallback not in rs.payers:
        msg = f"unknown fallback payer {fallback!r}; {rs.key} declares {sorted(rs.payers)}"
        raise InputError(Problem(msg, field="fallback"))
    df = _items_frame(items)
    rows: list[tuple[Any, ...]] = []
    unmatched: list[Problem] = []
    # one rule lookup per distinct (category, owner); the split itself is per item
    for (cat, owner), group in df.groupby(["category", "owner"], sort=False):
        rule = rs.split_for(str(cat), str(owner))
        for idx, name, fen in zip(group.index, group["item"], group["cost_fen"], strict=True):
            if rule is None:
                if fallback is None:
                    msg = (
                        f"no {rs.name} ({rs.key}) rule splits category {cat!r} with owner "
                        f"{owner!r}; give the item a payer or name a fallback payer"
                    )
                    unmatched.append(Problem(msg, where=f"item {name!r}", field="category"))
                    continue
                rows.append((idx, name, cat, owner, fallback, Decimal(1), int(fen), "", "", True))
                continue
            payers = list(rule.shares)
            weights = list(rule.shares.values())  # exact decimals, e.g. 0.65 = 65/100
            amounts = allocate(int(fen), weights) if fen else np.zeros(len(payers), np.int64)
            src = f"{rule.source.document}，{rule.source.article}"
            rows.extend(
                (idx, name, cat, owner, p, rule.shares[p], int(a), rule.id, src, False)
                for p, a in zip(payers, amounts, strict=True)
            )
    if unmatched:
        raise InputError(unmatched)
    table = pd.DataFrame(rows, columns=["_pos", *_COLUMNS])
    table["amount_fen"] = table["amount_fen"].astype(np.int64)
    table = table.sort_values("_pos", kind="stable").drop(columns="_pos").reset_index(drop=True)
    return SplitResult(table=table, rules=rs)
