"""The result of running a community scenario: sources and uses, balanced to the fen."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd

from costshare.community.split import SplitResult
from costshare.money import to_yuan
from costshare.rules import RuleSet

if TYPE_CHECKING:
    from costshare.community.scenario import Scenario

__all__ = ["ScenarioResult"]


@dataclass(frozen=True)
class ScenarioResult:
    """Sources and uses of one scenario.

    ``uses_fen == sources_fen + gap_fen`` always; a negative ``gap_fen`` is a surplus.
    """

    scenario: Scenario
    rules: RuleSet
    split: SplitResult
    sources: pd.DataFrame
    fund: dict[str, int] | None

    @classmethod
    def build(
        cls,
        scenario: Scenario,
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
        """Sources and uses: uses by item, sources by payer and channel, then the balance.

        Columns: section (uses / sources / balance), line, key, amount_fen, amount
        (Decimal yuan), note. The balance section has the totals and one gap or
        surplus line, so that uses = sources + gap (or sources = uses + surplus).
        """
        u = self.uses()
        rows = [
            ("uses", r.item, r.category, int(r.amount_fen), "") for r in u.itertuples(index=False)
        ]
        rows += [
            ("sources", r.line, r.channel, int(r.amount_fen), r.note)
            for r in self.sources.itertuples(index=False)
        ]
        rows.append(("balance", "改造总投资 total uses", "total_uses", self.uses_fen, ""))
        rows.append(
            ("balance", "资金来源合计 total sources", "total_sources", self.sources_fen, "")
        )
        gap = self.gap_fen
        if gap > 0:
            rows.append(("balance", "资金缺口 funding gap", "gap", gap, "uses exceed sources"))
        elif gap < 0:
            rows.append(("balance", "资金结余 surplus", "surplus", -gap, "sources exceed uses"))
        else:
            rows.append(("balance", "收支平衡 balanced", "balanced", 0, ""))
        df = pd.DataFrame(rows, columns=["section", "line", "key", "amount_fen", "note"])
        df["amount"] = [to_yuan(f) for f in df["amount_fen"]]
        return df[["section", "line", "key", "amount_fen", "amount", "note"]]

    def obligations(self) -> dict[str, Decimal]:
        """What each payer owes under the rules (``pooled`` = paid by the funding plan)."""
        return self.split.by_payer()

    def indicators(self) -> dict[str, Decimal]:
        """Per-household and per-m² figures, in yuan, rounded half-up to the fen."""
        c = self.scenario.community
        q = Decimal("0.01")
        res = int(
            self.sources.loc[
                self.sources["channel"].str.startswith("residents"), "amount_fen"
            ].sum()
        )

        def per(fen: int, n: Decimal | int) -> Decimal:
            return (Decimal(fen) / 100 / Decimal(n)).quantize(q, ROUND_HALF_UP)

        return {
            "total_uses": to_yuan(self.uses_fen),
            "total_sources": to_yuan(self.sources_fen),
            "gap": to_yuan(self.gap_fen),
            "uses_per_household": per(self.uses_fen, c.households),
            "uses_per_m2": per(self.uses_fen, c.area_m2),
            "residents_total": to_yuan(res),
            "residents_per_household": per(res, c.households),
            "residents_per_m2": per(res, c.area_m2),
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
