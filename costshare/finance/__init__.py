"""Time value of money for budgets: NPV, IRR, MIRR, the annuity family (PMT, IPMT, PPMT,
PV, FV, NPER, RATE), dated flows (XNPV, XIRR), payback, DSCR and fen-exact loans.

Periodic NPV and MIRR live in :mod:`costshare.finance._financial`, IRR in ``_irr``, the
annuity family in ``_tvm``, dated flows in ``_dated``, loans and DSCR in ``_loans``;
this face re-exports their public names.
"""

from costshare.finance._dated import XIRRResult, xirr, xnpv, year_fractions
from costshare.finance._financial import check_finite, mirr, npv, sign_changes
from costshare.finance._irr import IRRResult, irr
from costshare.finance._loans import (
    DSCR,
    amortize_fen,
    dscr,
    level_payment_fen,
    loan_schedule,
)
from costshare.finance._payback import (
    SeriesSummary,
    discounted_payback,
    payback,
    series_summary,
)
from costshare.finance._tvm import cumipmt, cumprinc, fv, ipmt, nper, pmt, ppmt, pv, rate

__all__ = [
    "DSCR",
    "IRRResult",
    "SeriesSummary",
    "XIRRResult",
    "amortize_fen",
    "check_finite",
    "cumipmt",
    "cumprinc",
    "discounted_payback",
    "dscr",
    "fv",
    "ipmt",
    "irr",
    "level_payment_fen",
    "loan_schedule",
    "mirr",
    "nper",
    "npv",
    "payback",
    "pmt",
    "ppmt",
    "pv",
    "rate",
    "series_summary",
    "sign_changes",
    "xirr",
    "xnpv",
    "year_fractions",
]
