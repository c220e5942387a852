"""Dated PPP flows: each project year's flows on a date, with XNPV and XIRR.

The annual model (:mod:`costshare.ppp.engine`) puts every flow at a year-end and
discounts by whole years. Real projects draw construction money during the year and
collect revenue through it; ``timing`` in the scenario says when, and this module
dates the same yearly amounts and evaluates them with Excel's XNPV/XIRR convention
(actual/365 from the start of year 1), beside the annual figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from costshare import finance
from costshare.money import half_up, to_yuan
from costshare.ppp.engine import Flows, simulate
from costshare.ppp.model import PPPProject

__all__ = ["DatedMetrics", "dated_flows", "dated_metrics"]


def _shift(d: dt.date, years: int = 0, months: int = 0) -> dt.date:
    m = d.month - 1 + months
    y = d.year + years + m // 12
    m = m % 12 + 1
    day = min(d.day, 28) if (m == 2 and d.day > 28) else d.day
    return dt.date(y, m, day)


def _start(p: PPPProject) -> dt.date | None:
    if p.timing.start_date is not None:
        return p.timing.start_date
    return dt.date(p.start_year, 1, 1) if p.start_year else None


def _date(start: dt.date, year: int, when: str) -> dt.date:
    begin = _shift(start, years=year - 1)
    if when == "year_start":
        return begin
    if when == "mid_year":
        return _shift(begin, months=6)
    return _shift(start, years=year) - dt.timedelta(days=1)


def dated_flows(p: PPPProject, flows: Flows | None = None) -> pd.DataFrame | None:
    """The project and equity flows of each year on their dates; None without a start date.

    One row for t = 0 (the start date, zero flows) and one per project year: ``date``,
    ``year``, ``phase``, ``project_cf_fen``, ``equity_cf_fen``.

    Examples
    --------
    >>> p = PPPProject.from_yaml("scenarios/ppp/ppp_example.yaml")
    >>> dated_flows(p)["date"].iloc[:2].astype(str).tolist()
    ['2025-01-01', '2025-12-31']
    """
    start = _start(p)
    if start is None:
        return None
    fl = flows or simulate(p)
    C, N = p.construction_years, p.cooperation_years
    dates = [start]
    for y in range(1, N + 1):
        if y <= C and p.timing.draw_dates:
            dates.append(p.timing.draw_dates[y - 1])
        else:
            dates.append(_date(start, y, p.timing.construction if y <= C else p.timing.operation))
    return pd.DataFrame(
        {
            "date": pd.to_datetime(dates),
            "year": np.arange(N + 1),
            "phase": ["start"] + ["construction"] * C + ["operation"] * (N - C),
            "project_cf_fen": np.concatenate([[0], fl.project_cf[0]]).astype(np.int64),
            "equity_cf_fen": np.concatenate([[0], fl.equity_cf[0]]).astype(np.int64),
        }
    )


@dataclass(frozen=True)
class DatedMetrics:
    """XNPV (Decimal yuan) and XIRR of the dated project and equity flows."""

    project_xnpv: Decimal
    project_xirr: float | None
    project_xirr_reason: str
    equity_xnpv: Decimal
    equity_xirr: float | None
    equity_xirr_reason: str
    start_date: dt.date

    def as_dict(self) -> dict[str, object]:
        return {
            k: (str(v) if isinstance(v, (Decimal, dt.date)) else v) for k, v in vars(self).items()
        }


def dated_metrics(p: PPPProject, flows: Flows | None = None) -> DatedMetrics | None:
    """XNPV at the evaluation rates and XIRR of the dated flows; None without a start date.

    Examples
    --------
    >>> p = PPPProject.from_yaml("scenarios/ppp/ppp_example.yaml")
    >>> m = dated_metrics(p)
    >>> m.project_xirr_reason, m.start_date.isoformat()
    ('', '2025-01-01')
    """
    fl = flows or simulate(p)
    df = dated_flows(p, fl)
    if df is None:
        return None
    d = df["date"].to_numpy().astype("datetime64[D]")
    out: dict[str, object] = {}
    for view, rate in (("project", fl.project_rate[0]), ("equity", fl.equity_rate[0])):
        v = df[f"{view}_cf_fen"].to_numpy(np.float64)
        x = finance.xirr(v, d, full_output=True)
        out[f"{view}_xnpv"] = to_yuan(half_up(np.array([finance.xnpv(float(rate), v, d)]))[0])
        out[f"{view}_xirr"] = None if np.isnan(x.rate) else float(x.rate)
        out[f"{view}_xirr_reason"] = str(x.reason)
    return DatedMetrics(start_date=df["date"].iloc[0].date(), **out)  # type: ignore[arg-type]
