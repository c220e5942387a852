"""Community scenarios: work items and funding of one community, balanced to the fen.

A scenario is a YAML file (see ``scenarios/``) validated by :class:`Scenario`. Running it
splits utility items by the jurisdiction's rules (enterprises then pay their share
themselves), pools every other item, and sets the funding plan against the total:
the result is a sources-and-uses table with an explicit gap or surplus line.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, ValidationError, model_validator

from costshare._base import Amount, Share, StrictModel, problems_from_validation
from costshare._yaml import dump_yaml, load_yaml, strip_kind
from costshare.community.scenario_result import ScenarioResult
from costshare.community.split import SplitResult, split_costs
from costshare.errors import InputError, Problem
from costshare.money import to_fen
from costshare.rules import RuleSet
from costshare.rules import load as load_rules

__all__ = ["Community", "Funding", "Scenario", "ScenarioResult", "WorkItem"]

POOLED = "pooled"
"""Payer id of items paid from the community's funding plan (no utility split applies)."""


class Community(StrictModel):
    """The community: where it is, how many households, how much exclusive area."""

    name: str
    jurisdiction: str
    households: Annotated[int, Field(gt=0)]
    area_m2: Annotated[Decimal, Field(gt=0)]
    district: str | None = None
    built_year: int | None = None
    roster: str | None = None


class WorkItem(StrictModel):
    """One renovation work item. ``payer`` assigns it outright (record why in ``note``)."""

    item: str
    category: str
    cost: Amount
    owner: str = "any"
    payer: str | None = None
    note: str | None = None


class Residents(StrictModel):
    """Residents' self-raised money (居民自筹): exactly one way of stating it."""

    ratio: Share | None = None
    per_household: Amount | None = None
    per_m2: Amount | None = None
    amount: Amount | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_basis(self) -> Residents:
        given = [
            k
            for k in ("ratio", "per_household", "per_m2", "amount")
            if getattr(self, k) is not None
        ]
        if len(given) != 1:
            msg = (
                f"give exactly one of ratio, per_household, per_m2, amount (got {given or 'none'})"
            )
            raise ValueError(msg)
        return self


class FundTopup(StrictModel):
    """Owners top up the maintenance fund and pay their contribution from it (Ningbo)."""

    ratio: Share
    standard_yuan_per_m2: Amount | None = None
    existing_balance: Amount = Decimal(0)
    subsidy_ratio: Share | None = None
    subsidy_to: Literal["fund", "cash"] = "fund"


class OtherSource(StrictModel):
    """Any other funding line."""

    name: str
    amount: Amount
    note: str | None = None


CHANNELS: dict[str, str] = {
    "central_subsidy": "中央补助资金",
    "provincial": "省级财政资金",
    "municipal": "市级财政资金",
    "district": "区县财政资金",
    "special_bonds": "地方政府专项债券",
    "line_department": "条线资金",
    "property_unit": "原产权单位出资",
    "maintenance_fund": "住宅专项维修资金",
    "public_income": "小区公共收益",
    "social_capital": "社会资本",
}


class Funding(StrictModel):
    """The funding plan (资金来源), in yuan."""

    central_subsidy: Amount = Decimal(0)
    provincial: Amount = Decimal(0)
    municipal: Amount = Decimal(0)
    district: Amount = Decimal(0)
    special_bonds: Amount = Decimal(0)
    line_department: Amount = Decimal(0)
    property_unit: Amount = Decimal(0)
    maintenance_fund: Amount = Decimal(0)
    public_income: Amount = Decimal(0)
    social_capital: Amount = Decimal(0)
    residents: Residents | None = None
    fund_topup: FundTopup | None = None
    other: list[OtherSource] = []


class Assumption(StrictModel):
    """A figure the documents do not give, entered openly with the reason."""

    what: str
    value: str | int | float | None = None
    note: str


class Citation(StrictModel):
    """Where a scenario's figures come from."""

    seed: str
    passage: str


