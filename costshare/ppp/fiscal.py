"""Fiscal obligations and affordability (财金〔2015〕21号, 财金〔2019〕10号)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare.errors import InputError
from costshare.money import half_up, times, to_fen, to_yuan
from costshare.ppp.engine import Flows, _risk_fen, simulate
from costshare.ppp.model import Fiscal, PPPProject
from costshare.rules import RuleSet

__all__ = [
    "Affordability",
    "AffordabilityLines",
    "affordability",
    "affordability_lines",
    "budget_path_fen",
    "equity_expenditure",
    "risk_expenditure",
    "with_fiscal",
]


def equity_expenditure(p: PPPProject) -> Decimal:
    """Government equity expenditure: project capital x government equity share (21号).

    Project capital is construction cost minus loan and construction grant.
    """
    return to_yuan(int(simulate(p).gov_equity.sum()))


def risk_expenditure(p: PPPProject) -> Decimal:
    """Yearly risk expenditure by the scenario method: sum(outlay x probability) (21号)."""
    return to_yuan(_risk_fen(p))


@dataclass(frozen=True)
class AffordabilityLines:
    """The fiscal affordability lines in force, with the rule ids they come from."""

    limit: Fraction
    """Ceiling of all PPP spending as a share of general public budget expenditure."""
    warning: Fraction | None
    """Warning line (no new government-pay projects above it); None before it existed."""
    sources: tuple[str, ...]


def affordability_lines(rules: RuleSet) -> AffordabilityLines:
    """The 10 % ceiling and 5 % warning line from a resolved rule set.

    Read from the parameters ``ppp.affordability_cap`` (财金〔2015〕21号 第二十五条) and
    ``ppp.warning_line`` (财金〔2019〕10号, in force from 2019-03-07) of `rules`.

    Examples
    --------
    >>> from costshare import rules
    >>> lines = affordability_lines(rules.load("national", on="2025-01-01"))
    >>> str(lines.limit), str(lines.warning)
    ('1/10', '1/20')
    >>> affordability_lines(rules.load("national", on="2018-01-01")).warning is None
    True
    """
    cap = rules.param("ppp.affordability_cap")
    warn = rules.parameters.get("ppp.warning_line")
    return AffordabilityLines(
        Fraction(cap.value),
        None if warn is None else Fraction(warn.value),
        tuple(r.id for r in (cap, warn) if r is not None),
    )


def budget_path_fen(p: PPPProject) -> npt.NDArray[np.int64]:
    """Budget expenditure of each project year in fen: year 1 grown at the typed rate.

    ``B (1 + g)^(y-1)``, exact, rounded half-up once per year.
    """
    f = p.fiscal
    if f is None:
        msg = f"scenario {p.name!r} has no 'fiscal' section: no budget expenditure"
        raise InputError(msg)
    g = Fraction(repr(float(f.budget_growth)))
    b = to_fen(f.budget_expenditure)
    return np.array(
        [
            half_up(b * (g.denominator + g.numerator) ** k, g.denominator**k)
            for k in range(p.cooperation_years)
        ],
        np.int64,
    )


def with_fiscal(
    p: PPPProject,
    budget_expenditure: Decimal | str | int,
    budget_growth: float = 0.0,
    other_ppp_obligations: Decimal | str | int = 0,
) -> PPPProject:
    """`p` with the fiscal data the affordability test needs (kept risk scenarios).

    For a scenario without a ``fiscal`` section (the page asks for these three figures):
    the region's general public budget expenditure in project year 1 (yuan), its yearly
    growth, and the yearly obligations of the region's other PPP projects (yuan).

    Examples
    --------
    >>> from costshare import rules
    >>> from costshare.ppp.model import PPPProject
    >>> bare = PPPProject.from_yaml("scenarios/ppp/chongqing_jiulongpo.yaml")
    >>> bare.fiscal is None
    True
    >>> p = with_fiscal(bare, "2000000000", 0.03, "50000000")
    >>> p.fiscal.budget_expenditure, p.fiscal.other_ppp_obligations
    (Decimal('2000000000'), Decimal('50000000'))
    >>> a = affordability(p, rules.load("national", on="2021-01-01"))
    >>> a.passes, int(a.table["budget_fen"].iloc[1])  # 2e9 yuan × 1.03, in fen
    (True, 206000000000)
    """
    old = p.fiscal
    risks = list(old.risk_scenarios) if old is not None else []
    fiscal = Fiscal(
        budget_expenditure=Decimal(str(budget_expenditure)),
        budget_growth=budget_growth,
        other_ppp_obligations=Decimal(str(other_ppp_obligations)),
        risk_scenarios=risks,
    )
    return p.model_copy(update={"fiscal": fiscal})


@dataclass(frozen=True)
class Affordability:
    """Year-by-year affordability test and its verdict."""

    table: pd.DataFrame
    passes: bool
    """No year above the limit (10 % of general public budget expenditure)."""
    warning_years: list[int]
    """Years above the warning line (5 %): no new government-pay projects (财金〔2019〕10号)."""
    lines: AffordabilityLines
    """The ceiling and warning line used, from the rule set."""


def affordability(p: PPPProject, rules: RuleSet, flows: Flows | None = None) -> Affordability:
    """All PPP obligations of each year against the ceiling share of that year's budget.

    Obligations = this project's equity, construction grant, operating subsidy and risk
    expenditure, plus ``fiscal.other_ppp_obligations``. Budget expenditure grows at
    ``fiscal.budget_growth`` from ``fiscal.budget_expenditure`` in year 1. The lines come
    from `rules` (:func:`affordability_lines`): status per year ``pass`` (at or below
    the warning line), ``warning`` (above it, at or below the ceiling), ``fail`` (above
    the ceiling); compared exactly on integers.
    """
    lines = affordability_lines(rules)
    fl = flows or simulate(p)
    budget = budget_path_fen(p)
    f = p.fiscal
    years = np.arange(1, p.cooperation_years + 1)
    own = fl.gov_obligations[0]
    total = own + to_fen(f.other_ppp_obligations)

    def above(line: Fraction) -> npt.NDArray[np.bool_]:
        num, den = line.numerator, line.denominator
        return np.array(
            [t * den > b * num for t, b in zip(total.tolist(), budget.tolist(), strict=True)]
        )

    fail = above(lines.limit)
    warn = above(lines.warning) if lines.warning is not None else np.zeros_like(fail)
    status = np.where(fail, "fail", np.where(warn, "warning", "pass"))
    df = pd.DataFrame(
        {
            "year": years,
            "budget_fen": budget,
            "equity_fen": fl.gov_equity[0],
            "grant_fen": fl.grant[0],
            "subsidy_fen": fl.subsidy[0],
            "risk_fen": fl.risk[0],
            "other_ppp_fen": to_fen(f.other_ppp_obligations),
            "obligations_fen": total,
            "limit_fen": times(budget, lines.limit),
            "share": total / budget,
            "status": status,
        }
    )
    return Affordability(
        df, bool((status != "fail").all()), [int(y) for y in years[status != "pass"]], lines
    )
