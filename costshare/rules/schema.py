"""The schema of a jurisdiction's rule file (one YAML file per province or city).

Every rule carries its provenance: ``source`` (document, issuer, article, date or
publication date, seed file and passage), ``confidence`` (H/M/S/A, see DOMAIN.md; an
``assumed`` value must be A and every A gives a ``reason``) and an effective period
(``effective_from: null`` = undated, in force on any date).

A rule's value may have a dated history (``values:`` keyed by date, each entry with its
own source); :mod:`costshare.rules.dated` describes the format.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PlainSerializer, field_validator, model_validator

from costshare.base import Amount, Share, StrictModel
from costshare.rules.dated import DatedRule, Day, Rule, Source, parse_day

__all__ = [
    "SECTIONS",
    "BasisRule",
    "DatedRule",
    "Day",
    "ElevatorSubsidy",
    "FloorRule",
    "Jurisdiction",
    "Parameter",
    "Rule",
    "RuleFile",
    "Source",
    "UtilitySplit",
    "VoteRule",
    "parse_day",
]


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


class UtilitySplit(DatedRule):
    """Who pays what share of a utility work category, by asset owner."""

    VALUE_FIELDS = ("shares",)

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


class Parameter(DatedRule):
    """A named scalar (a ratio, a rate, a yuan-per-m² standard) with its unit."""

    VALUE_FIELDS = ("value", "assumed")
    SCALAR_FIELD = "value"

    value: Annotated[
        Decimal, BeforeValidator(lambda v: Decimal(repr(v)) if isinstance(v, float) else v)
    ]
    unit: Literal["/1", "currency-CNY", "currency-CNY/m2", "year"]
    assumed: bool = False

    @model_validator(mode="after")
    def _assumed_is_a(self) -> Parameter:
        if self.assumed and self.confidence != "A":
            msg = (
                f"an assumed value must be marked confidence A (an assumption), "
                f"not {self.confidence}; give its reason"
            )
            raise ValueError(msg)
        return self


class VoteRule(DatedRule):
    """Quorum and approval thresholds for a set of matters.

    ``quorum_*`` are shares of *all* owners (area, headcount) that must take part;
    ``approve_*`` are shares of the *participating* ones (or of all, when
    ``approve_of == "all"``). ``strict`` means "more than" (过半数) rather than
    "at least" (以上, boundary included). ``counted_over`` names the owners the vote is
    counted over (the register passed to the tally): the whole community, or the building
    or stairwell a work serves (an elevator). ``no_objection`` adds a test that nobody who
    takes part votes no (Hangzhou's elevator practice, seed 002).
    """

    VALUE_FIELDS = (
        "quorum_area",
        "quorum_owners",
        "approve_area",
        "approve_owners",
        "approve_of",
        "strict",
        "counted_over",
        "no_objection",
    )

    matters: list[str]
    quorum_area: Threshold | None = None
    quorum_owners: Threshold | None = None
    approve_area: Threshold | None = None
    approve_owners: Threshold | None = None
    approve_of: Literal["participating", "all"] = "participating"
    strict: bool = False
    counted_over: Literal["community", "building", "stairwell"] = "community"
    no_objection: bool = False


class ElevatorSubsidy(DatedRule):
    """Subsidy per elevator: a fixed amount, or a ratio of cost with a cap."""

    VALUE_FIELDS = ("per_elevator", "cost_ratio", "cap", "pipes_max_per_unit")

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


class BasisRule(Rule):
    """How a shared cost is divided among owners when they agreed nothing else.

    Civil Code Art. 283: by the area of each owner's exclusive part (专有部分面积).
    """

    basis: Literal["area", "floor", "headcount", "equal", "fixed"]


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
    sharing_bases: list[BasisRule] = []


SECTIONS = (
    "utility_splits",
    "parameters",
    "vote_rules",
    "elevator_subsidies",
    "floor_rules",
    "sharing_bases",
)
"""The rule lists of a :class:`RuleFile`, in order."""
