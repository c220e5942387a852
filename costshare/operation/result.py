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
    "year_runs",
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

    def period(self) -> pd.DataFrame:
        """The whole period per community: worst year, years in deficit, period break-even.

        ``breakeven_fee_period`` is the constant fee (yuan/m²/month, rounded up to the
        fen) at which the fees over all years cover the costs less other revenue, the
        operator's public income and the subsidies over the same years;
        ``breakeven_fee_period_without_subsidy`` the same with no subsidy. ``deficit_years``
        lists the years whose surplus (at the scenario's own fee) is below 0.

        Examples
        --------
        >>> from costshare import rules
        >>> from costshare.operation import OperationScenario, operate
        >>> s = OperationScenario(name="x", years=2, communities=[dict(
        ...     name="a", households=10, area_m2=1000, fee=1, collection_rate=0.9,
        ...     mode="trusteeship", costs=[dict(name="保洁", kind="cleaning_greening",
        ...     annual=12000)], subsidy=[1200])])
        >>> p = operate(s, rules.load("national", on="2024-01-01")).period()
        >>> p[["worst_year", "worst_surplus_fen", "deficit_years"]].values.tolist()
        [[2, -120000, [2]]]
        >>> p[["breakeven_fee_period", "breakeven_fee_period_without_subsidy"]].values.tolist()
        [['1.06', '1.12']]
        """
        from costshare.operation.engine import breakeven_fee_fen

        rows = []
        by_name = {c.name: c for c in self.scenario.communities}
        for name, y in self.yearly.groupby("community", sort=False):
            c = by_name[name]
            surplus = y["surplus_fen"].to_numpy()
            worst = int(surplus.argmin())
            need = int((y["cost_fen"] - y["other_revenue_fen"] - y["to_operator_fen"]).sum())
            sub = int(y["subsidy_fen"].sum())
            rate = str(c.collection_rate * len(y))  # fees over all the years, collected
            be = breakeven_fee_fen([need - sub, need], [str(c.area_m2)], [rate])
            rows.append(
                {
                    "community": name,
                    "years": len(y),
                    "worst_year": int(y["year"].iloc[worst]),
                    "worst_surplus_fen": int(surplus[worst]),
                    "deficit_years": [int(v) for v in y["year"][surplus < 0].tolist()],
                    "unsubsidised_years": [
                        int(v) for v in y["year"][(y["subsidy_fen"] == 0) & (surplus >= 0)].tolist()
                    ],
                    "cumulative_fen": int(surplus.sum()),
                    "breakeven_fee_period": str(to_yuan(int(be[0]))),
                    "breakeven_fee_period_without_subsidy": str(to_yuan(int(be[1]))),
                }
            )
        return pd.DataFrame(rows)

    def headline(self) -> list[str]:
        """One line per community over the whole period: fee vs the period's break-even,
        years in deficit and the worst year, when it breaks even without subsidy, fund."""
        out = []
        period = self.period().set_index("community")
        for _, r in self.summary.iterrows():
            p = period.loc[r["community"]]
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
            n = int(p["years"])
            free = p["unsubsidised_years"]
            first_txt = (
                f"does not break even without subsidy in any of the {n} years"
                if not free
                else (
                    f"breaks even without subsidy from year {free[0]} on"
                    if free == list(range(free[0], n + 1))
                    else f"breaks even without subsidy in {len(free)} of {n} years "
                    f"(years {year_runs(free)})"
                )
            )
            deficits = p["deficit_years"]
            deficit_txt = (
                f"{len(deficits)} of {n} years in deficit (worst year {p['worst_year']}: "
                f"{to_yuan(int(p['worst_surplus_fen'])):,} yuan)"
                if deficits
                else f"no year in deficit over {n} years"
            )
            out.append(
                f"{r['community']}: fee {r['fee']} vs break-even over {n} years "
                f"{p['breakeven_fee_period']} (year 1 {r['breakeven_fee']}; without subsidy "
                f"{p['breakeven_fee_period_without_subsidy']}) yuan/m²/month; {deficit_txt}; "
                f"{first_txt}; {fund_txt}"
            )
        return out


def year_runs(years: list[int]) -> str:
    """Years as runs: ``1-3, 5``.

    >>> year_runs([1, 2, 3, 5])
    '1-3, 5'
    """
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _rule_row(rs: RuleSet, rule: Any) -> dict[str, Any]:
    d = rs.describe(rule)
    return {
        "item": d.get("rule"),
        "what": f"{d.get('applies_to') or ''} {d.get('value') or ''}".strip(),
        "source": f"{d.get('document')} {d.get('article')} ({d.get('date')})",
        "confidence": d.get("confidence"),
    }
