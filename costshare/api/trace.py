"""The rule values and sources behind a job's result (the audit appendix, as the API gives it).

A community run, a portfolio and a contribution sheet carry what they rest on, and
:func:`costshare.report.audit.audit_frame` lists it. The other jobs are run with a rule
set this module holds, which records every rule the engines looked up; a plan lists its
scoring sheet (criteria, weights, gates) with the sheet's source. Every job adds the
figures its result rests on that no rule table gives
(:meth:`~costshare.jobs.base.Job.assumptions`, confidence A).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from costshare.jobs import Job
from costshare.report.audit import AUDIT_COLUMNS, audit_frame

__all__ = ["traced"]

_CARRIES_ITS_RULES = ("ScenarioResult", "PortfolioResult", "ContributionSheet")


def traced(job: Job) -> tuple[Any, pd.DataFrame]:
    """Run `job` and list every rule value (and assumption) its result rests on.

    Returns
    -------
    tuple
        The result (as :meth:`Job.run` gives it) and the appendix, one row per value,
        columns :data:`~costshare.report.audit.AUDIT_COLUMNS`.

    Examples
    --------
    >>> from costshare import jobs
    >>> _, frame = traced(jobs.parse("ppp", {"project": "ppp_example"}))
    >>> sorted(set(frame["rule"]))
    ['ppp.affordability_cap', 'ppp.warning_line']
    """
    result = job.run()
    rs = job.rules()  # resolved once per request: the rule set the run read from
    extra = job.assumptions(result)  # figures no rule table gives (confidence A)
    if type(result).__name__ in _CARRIES_ITS_RULES:
        return result, audit_frame(result, assumptions=extra)
    if rs is None or hasattr(rs, "reads"):  # a RuleSet: the values the engines read
        return result, audit_frame(rules=rs, assumptions=extra)
    return result, _criteria_frame(rs)


def _criteria_frame(criteria: Any) -> pd.DataFrame:
    """A plan's scoring sheet: one row per criterion (its weight) and per gate (its bound)."""
    src = criteria.source
    common = {
        "document": src.document,
        "issuer": src.issuer,
        "article": src.article + (f"（{src.seed}）" if src.seed else ""),
        "date": src.date_text,
        "jurisdiction": "",
    }
    rows = []
    for c in criteria.criteria:
        rows.append(
            {
                **dict.fromkeys(AUDIT_COLUMNS, ""),
                **common,
                "section": "criterion",
                "parameter": c.label,
                "value": str(c.weight),
                "unit": "weight",
                "rule": c.id,
                "confidence": "A" if c.assumed else criteria.confidence,
                "note": c.note or "",
            }
        )
    for g in criteria.gates:
        bounds = [
            f"≥ {g.min}" if g.min is not None else "",
            f"≤ {g.max}" if g.max is not None else "",
        ]
        rows.append(
            {
                **dict.fromkeys(AUDIT_COLUMNS, ""),
                **common,
                "section": "gate",
                "parameter": g.label,
                "value": " ".join(b for b in bounds if b),
                "unit": g.column,
                "rule": g.id,
                "confidence": criteria.confidence,
            }
        )
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)
