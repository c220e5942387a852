"""The community scenario as data: community, work items, funding plan, sources.

Pure pydantic models (no engine): :class:`ScenarioModel` reads and writes a scenario file;
:class:`costshare.community.scenario.Scenario` adds ``run``. The result type
(:mod:`costshare.community.scenario_result`) refers to these models only.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, Field, ValidationError, field_validator, model_validator

from costshare import i18n
from costshare.base import Amount, FenAmount, Share, StrictModel, problems_from_validation
from costshare.community.land import LandValue
from costshare.errors import InputError, Problem
from costshare.yamlio import dump_yaml, load_kind_yaml, strip_kind

__all__ = [
    "CHANNELS",
    "POOLED",
    "RESIDENT_BASES",
    "Assumption",
    "Citation",
    "Community",
    "Earmark",
    "FundTopup",
    "Funding",
    "LandValue",
    "OtherSource",
    "Residents",
    "ScenarioModel",
    "WorkItem",
]

POOLED = "pooled"
"""Payer id of items paid from the community's funding plan (no utility split applies)."""

_PLAN_CHANNELS = (
    "central_subsidy",
    "provincial",
    "municipal",
    "district",
    "special_bonds",
    "line_department",
    "property_unit",
    "maintenance_fund",
    "public_income",
    "social_capital",
)
CHANNELS: dict[str, str] = {k: i18n.label("channel", k) for k in _PLAN_CHANNELS}
"""The funding channels of a plan (key → Chinese label from the translation table), in order."""


def _rule_key(v: str) -> str:
    # a bundled key, never a path: a scenario must not make costshare read other files
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", v):
        msg = "give a bundled rule key such as 'fujian' (see `costshare rules list`), not a path"
        raise ValueError(msg)
    return v


class Community(StrictModel):
    """The community: where it is, how many households, how much exclusive area."""

    name: str
    jurisdiction: Annotated[str, AfterValidator(_rule_key)]
    households: Annotated[int, Field(gt=0)]
    area_m2: Annotated[Decimal, Field(gt=0)]
    district: str | None = None
    built_year: int | None = None
    roster: str | None = None


class WorkItem(StrictModel):
    """One renovation work item. ``payer`` assigns it outright (record why in ``note``).

    An ``owner`` left empty (``None``) means ``any``.
    """

    item: str
    category: str
    cost: FenAmount
    owner: str = "any"
    payer: str | None = None
    note: str | None = None

    @field_validator("owner", mode="before")
    @classmethod
    def _any_owner(cls, v: Any) -> Any:
        return "any" if v is None or v == "" else v


RESIDENT_BASES = ("ratio", "per_household", "per_m2", "amount")
"""The ways residents' money is stated: a ratio of uses, yuan per household or per m², an amount."""


class Residents(StrictModel):
    """Residents' self-raised money (居民自筹): exactly one way of stating it."""

    # amounts here may hold more than fen: the goal seek solves them to 10 places

    ratio: Share | None = None
    per_household: Amount | None = None
    per_m2: Amount | None = None
    amount: Amount | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_basis(self) -> Residents:
        given = [k for k in RESIDENT_BASES if getattr(self, k) is not None]
        if len(given) != 1:
            msg = (
                f"give exactly one of ratio, per_household, per_m2, amount (got {given or 'none'})"
            )
            raise ValueError(msg)
        return self

    def basis(self) -> tuple[str, Decimal]:
        """The basis given and its value.

        Examples
        --------
        >>> Residents(per_m2=Decimal("20.03")).basis()
        ('per_m2', Decimal('20.03'))
        """
        for k in RESIDENT_BASES:
            v = getattr(self, k)
            if v is not None:
                return k, v
        raise AssertionError("validated: one basis is given")  # pragma: no cover


