"""Fiscal obligations and affordability (财金〔2015〕21号, 财金〔2019〕10号)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from costshare.errors import InputError
from costshare.money import to_fen, to_yuan
from costshare.ppp.engine import Flows, _risk_fen, round_fen, simulate
from costshare.ppp.model import PPPProject

__all__ = ["Affordability", "affordability", "equity_expenditure", "risk_expenditure"]


def equity_expenditure(p: PPPProject) -> Decimal:
    """Government equity expenditure: project capital x government equity share (21号).

    Project capital is construction cost minus loan and construction grant.
    """
    return to_yuan(int(simulate(p).gov_equity.sum()))


def risk_expenditure(p: PPPProject) -> Decimal:
    """Yearly risk expenditure by the scenario method: sum(outlay x probability) (21号)."""
    return to_yuan(_risk_fen(p))


@dataclass(frozen=True)
class Affordability:
    """Year-by-year affordability test and its verdict."""

    table: pd.DataFrame
    passes: bool
    """No year above the limit (10 % of general public budget expenditure)."""
    warning_years: list[int]
    """Years above the warning line (5 %): no new government-pay projects (财金〔2019〕10号)."""


def affordability(p: PPPProject, flows: Flows | None = None) -> Affordability:
    """All PPP obligations of each year against 10 % of that year's budget expenditure.

    Obligations = this project's equity, construction grant, operating subsidy and risk
    expenditure, plus ``fiscal.other_ppp_obligations``. Budget expenditure grows at
    ``fiscal.budget_growth`` from ``fiscal.budget_expenditure`` in year 1. Status per
    year: ``pass`` (<= 5 %), ``warning`` (5-10 %), ``fail`` (> 10 %).
    """
    if p.fiscal is None:
        msg = f"scenario {p.name!r} has no 'fiscal' section: cannot test affordability"
        raise InputError(msg)
    f = p.fiscal
    fl = flows or simulate(p)
    years = np.arange(1, p.cooperation_years + 1)
    budget = round_fen(to_fen(f.budget_expenditure) * (1 + f.budget_growth) ** (years - 1))
    own = fl.gov_obligations[0]
    total = own + to_fen(f.other_ppp_obligations)
    share = total / budget
    status = np.where(
        share > f.limit_share, "fail", np.where(share > f.warning_share, "warning", "pass")
    )
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
            "limit_fen": round_fen(budget * f.limit_share),
            "share": share,
            "status": status,
        }
    )
    return Affordability(
        df, bool((status != "fail").all()), [int(y) for y in years[status != "pass"]]
    )
