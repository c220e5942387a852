"""PPP and social-capital finance for renovation projects.

A scenario (:class:`PPPProject`, from YAML) gives annual cash flows from the project and
the equity point of view, NPV/IRR/payback/DSCR, the 21号 operating subsidy, fiscal
affordability, value for money, solvers, a tornado table and a Monte Carlo.
"""

from costshare.ppp.assess import (
    Assessment,
    apply_edits,
    assess,
    income_reading,
    project_assumptions,
    project_date,
    tornado_defaults,
)
from costshare.ppp.dated import DatedMetrics, dated_flows, dated_metrics
from costshare.ppp.engine import Flows, simulate
from costshare.ppp.fiscal import (
    Affordability,
    AffordabilityLines,
    affordability,
    affordability_lines,
    budget_path_fen,
    equity_expenditure,
    risk_expenditure,
)
from costshare.ppp.model import DRIVERS, PPPProject
from costshare.ppp.provenance import provenance_rows, unsourced
from costshare.ppp.sensitivity import MonteCarloResult, monte_carlo, tornado
from costshare.ppp.solvers import max_loan_for_dscr, subsidy_for_equity_irr, subsidy_for_payback
from costshare.ppp.subsidy import operating_subsidy
from costshare.ppp.tables import EQUITY_VIEW, PROJECT_VIEW, Metrics, cash_flow_table, metrics
from costshare.ppp.vfm import VfM, value_for_money

__all__ = [
    "DRIVERS",
    "EQUITY_VIEW",
    "PROJECT_VIEW",
    "Affordability",
    "AffordabilityLines",
    "Assessment",
    "DatedMetrics",
    "Flows",
    "Metrics",
    "MonteCarloResult",
    "PPPProject",
    "VfM",
    "affordability",
    "affordability_lines",
    "apply_edits",
    "assess",
    "budget_path_fen",
    "cash_flow_table",
    "dated_flows",
    "dated_metrics",
    "equity_expenditure",
    "income_reading",
    "max_loan_for_dscr",
    "metrics",
    "monte_carlo",
    "operating_subsidy",
    "project_assumptions",
    "project_date",
    "provenance_rows",
    "risk_expenditure",
    "simulate",
    "subsidy_for_equity_irr",
    "subsidy_for_payback",
    "tornado",
    "tornado_defaults",
    "unsourced",
    "value_for_money",
]
