"""What a shell may offer before a request exists: rule tables with a given kind of rule.

A page's pickers (the city whose elevator subsidy applies, the table of floor
coefficients, the matters a vote can be on) list what the rules in force on a day hold.
The rules are loaded here, in the jobs package, so no shell decides which rules apply.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["elevator_cities", "floor_rule_cites", "floor_rule_keys", "vote_matters"]


def elevator_cities(on: dt.date | str) -> list[str]:
    """Rule tables with an elevator subsidy in force on `on` (``SheetJob.jurisdiction``).

    Examples
    --------
    >>> "shanghai" in elevator_cities("2024-06-01"), "national" in elevator_cities("2024-06-01")
    (True, False)
    """
    from costshare import rules

    return [k for k in rules.available() if rules.load(k, on).elevator_subsidies]


def floor_rule_keys(on: dt.date | str) -> list[str]:
    """Rule tables with a floor rule in force on `on` (``SheetJob.floor_rule``).

    Examples
    --------
    >>> "guangzhou" in floor_rule_keys("2024-06-01")
    True
    """
    from costshare import rules

    return [k for k in rules.available() if rules.load(k, on).floor_rules]


def floor_rule_cites(key: str, on: dt.date | str, lang: Any = "zh") -> str:
    """Where the floor rules of rule table `key` in force on `on` come from (one line).

    Examples
    --------
    >>> "广州" in floor_rule_cites("guangzhou", "2024-06-01")
    True
    """
    from costshare import rules

    return "；".join(rules.cite(r, lang) for r in rules.load(key, on).floor_rules)  # type: ignore[arg-type]


def vote_matters(jurisdiction: str, on: dt.date | str) -> dict[str, str]:
    """Every matter the rules of `jurisdiction` on `on` have a vote rule for → its label.

    Examples
    --------
    >>> "ordinary" in vote_matters("national", "2024-06-01")
    True
    """
    from costshare import rules

    rs = rules.load(jurisdiction, on)
    return {m: r.label or r.id for r in rs.vote_rules for m in r.matters}
