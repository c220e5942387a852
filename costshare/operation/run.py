"""Run an operation scenario: yearly accounts, break-even fees, public income and funds.

:func:`operate` is the engine (it receives the resolved :class:`~costshare.rules.RuleSet`);
:func:`run_scenario` is the entry point that loads the rules for the scenario's date.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare import rules as rules_mod
from costshare.money import to_fen, to_yuan
from costshare.operation._amounts import scale
from costshare.operation.engine import (
    breakeven_fee_fen,
    line_amounts,
    line_base_fen,
    split_public_income,
)
from costshare.operation.fund import fund_projections
from costshare.operation.model import MODES, OperatedCommunity, OperationScenario
from costshare.operation.result import OperationResult, vote_flag
from costshare.operation.space import space_table, space_values
from costshare.rules import RuleSet

__all__ = ["operate", "repairs_by_year", "run_scenario"]

I64 = np.int64


def _rows(communities: list[OperatedCommunity]) -> pd.DataFrame:
    """One row per line of every community: group, kind, common flag, base fen, period."""
    rows = []
    for ci, c in enumerate(communities):
        rows.append(
            (ci, "fee", "property_fee", "物业费", False,
             line_base_fen(quantity=c.area_m2, price=c.fee, rate=c.collection_rate),
             1, None, Fraction(c.fee_growth))
        )  # fmt: skip
        for group, lines in (("revenue", c.revenues), ("cost", c.costs)):
            for x in lines:
                base = line_base_fen(x.annual, x.quantity, x.price, x.rate)
                rows.append(
                    (ci, group, x.kind, x.name, x.common, base,
                     x.start_year, x.end_year, Fraction(x.growth))
                )  # fmt: skip
        for s in c.space:
            annual = space_values(s)[1]
            if annual:
                group = "revenue" if annual > 0 else "cost"
                rows.append((ci, group, "space", s.name, False, abs(annual), 1, None, Fraction(0)))
    cols = ["ci", "group", "kind", "name", "common", "base_fen", "start", "end", "growth"]
    return pd.DataFrame(rows, columns=cols)


def _sum_by(ci: npt.NDArray, amounts: npt.NDArray, mask: npt.NDArray, n: int) -> npt.NDArray:
    out = np.zeros((n, amounts.shape[1]), dtype=I64)
    np.add.at(out, ci[mask], amounts[mask])  # exact int64 sums
    return out


def repairs_by_year(c: OperatedCommunity, years: int) -> dict[int, object]:
    """The fund's major repairs on their cycles as ``{year: yuan}`` within 1..`years`.

    Examples
    --------
    >>> from costshare.operation.model import FundSpec, RepairCycle
    >>> fund = FundSpec(opening=1, repairs=[RepairCycle(item="屋面", cost=100, first_year=3,
    ...                 cycle_years=4)])
    >>> c = OperatedCommunity(name="x", households=1, area_m2=1, fee=1, collection_rate=1,
    ...                       fund=fund)
    >>> repairs_by_year(c, 10)
    {3: Decimal('100'), 7: Decimal('100')}
    """
    out: dict[int, object] = {}
    for r in [] if c.fund is None else c.fund.repairs:
        year = r.first_year
        while year <= years:
            out[year] = out.get(year, 0) + r.cost
            if r.cycle_years is None:
                break
            year += r.cycle_years
    return dict(sorted(out.items()))


def operate(scenario: OperationScenario, rules: RuleSet) -> OperationResult:
    """Yearly accounts of every community at once, their break-even fees and funds.

    Parameters
    ----------
    scenario : OperationScenario
        The communities, lines, subsidies, public-income splits and funds.
    rules : RuleSet
        The jurisdiction's rules in force on the scenario's date (fund trigger, Civil
        Code Art. 278 vote rule, tax rules shown as sources).

    Returns
    -------
    OperationResult
        ``yearly`` (one row per community and year), ``summary`` (one row per
        community), ``lines``, ``space``, ``funds`` and the vote flag.

    Examples
    --------
    >>> from costshare import rules
    >>> s = OperationScenario(name="x", years=2, communities=[dict(
    ...     name="a", households=10, area_m2=1000, fee=1, collection_rate=0.9,
    ...     mode="trusteeship", costs=[dict(name="保洁", kind="cleaning_greening", annual=12000)],
    ...     subsidy=[1200])])
    >>> r = operate(s, rules.load("national", on="2024-01-01"))
    >>> r.yearly["surplus_fen"].tolist(), r.summary["breakeven_fee"].tolist()
    ([0, -120000], ['1.00'])
    """
    cs = scenario.communities
    n, years = len(cs), scenario.years
    rows = _rows(cs)
    amounts = line_amounts(
        rows["base_fen"].to_numpy(I64),
        years,
        start=rows["start"].to_numpy(I64),
        end=rows["end"].fillna(years).to_numpy(I64),
        growth=list(rows["growth"]),
    )
    ci = rows["ci"].to_numpy(np.intp)
    grp, common = rows["group"].to_numpy(), rows["common"].to_numpy(bool)
    fee = _sum_by(ci, amounts, grp == "fee", n)
    other = _sum_by(ci, amounts, (grp == "revenue") & ~common, n)
    public = _sum_by(ci, amounts, (grp == "revenue") & common, n)
    costs = _sum_by(ci, amounts, grp == "cost", n)
    mgmt = np.zeros_like(costs)  # the mode's management fee on the other costs
    for r in {Fraction(c.fee_ratio) for c in cs} - {Fraction(0)}:
        idx = [i for i, c in enumerate(cs) if Fraction(c.fee_ratio) == r]
        mgmt[idx] = scale(costs[idx], r)
    shares = [[c.public_income.fund, c.public_income.operator, c.public_income.owners] for c in cs]
    split = split_public_income(public, shares)  # (n, years, 3)
    subsidy = np.zeros((n, years), dtype=I64)
    for i, c in enumerate(cs):
        subsidy[i, : len(c.subsidy)] = [to_fen(v) for v in c.subsidy]
    cost_all = costs + mgmt
    revenue = fee + other + split[..., 1]
    surplus = revenue + subsidy - cost_all
    gap = cost_all - other - split[..., 1]
    area = [[c.area_m2] for c in cs]
    rate = [[c.collection_rate] for c in cs]
    be = breakeven_fee_fen(gap - subsidy, area, rate)
    be_free = breakeven_fee_fen(gap, area, rate)
    yearly = pd.DataFrame(
        {
            "community": np.repeat([c.name for c in cs], years),
            "year": np.tile(np.arange(1, years + 1), n),
            "fee_revenue_fen": fee.ravel(),
            "other_revenue_fen": other.ravel(),
            "public_income_fen": public.ravel(),
            "to_fund_fen": split[..., 0].ravel(),
            "to_operator_fen": split[..., 1].ravel(),
            "to_owners_fen": split[..., 2].ravel(),
            "revenue_fen": revenue.ravel(),
            "cost_fen": cost_all.ravel(),
            "management_fee_fen": mgmt.ravel(),
            "subsidy_fen": subsidy.ravel(),
            "surplus_fen": surplus.ravel(),
            "cumulative_fen": np.cumsum(surplus, axis=1).ravel(),
            "breakeven_fee_fen": be.ravel(),
        }
    )
    with_fund = [(i, c) for i, c in enumerate(cs) if c.fund is not None]
    specs = [
        {
            "opening": c.fund.opening,  # type: ignore[union-attr]
            "years": years,
            "rate": c.fund.rate,  # type: ignore[union-attr]
            "contributions": c.fund.contributions,  # type: ignore[union-attr]
            "public_income": [to_yuan(int(v)) for v in split[i, :, 0]],
            "repairs": repairs_by_year(c, years),
            "initial_deposits": c.fund.initial_deposits,  # type: ignore[union-attr]
            "trigger": c.fund.trigger,  # type: ignore[union-attr]
            "rules": rules,
            "target": c.fund.target,  # type: ignore[union-attr]
            "area": [float(c.area_m2)],  # for a target by area (Ningbo's 60–80% standard)
        }
        for i, c in with_fund
    ]
    funds = dict(zip([c.name for _, c in with_fund], fund_projections(specs), strict=True))
    no_sub = (subsidy == 0) & (surplus >= 0)
    summary = pd.DataFrame(
        {
            "community": [c.name for c in cs],
            "mode": [c.mode for c in cs],
            "mode_label": [MODES[c.mode].label for c in cs],
            "households": [c.households for c in cs],
            "area_m2": [str(c.area_m2) for c in cs],
            "fee": [str(c.fee) for c in cs],
            "collection_rate": [str(c.collection_rate) for c in cs],
            "breakeven_fee": [str(to_yuan(int(v))) for v in be[:, 0]],
            "breakeven_fee_without_subsidy": [str(to_yuan(int(v))) for v in be_free.max(axis=1)],
            "first_year_unsubsidised_breakeven": pd.Series(
                [int(np.argmax(r)) + 1 if r.any() else None for r in no_sub], dtype=object
            ),
            "cumulative_fen": surplus.sum(axis=1),
            "fund_first_below_trigger": pd.Series(
                [funds[c.name].first_below_trigger if c.name in funds else None for c in cs],
                dtype=object,
            ),
            "fund_topup_fen": [
                int(funds[c.name].topup_fen.sum()) if c.name in funds else 0 for c in cs
            ],
            "public_income_vote": [any(x.common for x in c.revenues) for c in cs],
        }
    )
    lines = rows.assign(
        community=[cs[i].name for i in rows["ci"]],
        year1_fen=amounts[:, 0],
        first_fen=amounts[np.arange(len(rows)), np.minimum(rows["start"], years) - 1],
        total_fen=amounts.sum(axis=1),
        growth=[str(g) for g in rows["growth"]],
    ).drop(columns=["ci", "base_fen"])
    space = space_table([x for c in cs for x in c.space], [c.name for c in cs for _ in c.space])
    return OperationResult(
        scenario=scenario,
        rules=rules,
        yearly=yearly,
        summary=summary,
        lines=lines,
        space=space,
        funds=funds,
        vote=vote_flag(cs, rules),
    )


def run_scenario(
    scenario: OperationScenario, today: dt.date | None = None, rules: RuleSet | None = None
) -> OperationResult:
    """Load the jurisdiction's rules for the scenario's date and run :func:`operate`.

    ``rules_date`` decides the date; without it, `today` (default: the system date — this
    is a shell, like the CLI and the app).
    """
    if rules is None:
        day = scenario.day(today or dt.date.today())
        rules = rules_mod.load(scenario.jurisdiction, on=day)
    return operate(scenario, rules)
