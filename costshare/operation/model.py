"""The operation scenario (``kind: operation``): communities after renovation, as data.

Each community has its charged area, property fee and collection rate, revenue and cost
lines, subsidies by year, a management mode (:data:`MODES`), the split of its public
income (公共收益), space and land lines (:mod:`costshare.operation.space`) and its
maintenance fund. Amounts are yuan (exact decimals); the engine turns them into fen.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, model_validator

from costshare.base import Amount, Share, StrictModel, problems_from_validation
from costshare.errors import InputError, Problem
from costshare.operation.space import SpaceLine
from costshare.rules.dated import Day
from costshare.yamlio import load_kind_yaml, strip_kind

__all__ = [
    "COST_KINDS",
    "MODES",
    "REVENUE_KINDS",
    "FundSpec",
    "Line",
    "Mode",
    "OperatedCommunity",
    "OperationScenario",
    "PublicIncomeSplit",
    "RepairCycle",
]

REVENUE_KINDS = ("parking", "chargers", "advertising", "space", "care_contract", "other")
"""Non-fee revenue lines (the property fee is the community's own ``fee``)."""
COST_KINDS = ("staff", "cleaning_greening", "security", "utilities", "small_repairs", "other")
"""Cost lines; the management fee is added by the management mode."""
Rate = Annotated[Decimal, Field(ge=Decimal("-0.5"), le=1)]
Name = Annotated[str, Field(min_length=1)]


class Mode(StrictModel):
    """A management mode (物业管理模式) and the management fee it adds on the cost lines."""

    label: str
    management_fee_ratio: Share
    """Fee of the manager as a ratio of the other costs (酬金); 0 when none is paid."""
    source: str
    assumed: bool


MODES: dict[str, Mode] = {
    "professional": Mode(
        label="专业化物业服务企业",
        management_fee_ratio=Decimal("0.10"),
        source="seed 001 (第56行); seed 002 咸宁 (第97行); seed 003 盐城 (第39–43行)",
        assumed=True,
    ),
    "trusteeship": Mode(
        label="街道社区托底（托管）",
        management_fee_ratio=Decimal(0),
        source="seed 001 社区托管 (第56行); seed 002 咸宁 政府兜底托管; seed 003 街道社区托底",
        assumed=True,
    ),
    "self_management": Mode(
        label="业主自治（自我管理）",
        management_fee_ratio=Decimal(0),
        source="seed 002 咸宁 居民自我管理 (第97行); seed 003 盐城 业主自治 (第39–43行)",
        assumed=True,
    ),
}
"""The modes the seeds name. The modes are from the documents; the management-fee ratios
are assumptions (no seed gives one): 10% of costs for a professional company (a common
酬金制 level), none for trusteeship and self-management. A community may override it."""


class Line(StrictModel):
    """A revenue or cost line: ``annual`` yuan, or ``quantity × price × 12 × rate``."""

    name: Name
    kind: str = "other"
    annual: Amount | None = None
    """Yuan a year (a contract, advertising income, a salary bill)."""
    quantity: Amount | None = None
    """Spaces, chargers, m² of rooms..."""
    price: Amount | None = None
    """Yuan per unit per month."""
    rate: Share = Decimal(1)
    """Occupancy or collection rate."""
    common: bool = False
    """Income from the owners' common parts (公共收益), split by ``public_income``."""
    start_year: Annotated[int, Field(ge=1)] = 1
    end_year: Annotated[int, Field(ge=1)] | None = None
    growth: Rate = Decimal(0)
    """Yearly growth of the amount, compounded on the amount billed (rounded to the fen)
    each year: a fee or price is raised on the current one, so every year is a whole
    fen amount that is actually charged. The PPP engine instead compounds a forecast
    from its base year (``half_up(base × (1+g)**t)``, rounded once per year), as a
    financial model projects revenue; the two agree except for fen of rounding drift."""
    note: str = ""

    @model_validator(mode="after")
    def _one_way(self) -> Line:
        if (self.annual is None) == (self.quantity is None or self.price is None):
            msg = "give either annual, or quantity and price (yuan per unit per month)"
            raise ValueError(msg)
        if self.end_year is not None and self.end_year < self.start_year:
            raise ValueError("end_year is before start_year")
        return self


class PublicIncomeSplit(StrictModel):
    """Shares of public income to the fund, the operator and the owners (sum to 1)."""

    fund: Share = Decimal(1)
    operator: Share = Decimal(0)
    owners: Share = Decimal(0)

    @model_validator(mode="after")
    def _sum(self) -> PublicIncomeSplit:
        total = self.fund + self.operator + self.owners
        if total != 1:
            raise ValueError(f"fund + operator + owners add up to {total}, not exactly 1")
        return self


class RepairCycle(StrictModel):
    """A major repair on its replacement cycle: ``cost`` in years first, first+cycle, …"""

    item: Name
    cost: Amount
    first_year: Annotated[int, Field(ge=1)]
    cycle_years: Annotated[int, Field(ge=1)] | None = None


class FundSpec(StrictModel):
    """The community's maintenance fund: opening balance, flows, repairs."""

    opening: Amount
    initial_deposits: Amount | None = None
    """First deposits the 165号 trigger is a ratio of; default: the opening balance."""
    rate: Annotated[Decimal, Field(ge=0, le=1)] = Decimal(0)
    contributions: Amount | list[Amount] = Decimal(0)
    repairs: list[RepairCycle] = []
    trigger: Share | None = None
    """Default: ``fund.topup_trigger`` of the jurisdiction's rules."""
    target: Amount | None = None
    """Balance a top-up restores; default: the first deposits."""


class OperatedCommunity(StrictModel):
    """One community after renovation."""

    name: Name
    households: Annotated[int, Field(ge=1)]
    area_m2: Annotated[Decimal, Field(gt=0)]
    """Exclusive area charged the property fee."""
    fee: Amount
    """Property fee, yuan per m² per month."""
    collection_rate: Share
    fee_growth: Rate = Decimal(0)
    mode: Literal["professional", "trusteeship", "self_management"] = "professional"
    management_fee_ratio: Share | None = None
    """Overrides the mode's assumed ratio."""
    revenues: list[Line] = []
    costs: list[Line] = []
    subsidy: list[Amount] = []
    """Property-service subsidy by year (year 1 first); later years none."""
    public_income: PublicIncomeSplit = PublicIncomeSplit()
    space: list[SpaceLine] = []
    fund: FundSpec | None = None

    @model_validator(mode="after")
    def _names(self) -> OperatedCommunity:
        if self.collection_rate == 0:
            raise ValueError("collection_rate must be above 0 (the break-even fee divides by it)")
        for group in ("revenues", "costs"):
            names = [x.name for x in getattr(self, group)]
            if len(set(names)) != len(names):
                raise ValueError(f"{group}: names must be unique, got {names}")
        for x in self.revenues:
            if x.kind not in REVENUE_KINDS:
                raise ValueError(f"revenue {x.name!r}: kind must be one of {REVENUE_KINDS}")
        for x in self.costs:
            if x.kind not in COST_KINDS:
                raise ValueError(f"cost {x.name!r}: kind must be one of {COST_KINDS}")
            if x.common:
                raise ValueError(f"cost {x.name!r}: only revenue lines can be common income")
        return self

    @property
    def fee_ratio(self) -> Decimal:
        """The management-fee ratio in force: the community's, else its mode's."""
        if self.management_fee_ratio is not None:
            return self.management_fee_ratio
        return MODES[self.mode].management_fee_ratio


class Assumption(StrictModel):
    """A figure no document states: what, its value and why (Chinese; ``*_en``: English)."""

    what: Name
    value: str | float | int | None = None
    note: Name
    what_en: str | None = None
    value_en: str | None = None
    note_en: str | None = None


class SourceRef(StrictModel):
    """A seed passage the scenario rests on (``note``: Chinese; ``note_en``: English)."""

    seed: Name
    passage: Name
    note: str = ""
    note_en: str | None = None


class OperationScenario(StrictModel):
    """An operation scenario: one community or a city's communities, over ``years``."""

    name: Name
    description: str = ""
    name_en: str | None = None  # English name and description (``name``/``description``: Chinese)
    description_en: str | None = None
    jurisdiction: str = "national"
    rules_date: Day | None = None
    years: Annotated[int, Field(ge=1, le=100)] = 10
    communities: Annotated[list[OperatedCommunity], Field(min_length=1)]
    assumptions: list[Assumption] = []
    sources: list[SourceRef] = []

    @model_validator(mode="after")
    def _unique(self) -> OperationScenario:
        names = [c.name for c in self.communities]
        if len(set(names)) != len(names):
            raise ValueError(f"communities: names must be unique, got {names}")
        for c in self.communities:
            if len(c.subsidy) > self.years:
                raise ValueError(f"{c.name}: {len(c.subsidy)} subsidy years exceed {self.years}")
            contributions = None if c.fund is None else c.fund.contributions
            if isinstance(contributions, list) and len(contributions) != self.years:
                msg = f"{c.name}: fund.contributions needs {self.years} amounts"
                raise ValueError(msg)
        return self

    def day(self, today: dt.date | None = None) -> dt.date:
        """The date whose rules apply: ``rules_date``, else `today` (the shell's choice)."""
        if self.rules_date is not None:
            return self.rules_date
        if today is None:
            raise InputError(Problem("give rules_date or today", field="rules_date"))
        return today

    @classmethod
    def from_dict(cls, data: Any, source: str = "<operation>") -> OperationScenario:
        """Validate `data`; problems become one :class:`InputError` naming `source`."""
        if not isinstance(data, dict):
            raise InputError(Problem("an operation scenario must be a mapping", source))
        data = strip_kind(data, "operation", source)
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise problems_from_validation(exc, source) from None

    def to_yaml(self) -> str:
        """The scenario as YAML text (``kind: operation``; defaults left out), readable back.

        Examples
        --------
        >>> s = OperationScenario.from_yaml("scenarios/operation/changping_closed_estate.yaml")
        >>> OperationScenario.from_yaml("x.yaml", text=s.to_yaml()) == s
        True
        """
        import yaml

        data = {"kind": "operation", **self.model_dump(mode="json", exclude_defaults=True)}
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    @classmethod
    def from_yaml(cls, path: str | Path, text: str | None = None) -> OperationScenario:
        """Load an operation scenario YAML file (or `text` attributed to `path`)."""
        return cls.from_dict(load_kind_yaml(path, "operation", text), Path(path).name)
