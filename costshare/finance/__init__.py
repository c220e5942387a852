"""Time value of money for budgets: NPV, IRR, MIRR, payback, DSCR, fen-exact loans.

The functions live in :mod:`costshare.finance._financial` (the layout of
numpy-financial's ``_financial.py``); this face re-exports its public names.
"""

from costshare.finance._financial import (
    DSCR,
    IRRResult,
    amortize_fen,
    discounted_payback,
    dscr,
    irr,
    loan_schedule,
    mirr,
    npv,
    payback,
    sign_changes,
)

__all__ = [
    "DSCR",
    "IRRResult",
    "amortize_fen",
    "discounted_payback",
    "dscr",
    "irr",
    "loan_schedule",
    "mirr",
    "npv",
    "payback",
    "sign_changes",
]
