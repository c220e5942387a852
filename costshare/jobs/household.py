"""Household jobs: a contribution sheet (and its notice) from a roster, an elevator share.

The amount to share is one of: a total in yuan; a community scenario's residents'
self-raised money (checked against the roster: the same households and area, or the
user explicitly takes the scenario's figure per household or per m²); an elevator's net
cost after the city's subsidy; or a fixed sum per household.
"""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from costshare.base import FenAmount, StrictModel
from costshare.errors import InputError, Problem
from costshare.jobs.base import FileInput, Job, RuleKey, RuleRef
from costshare.jobs.notice import NoticeFields
from costshare.jobs.source import DocumentSource
from costshare.progress import Progress

__all__ = ["ElevatorCost", "FixedAmount", "ScenarioAmount", "SheetJob", "TotalAmount"]


class TotalAmount(StrictModel):
    """Share this many yuan."""

    kind: Literal["total"] = "total"
    yuan: FenAmount


class ScenarioAmount(StrictModel):
    """Share a community scenario's residents' self-raised money.

    ``per="total"`` takes the whole amount and requires the roster (in scope) to be the
    scenario's community: the same number of households and, within 1 %, the same area.
    ``per="household"`` or ``per="m2"`` takes the scenario's figure per household or per
    m² and applies it to the roster's households or area.
    """

    kind: Literal["scenario"] = "scenario"
    scenario: DocumentSource
    per: Literal["total", "household", "m2"] = "total"


class ElevatorCost(StrictModel):
    """Share an elevator's net cost: cost less the subsidy of ``SheetJob.jurisdiction``."""

    kind: Literal["elevator"] = "elevator"
    cost: FenAmount
    elevators: int = Field(default=1, ge=1, le=20)
    pipes_cost: FenAmount = Decimal(0)
    fund_use: FenAmount = Decimal(0)
    provident_fund: FenAmount = Decimal(0)
    other_subsidy: FenAmount = Decimal(0)
    subsidy: bool = Field(default=True, description="False: no city subsidy is deducted")


class FixedAmount(StrictModel):
    """A fixed sum per paying household."""

    kind: Literal["fixed"] = "fixed"
    yuan_per_household: FenAmount


AmountChoice = Annotated[
    TotalAmount | ScenarioAmount | ElevatorCost | FixedAmount, Field(discriminator="kind")
]


