"""The PPP scenario: a validated pydantic model, loadable from YAML.

Timeline: project years 1..N (N = ``cooperation_years``, 合作期); the first
``len(construction.schedule)`` years are construction, the rest operation. Operating
years are numbered 1..T inside revenue, cost and subsidy items. All cash flows fall at
year-ends; discounting is to the start of year 1 (``t = year``), as in
《建设项目经济评价方法与参数》.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, model_validator

from costshare.base import MAX_YUAN, Mark, StrictModel, problems_from_validation
from costshare.errors import InputError, Problem
from costshare.limits import MAX_DRAWS
from costshare.yamlio import load_kind_yaml, strip_kind

__all__ = [
    "DRIVERS",
    "CostItem",
    "Distribution",
    "Financing",
    "Fiscal",
    "Loan",
    "PPPProject",
    "RevenueStream",
    "Subsidy",
    "Timing",
]

Yuan = Annotated[Decimal, Field(ge=0, le=MAX_YUAN, decimal_places=2)]
Share = Annotated[float, Field(ge=0, le=1)]
Rate = Annotated[float, Field(gt=-1, le=10)]
Name = Annotated[str, Field(min_length=1)]

#: Drivers a tornado or Monte Carlo can move (multipliers on the base value); a single
#: revenue stream is ``"revenue.<name>"``.
DRIVERS = (
    "construction_cost",
    "revenue",
    "om_cost",
    "loan_rate",
    "subsidy",
    "residual_value",
    "discount_rate",
)


class Construction(StrictModel):
    cost: Annotated[Decimal, Field(gt=0, le=MAX_YUAN, decimal_places=2)]
    """Total construction cost (建设成本), yuan."""
    schedule: Annotated[list[Share], Field(min_length=1)]
    """Share of the cost spent in each construction year; sums to 1."""

    @model_validator(mode="after")
    def _sums_to_one(self) -> Construction:
        if abs(sum(self.schedule) - 1.0) > 1e-9:
            msg = f"schedule shares must add up to 1, they add up to {sum(self.schedule):g}"
            raise ValueError(msg)
        return self


class Loan(StrictModel):
    annual_rate: Annotated[float, Field(ge=0, le=1)]
    years: Annotated[int, Field(ge=1)]
    """Repayment term in years from the first operating year, grace included."""
    method: Literal["annuity", "equal_principal"] = "annuity"
    grace_years: Annotated[int, Field(ge=0)] = 0
    """Interest-only years at the start of operation."""


class Financing(StrictModel):
    equity_share: Share
    """Project capital (资本金) as a share of construction cost; the rest is the loan."""
    government_equity_share: Share = 0.0
    """Government's share of the project capital (政府出资代表)."""
    loan: Loan | None = None


class RevenueStream(StrictModel):
    name: Name
    kind: Literal["user_payment", "other"] = "user_payment"
    """``user_payment`` (使用者付费) is deducted in the 21号 viability-gap formula.

    One classification for every scenario: all operating income the project earns from
    its own assets — fees for services, parking, chargers, rents of market stalls and
    rooms, and advertising space or other operating income (广告位等经营性收入) — is
    ``user_payment``, because the gap subsidy pays only what operating income leaves
    uncovered. ``other`` is income that is not earned by operating the project's assets
    (e.g. interest). 21号 does not list income types: this reading is an assumption (A).
    """
    annual_amount: Yuan
    """Full-operation amount in its first year, yuan."""
    start_year: Annotated[int, Field(ge=1)] = 1
    end_year: Annotated[int, Field(ge=1)] | None = None
    ramp_up: list[Share] = []
    """Share of the full amount in its first years (then 1)."""
    growth: Rate = 0.0


class CostItem(StrictModel):
    name: Name
    annual_amount: Yuan
    start_year: Annotated[int, Field(ge=1)] = 1
    growth: Rate = 0.0


class Taxes(StrictModel):
    """Taxes, simplified: a flat revenue tax and income tax without loss carry-forward."""

    revenue_tax_rate: Share = 0.0
    """VAT and surcharges as one flat share of operating revenue (not of subsidy)."""
    income_tax_rate: Share = 0.25
    """On max(0, EBITDA - depreciation [- interest]) each year; no loss carry-forward."""
    depreciation_years: Annotated[int, Field(ge=1)] | None = None
    """Straight-line over this many operating years (default: all) of cost - residual."""


class Subsidy(StrictModel):
    kind: Literal["viability_gap", "government_pay", "operating_only", "none"] = "none"
    """21号 formula with the user-payment deduction, without it, O&M term only, or none."""
    profit_rate: Annotated[float, Field(ge=0, le=1)] = 0.0
    discount_rate: Annotated[float, Field(ge=0, le=1)] = 0.0
    years: Annotated[int, Field(ge=1)] | None = None
    """Subsidy period (财政运营补贴周期); default: all operating years."""
    first_n: Annotated[int, Field(ge=0)] = 1
    """``n`` in (1 + discount)^n for the first operating year (then +1 a year)."""
    construction_grant: Yuan = Decimal(0)
    """Construction-period grant (建设期补助), paid along the construction schedule."""


