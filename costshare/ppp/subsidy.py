"""Government operating subsidy by 财金〔2015〕21号 (PPP fiscal affordability guideline)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from costshare.money import half_up, to_yuan

__all__ = ["operating_subsidy"]


def _dec(x: object, name: str) -> Decimal:
    if isinstance(x, bool):
        msg = f"{name} must be a number, got {x!r}"
        raise ValueError(msg)
    try:
        d = Decimal(repr(x)) if isinstance(x, float) else Decimal(x)  # type: ignore[arg-type]
    except (ArithmeticError, TypeError, ValueError):
        msg = f"{name} must be a number, got {x!r}"
        raise ValueError(msg) from None
    if not d.is_finite():
        msg = f"{name} must be finite, got {x!r}"
        raise ValueError(msg)
    return d


def operating_subsidy(
    construction_cost: int | str | Decimal | float,
    profit_rate: float | str | Decimal,
    discount_rate: float | str | Decimal,
    subsidy_years: int,
    om_cost: int | str | Decimal | float,
    user_payments: int | str | Decimal | float = 0,
    year: int = 1,
) -> Decimal:
    """Annual government operating subsidy of a PPP project by the 21号 formula.

    Parameters
    ----------
    construction_cost : yuan
        Total construction cost (项目全部建设成本).
    profit_rate : float
        Reasonable profit rate (合理利润率), e.g. 0.06.
    discount_rate : float
        Annual discount rate (年度折现率), e.g. 0.045.
    subsidy_years : int
        Fiscal operating-subsidy period in years (财政运营补贴周期).
    om_cost : yuan
        That year's operating cost (年度运营成本).
    user_payments : yuan, default 0
        That year's user payments (当年使用者付费数额); give them for a viability-gap
        project (可行性缺口补助), leave 0 for a government-pay project (政府付费).
    year : int, default 1
        ``n``, the operating-year index 1 ... `subsidy_years`.

    Returns
    -------
    Decimal
        Yuan, rounded half-up to the fen; never negative (user payments above the
        formula amount mean no subsidy, not a payment to the government).

    Notes
    -----
    财金〔2015〕21号 第十八条::

        subsidy = C (1 + p) (1 + i)^n / Y + O (1 + p) - U

    with C construction cost, p profit rate, i discount rate, n = `year`, Y =
    `subsidy_years`, O the year's O&M cost and U the year's user payments. Computed in
    exact rational arithmetic, then rounded once, half-up, to the fen.

    References
    ----------
    财政部《政府和社会资本合作项目财政承受能力论证指引》（财金〔2015〕21号）.

    Examples
    --------
    >>> operating_subsidy(100_000_000, 0.06, 0.05, 10, 2_000_000, 3_000_000, year=1)
    Decimal('10250000.00')
    """
    C = _dec(construction_cost, "construction_cost")
    p = _dec(profit_rate, "profit_rate")
    i = _dec(discount_rate, "discount_rate")
    O = _dec(om_cost, "om_cost")  # noqa: E741 (the formula's letter)
    U = _dec(user_payments, "user_payments")
    if isinstance(subsidy_years, bool) or int(subsidy_years) != subsidy_years or subsidy_years < 1:
        msg = f"subsidy_years must be a whole number >= 1, got {subsidy_years!r}"
        raise ValueError(msg)
    if isinstance(year, bool) or int(year) != year or not 0 <= year <= subsidy_years:
        msg = f"year (n) must be a whole number in 0..{subsidy_years}, got {year!r}"
        raise ValueError(msg)
    if min(C, O, U) < 0 or p < 0 or i <= -1:
        msg = "costs, user payments and the profit rate must not be negative"
        raise ValueError(msg)
    C, p, i, O, U = (Fraction(x) for x in (C, p, i, O, U))  # noqa: E741 (the formula's letters)
    value = C * (1 + p) * (1 + i) ** int(year) / int(subsidy_years) + O * (1 + p) - U
    return to_yuan(max(half_up(value.numerator * 100, value.denominator), 0))