class SheetJob(Job):
    """Share an amount over a household roster: the contribution sheet (分户分摊).

    Examples
    --------
    >>> from costshare.jobs.base import FileInput
    >>> roster = FileInput.from_path("data/sample_roster.xlsx")
    >>> job = SheetJob(roster=roster, amount={"kind": "total", "yuan": "120000"}, on="2024-06-01")
    >>> sheet = job.run()
    >>> int(sheet.table["share_fen"].sum()), len(sheet)
    (12000000, 76)
    """

    job: ClassVar[str] = "sheet"
    roster: FileInput
    worksheet: str | None = Field(default=None, description="xlsx sheet, or 'all'")
    amount: AmountChoice
    jurisdiction: RuleKey = Field(default="national", description="Rule table (elevator: city)")
    basis: str | dict[str, Decimal] = "area"
    floor_rule: RuleRef | None = Field(default=None, description="Rule key or id, basis floor")
    building: str | None = None
    stairwell: str | None = None
    exempt: tuple[str, ...] = ()
    exempt_digests: tuple[str, ...] = Field(
        default=(),
        description="Exempt households as keyed digests (what a record keeps, never room ids)",
    )
    exempt_floors: tuple[int, ...] | None = None
    title: str | None = None
    notice: NoticeFields | None = Field(default=None, description="What the notice says")

    @cached_property
    def frame(self) -> Any:
        """The roster as read (messages name the file, row and field)."""
        from costshare.households.roster import read_roster_bytes

        return read_roster_bytes(self.roster.content(), self.roster.name, sheet=self.worksheet)

    @cached_property
    def scenario_result(self) -> Any:
        """The run of the scenario whose residents' money is shared (if any)."""
        if not isinstance(self.amount, ScenarioAmount):
            return None
        from costshare.jobs.community import CommunityJob

        return CommunityJob(scenario=self.amount.scenario, on=self.on).run()

    def resolve_rules(self) -> Any:
        from costshare import rules

        if self.scenario_result is not None:
            return self.scenario_result.rules  # the scenario's own jurisdiction and date
        return rules.load(self.jurisdiction, self.on)

    def spec(self) -> Any:
        """The :class:`~costshare.households.spec.SheetSpec` of this request."""
        from costshare.households.elevator import Elevator
        from costshare.households.spec import SheetSpec

        rs = self.rules()
        fields: dict[str, Any] = {
            "basis": self.basis,
            "building": self.building,
            "stairwell": self.stairwell,
            "exempt": (*self.exempt, *self._exempt_from_digests()),
            "exempt_floors": self.exempt_floors,
            "title": self.title,
        }
        if isinstance(self.amount, FixedAmount):
            fields |= {"basis": "fixed", "fixed_yuan": self.amount.yuan_per_household}
        if isinstance(self.amount, ElevatorCost):
            a = self.amount
            fields["elevator"] = Elevator(
                a.cost, self.jurisdiction if a.subsidy else None, a.elevators, a.pipes_cost,
                a.fund_use, a.provident_fund, a.other_subsidy,
            )  # fmt: skip
        if "floor" in str(self.basis) or self.floor_rule is not None:  # also for comparisons
            fields["floor_rule"] = self._floor_rule(rs)
        return SheetSpec.model_validate(fields)

    def _floor_rule(self, rs: Any) -> Any:
        from costshare import rules
        from costshare.households.basis import floor_scale

        if self.floor_rule is None:
            return (
                floor_scale(rs) if rs.floor_rules else floor_scale(rules.load("guangzhou", rs.on))
            )
        key, _, _ = self.floor_rule.partition(".")
        rid = self.floor_rule if "." in self.floor_rule else None
        return floor_scale(rs if key == rs.key else rules.load(key, rs.on), rid)

    def total_fen(self, spec: Any) -> tuple[int | None, Any]:
        """The amount in fen (``None``: the elevator's net or a fixed sum) and the spec."""
        from costshare.households.sheet import from_scenario
        from costshare.money import to_fen

        a = self.amount
        if isinstance(a, TotalAmount):
            fen = to_fen(a.yuan)
            if fen <= 0:
                raise InputError(Problem("the amount to share is below one fen", field="total"))
            return fen, spec
        if not isinstance(a, ScenarioAmount):
            return None, spec
        amount, spec = from_scenario(self.scenario_result, spec)
        return _scaled(amount, a.per, self.scenario_result.scenario, self._in_scope()), spec

    def _in_scope(self) -> Any:
        from costshare.households.scope import scope

        return scope(self.frame, self.building, self.stairwell)

    def run(self, progress: Progress | None = None) -> Any:
        """The sheet; `progress` hears ``roster.read`` then ``sheet.share`` (two halves)."""
        from costshare.households.sheet import contribution_sheet
        from costshare.progress import as_progress

        p = as_progress(progress)
        read, share = p.part(0, 0.5), p.part(0.5, 1)
        read.step(0, 1, "roster.read")
        frame = self.frame
        read.step(1, 1, "roster.read")
        share.step(0, 1, "sheet.share")
        amount, spec = self.total_fen(self.spec())
        sheet = contribution_sheet(frame, amount, spec, self.rules())
        share.step(1, 1, "sheet.share")
        return sheet

    def canonical(self) -> SheetJob:
        """Scenario inline; exempt households as digests keyed by the roster's content.

        A list of exempt rooms often names low-income households: the record keeps, for
        each, an HMAC of its unit label under a key derived from the roster's bytes, so
        it is matched again when the same roster is handed in, and cannot be guessed
        without it (the record holds only the roster's sha256, not the key).
        """
        update: dict[str, Any] = {}
        if isinstance(self.amount, ScenarioAmount):
            src = self.amount.scenario.inline("community")
            update["amount"] = self.amount.model_copy(update={"scenario": src})
        if self.exempt:
            from costshare.households.scope import exempt_mask, unit_labels

            part = self._in_scope()
            mask, _ = exempt_mask(part, self.exempt, ())
            listed = unit_labels(part.loc[mask]).astype(str).tolist()
            digests = {*self.exempt_digests, *(self._digest(u) for u in listed)}
            update |= {"exempt": (), "exempt_digests": tuple(sorted(digests))}
        return self.model_copy(update=update) if update else self

    def _digest(self, label: str) -> str:
        key = hashlib.sha256(b"costshare exempt households\0" + self.roster.content()).digest()
        return hmac.new(key, label.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def _exempt_from_digests(self) -> list[str]:
        """The households in scope whose digests the request holds (labels as the roster's)."""
        if not self.exempt_digests:
            return []
        from costshare.households.scope import unit_labels

        want = set(self.exempt_digests)
        labels = unit_labels(self._in_scope()).astype(str).tolist()
        found = [u for u in labels if self._digest(u) in want]
        if len(found) != len(want):
            msg = (
                f"{len(want) - len(found)} exempt household(s) of the record are not in this "
                "roster (in scope)"
            )
            raise InputError(Problem(msg, file=self.roster.name, field="exempt"))
        return found

    def summary(self, result: Any) -> dict[str, Any]:
        from costshare.money import to_yuan

        t = result.table
        rows = [
            {"unit": str(u), "exempt": bool(e), "share": str(to_yuan(int(f)))}
            for u, e, f in zip(t["unit_id"], t["exempt"], t["share_fen"], strict=True)
        ]
        return {
            **self.headline(result),
            "total": str(to_yuan(result.meta.total_fen)),
            "households_table": rows,
        }

    def headline(self, result: Any) -> dict[str, Any]:
        t = result.table
        return {
            "households": len(t),
            "exempt": int(t["exempt"].sum()),
            "total_fen": int(t["share_fen"].sum()),
        }


def _scaled(amount_fen: int, per: str, scenario: Any, roster: Any) -> int:
    """The scenario's residents' amount for this roster (exact, half-up to the fen)."""
    from costshare.money import half_up

    c = scenario.community
    n, c_area = len(roster), Fraction(c.area_m2)
    area = sum((Fraction(str(v)) for v in roster["area_m2"]), Fraction(0))
    if per == "household":
        return int(half_up(amount_fen * n, c.households))
    if per == "m2":
        q = amount_fen * area / c_area
        return int(half_up(q.numerator, q.denominator))
    wrong = []
    if n != c.households:
        wrong.append(f"{n} households in the roster, {c.households} in the scenario")
    if abs(area - Fraction(c.area_m2)) > Fraction(c.area_m2) / 100:
        wrong.append(f"{float(area):,.2f} m² in the roster, {c.area_m2:,} m² in the scenario")
    if wrong:
        msg = (
            f"the roster is not the scenario's community ({'; '.join(wrong)}): take the "
            "scenario's amount per household or per m² instead (per: household or m2)"
        )
        raise InputError(Problem(msg, field="scenario"))
    return amount_fen