class RiskScenario(StrictModel):
    name: Name
    probability: Share
    annual_outlay: Yuan
    """Government outlay per operating year if this scenario happens."""


class Fiscal(StrictModel):
    budget_expenditure: Annotated[Decimal, Field(gt=0, le=MAX_YUAN, decimal_places=2)]
    """General public budget expenditure (一般公共预算支出) in project year 1, yuan."""
    budget_growth: Rate = 0.0
    other_ppp_obligations: Yuan = Decimal(0)
    """Yearly obligations of the region's other PPP projects, yuan."""
    risk_scenarios: list[RiskScenario] = []
    """The affordability lines (10 %, 5 %) are not here: they come from the rule files."""

    @model_validator(mode="after")
    def _probabilities(self) -> Fiscal:
        total = sum(s.probability for s in self.risk_scenarios)
        if self.risk_scenarios and abs(total - 1.0) > 1e-9:
            msg = f"risk scenario probabilities must add up to 1, they add up to {total:g}"
            raise ValueError(msg)
        return self


class VfMSettings(StrictModel):
    discount_rate: Annotated[float, Field(ge=0, le=1)] | None = None
    """Default: the subsidy discount rate."""
    competitive_neutrality: Yuan = Decimal(0)
    transferable_risk_share: Share = 0.0
    """Transferable risk as a share of the reference project's PV cost."""


class Timing(StrictModel):
    """When in each project year the flows fall, for the dated figures (XNPV, XIRR).

    The annual figures keep every flow at its year-end; the dated ones place
    construction-year flows at the draw dates and operating-year flows at the chosen
    point of the year, and discount actual/365 from `start_date`.
    """

    start_date: dt.date | None = None
    """Start of project year 1 (t = 0); default 1 January of ``start_year``."""
    construction: Literal["year_start", "mid_year", "year_end"] = "year_end"
    operation: Literal["mid_year", "year_end"] = "year_end"
    draw_dates: list[dt.date] = []
    """Explicit construction draw dates, one per construction year (override)."""


class Evaluation(StrictModel):
    discount_rate: Annotated[float, Field(ge=0, le=1)] = 0.06
    """Project benchmark rate (基准收益率) for project NPV."""
    equity_discount_rate: Annotated[float, Field(ge=0, le=1)] = 0.08


class Distribution(StrictModel):
    dist: Literal["normal", "uniform", "triangular", "lognormal"]
    mean: float | None = None
    sd: Annotated[float, Field(ge=0)] | None = None
    low: float | None = None
    mode: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _params(self) -> Distribution:
        need = {
            "normal": ("mean", "sd"),
            "lognormal": ("mean", "sd"),
            "uniform": ("low", "high"),
            "triangular": ("low", "mode", "high"),
        }[self.dist]
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            msg = f"{self.dist} needs {', '.join(need)}; missing {', '.join(missing)}"
            raise ValueError(msg)
        if self.low is not None and self.high is not None and self.low > self.high:
            msg = "low must not exceed high"
            raise ValueError(msg)
        return self


class TornadoDriver(StrictModel):
    driver: Name
    change: Annotated[float, Field(gt=0, lt=1)] = 0.10


class MonteCarlo(StrictModel):
    seed: int = 0
    draws: Annotated[int, Field(ge=1, le=MAX_DRAWS)] = 10_000
    drivers: dict[str, Distribution] = {}


class Sensitivity(StrictModel):
    tornado: list[TornadoDriver] = []
    monte_carlo: MonteCarlo = MonteCarlo()


