"""After the renovation: operation, property-service break-even and the maintenance fund.

``fund_projection`` projects the housing special maintenance fund (community or per
household account); the operation model (:mod:`costshare.operation.engine`) gives yearly
revenue, cost, subsidy and surplus per community and the break-even property fee.
"""

from __future__ import annotations

from costshare.operation.fund import FUND_COLUMNS, FundProjection, fund_projection

__all__ = ["FUND_COLUMNS", "FundProjection", "fund_projection"]
