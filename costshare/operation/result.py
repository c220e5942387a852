"""The result of an operation scenario, and the owners' vote its public income needs.

Using the owners' common parts for business (parking on common land, advertising on the
walls, letting common rooms: 利用共有部分从事经营活动) is a matter of Civil Code Art. 278
item 8, decided by at least 3/4 of the participating area and owners; in the rule files
it is the matter ``change_use``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from costshare.households.votes import VoteResult, tally
from costshare.money import to_yuan
from costshare.operation.fund import FundProjection
from costshare.operation.model import MODES, OperatedCommunity, OperationScenario
from costshare.rules import RuleSet

__all__ = [
    "TAX_RULES",
    "VOTE_MATTER",
    "OperationResult",
    "public_income_vote",
    "vote_flag",
]

VOTE_MATTER = "change_use"
"""The vote-rule matter of Civil Code Art. 278 item 8 (改变共有部分用途、利用共有部分从事经营活动)."""
TAX_RULES = ("tax.utility_renovation_depreciation",)
"""Tax-treatment rules shown among a scenario's sources when its jurisdiction has them."""


def vote_flag(communities: list[OperatedCommunity], rules: RuleSet) -> dict[str, Any]:
    """Which communities need an owners' vote for their public income, and the rule.

    Examples
    --------
    >>> from costshare import rules
    >>> from costshare.operation.model import Line
    >>> c = OperatedCommunity(name="a", households=10, area_m2=800, fee=1, collection_rate=1,
    ...     revenues=[Line(name="广告", kind="advertising", annual=1000, common=True)])
    >>> f = vote_flag([c], rules.load("national", on="2024-01-01"))
    >>> f["communities"], f["approve_area"], f["rule"]
    (['a'], '3/4', 'civil_code.art278.special')
    """
    need = [c.name for c in communities if any(x.common for x in c.revenues)]
    rule = rules.vote_rule(VOTE_MATTER)
    return {
        "needed": bool(need),
        "communities": need,
        "matter": VOTE_MATTER,
        "rule": rule.id,
        "label": rule.label or "",
        "quorum_area": str(rule.quorum_area),
        "quorum_owners": str(rule.quorum_owners),
        "approve_area": str(rule.approve_area),
        "approve_owners": str(rule.approve_owners),
        "document": rule.source.document,
        "article": rule.source.article,
        "confidence": rule.confidence,
    }


def public_income_vote(
    units: pd.DataFrame, ballots: Mapping[Any, Any] | pd.Series | pd.DataFrame, rules: RuleSet
) -> VoteResult:
    """Tally the owners' vote on using common parts for business (Art. 278, 3/4 + 3/4).

    The one vote engine (:func:`costshare.households.votes.tally`) on matter
    :data:`VOTE_MATTER`.

    Examples
    --------
    >>> from costshare import rules
    >>> units = pd.DataFrame({"unit_id": ["1", "2", "3", "4"], "area": [80, 80, 80, 80]})
    >>> r = public_income_vote(units, {"1": "yes", "2": "yes", "3": "yes", "4": "no"},
    ...                        rules.load("national", on="2024-01-01"))
    >>> r.passed
    True
    """
    return tally(units, ballots, VOTE_MATTER, rules=rules)


