"""Per-household contribution sheets (分户出资表): who in the roster pays how much.

An amount in fen — a total the residents must raise, the residents' part of a community
scenario (:func:`from_scenario`), or an elevator's net cost (``spec.elevator``) — is split
among the households of a roster, exactly to the fen, by one basis or a mix of bases
(:mod:`costshare.households.basis`). The engine is a pure function of the roster, the
amount, a :class:`SheetSpec` and a :class:`~costshare.rules.RuleSet` the caller resolved
for the project's date; it returns a typed :class:`ContributionSheet`. Words for people
(explanations, parameter lists) are made from it by :mod:`costshare.households.explain`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from pydantic import ConfigDict

from costshare.base import StrictModel
from costshare.community.fund import FUND_COLUMNS, fund_subsidy_ratio, maintenance_fund
from costshare.errors import InputError, Problem
from costshare.households.basis import (
    FloorScale,
    SourceRow,
    floor_scale,
    parse_basis,
    source_rows,
    split_basis,
)
from costshare.households.elevator import ElevatorNet, elevator_net
from costshare.households.scope import FLOOR_RULE_ZERO, REASONS, exempt_mask, require, scope
from costshare.households.spec import FundOptions, ScenarioInfo, SheetSpec
from costshare.money import allocate, to_fen, to_yuan
from costshare.rules import RuleSet

if TYPE_CHECKING:
    from costshare.community.scenario_result import ScenarioResult

__all__ = [
    "BasisPart",
    "ContributionSheet",
    "FundOptions",
    "ScenarioInfo",
    "SheetMeta",
    "SheetSpec",
    "contribution_sheet",
    "from_scenario",
]

ELEVATOR_EXEMPT_FLOORS = (1, 2)
"""Floors exempt by default when an elevator is shared (practice, DOMAIN.md §7)."""


class BasisPart(StrictModel):
    """One part of the amount and the basis that splits it."""

    basis: str
    weight: Decimal
    amount_fen: int
    weight_sum: float


class SheetMeta(StrictModel):
    """What the sheet rests on: amount, bases, scope, rules and options, all typed."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    total_fen: int
    parts: tuple[BasisPart, ...]
    households: int
    payers: int
    spec: SheetSpec
    exempt_floors: tuple[int, ...]
    floor_rule: FloorScale | None
    elevator: ElevatorNet | None
    fund: FundOptions | None
    jurisdiction: str
    rules_on: dt.date
    basis_rules: dict[str, str] = {}
    """Basis → id of the rule it rests on (``area`` → the Civil Code rule, ``floor``)."""

    @property
    def basis(self) -> dict[str, Decimal]:
        """Basis name → weight (1 for a single basis)."""
        return {p.basis: p.weight for p in self.parts}


@dataclass(frozen=True)
class ContributionSheet:
    """A contribution sheet: one row per household, what it rests on, and the sources.

    ``table`` has the roster columns in scope, ``factor`` (floor coefficient or percent,
    basis floor), ``exempt`` (bool), ``exempt_reason`` (a code from
    :mod:`costshare.households.scope`, ``""`` for payers), ``share_<basis>_fen`` per part
    of a mix, ``share_fen`` (int64, adds up exactly to the amount) and, when a fund
    applies, ``fund_balance_fen`` and the columns of
    :data:`~costshare.community.fund.FUND_COLUMNS`.
    """

    table: pd.DataFrame
    meta: SheetMeta
    sources: tuple[SourceRow, ...]

    def __len__(self) -> int:
        return len(self.table)


def _amount(total_fen: int | None, spec: SheetSpec, rules: RuleSet) -> tuple[int | None, Any]:
    if total_fen is not None and spec.elevator is not None:
        msg = "give the amount or an elevator, not both"
        raise InputError(Problem(msg, field="total"))
    if total_fen is None and spec.elevator is None and spec.fixed_yuan is None:
        raise InputError(Problem("give the amount to share (or an elevator)", field="total"))
    if total_fen is not None and total_fen < 0:
        raise InputError(Problem(f"must not be negative, got {total_fen}", field="total"))
    if spec.elevator is None:
        return total_fen, None
    net = elevator_net(spec.elevator, rules)
    return net.net_fen, net


