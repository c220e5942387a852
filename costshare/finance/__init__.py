"""Time value of money for budgets: NPV, IRR, MIRR, the annuity family (PMT, IPMT, PPMT,
PV, FV, NPER, RATE, CUMIPMT, CUMPRINC), dated flows (XNPV, XIRR with day counts),
depreciation (SLN, SYD, DB, DDB, VDB), rate conversions (EFFECT, NOMINAL, ISPMT,
PDURATION, RRI, FVSCHEDULE), payback, DSCR and fen-exact loans.

Periodic NPV and MIRR live in :mod:`costshare.finance._financial`, IRR in ``_irr`` (its
rate grid and Newton core in ``_irrgrid``), the
annuity family in ``_tvm`` and ``_cum``, depreciation in ``_depreciation``, rate
conversions in ``_rates``, spreadsheet errors in ``_excel``, dated flows in ``_dated``, loans and DSCR in ``_loans``;
this face re-exports their public names.
"""

from costshare.finance._cum import cumipmt, cumprinc
from costshare.finance._dated import XIRRResult, xirr, xnpv, year_fractions
from costshare.finance._daycount import DAY_COUNTS, year_fraction
from costshare.finance._depreciation import db, ddb, sln, syd, vdb
from costshare.finance._excel import ExcelErrorWarning
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
from costshare.finance._rates import effect, fvschedule, ispmt, nominal, pduration, rri
from costshare.finance._tvm import fv, ipmt, nper, pmt, ppmt, pv, rate

__all__ = [
    "DAY_COUNTS",
    "DSCR",
    "ExcelErrorWarning",
    "IRRResult",
    "SeriesSummary",
    "XIRRResult",
    "amortize_fen",
    "check_finite",
    "cumipmt",
    "cumprinc",
    "db",
    "ddb",
    "discounted_payback",
    "dscr",
    "effect",
    "fv",
    "fvschedule",
    "ipmt",
    "irr",
    "ispmt",
    "level_payment_fen",
    "loan_schedule",
    "mirr",
    "nominal",
    "nper",
    "npv",
    "payback",
    "pduration",
    "pmt",
    "ppmt",
    "pv",
    "rate",
    "rri",
    "series_summary",
    "sign_changes",
    "sln",
    "syd",
    "vdb",
    "xirr",
    "xnpv",
    "year_fraction",
    "year_fractions",
]
