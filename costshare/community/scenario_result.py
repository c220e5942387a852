"""The result of running a community scenario: sources and uses, balanced to the fen.

Also :func:`balance_table`, the one sources-and-uses layout shared by a scenario's
:meth:`ScenarioResult.table` and a portfolio community's
:meth:`~costshare.community.portfolio_result.PortfolioResult.community`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from costshare.community.model import ScenarioModel
from costshare.community.split import SplitResult
from costshare.money import half_up, to_yuan
from costshare.rules import RuleSet

__all__ = ["ScenarioResult", "balance_table", "uses_by_item"]

_TABLE = ["section", "line", "key", "amount_fen", "amount", "note"]


def balance_table(
    uses: Iterable[tuple[str, str, int]], sources: Iterable[tuple[str, str, int, str]]
) -> pd.DataFrame:
    """Sources and uses: uses by item, the funding lines, then the balance section.

    Parameters
    ----------
    uses : iterable of (item, category, amount_fen)
    sources : iterable of (line, key, amount_fen, note)

    Returns
    -------
    DataFrame
        Columns section (uses / sources / balance), line, key, amount_fen, amount
        (Decimal yuan), note. The balance section has the totals and one gap, surplus or
        balanced line, so that uses = sources + gap (or sources = uses + surplus).

    Examples
    --------
    >>> t = balance_table([("屋面", "roof", 1000)], [("市级财政资金", "municipal", 900, "")])
    >>> t[t["section"] == "balance"][["key", "amount_fen"]].values.tolist()
    [['total_uses', 1000], ['total_sources', 900], ['gap', 100]]
    """
    rows = [("uses", item, cat, int(fen), "") for item, cat, fen in uses]
    rows += [("sources", line, key, int(fen), note) for line, key, fen, note in sources]
    total_uses = sum(r[3] for r in rows if r[0] == "uses")
    total_sources = sum(r[3] for r in rows if r[0] == "sources")
    rows.append(("balance", "改造总投资 total uses", "total_uses", total_uses, ""))
    rows.append(("balance", "资金来源合计 total sources", "total_sources", total_sources, ""))
    gap = total_uses - total_sources
    if gap > 0:
        rows.append(("balance", "资金缺口 funding gap", "gap", gap, "uses exceed sources"))
    elif gap < 0:
        rows.append(("balance", "资金结余 surplus", "surplus", -gap, "sources exceed uses"))
    else:
        rows.append(("balance", "收支平衡 balanced", "balanced", 0, ""))
    df = pd.DataFrame(rows, columns=[c for c in _TABLE if c != "amount"])
    df["amount_fen"] = df["amount_fen"].astype("int64")
    df["amount"] = [to_yuan(f) for f in df["amount_fen"]]
    return df[_TABLE]


def uses_by_item(items: Iterable[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """Item costs summed by item name (first category), in first-seen order.

    Examples
    --------
    >>> uses_by_item([("屋面", "roof", 5), ("道路", "roads", 2), ("屋面", "roof", 1)])
    [('屋面', 'roof', 6), ('道路', 'roads', 2)]
    """
    out: dict[str, list[Any]] = {}
    for item, cat, fen in items:
        if item in out:
            out[item][1] += int(fen)
        else:
            out[item] = [cat, int(fen)]
    return [(k, c, f) for k, (c, f) in out.items()]


@dataclass(frozen=True)
class ScenarioResult:
    """Sources and uses of one scenario.

    ``uses_fen == sources_fen + gap_fen`` always; a negative ``gap_fen`` is a surplus.
    ``sources`` has one row per funding line: channel (its key: ``payer:<id>``, a channel
    key, ``residents_fund``, ``residents``, ``other:<name>``), line, amount_fen, note.
    ``fund`` is the maintenance-fund memo (``FUND_COLUMNS``) under a Ningbo-style top-up.
    """

    scenario: ScenarioModel
    rules: RuleSet
    split: SplitResult
    sources: pd.DataFrame
    fund: dict[str, int] | None

    @classmethod
    def build(
        cls,
        scenario: ScenarioModel,
        rules: RuleSet,
        split: SplitResult,
        lines: list[dict[str, Any]],
        fund: dict[str, int] | None,
    ) -> ScenarioResult:
        """Assemble the result from the split and the funding lines."""
        src = pd.DataFrame(lines, columns=["channel", "line", "amount_fen", "note"])
        src["amount_fen"] = src["amount_fen"].astype("int64")
        return cls(scenario, rules, split, src, fund)

    @property
    def uses_fen(self) -> int:
        """Total cost of the work items."""
        return self.split.total_fen()

    @property
    def sources_fen(self) -> int:
        """Total of every funding line, enterprises' rule shares included."""
        return int(self.sources["amount_fen"].sum())

    @property
    def gap_fen(self) -> int:
        """Uses minus sources: positive is a funding gap, negative a surplus."""
        return self.uses_fen - self.sources_fen

    def uses(self) -> pd.DataFrame:
        """One row per work item with its cost in fen."""
        t = self.split.table
        return (
            t.groupby("item", sort=False)
            .agg(category=("category", "first"), amount_fen=("amount_fen", "sum"))
            .reset_index()
        )

    def table(self) -> pd.DataFrame:
        """Sources and uses (see :func:`balance_table`)."""
        u = self.uses()
        return balance_table(
            u[["item", "category", "amount_fen"]].itertuples(index=False),
            self.sources[["line", "channel", "amount_fen", "note"]].itertuples(index=False),
        )

    def obligations(self) -> dict[str, Decimal]:
        """What each payer owes under the rules (``pooled`` = paid by the funding plan)."""
        return self.split.by_payer()

    def indicators(self) -> dict[str, Decimal]:
        """Per-household and per-m² figures, in yuan, rounded half-up to the fen."""
        c = self.scenario.community
        a_num, a_den = c.area_m2.as_integer_ratio()
        src = self.sources
        res = int(src.loc[src["channel"].str.startswith("residents"), "amount_fen"].sum())

        def per_hh(fen: int) -> Decimal:
            return to_yuan(half_up(fen, c.households))

        def per_m2(fen: int) -> Decimal:
            return to_yuan(half_up(fen * a_den, a_num))

        return {
            "total_uses": to_yuan(self.uses_fen),
            "total_sources": to_yuan(self.sources_fen),
            "gap": to_yuan(self.gap_fen),
            "uses_per_household": per_hh(self.uses_fen),
            "uses_per_m2": per_m2(self.uses_fen),
            "residents_total": to_yuan(res),
            "residents_per_household": per_hh(res),
            "residents_per_m2": per_m2(res),
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: indicators, sources and uses, split, fund memo."""
        t = self.table()
        return {
            "scenario": self.scenario.name,
            "jurisdiction": self.rules.key,
            "rules_date": self.rules.on.isoformat(),
            "indicators": {k: str(v) for k, v in self.indicators().items()},
            "sources_and_uses": [
                {**r, "amount": str(r["amount"])}
                for r in t.drop(columns="amount_fen").to_dict("records")
            ],
            "split": _split_records(self.split.table),
            "fund": {k: str(to_yuan(v)) for k, v in self.fund.items()} if self.fund else None,
        }


def _split_records(t: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "item": r.item,
            "payer": r.payer,
            "share": str(r.share),
            "amount": str(to_yuan(r.amount_fen)),
            "rule": r.rule,
            "source": r.source,
        }
        for r in t.itertuples(index=False)
    ]
