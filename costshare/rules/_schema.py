"""The schema of a jurisdiction's rule file (one YAML file per province or city).

Every rule carries its provenance: ``source`` (document, issuer, article, date, seed
file and passage), ``confidence`` (H/M/S, see DOMAIN.md) and an effective period.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PlainSerializer, field_validator

from costshare._base import Amount, Share, StrictModel

__all__ = [
    "ElevatorSubsidy",
    "FloorRule",
    "Jurisdiction",
    "Parameter",
    "Rule",
    "RuleFile",
    "Source",
    "UtilitySplit",
    "VoteRule",
]

Confidence = Literal["H", "M", "S"]


def _fraction(v: Any) -> Fraction:
    if isinstance(v, float):
        msg = f"write a threshold as an exact fraction such as '2/3', not {v!r}"
        raise ValueError(msg)  # pydantic wants ValueError
    try:
        f = Fraction(str(v))
    except (ValueError, ZeroDivisionError):
        msg = f"not a fraction: {v!r}"
        raise ValueError(msg) from None
    if not 0 <= f <= 1:
        msg = f"a threshold must lie in [0, 1], got {v!r}"
        raise ValueError(msg)
    return f


Threshold = Annotated[Fraction, BeforeValidator(_fraction), PlainSerializer(str)]


class Source(StrictModel):
    """Where a rule comes from."""

    document: str
    issuer: str
    article: str
    date: dt.date
    seed: str | None = None
    passage: str | None = None
    url: str | None = None


class Rule(StrictModel):
    """Fields every rule has: an id, its source, a confidence mark and a validity period."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_.]+$")]
    label: str | None = None
    source: Source
    confidence: Confidence
    effective_from: dt.date
    effective_to: dt.date | None = None
    note: str | None = None

    def in_force(self, on: dt.date) -> bool:
        """True when the rule applies on `on` (both ends of the period included)."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


class UtilitySplit(Rule):
    """Who pays what share of a utility work category, by asset owner."""

    category: str
    owner: str = "any"
    shares: dict[str, Share]

    @field_validator("shares")
    @classmethod
    def _sum_to_one(cls, v: dict[str, Decimal]) -> dict[str, Decimal]:
        if not v:
            msg = "at least one payer is needed"
            raise ValueError(msg)
        total = sum(v.values(), Decimal(0))
        if total != 1:
            msg = f"shares add up to {total}, not exactly 1"
            raise ValueError(msg)
        return v


class Parameter(Rule):
    """A named scalar (a ratio, a rate, a yuan-per-m² standard) with its unit."""

    value: Annotated[
        Decimal, BeforeValidator(lambda v: Decimal(repr(v)) if isinstance(v, float) else v)
    ]
    unit: Literal["/1", "currency-CNY", "currency-CNY/m2", "year"]
    assumed: bool = False


class VoteRule(Rule):
    """Quorum and approval thresholds for a set of matters.

    ``quorum_*`` are shares of *all* owners (area, headcount) that must take part;
    ``approve_*`` are shares of the *participating* ones (or of all, when
    ``approve_of == "all"``). ``strict`` means "more than" (过半数) rather than
    "at least" (以上, boundary included).
    """

    matters: list[str]
    quorum_area: Threshold | None = None
    quorum_owners: Threshold | None = None
    approve_area: Threshold | None = None
    approve_owners: Threshold | None = None
    approve_of: Literal["participating", "all"] = "participating"
    strict: bool = False


class ElevatorSubsidy(Rule):
    """Subsidy per elevator: a fixed amount, or a ratio of cost with a cap."""

    city: str
    per_elevator: Amount | None = None
    cost_ratio: Share | None = None
    cap: Amount | None = None
    pipes_max_per_unit: Amount | None = None


class FloorRule(Rule):
    """How an elevator's net cost is shared by floor.

    ``style: coefficient`` — share ∝ coefficient(floor) × area (Guangzhou);
    ``style: percent`` — floor f pays ``values[f]`` of the net cost, split within the
    floor by area (Hangzhou). Floors missing from ``values`` pay nothing.
    """

    city: str
    style: Literal["coefficient", "percent"]
    values: dict[
        int,
        Annotated[
            Decimal,
            BeforeValidator(lambda v: Decimal(repr(v)) if isinstance(v, float) else v),
            Field(ge=0),
        ],
    ]

    @field_validator("values")
    @classmethod
    def _percent_sum(cls, v: dict[int, Decimal], info: Any) -> dict[int, Decimal]:
        if info.data.get("style") == "percent" and sum(v.values(), Decimal(0)) != 1:
            msg = f"percent shares by floor add up to {sum(v.values(), Decimal(0))}, not 1"
            raise ValueError(msg)
        return v


class Jurisdiction(StrictModel):
    """Who the rule file is for."""

    key: Annotated[str, Field(pattern=r"^[a-z]+$")]
    name: str
    code: Annotated[str, Field(pattern=r"^\d{6}$")]
    level: Literal["national", "province", "city", "district"] = "province"


class RuleFile(StrictModel):
    """One YAML file: a jurisdiction, what it extends, its vocabularies and its rules."""

    jurisdiction: Jurisdiction
    extends: str | None = None
    description: str | None = None
    payers: dict[str, str] = {}
    categories: dict[str, str] = {}
    utility_categories: list[str] = []
    utility_splits: list[UtilitySplit] = []
    parameters: list[Parameter] = []
    vote_rules: list[VoteRule] = []
    elevator_subsidies: list[ElevatorSubsidy] = []
    floor_rules: list[FloorRule] = []


SECTIONS = ("utility_splits", "parameters", "vote_rules", "elevator_subsidies", "floor_rules")
