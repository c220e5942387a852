"""Vectorized cash-flow engine: one scenario, many draws, integer fen throughout.

:func:`simulate` evaluates a :class:`PPPProject` for ``D`` sets of driver multipliers at
once (rows = draws, columns = project years 1..N) with no Python loop over draws. The
single-scenario tables, the solvers, the tornado and the Monte Carlo all call it, so they
can never disagree. Every line item is rounded half-up to the fen once
(:func:`costshare.money.times` for fen × a typed rate, :func:`costshare.money.half_up`
for compound growth factors), then only integers are added; schedules are split by
:func:`costshare.money.allocate_rows`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from costshare import finance
from costshare.money import allocate_rows, half_up, times, to_fen
from costshare.ppp.model import PPPProject

__all__ = ["Flows", "metrics_arrays", "simulate"]

Fen = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Flows:
    """Annual line items in fen, each of shape (D, N) for D draws and N project years."""

    capex: Fen
    grant: Fen
    loan_draw: Fen
    revenue_user: Fen
    revenue_other: Fen
    om: Fen
    revenue_tax: Fen
    subsidy: Fen
    depreciation: Fen
    interest: Fen
    principal: Fen
    income_tax_project: Fen
    income_tax_equity: Fen
    residual: Fen
    gov_equity: Fen
    risk: Fen
    n_index: npt.NDArray[np.int64]
    """21号 ``n`` per project year (0 outside the subsidy period), shape (N,)."""
    operating: npt.NDArray[np.bool_]
    """True in operating years, shape (N,)."""
    project_rate: npt.NDArray[np.float64]
    equity_rate: npt.NDArray[np.float64]

    @property
    def revenue(self) -> Fen:
        return self.revenue_user + self.revenue_other

    @property
    def ebitda(self) -> Fen:
        return self.revenue + self.subsidy - self.om - self.revenue_tax

    @property
    def equity_in(self) -> Fen:
        """Equity paid in during construction (capex not met by grant or loan)."""
        return self.capex - self.grant - self.loan_draw

    @property
    def project_cf(self) -> Fen:
        """Project (total investment) view: before financing, after adjusted income tax."""
        return self.grant - self.capex + self.ebitda - self.income_tax_project + self.residual

    @property
    def debt_service(self) -> Fen:
        return self.interest + self.principal

    @property
    def equity_cf(self) -> Fen:
        """Equity view (all shareholders): after debt service and income tax."""
        return (
            self.ebitda
            - self.equity_in
            - self.debt_service
            - self.income_tax_equity
            + self.residual
        )

    @property
    def cfads(self) -> Fen:
        """Cash flow available for debt service: EBITDA less income tax, operating years."""
        return np.where(self.operating, self.ebitda - self.income_tax_equity, 0)

    @property
    def gov_obligations(self) -> Fen:
        """This project's fiscal obligations: equity, grant, subsidy and risk."""
        return self.gov_equity + self.grant + self.subsidy + self.risk


def _factor(T: int, start: int, end: int | None, ramp: list[float], growth: float):
    k = np.arange(1, T + 1)
    age = k - start
    on = (age >= 0) & (k <= (end or T))
    r = np.ones(T)
    for j, share in enumerate(ramp):
        r[age == j] = share
    return np.where(on, r * (1.0 + growth) ** np.maximum(age, 0), 0.0)


def _risk_fen(p: PPPProject) -> int:
    if p.fiscal is None:
        return 0
    total = sum(
        (Decimal(repr(s.probability)) * s.annual_outlay for s in p.fiscal.risk_scenarios),
        Decimal(0),
    )
    return to_fen(total)


def _typed(x: object) -> Fraction:
    """A rate as the decimal typed (a float through its shortest repr), exactly."""
    return Fraction(repr(x)) if isinstance(x, float) else Fraction(x)  # type: ignore[arg-type]


