"""Elevator retrofit (加装电梯): net cost after subsidies, fund use and provident-fund withdrawal.

DOMAIN.md §7: net cost = cost − subsidies per elevator (from the rule tables: Beijing a
fixed amount, Shanghai a share of cost with a cap, …) − maintenance-fund use −
provident-fund withdrawal; the net is then shared by a floor rule (see
:func:`costshare.households.sheet.contribution_sheet`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from costshare.errors import InputError, Problem
from costshare.money import amount_fen, half_up, to_fen, to_yuan
from costshare.rules import RuleSet
from costshare.rules.schema import ElevatorSubsidy

__all__ = ["Elevator", "ElevatorNet", "elevator_net"]

Money = Decimal | str | int | float


@dataclass(frozen=True)
class Elevator:
    """An elevator retrofit to be shared by one stairwell (or building).

    Parameters
    ----------
    cost : Decimal, str, int or float
        Total cost in yuan, pipe relocation included.
    city : str, optional
        Rule key whose elevator subsidy applies (``"beijing"``, ``"hangzhou"``,
        ``"shanghai"`` or a YAML path); ``None`` for no subsidy. The caller loads that
        jurisdiction's :class:`~costshare.rules.RuleSet` for the project's date and
        passes it to :func:`elevator_net`.
    elevators : int, default 1
        Number of elevators (subsidies are per elevator).
    pipes_cost : amount, default 0
        Part of `cost` spent on moving pipes, subsidised up to the rule's
        ``pipes_max_per_unit`` per elevator where the rule has one.
    fund_use, provident_fund : amount, default 0
        Maintenance-fund money used and housing provident fund withdrawn for it.
    other_subsidy : amount, default 0
        Any other grant (a district top-up, a donor).
    """

    cost: Money
    city: str | None = None
    elevators: int = 1
    pipes_cost: Money = 0
    fund_use: Money = 0
    provident_fund: Money = 0
    other_subsidy: Money = 0


@dataclass(frozen=True)
class ElevatorNet:
    """The steps from cost to net, in fen, with the subsidy rule used."""

    cost_fen: int
    subsidy_fen: int
    pipes_subsidy_fen: int
    other_subsidy_fen: int
    fund_use_fen: int
    provident_fund_fen: int
    net_fen: int
    rule: ElevatorSubsidy | None = None

    @property
    def steps(self) -> tuple[tuple[str, int], ...]:
        """``(step, fen)`` from cost to net; deductions negative. Step names are keys
        (``cost``, ``subsidy``, ``pipes_subsidy``, ``other_subsidy``, ``fund_use``,
        ``provident_fund``, ``net``) that :mod:`costshare.households.explain` words."""
        return (
            ("cost", self.cost_fen),
            ("subsidy", -self.subsidy_fen),
            ("pipes_subsidy", -self.pipes_subsidy_fen),
            ("other_subsidy", -self.other_subsidy_fen),
            ("fund_use", -self.fund_use_fen),
            ("provident_fund", -self.provident_fund_fen),
            ("net", self.net_fen),
        )


def elevator_net(e: Elevator, rules: RuleSet | None) -> ElevatorNet:
    """Compute an elevator's net cost to the households.

    Parameters
    ----------
    e : Elevator
        Cost, deductions and the city whose subsidy applies.
    rules : RuleSet or None
        The rules of ``e.city`` in force on the project's date (its first elevator
        subsidy applies); ignored, and may be ``None``, when ``e.city`` is ``None``.

    Returns
    -------
    ElevatorNet
        ``net_fen = cost − subsidy − pipes subsidy − other subsidy − fund use −
        provident fund``; the subsidies are capped so that they never exceed the cost.

    Raises
    ------
    InputError
        Negative amounts, a city whose rules have no elevator-subsidy rule in force on
        their date, or deductions larger than what the subsidies leave.

    Examples
    --------
    >>> from costshare import rules
    >>> sh = rules.load("shanghai", on="2024-01-01")
    >>> n = elevator_net(Elevator(cost=600_000, city="shanghai"), sh)
    >>> to_yuan(n.subsidy_fen), to_yuan(n.net_fen)
    (Decimal('240000.00'), Decimal('360000.00'))
    >>> to_yuan(elevator_net(Elevator(cost=800_000, city="shanghai"), sh).subsidy_fen)
    Decimal('280000.00')
    """
    if e.elevators < 1:
        raise InputError(Problem(f"must be 1 or more, got {e.elevators}", field="elevators"))
    cost = amount_fen(e.cost, "cost")
    pipes = amount_fen(e.pipes_cost, "pipes_cost")
    fund = amount_fen(e.fund_use, "fund_use")
    pf = amount_fen(e.provident_fund, "provident_fund")
    other = amount_fen(e.other_subsidy, "other_subsidy")
    if pipes > cost:
        raise InputError(
            Problem("pipes_cost is part of cost and cannot exceed it", field="pipes_cost")
        )
    rule = None
    sub = pipes_sub = 0
    if e.city is not None:
        if rules is None or not rules.elevator_subsidies:
            where = "no rules" if rules is None else f"{rules.name} ({rules.key}) on {rules.on}"
            msg = f"{where}: no elevator-subsidy rule in force for city {e.city!r}"
            raise InputError(Problem(msg, field="city"))
        rule = rules.elevator_subsidies[0]
        n = Decimal(e.elevators)
        if rule.per_elevator is not None:
            sub = to_fen(rule.per_elevator * n)
        else:
            num, den = (rule.cost_ratio or Decimal(0)).as_integer_ratio()
            sub = int(half_up(cost * num, den))
            if rule.cap is not None:
                sub = min(sub, to_fen(rule.cap * n))
        if rule.pipes_max_per_unit is not None:
            pipes_sub = min(pipes, to_fen(rule.pipes_max_per_unit * n))
    sub = min(sub, cost)
    pipes_sub = min(pipes_sub, cost - sub)
    other = min(other, cost - sub - pipes_sub)
    left = cost - sub - pipes_sub - other
    if fund + pf > left:
        msg = (
            f"fund use {to_yuan(fund)} + provident fund {to_yuan(pf)} exceed what is left after "
            f"subsidies ({to_yuan(left)} yuan)"
        )
        raise InputError(Problem(msg, field="fund_use"))
    net = left - fund - pf
    return ElevatorNet(cost, sub, pipes_sub, other, fund, pf, net, rule)
