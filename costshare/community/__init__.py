"""One community and many: scenarios, portfolios, utility splits, the maintenance fund, plans."""
