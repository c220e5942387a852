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

from costshare.community.channels import residents_mask
from costshare.community.earmark import EarmarkResult, earmark_check
from costshare.community.land import LandResult, land_value
from costshare.community.model import ScenarioModel
from costshare.community.split import SplitResult
from costshare.money import half_up, to_yuan
from costshare.rules import RuleSet

__all__ = [
    "LOCAL_FINANCE_LINES",
    "ScenarioResult",
    "balance_table",
    "fund_json",
    "memo_lines",
    "uses_by_item",
]

_TABLE = ["section", "line", "key", "amount_fen", "amount", "note"]
LOCAL_FINANCE_LINES = ("provincial", "municipal", "district")
"""The funding lines paid by local finance (地方财政): what rule shares on it must fit in."""


def fund_json(fund: dict[str, int] | None) -> dict[str, Any] | None:
    """A fund memo for JSON: each ``*_fen`` key keeps fen (int), plus its yuan as text.

    Examples
    --------
    >>> fund_json({"topup_fen": 111120000})
    {'topup_fen': 111120000, 'topup': '1111200.00'}
    """
    if fund is None:
        return None
    out: dict[str, Any] = {}
    for k, v in fund.items():
        out[k] = int(v)
        out[k.removesuffix("_fen")] = str(to_yuan(int(v)))
    return out


