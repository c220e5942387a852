"""Value for money, quantitative (财金〔2015〕167号 物有所值评价指引)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from costshare import finance
from costshare.money import half_up, times, to_fen, to_yuan
from costshare.ppp.engine import Flows, _t0, simulate
from costshare.ppp.model import PPPProject

__all__ = ["VfM", "value_for_money"]


@dataclass(frozen=True)
class VfM:
    psc: Decimal
    """Public sector comparator: PV(reference cost) + neutrality + risk."""
    ppp: Decimal
    """PV of the government's PPP obligations."""
    vfm: Decimal
    """PSC - PPP; the project offers value for money when >= 0."""
    index: float | None
    """(PSC - PPP) / PSC."""
    passes: bool
    discount_rate: float


def value_for_money(p: PPPProject, flows: Flows | None = None) -> VfM | None:
    """PSC versus the present value of the PPP obligations; None if not assessed.

    A scenario without a ``vfm`` section is not assessed: the result is None (never a
    verdict from zero defaults).

    Notes
    -----
    Reference project cost = construction + O&M - operating revenue the government
    would collect itself. PSC = PV(reference cost) + competitive-neutrality adjustment
    + transferable risk (``vfm.transferable_risk_share`` x PV(construction + O&M)) +
    retained risk (PV of the 21号 risk expenditure). PPP = PV(equity + construction
    grant + operating subsidy + risk expenditure). Year-end flows discounted to the
    start of year 1 at ``vfm.discount_rate`` (default: the subsidy discount rate).
    """
    if p.vfm is None:
        return None
    fl = flows or simulate(p)
    rate = p.vfm.discount_rate if p.vfm.discount_rate is not None else p.subsidy.discount_rate

    def pv(x: np.ndarray) -> int:
        return int(half_up(np.atleast_1d(finance.npv(rate, _t0(x)[0])))[0])

    gross = pv(fl.capex + fl.om)
    base = gross - pv(fl.revenue)
    psc = (
        base
        + to_fen(p.vfm.competitive_neutrality)
        + times(gross, p.vfm.transferable_risk_share)
        + pv(fl.risk)
    )
    ppp = pv(fl.gov_obligations)
    v = psc - ppp
    return VfM(to_yuan(psc), to_yuan(ppp), to_yuan(v), v / psc if psc > 0 else None, v >= 0, rate)