class Scenario(StrictModel):
    """One community's renovation: work items, funding plan, assumptions and sources.

    Examples
    --------
    >>> from costshare.community.scenario import default_scenario_path
    >>> s = Scenario.from_yaml(default_scenario_path())
    >>> r = s.run()
    >>> r.uses_fen == r.sources_fen + r.gap_fen
    True
    """

    name: str
    description: str | None = None
    community: Community
    rules_date: dt.date | None = None
    work_items: Annotated[list[WorkItem], Field(min_length=1)]
    funding: Funding = Funding()
    assumptions: list[Assumption] = []
    sources: list[Citation] = []

    @classmethod
    def from_yaml(cls, path: str | Path, text: str | None = None) -> Scenario:
        """Load and validate a scenario file; errors name the file, item and field."""
        name = Path(path).name
        raw = load_yaml(path, text)
        return cls.from_dict(raw, name)

    @classmethod
    def from_dict(cls, raw: Any, name: str = "<scenario>") -> Scenario:
        """Validate plain data (as read from YAML) into a scenario."""
        if not isinstance(raw, dict):
            raise InputError(Problem("a scenario must be a mapping at top level", file=name))
        raw = strip_kind(raw, "community", name)
        names = {
            ("work_items", i): f"work item {i + 1} ({w.get('item', '?')!r})"
            for i, w in enumerate(raw.get("work_items") or [])
            if isinstance(w, dict)
        }
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            raise problems_from_validation(exc, name, names) from None

    def to_dict(self) -> dict[str, Any]:
        """Plain data that :meth:`from_dict` reads back to an equal scenario."""
        return _plain(self.model_dump(mode="python", exclude_defaults=True))

    def to_yaml(self) -> str:
        """The scenario as YAML text."""
        return dump_yaml(self.to_dict())

    def rules(self) -> RuleSet:
        """The jurisdiction's rules in force on ``rules_date`` (today when unset)."""
        return load_rules(self.community.jurisdiction, self.rules_date)

    def run(self) -> ScenarioResult:
        """Split the items, set the funding plan against them, and balance to the fen."""
        rs = self.rules()
        split = _split(self.work_items, rs)
        uses_fen = split.total_fen()
        lines = _enterprise_lines(split, rs) + _funding_lines(self, uses_fen, rs)
        fund = _fund_memo(self, lines, rs)
        return ScenarioResult.build(self, rs, split, lines, fund)


def _plain(x: Any) -> Any:
    """Decimals as YAML numbers, dates as ISO text, so the dump reads back equal."""
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_plain(v) for v in x]
    if isinstance(x, Decimal):
        if x == x.to_integral_value():
            return int(x)
        return float(x) if len(x.as_tuple().digits) <= 15 else str(x)
    if isinstance(x, dt.date):
        return x.isoformat()
    return x


def _split(items: list[WorkItem], rs: RuleSet) -> SplitResult:
    """Utility items by rule; items with an explicit payer or a non-utility category as given."""
    by_rule = [w for w in items if w.payer is None and w.category in rs.utility_categories]
    table = split_costs([w.model_dump() for w in by_rule], rs).table if by_rule else None
    direct = []
    for w in items:
        if w.payer is not None or w.category not in rs.utility_categories:
            payer = w.payer or POOLED
            if payer not in rs.payers and payer != POOLED:
                msg = f"unknown payer {payer!r}; {rs.key} declares {sorted(rs.payers)}"
                raise InputError(Problem(msg, where=f"work item {w.item!r}", field="payer"))
            note = w.note or (
                "assigned in the scenario" if w.payer else "paid from the funding plan"
            )
            direct.append(
                {
                    "item": w.item,
                    "category": w.category,
                    "owner": w.owner,
                    "payer": payer,
                    "share": Decimal(1),
                    "amount_fen": to_fen(w.cost),
                    "rule": "",
                    "source": note,
                    "fallback": w.payer is None,
                }
            )
    frames = [f for f in (table, pd.DataFrame(direct)) if f is not None and len(f)]
    merged = pd.concat(frames, ignore_index=True)
    order = {w.item: i for i, w in enumerate(items)}
    merged = merged.sort_values("item", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )
    merged["amount_fen"] = merged["amount_fen"].astype(np.int64)
    return SplitResult(table=merged, rules=rs)


