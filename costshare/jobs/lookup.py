"""Looking rules up for a person: the rule tables a shell shows, lists or offers to pick.

Showing a jurisdiction's rules (``costshare rules show``, ``GET /v1/rules/...``, the rules
page) and offering the jurisdictions that have an elevator subsidy or a floor rule are
questions about the rules themselves, not a computation; they are answered here so that
no shell calls :func:`costshare.rules.load` itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

__all__ = ["rule_table", "rule_tables"]


def rule_table(jurisdiction: str, on: dt.date | str | None = None) -> Any:
    """The :class:`~costshare.rules.RuleSet` of `jurisdiction` in force on `on` (today).

    Examples
    --------
    >>> rule_table("fujian", "2024-06-30").key
    'fujian'
    """
    from costshare import rules

    return rules.load(jurisdiction, on or dt.date.today())


def rule_tables(
    on: dt.date | str | None = None, having: Callable[[Any], Any] | None = None
) -> list[Any]:
    """Every bundled rule table in force on `on`, optionally only those `having` something.

    Examples
    --------
    >>> [rs.key for rs in rule_tables("2024-06-30", lambda rs: rs.elevator_subsidies)][:2]
    ['beijing', 'hangzhou']
    """
    from costshare import rules

    out = [rule_table(k, on) for k in rules.available()]
    return [rs for rs in out if having is None or having(rs)]