def subsidy_fen(
    cost: Fen,
    om: Fen,
    user: Fen,
    kind: str,
    profit_rate: object,
    discount_rate: object,
    n: npt.NDArray[np.int64],
    Y: int,
) -> Fen:
    """The 21号 operating subsidy in fen, exactly as :func:`costshare.ppp.operating_subsidy`.

    ``C (1+p) (1+i)^n / Y + O (1+p) - U`` (the construction term only for
    ``viability_gap``/``government_pay``, ``U`` not for ``government_pay``), rounded
    half-up once, never negative; `cost` per draw (D,), `om`/`user` per draw and
    operating year (D, T), ``n`` per operating year (T,). A float estimate decides every
    value whose fraction is not within 2**-40 (relative) of a half fen; those few are
    computed in exact rationals, so the engine and the function agree at every half fen.

    Examples
    --------
    >>> subsidy_fen(np.array([100_000_300]), np.array([[100_000_300]]), np.zeros((1, 1), int),
    ...             "operating_only", 0.035, 0.0, np.array([1]), 1).tolist()  # 103,500,310.5
    [[103500311]]
    """
    p, i = _typed(profit_rate), _typed(discount_rate)
    gp = 1 + p
    est = om * float(gp)
    mag = np.abs(est)
    K: list[Fraction] = []
    if kind in ("viability_gap", "government_pay"):
        K = [gp * (1 + i) ** int(k) / Y for k in n.tolist()]
        ck = cost[:, None] * np.array([float(k) for k in K])
        est, mag = est + ck, mag + np.abs(ck)
    if kind != "government_pay":
        est, mag = est - user, mag + np.abs(user)
    out = np.floor(est + 0.5)
    off = np.abs(est - np.trunc(est) - np.copysign(0.5, est))  # distance to a half fen
    near = np.argwhere(off <= (mag + 1.0) * 2.0**-40)
    out = out.astype(np.int64)
    for d, t in near.tolist():
        v = Fraction(int(om[d, t])) * gp - (int(user[d, t]) if kind != "government_pay" else 0)
        if K:
            v += int(cost[d]) * K[t]
        out[d, t] = half_up(v.numerator, v.denominator)
    return np.maximum(out, 0)


