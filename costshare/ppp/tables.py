"""Annual cash-flow table (project and equity views) and the headline metrics."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from costshare import finance
from costshare.money import to_yuan
from costshare.ppp.engine import Flows, _t0, metrics_arrays, simulate
from costshare.ppp.model import PPPProject

__all__ = ["Metrics", "cash_flow_table", "metrics"]

_COLUMNS = (
    "capex",
    "grant",
    "loan_draw",
    "revenue_user",
    "revenue_other",
    "subsidy",
    "om",
    "revenue_tax",
    "ebitda",
    "depreciation",
    "interest",
    "principal",
    "income_tax_project",
    "income_tax_equity",
    "residual",
    "project_cf",
    "equity_cf",
    "cfads",
    "debt_service",
    "gov_equity",
    "risk",
    "gov_obligations",
)
PROJECT_VIEW = (
    "capex",
    "grant",
    "revenue_user",
    "revenue_other",
    "subsidy",
    "om",
    "revenue_tax",
    "income_tax_project",
    "residual",
    "project_cf",
)
EQUITY_VIEW = (
    "capex",
    "grant",
    "loan_draw",
    "revenue_user",
    "revenue_other",
    "subsidy",
    "om",
    "revenue_tax",
    "interest",
    "principal",
    "income_tax_equity",
    "residual",
    "equity_cf",
)


def cash_flow_table(p: PPPProject, flows: Flows | None = None) -> pd.DataFrame:
    """One row per project year; amounts as int64 fen columns ``<item>_fen``.

    Columns ``year`` (1..N), ``calendar_year`` (if the scenario has ``start_year``),
    ``phase`` (construction/operation), ``n`` (the 21号 index used for that year's
    subsidy; 0 outside the subsidy period), the line items of both views, and
    ``project_cum_fen`` / ``equity_cum_fen``. :data:`PROJECT_VIEW` and
    :data:`EQUITY_VIEW` name the items of each view. Flows are at year-ends.
    """
    fl = flows or simulate(p)
    N = p.cooperation_years
    df = pd.DataFrame({"year": np.arange(1, N + 1)})
    if p.start_year is not None:
        df["calendar_year"] = df["year"] + p.start_year - 1
    df["phase"] = np.where(fl.operating, "operation", "construction")
    df["n"] = fl.n_index
    for name in _COLUMNS:
        df[f"{name}_fen"] = getattr(fl, name)[0]
    df["project_cum_fen"] = df["project_cf_fen"].cumsum()
    df["equity_cum_fen"] = df["equity_cf_fen"].cumsum()
    return df


@dataclass(frozen=True)
class Metrics:
    """Headline results of one scenario. Money in Decimal yuan; None when undefined."""

    project_npv: Decimal
    project_irr: float | None
    equity_npv: Decimal
    equity_irr: float | None
    payback_years: float | None
    """Static payback of the project view, years from the start of year 1."""
    discounted_payback_years: float | None
    dscr_min: float | None
    dscr_avg: float | None
    project_discount_rate: float
    equity_discount_rate: float
    dscr_below_one: tuple[int, ...] = ()
    """Project years whose debt-service cover is below 1 (cash short of debt service)."""
    project_irr_reason: str = ""
    """Why ``project_irr`` is None (see :func:`costshare.finance.irr`); "" when it exists."""
    equity_irr_reason: str = ""
    project_irr_roots: tuple[float, ...] = ()
    """Every IRR root found; more than one means the choice followed the root rule."""
    equity_irr_roots: tuple[float, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            k: (str(v) if isinstance(v, Decimal) else list(v) if isinstance(v, tuple) else v)
            for k, v in vars(self).items()
        }


def _opt(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def metrics(p: PPPProject, flows: Flows | None = None) -> Metrics:
    """NPV and IRR of the project and equity views, payback and DSCR of one scenario."""
    fl = flows or simulate(p)
    m = {k: v[0] for k, v in metrics_arrays(fl).items()}
    ds = np.where(fl.operating, fl.debt_service[0], 0)
    per_year = finance.dscr(np.where(fl.operating, fl.cfads[0], 0), ds).per_year
    short = tuple(int(y) + 1 for y in np.flatnonzero(per_year < 1))
    pirr = finance.irr(_t0(fl.project_cf)[0], full_output=True)
    eirr = finance.irr(_t0(fl.equity_cf)[0], full_output=True)
    return Metrics(
        project_npv=to_yuan(round(m["project_npv"])),
        project_irr=_opt(m["project_irr"]),
        equity_npv=to_yuan(round(m["equity_npv"])),
        equity_irr=_opt(m["equity_irr"]),
        payback_years=_opt(m["payback"]),
        discounted_payback_years=_opt(m["discounted_payback"]),
        dscr_min=_opt(m["dscr_min"]),
        dscr_avg=_opt(m["dscr_avg"]),
        project_discount_rate=float(fl.project_rate[0]),
        equity_discount_rate=float(fl.equity_rate[0]),
        dscr_below_one=short,
        project_irr_reason=str(pirr.reason),
        equity_irr_reason=str(eirr.reason),
        project_irr_roots=tuple(pirr.roots),
        equity_irr_roots=tuple(eirr.roots),
    )
