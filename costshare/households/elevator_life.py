"""An elevator over its life: building cost, maintenance and running cost, low-floor compensation.

Published elevator agreements share more than the building cost: the yearly maintenance
and electricity over the elevator's life, and often a compensation that upper-floor
households pay to the low floors that lose light or gain noise. No seed gives these
amounts or a rule for them: every figure is the caller's (an assumption, A), and the
sharing bases are chosen openly — by default the airport game's Shapley weights
(:mod:`costshare.households.airport`) for the building cost and the running costs (a
ride to a higher floor uses more of the elevator), the compensation paid by the same
weights and received equally by each compensated household, so it nets to zero.
"""

from __future__ import annotations

import pandas as pd

from costshare.errors import InputError, Problem
from costshare.households.sheet import contribution_sheet
from costshare.households.spec import SheetSpec
from costshare.money import to_yuan
from costshare.rules import RuleSet

__all__ = ["elevator_lifetime"]


def _share(roster: pd.DataFrame, total: int, basis: str, exempt: tuple[int, ...], rules: RuleSet):
    if total == 0:
        return [0] * len(roster)
    spec = SheetSpec(basis=basis, exempt_floors=exempt or None)
    return contribution_sheet(roster, total, spec, rules).table["share_fen"].astype(int).tolist()


def elevator_lifetime(
    roster: pd.DataFrame,
    rules: RuleSet,
    *,
    cost_fen: int,
    maintenance_fen: int = 0,
    operation_fen: int = 0,
    years: int = 15,
    compensation_fen: int = 0,
    compensated_floors: tuple[int, ...] = (1,),
    exempt_floors: tuple[int, ...] = (1,),
    basis: str = "airport",
    running_basis: str = "airport",
) -> pd.DataFrame:
    """Each household's building cost, lifetime running costs and compensation (fen).

    Parameters
    ----------
    cost_fen, maintenance_fen, operation_fen : int
        Building cost; maintenance and electricity per year.
    years : int
        The elevator's life in years (assumption).
    compensation_fen : int
        Paid to each household on `compensated_floors` (assumption), by the payers.

    Returns
    -------
    DataFrame
        unit_id, floor, ``cost_fen``, ``maintenance_fen``, ``operation_fen``,
        ``comp_paid_fen``, ``comp_received_fen``, ``net_fen``, ``explanation``; the nets
        add up to cost + years × (maintenance + operation) exactly.

    Examples
    --------
    >>> from costshare import rules
    >>> r = pd.DataFrame({"unit_id": ["101", "201", "301"], "floor": [1, 2, 3],
    ...                   "area_m2": [60.0] * 3})
    >>> t = elevator_lifetime(r, rules.load("national", "2024-06-30"), cost_fen=30000,
    ...                       maintenance_fen=300, years=10, compensation_fen=1000)
    >>> t["net_fen"].tolist()
    [-1000, 8500, 25500]
    """
    if years < 1:
        raise InputError(Problem("years must be at least 1", field="years"))
    if "floor" not in roster.columns:
        raise InputError(Problem("the roster needs a floor column", field="floor"))
    t = roster[["unit_id", "floor"]].copy().reset_index(drop=True)
    r = roster.reset_index(drop=True)
    t["cost_fen"] = _share(r, cost_fen, basis, exempt_floors, rules)
    t["maintenance_fen"] = _share(r, maintenance_fen * years, running_basis, exempt_floors, rules)
    t["operation_fen"] = _share(r, operation_fen * years, running_basis, exempt_floors, rules)
    low = t["floor"].isin(compensated_floors).to_numpy()
    t["comp_received_fen"] = [compensation_fen if x else 0 for x in low]
    payers_exempt = tuple(sorted(set(exempt_floors) | set(compensated_floors)))
    t["comp_paid_fen"] = _share(r, int(low.sum()) * compensation_fen, basis, payers_exempt, rules)
    t["net_fen"] = (
        t["cost_fen"] + t["maintenance_fen"] + t["operation_fen"]
        + t["comp_paid_fen"] - t["comp_received_fen"]
    )  # fmt: skip
    t["explanation"] = [
        f"建设 {to_yuan(a)} + 维保 {to_yuan(b)} + 运行 {to_yuan(c)}（{years} 年）"
        + (f" + 支付低层补偿 {to_yuan(d)}" if d else "")
        + (f" − 获得低层补偿 {to_yuan(e)}" if e else "")
        + f" = {to_yuan(n)} 元"
        for a, b, c, d, e, n in zip(t["cost_fen"], t["maintenance_fen"], t["operation_fen"],
                                    t["comp_paid_fen"], t["comp_received_fen"], t["net_fen"],
                                    strict=True)
    ]  # fmt: skip
    return t