def _fund(table: pd.DataFrame, share: np.ndarray, fund: FundOptions, rules: RuleSet) -> FundOptions:
    """Add the fund columns to `table` in place; the options with rule defaults filled in."""
    sub = fund.subsidy_ratio if fund.subsidy_ratio is not None else fund_subsidy_ratio(rules)
    bal = (
        table["fund_balance"].to_numpy(dtype=np.float64)
        if "fund_balance" in table
        else np.zeros(len(table))
    )
    fdf = maintenance_fund(
        table["area_m2"].to_numpy(dtype=np.float64),
        bal,
        share / 100,
        standard=fund.standard,
        ratio=fund.ratio,
        subsidy_ratio=sub,
        subsidy_to=fund.subsidy_to,
        rules=rules,
    )
    if not np.array_equal(fdf["contribution_fen"].to_numpy(), share):
        raise AssertionError("fund contribution does not round-trip")  # pragma: no cover
    table["fund_balance_fen"] = fdf["balance_fen"].to_numpy()
    for c in FUND_COLUMNS:
        table[c] = fdf[c].to_numpy()
    standard = fund.standard
    if standard is None and "fund.standard_yuan_per_m2" in rules.parameters:
        standard = rules.parameters["fund.standard_yuan_per_m2"].value
    return fund.model_copy(update={"subsidy_ratio": sub, "standard": standard})


def _area_rules(parts: dict[str, Decimal], scale: FloorScale | None, rules: RuleSet) -> list[str]:
    """Ids of the rules that make area the sharing basis (the Civil Code rule, as data)."""
    if "area" not in parts and (scale is None or scale.style != "percent"):
        return []
    return [r.id for r in getattr(rules, "sharing_bases", ()) if r.basis == "area"]


def _sources(meta: SheetMeta, rules: RuleSet) -> tuple[SourceRow, ...]:
    """The rules the sheet rests on: area basis, floor rule, elevator subsidy, fund."""
    rows = source_rows(rules, [meta.basis_rules["area"]] if "area" in meta.basis_rules else [])
    if meta.floor_rule is not None and meta.floor_rule.source is not None:
        rows.append(meta.floor_rule.source)
    later = [meta.elevator.rule.id] if meta.elevator and meta.elevator.rule else []
    if meta.fund is not None:
        later += [pid for pid in rules.parameters if pid.startswith("fund.")]
    return tuple(rows + source_rows(rules, later))


