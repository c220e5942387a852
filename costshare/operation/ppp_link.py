"""PPP link: revenue lines of a PPP project taken from the operation model it covers.

Chongqing Jiulongpo (seed 002, line 114) pays a renovation back from parking, chargers,
facilities, markets, public housing and advertising. :func:`ppp_revenues` sums the
operator's income of each kind over the communities of an :class:`OperationResult` into
the revenue streams :class:`costshare.ppp.model.PPPProject` takes, so the payback shows
which revenues carry it. Income from common parts counts only with the operator's share.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import pandas as pd

from costshare.money import to_yuan
from costshare.operation._amounts import scale
from costshare.operation.result import OperationResult

__all__ = ["KIND_NAMES", "ppp_revenues"]

KIND_NAMES = {
    "property_fee": "物业费",
    "parking": "停车位",
    "chargers": "充电桩",
    "advertising": "广告位",
    "space": "用房租赁",
    "care_contract": "养老托育服务",
    "other": "其他经营收入",
}
"""Stream names by line kind (Chinese, as in the PPP scenarios)."""


def ppp_revenues(
    result: OperationResult,
    *,
    kinds: Iterable[str] | None = None,
    first_year: int = 1,
) -> list[dict[str, Any]]:
    """Revenue streams for :class:`~costshare.ppp.model.PPPProject` ``revenues``.

    Parameters
    ----------
    result : OperationResult
        The operation model of the communities the PPP covers.
    kinds : iterable of str, optional
        Line kinds to take (default: every non-fee revenue kind; add ``property_fee``
        when the PPP company also collects the property fee).
    first_year : int, default 1
        PPP operating year in which the operation model's year 1 falls.

    Returns
    -------
    list of dict
        ``{name, kind: "user_payment", annual_amount, start_year, end_year, growth}``,
        one per line kind (and per growth rate and period when lines differ), year-1
        amounts summed over communities in yuan.

    Examples
    --------
    >>> from costshare.operation.model import OperationScenario
    >>> from costshare.operation.run import run_scenario
    >>> s = OperationScenario(name="x", rules_date="2024-01-01", communities=[dict(
    ...     name="a", households=10, area_m2=800, fee=1, collection_rate=1,
    ...     revenues=[dict(name="车位", kind="parking", quantity=10, price=100)])])
    >>> ppp_revenues(run_scenario(s))
    [{'name': '停车位', 'kind': 'user_payment', 'annual_amount': '12000.00', 'start_year': 1, 'end_year': None, 'growth': 0.0}]
    """
    want = set(kinds) if kinds is not None else set(KIND_NAMES) - {"property_fee"}
    ops = {c.name: Fraction(c.public_income.operator) for c in result.scenario.communities}
    years = result.scenario.years
    groups: dict[tuple[str, Fraction, int, int], int] = {}
    for _, r in result.lines.iterrows():
        kind = "property_fee" if r["group"] == "fee" else r["kind"]
        if r["group"] == "cost" or kind not in want:
            continue
        full = int(r["first_fen"])  # the amount in the line's own first year
        amount = int(scale(full, ops[r["community"]])) if r["common"] else full
        end = years if pd.isna(r["end"]) else int(r["end"])
        key = (kind, Fraction(r["growth"]), int(r["start"]), end)
        groups[key] = groups.get(key, 0) + amount
    out: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for kind, *_ in groups:
        counts[kind] = counts.get(kind, 0) + 1
    seen: dict[str, int] = {}
    for (kind, growth, start, end), fen in groups.items():
        if fen == 0:
            continue
        name = KIND_NAMES.get(kind, kind)
        if counts[kind] > 1:
            seen[kind] = seen.get(kind, 0) + 1
            name = f"{name} {seen[kind]}"
        out.append(
            {
                "name": name,
                "kind": "user_payment",
                "annual_amount": str(to_yuan(fen)),
                "start_year": start + first_year - 1,
                "end_year": None if end == years else end + first_year - 1,
                "growth": float(growth),
            }
        )
    return out