class FundTopup(StrictModel):
    """Owners top up the maintenance fund and pay their contribution from it (Ningbo)."""

    ratio: Share
    standard_yuan_per_m2: Amount | None = None
    existing_balance: FenAmount = Decimal(0)
    subsidy_ratio: Share | None = None
    subsidy_to: Literal["fund", "cash"] = "fund"


class OtherSource(StrictModel):
    """Any other funding line; ``in_kind`` marks a contribution in kind (donated rooms,
    Huangshi, seed 002 line 131) valued in yuan: it must be earmarked to what it is."""

    name: str
    amount: Amount
    note: str | None = None
    in_kind: bool = False


class Earmark(StrictModel):
    """A funding line bound to what it may pay for (渠道不乱、用途不变, seed 002 line 119).

    ``channel`` is a channel key (``line_department``, ``central_subsidy``, ...) or
    ``other:<name>`` of an other line; ``may_pay`` lists work-item categories or item names.
    """

    channel: str
    may_pay: Annotated[list[str], Field(min_length=1)]
    note: str | None = None


class Funding(StrictModel):
    """The funding plan (资金来源), in yuan."""

    central_subsidy: FenAmount = Decimal(0)
    provincial: FenAmount = Decimal(0)
    municipal: FenAmount = Decimal(0)
    district: FenAmount = Decimal(0)
    special_bonds: FenAmount = Decimal(0)
    line_department: FenAmount = Decimal(0)
    property_unit: FenAmount = Decimal(0)
    maintenance_fund: FenAmount = Decimal(0)
    public_income: FenAmount = Decimal(0)
    social_capital: FenAmount = Decimal(0)
    residents: Residents | None = None
    fund_topup: FundTopup | None = None
    other: list[OtherSource] = []
    land: list[LandValue] = []
    earmarks: list[Earmark] = []

    @model_validator(mode="after")
    def _earmarked_lines_exist(self) -> Funding:
        land = [x.name for x in self.land]
        clash = {o.name for o in self.other} & set(land) or len(set(land)) != len(land)
        if clash:
            msg = f"land line names must be unique and differ from other lines ({land})"
            raise ValueError(msg)
        others = {f"other:{o.name}" for o in [*self.other, *self.land]}
        seen: set[str] = set()
        for e in self.earmarks:
            if e.channel not in CHANNELS and e.channel not in others:
                msg = (
                    f"earmark channel {e.channel!r}: give a channel key ({', '.join(CHANNELS)}) "
                    "or other:<name> of an other line"
                )
                raise ValueError(msg)
            if e.channel in seen:
                raise ValueError(f"earmark channel {e.channel!r} is given twice")
            seen.add(e.channel)
        loose = [o.name for o in self.other if o.in_kind and f"other:{o.name}" not in seen]
        if loose:
            msg = f"in-kind line(s) {loose} pay no cash use: earmark each to the item it is"
            raise ValueError(msg)
        return self


class Assumption(StrictModel):
    """A figure the documents do not give, entered openly with the reason."""

    what: str
    value: str | int | float | None = None
    note: str


class Citation(StrictModel):
    """Where a scenario's figures come from."""

    seed: str
    passage: str


class ScenarioModel(StrictModel):
    """One community's renovation as data: work items, funding plan, assumptions, sources."""

    name: str
    description: str | None = None
    name_en: str | None = None  # English name and description (``name``/``description``: Chinese)
    description_en: str | None = None
    community: Community
    rules_date: dt.date | None = None
    work_items: Annotated[list[WorkItem], Field(min_length=1)]
    funding: Funding = Funding()
    assumptions: list[Assumption] = []
    sources: list[Citation] = []

    @classmethod
    def from_yaml(cls, path: str | Path, text: str | None = None) -> Self:
        """Load and validate a scenario file; errors name the file, item and field."""
        name = Path(path).name
        raw = load_kind_yaml(path, "community", text)
        return cls.from_dict(raw, name)

    @classmethod
    def from_dict(cls, raw: Any, name: str = "<scenario>") -> Self:
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