def contribution_sheet(
    roster: pd.DataFrame, total_fen: int | None, spec: SheetSpec, rules: RuleSet
) -> ContributionSheet:
    """Share `total_fen` (or ``spec.elevator``'s net cost) among the roster's households.

    Parameters
    ----------
    roster : DataFrame
        From :func:`costshare.households.roster.read_roster` (``unit_id`` and ``area_m2``
        at least; ``floor``, ``headcount``, ``building``, ``stairwell``,
        ``fund_balance`` when a basis, the scope or the fund needs them).
    total_fen : int or None
        The amount in fen; ``None`` with an elevator (its net cost is shared) or with
        basis ``"fixed"`` alone (the total follows from it).
    spec : SheetSpec
        Basis, scope, exemptions, elevator and fund options.
    rules : RuleSet
        Resolved by the caller for the project's date: the elevator subsidy, the default
        floor rule, the fund parameters and the legal basis of sharing by area.

    Returns
    -------
    ContributionSheet
        ``.table`` (one row per household in scope), ``.meta`` (:class:`SheetMeta`) and
        ``.sources`` (the rules used, with their documents).

    Raises
    ------
    InputError
        A missing amount, an unknown basis or household, a column a basis needs, or
        nobody left to pay.

    Notes
    -----
    Largest remainder with ties to the lower index: the earlier roster row gets the odd
    fen. Coefficient style: share ∝ coefficient(floor) × area. Percent style: floor f's
    part = values[f] of the amount (floors without payers drop out, the others' parts
    rescaled), split by area within the floor.

    Examples
    --------
    >>> from costshare import rules
    >>> rs = rules.load("national", on="2024-01-01")
    >>> roster = pd.DataFrame({"unit_id": ["101", "201", "301"], "floor": [1, 2, 3],
    ...                        "area_m2": [50.0, 50.0, 100.0]})
    >>> contribution_sheet(roster, 100001, SheetSpec(), rs).table["share_fen"].tolist()
    [25000, 25000, 50001]
    >>> s = contribution_sheet(roster, 10000, SheetSpec(basis="equal", exempt=("101",)), rs)
    >>> s.table["share_fen"].tolist(), s.meta.payers
    ([0, 5000, 5000], 2)
    """
    total_fen, net = _amount(total_fen, spec, rules)
    require(roster, "unit_id", "to name households")
    require(roster, "area_m2", "for the area")
    basis = spec.basis
    if basis is None:
        basis = "floor" if net is not None else ("fixed" if total_fen is None else "area")
    parts = parse_basis(basis)
    if spec.fixed_yuan is not None and "fixed" not in parts:
        raise InputError(Problem("fixed_yuan is only used with basis 'fixed'", field="fixed"))
    if "fixed" in parts and spec.fixed_yuan is None:
        raise InputError(Problem("basis 'fixed' needs fixed_yuan per household", field="fixed"))

    df = scope(roster, spec.building, spec.stairwell)
    floors = spec.exempt_floors
    if floors is None:
        floors = ELEVATOR_EXEMPT_FLOORS if net is not None else ()
    ex_mask, reason = exempt_mask(df, spec.exempt, floors)
    payer = ~ex_mask
    scale = None
    if "floor" in parts:  # a floor rule given for other bases is not used
        scale = spec.floor_rule if spec.floor_rule is not None else floor_scale(rules)

    n_payers = int(payer.sum())
    if "fixed" in parts:
        per = to_fen(spec.fixed_yuan)  # type: ignore[arg-type]
        implied = per * n_payers
        if total_fen is not None and total_fen != implied:
            msg = (
                f"fixed {to_yuan(per)} × {n_payers} paying households = {to_yuan(implied)}, "
                f"not the total {to_yuan(total_fen)}"
            )
            raise InputError(Problem(msg, field="fixed"))
        total_fen = implied
    assert total_fen is not None

    part_fen = allocate(total_fen, list(parts.values())) if len(parts) > 1 else [total_fen]
    out = df.copy()
    share = np.zeros(len(df), dtype=np.int64)
    meta_parts = []
    for (b, w), amount in zip(parts.items(), part_fen, strict=True):
        s, factor, wts = split_basis(int(amount), df, b, payer, scale)
        if factor is not None:
            out["factor"] = factor
            reason[payer & (wts == 0) & (reason == 0)] = REASONS.index(FLOOR_RULE_ZERO)
        if len(parts) > 1:
            out[f"share_{b}_fen"] = s
        share += s
        meta_parts.append(
            BasisPart(basis=b, weight=w, amount_fen=int(amount), weight_sum=float(wts.sum()))
        )
    out["exempt"] = ex_mask | ((share == 0) & (reason != 0))
    # codes as text, taken from the few distinct values (fast at a million rows)
    out["exempt_reason"] = pd.Series(pd.array(REASONS, dtype="str").take(reason.astype(np.intp)))
    out["share_fen"] = share
    fund = _fund(out, share, spec.fund, rules) if spec.fund is not None else None
    area_ids = _area_rules(parts, scale, rules)
    basis_rules = ({"area": area_ids[0]} if area_ids else {}) | (
        {"floor": scale.id} if scale else {}
    )
    meta = SheetMeta(
        total_fen=int(total_fen),
        parts=tuple(meta_parts),
        households=len(out),
        payers=n_payers,
        spec=spec,
        exempt_floors=tuple(floors),
        floor_rule=scale,
        elevator=net,
        fund=fund,
        jurisdiction=rules.key,
        rules_on=rules.on,
        basis_rules=basis_rules,
    )
    return ContributionSheet(out, meta, _sources(meta, rules))


def from_scenario(result: ScenarioResult, spec: SheetSpec) -> tuple[int, SheetSpec]:
    """The residents' self-raised amount of a scenario run, and `spec` for sharing it.

    The amount is every ``residents*`` funding line (cash and fund-paid together). The
    scenario's Ningbo-style ``fund_topup`` becomes ``spec.fund`` unless `spec` has one.
    Share it with ``contribution_sheet(roster, amount, spec, result.rules)``: the rules
    of the scenario's own date.

    Raises
    ------
    InputError
        When the scenario has no residents' self-raised amount.

    Examples
    --------
    >>> from costshare.community.scenario import Scenario, default_scenario_path
    >>> result = Scenario.from_yaml(default_scenario_path()).run()
    >>> amount, spec = from_scenario(result, SheetSpec())
    >>> amount, spec.scenario.households, result.rules.on.isoformat()
    (28800000, 480, '2024-06-30')
    """
    from costshare.community.channels import residents_mask

    src = result.sources
    res = int(src.loc[residents_mask(src["channel"]), "amount_fen"].sum())
    s = result.scenario
    if res <= 0:
        msg = f"scenario {s.name!r} has no residents' self-raised amount (funding.residents)"
        raise InputError(Problem(msg, field="scenario"))
    fund = spec.fund
    t = s.funding.fund_topup
    if fund is None and t is not None:
        fund = FundOptions(
            ratio=t.ratio,
            standard=t.standard_yuan_per_m2,
            subsidy_ratio=t.subsidy_ratio,
            subsidy_to=t.subsidy_to,
        )
    info = ScenarioInfo(name=s.name, community=s.community.name, households=s.community.households)
    return res, spec.model_copy(update={"fund": fund, "scenario": info})
