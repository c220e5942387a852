"""What a contribution sheet is asked to do: :class:`SheetSpec` and its fund options."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import ConfigDict

from costshare.base import Amount, Share, StrictModel
from costshare.households.basis import FloorScale
from costshare.households.elevator import Elevator

__all__ = ["FundOptions", "ScenarioInfo", "SheetSpec"]


class FundOptions(StrictModel):
    """Maintenance-fund top-up per household (Ningbo 即交即用即补).

    ``standard`` (yuan/m²) and ``subsidy_ratio`` default to the rule set's
    ``fund.standard_yuan_per_m2`` and ``fund.subsidy_ratio``; the rule set's allowed
    top-up range checks ``ratio`` (see :func:`costshare.community.fund.maintenance_fund`).
    """

    ratio: Share
    standard: Amount | None = None
    subsidy_ratio: Share | None = None
    subsidy_to: Literal["fund", "cash"] = "fund"


class ScenarioInfo(StrictModel):
    """The community scenario whose residents' self-raised amount is shared."""

    name: str
    community: str
    households: int


class SheetSpec(StrictModel):
    """How to share: basis, scope, exemptions, elevator and fund options.

    Attributes
    ----------
    basis : str or mapping, optional
        One of :data:`~costshare.households.basis.BASES` or a mix such as
        ``{"area": "0.7", "equal": "0.3"}``; default ``"floor"`` for an elevator,
        ``"fixed"`` when only `fixed_yuan` is given, else ``"area"``.
    floor_rule : FloorScale, optional
        For basis ``"floor"`` (:func:`~costshare.households.basis.floor_scale`); default
        the rule set's first floor rule.
    fixed_yuan : Decimal, optional
        Yuan per paying household for basis ``"fixed"``.
    building, stairwell : str, optional
        Only these households share the amount (and appear).
    exempt : tuple of str
        Households that pay nothing (``"3-2-501"`` or a unit id unique in scope).
    exempt_floors : tuple of int, optional
        Floors that pay nothing; default (1, 2) for an elevator, none otherwise.
    elevator : Elevator, optional
        Share this elevator's net cost (the amount argument is then ``None``).
    fund : FundOptions, optional
        Maintenance-fund top-up, use and subsidy per household.
    scenario : ScenarioInfo, optional
        Set by :func:`from_scenario`: the amount is this scenario's residents' part.
    title : str, optional
        What is being shared, as the user names it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    basis: str | dict[str, Decimal] | None = None
    floor_rule: FloorScale | None = None
    fixed_yuan: Amount | None = None
    building: str | None = None
    stairwell: str | None = None
    exempt: tuple[str, ...] = ()
    exempt_floors: tuple[int, ...] | None = None
    elevator: Elevator | None = None
    fund: FundOptions | None = None
    scenario: ScenarioInfo | None = None
    title: str | None = None
