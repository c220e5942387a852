"""After the renovation: operation, property-service break-even and the maintenance fund.

* :func:`fund_projection` — the housing special maintenance fund year by year, for a
  community or per household account (exact to the fen, trigger from the rule set);
* :func:`breakeven_fee` — the property fee at which revenue covers cost, rounded up;
* :class:`OperationScenario` (``kind: operation``) and :func:`run_scenario` /
  :func:`operate` — yearly revenue, cost, subsidy and surplus of many communities at
  once, public income split into fund / operator / owners (Civil Code Art. 278 vote
  flagged), space and land lines, each community's fund;
* :func:`ppp_revenues` — revenue streams of a PPP project taken from the operation model.

>>> breakeven_fee("1200000", 100000, "0.8", other_revenue="240000")
Decimal('1.00')
"""

from __future__ import annotations

from costshare.operation.engine import breakeven_fee, split_public_income
from costshare.operation.fund import (
    FUND_COLUMNS,
    FundProjection,
    fund_projection,
    fund_projections,
)
from costshare.operation.model import MODES, OperationScenario
from costshare.operation.ppp_link import ppp_revenues
from costshare.operation.result import OperationResult, public_income_vote
from costshare.operation.run import operate, run_scenario
from costshare.operation.space import SpaceLine, space_table

__all__ = [
    "FUND_COLUMNS",
    "MODES",
    "FundProjection",
    "OperationResult",
    "OperationScenario",
    "SpaceLine",
    "breakeven_fee",
    "fund_projection",
    "fund_projections",
    "operate",
    "ppp_revenues",
    "public_income_vote",
    "run_scenario",
    "space_table",
    "split_public_income",
]
