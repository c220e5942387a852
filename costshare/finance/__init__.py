"""Time value of money for budgets: NPV, IRR, MIRR, payback, DSCR, fen-exact loans.

The rate functions live in :mod:`costshare.finance._financial` (the layout of
numpy-financial's ``_financial.py``), loans and DSCR in :mod:`costshare.finance._loans`;
this face re-exports their public names.
"""

from costshare.finance._financial import IRRResult, irr, mirr, npv, sign_changes
from costshare.finance._loans import DSCR, amortize_fen, dscr, level_payment_fen, loan_schedule
from costshare.finance._payback import (
    SeriesSummary,
    discounted_payback,
    payback,
    series_summary,
)

__all__ = [
    "DSCR",
    "IRRResult",
    "SeriesSummary",
    "amortize_fen",
    "discounted_payback",
    "dscr",
    "irr",
    "level_payment_fen",
    "loan_schedule",
    "mirr",
    "npv",
    "payback",
    "series_summary",
    "sign_changes",
]