def simulate(
    p: PPPProject,
    mult: Mapping[str, npt.ArrayLike] | None = None,
    *,
    fixed_subsidy_fen: npt.ArrayLike | None = None,
    loan_fen: npt.ArrayLike | None = None,
) -> Flows:
    """Cash flows of `p` for every row of driver multipliers.

    Parameters
    ----------
    p : PPPProject
    mult : mapping of driver name to array_like, shape (D,) or scalar
        Multipliers on base values (see :data:`costshare.ppp.model.DRIVERS`); missing
        drivers are 1.
    fixed_subsidy_fen : array_like of int, shape (D,), optional
        Replace the scenario's subsidy by this flat amount in each subsidy year.
    loan_fen : array_like of int, shape (D,), optional
        Replace the loan amount (the rest of the cost is equity).
    """
    mult = dict(mult or {})
    sizes = [np.size(v) for v in mult.values()]
    sizes += [np.size(x) for x in (fixed_subsidy_fen, loan_fen) if x is not None]
    D = max(sizes, default=1)

    def m(name: str) -> npt.NDArray[np.float64]:
        return np.broadcast_to(np.asarray(mult.get(name, 1.0), dtype=np.float64), (D,))

    C, N, T = p.construction_years, p.cooperation_years, p.operating_years
    op = slice(C, N)
    sched = np.asarray(p.construction.schedule)
    z = np.zeros((D, N), np.int64)
    capex, grant, draw, user, other, om, sub, dep, intr, princ, resid, geq, risk = (
        z.copy() for _ in range(13)
    )
    cost = times(to_fen(p.construction.cost), m("construction_cost"))
    capex[:, :C] = allocate_rows(cost, sched)
    g_total = np.full(D, to_fen(p.subsidy.construction_grant), np.int64)
    grant[:, :C] = allocate_rows(g_total, sched)

    for s in p.revenues:
        amt = to_fen(s.annual_amount) * m("revenue") * m(f"revenue.{s.name}")
        f = _factor(T, s.start_year, s.end_year, s.ramp_up, s.growth)
        target = user if s.kind == "user_payment" else other
        target[:, op] += half_up(amt[:, None] * f)
    for c in p.om_costs:
        f = _factor(T, c.start_year, None, [], c.growth)
        om[:, op] += half_up(to_fen(c.annual_amount) * m("om_cost")[:, None] * f)
    rev_tax = times(user + other, p.taxes.revenue_tax_rate)

    Y, ps = p.subsidy_years, p.subsidy
    k = np.arange(1, T + 1)
    n = np.where(k <= Y, ps.first_n + k - 1, 0)
    in_sub = k <= Y
    if fixed_subsidy_fen is not None:
        fixed = np.broadcast_to(np.asarray(fixed_subsidy_fen, np.int64), (D,))
        sub[:, op] = np.where(in_sub, fixed[:, None], 0)
    elif ps.kind != "none":
        net = subsidy_fen(cost, om[:, op], user[:, op], ps.kind, ps.profit_rate,
                          ps.discount_rate, n, Y)  # fmt: skip
        net = times(net, m("subsidy")[:, None])
        sub[:, op] = np.where(in_sub, net, 0)

    resid[:, -1] = times(to_fen(p.residual_value), m("residual_value"))
    dy = min(p.taxes.depreciation_years or T, T)
    dep[:, C : C + dy] = allocate_rows(np.maximum(cost - resid[:, -1], 0), np.ones(dy))

    loan = p.financing.loan
    if loan_fen is not None:
        L = np.broadcast_to(np.asarray(loan_fen, np.int64), (D,)).copy()
    elif loan is not None:
        L = times(cost, 1 - Fraction(repr(float(p.financing.equity_share))))
    else:
        L = np.zeros(D, np.int64)
    L = np.clip(L, 0, cost - g_total)
    draw[:, :C] = allocate_rows(L, sched)
    if loan is not None:
        rate = loan.annual_rate * m("loan_rate")
        before = np.cumsum(draw[:, :C], axis=1) - draw[:, :C]
        intr[:, :C] = times(before, rate[:, None])
        i, pr, _ = finance.amortize_fen(
            L, rate, loan.years, method=loan.method, grace_periods=loan.grace_years
        )
        intr[:, C : C + loan.years] = i
        princ[:, C : C + loan.years] = pr

    ebitda = user + other + sub - om - rev_tax
    itr = p.taxes.income_tax_rate
    tax_p = times(np.maximum(ebitda - dep, 0), itr)
    tax_e = times(np.maximum(ebitda - dep - intr, 0), itr)
    gov_total = times(cost - L - g_total, p.financing.government_equity_share)
    geq[:, :C] = allocate_rows(gov_total, sched)
    risk[:, op] = _risk_fen(p)
    n_index = np.zeros(N, np.int64)
    n_index[op] = n
    return Flows(
        capex=capex,
        grant=grant,
        loan_draw=draw,
        revenue_user=user,
        revenue_other=other,
        om=om,
        revenue_tax=rev_tax,
        subsidy=sub,
        depreciation=dep,
        interest=intr,
        principal=princ,
        income_tax_project=tax_p,
        income_tax_equity=tax_e,
        residual=resid,
        gov_equity=geq,
        risk=risk,
        n_index=n_index,
        operating=np.arange(N) >= C,
        project_rate=p.evaluation.discount_rate * m("discount_rate"),
        equity_rate=p.evaluation.equity_discount_rate * m("discount_rate"),
    )


def _t0(x: Fen) -> Fen:
    """Prepend the zero flow at t = 0 (start of year 1); year y then sits at t = y."""
    return np.concatenate([np.zeros((x.shape[0], 1), x.dtype), x], axis=1)


def metrics_arrays(fl: Flows) -> dict[str, npt.NDArray[np.float64]]:
    """Per-draw metrics, each shape (D,): NPVs in (float) fen, rates, years, DSCR."""
    pcf, ecf = _t0(fl.project_cf), _t0(fl.equity_cf)
    d = finance.dscr(
        np.where(fl.operating, fl.cfads, 0), np.where(fl.operating, fl.debt_service, 0)
    )
    return {
        "project_npv": np.atleast_1d(finance.npv(fl.project_rate, pcf)),
        "project_irr": np.atleast_1d(finance.irr(pcf)),
        "equity_npv": np.atleast_1d(finance.npv(fl.equity_rate, ecf)),
        "equity_irr": np.atleast_1d(finance.irr(ecf)),
        "payback": np.atleast_1d(finance.payback(pcf)),
        "discounted_payback": np.atleast_1d(finance.discounted_payback(fl.project_rate, pcf)),
        "dscr_min": np.atleast_1d(d.min),
        "dscr_avg": np.atleast_1d(d.avg),
    }
