"""Goal seek for a community scenario: the value of one funding input that closes the gap.

The unknown is one of the residents' bases (``residents.ratio``, ``residents.per_household``,
``residents.per_m2``, ``residents.amount``), a funding channel (``central_subsidy``,
``municipal`` … see :data:`~costshare.community.model.CHANNELS`) or another funding line
(``other:<name>``). The scenario is run by the one community engine for each trial value;
the gap never grows when the value grows, so a bisection over decimals finds the
*smallest* value with the fewest decimal places that leaves a gap of exactly 0 fen. When
no value within the bounds closes the gap, an :class:`~costshare.errors.InputError` says
what is left at the bounds (or, when the steps of the result jump over zero, the nearest
values on either side).

>>> from costshare.community.scenario import Scenario, default_scenario_path
>>> s = Scenario.from_yaml(default_scenario_path())
>>> sol = solve(s, "residents.per_household")
>>> sol.value, sol.leftover_fen, sol.rounding
(Decimal('758.34'), 320, '向上取整到分（每户），多筹 3.20 元')
>>> solve(s, "residents.per_household", payable=False).value
Decimal('758.33333')

A money target (per household, per m², an amount) is solved to a payable amount by
default: the smallest value to the fen that leaves no gap, with the rounding and what
is left over (the surplus) stated. ``payable=False`` gives the exact value (the
smallest with the fewest decimals that leaves a gap of exactly 0 fen); a ratio is
always solved exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from costshare.community.model import CHANNELS, RESIDENT_BASES, OtherSource, Residents
from costshare.community.scenario import Scenario
from costshare.community.scenario_result import ScenarioResult
from costshare.errors import InputError, Problem
from costshare.money import to_yuan
from costshare.rules import RuleSet

__all__ = ["MAX_PLACES", "Solution", "solve", "targets"]

MAX_PLACES = 10
"""The most decimal places a solved value may have (ratios need more than amounts)."""


@dataclass(frozen=True)
class Solution:
    """The solved value, the scenario holding it and its result (gap 0 fen)."""

    target: str
    value: Decimal
    scenario: Scenario
    result: ScenarioResult
    runs: int
    rounding: str = ""
    """How the value was rounded and what is left over, in words ("" when exact)."""
    leftover_fen: int = 0
    """The surplus the rounding leaves (sources − uses, fen; 0 when exact)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data: target, value, the rounding, and the solved scenario's totals in yuan."""
        r = self.result
        return {
            "target": self.target,
            "value": str(self.value),
            "rounding": self.rounding,
            "leftover": str(to_yuan(self.leftover_fen)),
            "uses": str(to_yuan(r.uses_fen)),
            "sources": str(to_yuan(r.sources_fen)),
            "gap": str(to_yuan(r.gap_fen)),
            "runs": self.runs,
        }


def targets(scenario: Scenario) -> list[str]:
    """Every unknown :func:`solve` accepts for `scenario`.

    >>> from costshare.community.scenario import Scenario, default_scenario_path
    >>> targets(Scenario.from_yaml(default_scenario_path()))[:2]
    ['residents.ratio', 'residents.per_household']
    """
    own = [f"other:{o.name}" for o in scenario.funding.other]
    return [f"residents.{b}" for b in RESIDENT_BASES] + list(CHANNELS) + own


def _setter(scenario: Scenario, target: str):
    """A function value → scenario with the target set to value (other inputs kept)."""
    f = scenario.funding
    if target.startswith("residents."):
        basis = target.removeprefix("residents.")
        if basis not in RESIDENT_BASES:
            raise InputError(Problem(f"unknown residents' basis {basis!r}", field="target"))
        note = f.residents.note if f.residents is not None else None

        def fund(v: Decimal) -> dict[str, Any]:
            return {"residents": Residents(**{basis: v}, note=note)}
    elif target in CHANNELS:

        def fund(v: Decimal) -> dict[str, Any]:
            return {target: v}
    elif target.startswith("other:") and any(o.name == target[6:] for o in scenario.funding.other):
        name = target[6:]

        def fund(v: Decimal) -> dict[str, Any]:
            return {
                "other": [
                    OtherSource(name=o.name, amount=v, note=o.note) if o.name == name else o
                    for o in f.other
                ]
            }
    else:
        choices = ", ".join(targets(scenario))
        raise InputError(Problem(f"unknown target {target!r}; one of {choices}", field="target"))

    def at(v: Decimal) -> Scenario:
        return scenario.model_copy(update={"funding": f.model_copy(update=fund(v))})

    return at


def _default_bounds(scenario: Scenario, target: str, uses_fen: int) -> tuple[Decimal, Decimal]:
    if target == "residents.ratio":
        return Decimal(0), Decimal(1)
    uses = to_yuan(uses_fen)
    c = scenario.community
    if target == "residents.per_household":
        return Decimal(0), (uses / c.households).quantize(Decimal(1)) + 1
    if target == "residents.per_m2":
        return Decimal(0), (uses / c.area_m2).quantize(Decimal(1)) + 1
    return Decimal(0), uses


def _money(fen: int) -> str:
    return f"{to_yuan(abs(fen)):,} 元"


_PER = {
    "residents.per_household": "每户",
    "residents.per_m2": "每平方米",
}