class PPPProject(StrictModel):
    """A PPP / social-capital scenario for one renovation project."""

    name: Name
    description: str = ""
    name_en: str | None = None  # English name and description (``name``/``description``: Chinese)
    description_en: str | None = None
    regime: Literal["legacy_21", "new_mechanism_2023"]
    """Assessed as a legacy 财金〔2015〕21号 project or under 国办函〔2023〕115号."""
    start_year: int | None = None
    """Calendar year of project year 1 (display only)."""
    cooperation_years: Annotated[int, Field(ge=2, le=100)]
    construction: Construction
    financing: Financing
    revenues: list[RevenueStream] = []
    om_costs: list[CostItem] = []
    taxes: Taxes = Taxes()
    residual_value: Yuan = Decimal(0)
    """Received at the end of the last year."""
    subsidy: Subsidy = Subsidy()
    evaluation: Evaluation = Evaluation()
    fiscal: Fiscal | None = None
    vfm: VfMSettings | None = None
    """Value-for-money settings; without them VfM is not assessed (reported as None)."""
    timing: Timing = Timing()
    """Dates of the flows for XNPV/XIRR (needs ``start_year`` or ``timing.start_date``)."""
    sensitivity: Sensitivity = Sensitivity()
    provenance: dict[str, Mark] = {}
    """Where the scenario's own figures come from, by path or group of paths (see
    :mod:`costshare.ppp.provenance`); a figure no key covers is flagged."""

    @property
    def construction_years(self) -> int:
        return len(self.construction.schedule)

    @property
    def operating_years(self) -> int:
        return self.cooperation_years - self.construction_years

    @property
    def subsidy_years(self) -> int:
        return self.subsidy.years or self.operating_years

    @model_validator(mode="after")
    def _consistent(self) -> PPPProject:
        T = self.operating_years
        if T < 1:
            msg = (
                f"cooperation_years ({self.cooperation_years}) must exceed the "
                f"{self.construction_years} construction years"
            )
            raise ValueError(msg)
        fin = self.financing
        if fin.equity_share < 1 and fin.loan is None:
            msg = "financing.loan is required when financing.equity_share is below 1"
            raise ValueError(msg)
        if fin.loan is not None and not fin.loan.grace_years < fin.loan.years <= T:
            msg = (
                f"financing.loan: need grace_years < years <= operating years ({T}); "
                f"got grace_years={fin.loan.grace_years}, years={fin.loan.years}"
            )
            raise ValueError(msg)
        if self.subsidy_years > T:
            msg = f"subsidy.years ({self.subsidy_years}) exceeds the {T} operating years"
            raise ValueError(msg)
        if self.subsidy.construction_grant > self.construction.cost * Decimal(
            str(fin.equity_share)
        ):
            msg = "subsidy.construction_grant exceeds the project capital"
            raise ValueError(msg)
        for group, items in (("revenues", self.revenues), ("om_costs", self.om_costs)):
            names = [i.name for i in items]
            if len(set(names)) != len(names):
                msg = f"{group}: names must be unique, got {names}"
                raise ValueError(msg)
            for i in items:
                if i.start_year > T:
                    msg = f"{group} {i.name!r}: start_year {i.start_year} is after year {T}"
                    raise ValueError(msg)
        known = set(DRIVERS) | {f"revenue.{r.name}" for r in self.revenues}
        sens = self.sensitivity
        for d in [t.driver for t in sens.tornado] + list(sens.monte_carlo.drivers):
            if d not in known:
                msg = f"sensitivity: unknown driver {d!r}; known: {', '.join(sorted(known))}"
                raise ValueError(msg)
        if self.timing.draw_dates and len(self.timing.draw_dates) != self.construction_years:
            msg = (
                f"timing.draw_dates: give one date per construction year "
                f"({self.construction_years}), got {len(self.timing.draw_dates)}"
            )
            raise ValueError(msg)
        self._check_regime()
        from costshare.ppp.provenance import known_key

        bad = [k for k in self.provenance if not known_key(k)]
        if bad:
            msg = f"provenance: {bad} name no figure of the scenario (e.g. financing.loan.annual_rate)"
            raise ValueError(msg)
        return self

    def _check_regime(self) -> None:
        """Refuse a construction-cost subsidy under the 2023 new mechanism."""
        if self.regime != "new_mechanism_2023":
            return
        if self.subsidy.kind in ("viability_gap", "government_pay"):
            msg = (
                f"subsidy.kind {self.subsidy.kind!r} contains the 21号 construction-cost "
                "term, but regime new_mechanism_2023 (国办函〔2023〕115号) allows no new "
                "fiscal liability for construction cost; use kind 'operating_only' or "
                "'none', or assess the scenario as regime legacy_21"
            )
            raise ValueError(msg)
        if self.subsidy.construction_grant > 0:
            msg = (
                "subsidy.construction_grant is a construction-cost subsidy, refused under "
                "regime new_mechanism_2023 (国办函〔2023〕115号); set it to 0 or assess "
                "the scenario as regime legacy_21"
            )
            raise ValueError(msg)

    @classmethod
    def from_dict(cls, data: Any, source: str = "<scenario>") -> PPPProject:
        """Validate `data`; problems become one :class:`InputError` naming `source`."""
        if not isinstance(data, dict):
            raise InputError(Problem("a PPP scenario must be a mapping of fields", source))
        data = strip_kind(data, "ppp", source)
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise problems_from_validation(exc, source) from None

    @classmethod
    def from_yaml(cls, path: str | Path) -> PPPProject:
        """Load a scenario YAML file (strict loader: duplicate keys are an error)."""
        return cls.from_dict(load_kind_yaml(path, "ppp"), str(path))