_GOVERNMENT_PAID = {"local_finance", POOLED}


def _enterprise_lines(split: SplitResult, rs: RuleSet) -> list[dict[str, Any]]:
    """Payers that fund their own share (enterprises, property units) are sources at once."""
    sums = split.table.groupby("payer", sort=False)["amount_fen"].sum()
    return [
        {
            "channel": f"payer:{p}",
            "line": rs.payers.get(p, p),
            "amount_fen": int(f),
            "note": "按规则分担",
        }
        for p, f in sums.items()
        if p not in _GOVERNMENT_PAID and f > 0
    ]


def _residents_fen(s: Scenario, uses_fen: int) -> int:
    r = s.funding.residents
    if r is None:
        return 0
    c = s.community
    if r.ratio is not None:
        amount = Decimal(uses_fen) * r.ratio / 100
    elif r.per_household is not None:
        amount = r.per_household * c.households
    elif r.per_m2 is not None:
        amount = r.per_m2 * c.area_m2
    else:
        amount = r.amount or Decimal(0)
    return to_fen(amount.quantize(Decimal("0.01"), ROUND_HALF_UP))


def _funding_lines(s: Scenario, uses_fen: int, rs: RuleSet) -> list[dict[str, Any]]:
    f = s.funding
    lines = [
        {"channel": k, "line": label, "amount_fen": to_fen(getattr(f, k)), "note": ""}
        for k, label in CHANNELS.items()
        if getattr(f, k) > 0
    ]
    residents = _residents_fen(s, uses_fen)
    if residents:
        note = f.residents.note if f.residents and f.residents.note else ""
        lines.append(
            {"channel": "residents", "line": "居民自筹", "amount_fen": residents, "note": note}
        )
    lines += [
        {"channel": "other", "line": o.name, "amount_fen": to_fen(o.amount), "note": o.note or ""}
        for o in f.other
    ]
    del rs
    return lines


def _fund_memo(s: Scenario, lines: list[dict[str, Any]], rs: RuleSet) -> dict[str, int] | None:
    """Ningbo-style top-up at community level: the residents' money is paid via the fund."""
    t = s.funding.fund_topup
    if t is None:
        return None
    from costshare.community.fund import FUND_COLUMNS, maintenance_fund

    res = next((ln for ln in lines if ln["channel"] == "residents"), None)
    contribution = Decimal(res["amount_fen"] if res else 0) / 100
    sub = t.subsidy_ratio
    if sub is None:
        p = rs.parameters.get("fund.subsidy_ratio")
        sub = p.value if p is not None else Decimal("0.5")
    df = maintenance_fund(
        [float(s.community.area_m2)],
        [str(t.existing_balance)],
        [str(contribution)],
        standard=t.standard_yuan_per_m2,
        ratio=t.ratio,
        subsidy_ratio=sub,
        jurisdiction=s.community.jurisdiction
        if t.standard_yuan_per_m2 is None or _has_range(rs)
        else None,
        subsidy_to=t.subsidy_to,
    )
    row = df.iloc[0]
    if res is not None:
        used = int(row["fund_used_fen"])
        res["amount_fen"] -= used
        res["line"] = "居民自筹（现金）"
        lines.insert(
            lines.index(res),
            {
                "channel": "residents_fund",
                "line": "居民自筹（维修资金支付）",
                "amount_fen": used,
                "note": "即交即用",
            },
        )
        if res["amount_fen"] == 0:
            lines.remove(res)
    return {k: int(row[k]) for k in FUND_COLUMNS}


def _has_range(rs: RuleSet) -> bool:
    return "fund.topup_ratio_min" in rs.parameters


def default_scenario_path() -> Path:
    """The bundled default scenario (a Fujian community using every utility category)."""
    here = Path(__file__).resolve().parent.parent
    for cand in (
        here.parent / "scenarios" / "fujian_default.yaml",
        here / "data" / "fujian_default.yaml",
    ):
        if cand.exists():
            return cand
    msg = "the default scenario file is missing"
    raise FileNotFoundError(msg)