def balance_table(
    uses: Iterable[tuple[str, str, int]],
    sources: Iterable[tuple[str, str, int, str]],
    memo: Iterable[tuple[str, str, int, str]] = (),
    balance: Iterable[tuple[str, str, int, str]] | None = None,
) -> pd.DataFrame:
    """Sources and uses: uses by item, the funding lines, then the balance section.

    Parameters
    ----------
    uses : iterable of (item, category, amount_fen)
    sources : iterable of (line, key, amount_fen, note)
    memo : iterable of (line, key, amount_fen, note), optional
        Lines shown after the balance (section ``memo``) and not counted in it: the
        residents' full burden, a fiscal subsidy paid into the maintenance fund.
    balance : iterable of (line, key, amount_fen, note), optional
        The lines after the two totals in place of the plain gap/surplus/balanced line
        (earmarks: :meth:`costshare.community.earmark.EarmarkResult.balance_lines`).

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
    if balance is not None:
        rows += [("balance", line, key, int(fen), note) for line, key, fen, note in balance]
    elif gap > 0:
        rows.append(("balance", "资金缺口 funding gap", "gap", gap, "uses exceed sources"))
    elif gap < 0:
        rows.append(("balance", "资金结余 surplus", "surplus", -gap, "sources exceed uses"))
    else:
        rows.append(("balance", "收支平衡 balanced", "balanced", 0, ""))
    rows += [("memo", line, key, int(fen), note) for line, key, fen, note in memo]
    df = pd.DataFrame(rows, columns=[c for c in _TABLE if c != "amount"])
    df["amount_fen"] = df["amount_fen"].astype("int64")
    df["amount"] = [to_yuan(f) for f in df["amount_fen"]]
    return df[_TABLE]


def memo_lines(
    households: int, burden_fen: int, fund: dict[str, int] | None, subsidy_to: str = "fund"
) -> list[tuple[str, str, int, str]]:
    """The memo section of a community's table under a fund top-up (none without one).

    The fiscal subsidy paid into the maintenance fund, the owners' top-up and their full
    burden (cash self-raise + top-up); without a top-up the burden is the residents' lines
    already in the sources, so there is no memo.

    Examples
    --------
    >>> [k for _, k, _, _ in memo_lines(2, 300, {"subsidy_fen": 50, "topup_fen": 300})]
    ['fiscal_subsidy', 'residents_topup', 'residents_burden']
    >>> memo_lines(3, 100, {"subsidy_fen": 0, "topup_fen": 100})[-1][3]
    '自筹现金 + 补交维修资金；每户 0.33 元'
    >>> memo_lines(3, 100, None)
    []
    """
    if not fund:
        return []
    where = "维修资金" if subsidy_to == "fund" else "居民现金返还"
    note = f"市、区两级财政出资，计入{where}；不是改造资金来源"
    per = to_yuan(half_up(burden_fen, households)) if households else ""
    return [
        (
            "财政补贴（维修资金使用额的补贴）fiscal subsidy",
            "fiscal_subsidy",
            int(fund["subsidy_fen"]),
            note,
        ),
        ("居民补交维修资金 owners' fund top-up", "residents_topup", int(fund["topup_fen"]), ""),
        (
            "居民实际负担 residents' full burden",
            "residents_burden",
            burden_fen,
            f"自筹现金 + 补交维修资金；每户 {per} 元",
        ),
    ]


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

    def earmarks(self) -> EarmarkResult | None:
        """Earmarked lines paid first to what they may pay (None without earmarks)."""
        marks = self.scenario.funding.earmarks
        if not marks:
            return None
        t = self.split.table
        # an enterprise's rule share is paid by the enterprise: no earmark may pay it
        own = ~t["payer"].isin(["pooled", "local_finance"])
        items = [
            (f"{i}〔{p}〕", f"payer:{p}", f) if o else (i, c, f)
            for i, c, p, f, o in zip(
                t["item"], t["category"], t["payer"], t["amount_fen"], own, strict=True
            )
        ]
        src = self.sources.groupby("channel", sort=False)["amount_fen"].sum()
        return earmark_check(
            items, {k: int(v) for k, v in src.items()}, [(e.channel, e.may_pay) for e in marks]
        )

    def table(self) -> pd.DataFrame:
        """Sources and uses (see :func:`balance_table`); earmarks change the balance lines."""
        u = self.uses()
        em = self.earmarks()
        return balance_table(
            u[["item", "category", "amount_fen"]].itertuples(index=False),
            self.sources[["line", "channel", "amount_fen", "note"]].itertuples(index=False),
            self.memo_lines(),
            None if em is None else em.balance_lines(),
        )

    def _line(self, prefix: str, exact: bool = False) -> int:
        ch = self.sources["channel"]
        mask = ch == prefix if exact else ch.str.startswith(prefix)
        return int(self.sources.loc[mask, "amount_fen"].sum())

    def burden_fen(self) -> int:
        """The residents' full burden: self-raised cash plus what they pay into the fund.

        Under a Ningbo-style top-up the renovation contribution is paid from the topped-up
        fund, so the burden is the top-up plus any cash paid beside it; otherwise it is
        the residents' lines of the sources.
        """
        if not self.fund:
            return self._line("residents")
        return self._line("residents", exact=True) + int(self.fund["topup_fen"])

    def memo_lines(self) -> list[tuple[str, str, int, str]]:
        """Lines after the balance: the residents' full burden and the fund's fiscal subsidy."""
        t = self.scenario.funding.fund_topup
        to = t.subsidy_to if t is not None else "fund"
        return memo_lines(self.scenario.community.households, self.burden_fen(), self.fund, to)

    def local_finance_fen(self) -> tuple[int, int, int]:
        """(local-finance shares by rule, by the scenario, local funding lines), in fen."""
        t = self.split.table
        ruled = t["rule"].astype(str) != ""
        local = t["payer"] == "local_finance"
        by_rule = int(t.loc[ruled & local, "amount_fen"].sum())
        assigned = int(t.loc[~ruled & local, "amount_fen"].sum())
        have = sum(self._line(k, exact=True) for k in LOCAL_FINANCE_LINES)
        return by_rule, assigned, have

    def warnings(self) -> list[str]:
        """What the figures do not say by themselves (empty when nothing to warn)."""
        out = []
        by_rule, assigned, have = self.local_finance_fen()
        owed = by_rule + assigned
        if by_rule and owed > have:
            out.append(
                f"local finance (地方财政) is assigned {to_yuan(owed)} yuan ({to_yuan(by_rule)} "
                f"by rules, {to_yuan(assigned)} by the scenario) but the local funding lines "
                f"({', '.join(LOCAL_FINANCE_LINES)}) total {to_yuan(have)}: "
                f"{to_yuan(owed - have)} is covered by other lines (e.g. the central subsidy) "
                "that no rule assigns"
            )
        for x in self.scenario.funding.land:
            if x.unsourced():
                out.append(f"land line {x.name!r}: no source for {', '.join(x.unsourced())}")
        em = self.earmarks()
        if em is not None and em.misuse_fen:
            out.append(
                f"earmarked money (渠道不乱、用途不变) would pay other uses: "
                f"{to_yuan(em.misuse_fen)} yuan idle on "
                + ", ".join(x.channel for x in em.lines if x.idle_fen)
                + f" while a gap of {to_yuan(em.free_gap_fen)} yuan has no free money"
            )
        return out

    def obligations(self) -> dict[str, Decimal]:
        """What each payer owes under the rules (``pooled`` = paid by the funding plan)."""
        return self.split.by_payer()

    def indicators(self) -> dict[str, Decimal]:
        """Per-household and per-m² figures, in yuan, rounded half-up to the fen.

        ``residents_*`` are the residents' lines of the sources; ``residents_burden`` adds
        what they pay into the maintenance fund (see :meth:`burden_fen`); ``fiscal_subsidy``
        is the subsidy paid into the fund under a top-up.
        """
        c = self.scenario.community
        a_num, a_den = c.area_m2.as_integer_ratio()
        src = self.sources
        res = int(src.loc[residents_mask(src["channel"]), "amount_fen"].sum())

        def per_hh(fen: int) -> Decimal:
            return to_yuan(half_up(fen, c.households))

        def per_m2(fen: int) -> Decimal:
            return to_yuan(half_up(fen * a_den, a_num))

        burden = self.burden_fen()
        extra = {
            "residents_burden": to_yuan(burden),
            "residents_burden_per_household": per_hh(burden),
        }
        if self.fund:
            extra["fiscal_subsidy"] = to_yuan(int(self.fund["subsidy_fen"]))
        em = self.earmarks()
        if em is not None:
            extra["earmark_idle"] = to_yuan(em.idle_fen)
            extra["earmark_diverted"] = to_yuan(em.misuse_fen)
            extra["gap_after_earmarks"] = to_yuan(em.free_gap_fen)
        return {
            "total_uses": to_yuan(self.uses_fen),
            "total_sources": to_yuan(self.sources_fen),
            "gap": to_yuan(self.gap_fen),
            "uses_per_household": per_hh(self.uses_fen),
            "uses_per_m2": per_m2(self.uses_fen),
            "residents_total": to_yuan(res),
            "residents_per_household": per_hh(res),
            "residents_per_m2": per_m2(res),
            **extra,
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
            "fund": fund_json(self.fund) if self.fund else None,
            "warnings": self.warnings(),
            **({"earmarks": em.to_json()} if (em := self.earmarks()) else {}),
            **({"land": [r.to_json() for r in lr]} if (lr := self.land()) else {}),
        }

    def land(self) -> list[LandResult]:
        """Each land line valued step by step (the amounts the sources carry)."""
        return [land_value(x) for x in self.scenario.funding.land]


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