def _payable(
    target: str,
    at: Any,
    gap: Any,
    low: Decimal,
    high: Decimal,
    g_hi: int,
    r_hi: ScenarioResult,
    runs_of: Any,
) -> Solution:
    """The smallest value to the fen in [low, high] with no gap (gap(low) > 0 ≥ gap(high))."""
    cent = Decimal("0.01")
    left = int((low / cent).to_integral_value(rounding="ROUND_FLOOR"))
    right = int((high / cent).to_integral_value(rounding="ROUND_FLOOR"))
    g_r, r_r = g_hi, r_hi
    if right * cent != high:  # the fen below `high` may already close the gap
        g_try, r_try = gap(right * cent)
        if g_try <= 0:
            g_r, r_r = g_try, r_try
        else:
            value = high
            return _solution(target, value, at, r_hi, runs_of(), g_hi)
    while right - left > 1:
        mid = (left + right) // 2
        g_m, r_m = gap(mid * cent)
        if g_m > 0:
            left = mid
        else:
            right, g_r, r_r = mid, g_m, r_m
    return _solution(target, (right * cent).quantize(cent), at, r_r, runs_of(), g_r)


def _solution(
    target: str, value: Decimal, at: Any, result: ScenarioResult, runs: int, gap_fen: int
) -> Solution:
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    left = -gap_fen
    per = _PER.get(target, "")
    words = f"向上取整到分（{per}）" if per else "向上取整到分"
    words += f"，多筹 {to_yuan(left):,} 元" if left else "，无余额"
    return Solution(target, value, at(value), result, runs, words, left)


def solve(
    scenario: Scenario,
    target: str,
    lo: Decimal | float | str | None = None,
    hi: Decimal | float | str | None = None,
    rules: RuleSet | None = None,
    *,
    payable: bool | None = None,
) -> Solution:
    """The value of `target` in [`lo`, `hi`] that closes the gap: payable, or exact.

    Parameters
    ----------
    scenario : Scenario
        The community scenario; only the target input changes.
    target : str
        ``residents.<basis>``, a channel key, or ``other:<name>`` (see :func:`targets`).
    lo, hi : Decimal, optional
        Bounds of the value (yuan, or a ratio in [0, 1]); by default 0 and a value
        that surely covers the uses.
    rules : RuleSet, optional
        The rules to apply (default: the scenario's jurisdiction on its ``rules_date``).
    payable : bool, optional
        Solve to the fen (the smallest amount to the fen that leaves no gap, the
        surplus stated as ``leftover_fen``); default True for money targets, always
        False for ``residents.ratio`` (solved exactly).

    Returns
    -------
    Solution

    Raises
    ------
    InputError
        If the target is unknown, the bounds are bad, or no value in the bounds closes
        the gap exactly (the message gives the gap or surplus at the bounds).

    Examples
    --------
    >>> from costshare.community.scenario import Scenario, default_scenario_path
    >>> s = Scenario.from_yaml(default_scenario_path())
    >>> solve(s, "municipal").value
    Decimal('876000')
    """
    rs = scenario.rules() if rules is None else rules
    at = _setter(scenario, target)
    runs = 0

    def gap(v: Decimal) -> tuple[int, ScenarioResult]:
        nonlocal runs
        runs += 1
        r = at(v).run(rs)
        return r.gap_fen, r

    base = scenario.run(rs)
    d_lo, d_hi = _default_bounds(scenario, target, base.uses_fen)
    low = Decimal(str(lo)) if lo is not None else d_lo
    high = Decimal(str(hi)) if hi is not None else d_hi
    cap = Decimal(1) if target == "residents.ratio" else None
    if low < 0 or high < low or (cap is not None and high > cap):
        top = "1" if cap is not None else "∞"
        msg = f"bounds must satisfy 0 ≤ lo ≤ hi ≤ {top} (got {low} … {high})"
        raise InputError(Problem(msg, field="bounds"))
    g_lo, r_lo = gap(low)
    if g_lo <= 0:
        if g_lo == 0:
            return Solution(target, low, at(low), r_lo, runs)
        msg = f"even at {low} there is a surplus of {_money(g_lo)}: lower the other sources"
        raise InputError(Problem(msg, field=target))
    g_hi, r_hi = gap(high)
    if g_hi > 0:
        msg = f"even at {high} a gap of {_money(g_hi)} is left: raise the bound or other sources"
        raise InputError(Problem(msg, field=target))
    if payable is None:
        payable = target != "residents.ratio"
    if payable and target != "residents.ratio":
        return _payable(target, at, gap, low, high, g_hi, r_hi, runs_of=lambda: runs)
    # invariant: gap(a) > 0 >= gap(b); look on a finer grid one decimal place at a time
    a, b, g_b, r_b = low, high, g_hi, None
    for places in range(MAX_PLACES + 1):
        step = Decimal(1).scaleb(-places)
        left, right = int(a // step), int(-((-b) // step))  # left·step ≤ a, right·step ≥ b
        if right * step > high:  # the grid point above b is out of bounds: try the one below
            right -= 1
            if right <= left:
                continue
            g_r, r_r = gap(right * step)
            if g_r > 0:
                a = right * step
                continue
        else:
            g_r, r_r = (g_b, r_b) if right * step == b else gap(right * step)
        while right - left > 1:
            mid = (left + right) // 2
            g_m, r_m = gap(mid * step)
            if g_m > 0:
                left = mid
            else:
                right, g_r, r_r = mid, g_m, r_m
        if g_r == 0:
            value = (right * step).quantize(step)
            res = r_r if r_r is not None else gap(value)[1]
            return Solution(target, value, at(value), res, runs)
        a, b, g_b, r_b = max(a, left * step), right * step, g_r, r_r
    g_a, _ = gap(a)
    msg = (
        f"no value closes the gap exactly: {a} leaves a gap of {_money(g_a)}, "
        f"{b} a surplus of {_money(g_b)}"
    )
    raise InputError(Problem(msg, field=target))