@dataclass(frozen=True)
class OperationResult:
    """Yearly accounts, break-even fees, public-income split, space lines and funds."""

    scenario: OperationScenario
    rules: RuleSet
    yearly: pd.DataFrame
    summary: pd.DataFrame
    lines: pd.DataFrame
    space: pd.DataFrame
    funds: dict[str, FundProjection]
    vote: dict[str, Any] = field(default_factory=dict)

    def community(self, name: str | None = None) -> pd.DataFrame:
        """The yearly table of one community (the first by default)."""
        name = name or self.scenario.communities[0].name
        return self.yearly[self.yearly["community"] == name].reset_index(drop=True)

    def fund_table(self) -> pd.DataFrame:
        """Every community's fund projection, one row per community and year."""
        frames = [f.table.assign(community=k) for k, f in self.funds.items()]
        if not frames:
            return pd.DataFrame(columns=["community", "year", "closing_fen"])
        out = pd.concat(frames, ignore_index=True)
        return out[["community", *[c for c in out.columns if c != "community"]]]

    def sources(self) -> pd.DataFrame:
        """Where each number comes from: rules applied, the scenario's sources, assumptions."""
        rs = self.rules
        rows = []
        used = ["fund.topup_trigger", *TAX_RULES]
        for pid in used:
            if pid in rs.parameters:
                rows.append({"kind": "rule", **_rule_row(rs, rs.parameters[pid])})
        rows.append({"kind": "rule", **_rule_row(rs, rs.vote_rule(VOTE_MATTER))})
        for mode in sorted({c.mode for c in self.scenario.communities}):
            m = MODES[mode]
            rows.append(
                {
                    "kind": "assumption" if m.assumed else "mode",
                    "item": f"mode.{mode}",
                    "what": f"{m.label}: management fee {m.management_fee_ratio} of costs",
                    "source": m.source,
                }
            )
        for s in self.scenario.sources:
            rows.append({"kind": "seed", "item": s.seed, "what": s.note, "source": s.passage})
        for a in self.scenario.assumptions:
            value = "" if a.value is None else f" = {a.value}"
            rows.append(
                {"kind": "assumption", "item": a.what, "what": f"{a.what}{value}", "source": a.note}
            )
        for _, r in self.space.iterrows():
            rows.append(
                {
                    "kind": "assumption",
                    "item": r["name"],
                    "what": "valuation",
                    "source": r["valuation"],
                }
            )
        return pd.DataFrame(rows, columns=["kind", "item", "what", "source", "confidence"])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: summary, yearly, lines, space, fund tables, vote flag, sources."""
        return {
            "scenario": self.scenario.name,
            "jurisdiction": self.rules.key,
            "rules_on": self.rules.on.isoformat(),
            "years": self.scenario.years,
            "summary": self.summary.to_dict("records"),
            "yearly": self.yearly.to_dict("records"),
            "lines": self.lines.to_dict("records"),
            "space": self.space.to_dict("records"),
            "funds": {
                k: {**f.summary(), "table": f.table.to_dict("records")}
                for k, f in self.funds.items()
            },
            "public_income_vote": self.vote,
            "sources": self.sources().fillna("").to_dict("records"),
        }

    def headline(self) -> list[str]:
        """One line per community: fee vs break-even, first unsubsidised year, fund."""
        out = []
        for _, r in self.summary.iterrows():
            fund = r["fund_first_below_trigger"]
            fund_txt = (
                "no fund"
                if r["community"] not in self.funds
                else (
                    f"fund below trigger in year {fund}, top-up {to_yuan(int(r['fund_topup_fen']))} yuan"
                    if fund is not None and not pd.isna(fund)
                    else "fund stays above the trigger"
                )
            )
            first = r["first_year_unsubsidised_breakeven"]
            first_txt = "never" if first is None or pd.isna(first) else f"year {int(first)}"
            out.append(
                f"{r['community']}: fee {r['fee']} vs break-even {r['breakeven_fee']} "
                f"(without subsidy {r['breakeven_fee_without_subsidy']}) yuan/m²/month; "
                f"breaks even without subsidy from {first_txt}; {fund_txt}"
            )
        return out


def _rule_row(rs: RuleSet, rule: Any) -> dict[str, Any]:
    d = rs.describe(rule)
    return {
        "item": d.get("rule"),
        "what": f"{d.get('applies_to') or ''} {d.get('value') or ''}".strip(),
        "source": f"{d.get('document')} {d.get('article')} ({d.get('date')})",
        "confidence": d.get("confidence"),
    }
