"""City jobs: a portfolio of communities, and the annual plan under a budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property
from typing import Any, ClassVar

from pydantic import Field

from costshare._base import Amount
from costshare.jobs.base import FileInput, Job
from costshare.jobs.source import DocumentSource

__all__ = ["PlanJob", "PortfolioJob"]


class PortfolioJob(Job):
    """Run a city's portfolio of communities (each one the community engine's run).

    Examples
    --------
    >>> job = PortfolioJob.parse({"portfolio": {"bundled": "fujian_city_example.yaml"}})
    >>> r = job.run()
    >>> len(r.communities) == job.headline(r)["communities"]
    True
    """

    job: ClassVar[str] = "portfolio"
    portfolio: DocumentSource
    on: dt.date = Field(default_factory=dt.date.today)

    @cached_property
    def model(self) -> Any:
        """The validated :class:`~costshare.community.portfolio.Portfolio`."""
        from costshare.community.portfolio import Portfolio

        raw = self.portfolio.resolve("portfolio")
        base = self.portfolio.base_dir("portfolio")
        return Portfolio.from_dict(raw, base_dir=base, file=self.portfolio.label, date=self.on)

    def rules(self) -> Any:
        from costshare import rules

        return rules.load(self.model.jurisdiction, self.model.date)

    def run(self) -> Any:
        return self.model.run()

    def summary(self, result: Any) -> dict[str, Any]:
        return result.to_dict()

    def headline(self, result: Any) -> dict[str, Any]:
        c = result.communities
        return {
            "communities": len(c),
            **{k: int(c[k].sum()) for k in ("uses_fen", "sources_fen", "gap_fen", "residents_fen")},
        }


class PlanJob(Job):
    """Score candidate communities and choose the year's plan under a budget."""

    job: ClassVar[str] = "plan"
    candidates: FileInput
    budget: Amount
    quotas: dict[str, int] | None = None
    criteria: DocumentSource | None = Field(default=None, description="Default: bundled sheet")
    exclude: tuple[str, ...] = ()
    on: dt.date = Field(default_factory=dt.date.today)

    def rules(self) -> Any:
        from costshare.community.plan import load_criteria

        raw = None if self.criteria is None else self.criteria.resolve("plan_criteria")
        return load_criteria(raw, on=self.on)

    def run(self) -> Any:
        from costshare.community.plan import CANDIDATE_TEXT, choose_plan, score
        from costshare.community.table import read_table

        df = read_table(  # ids and districts as text under their English or Chinese headers
            self.candidates.content(), name=self.candidates.name, text_columns=CANDIDATE_TEXT
        )
        scored = score(df, self.rules())
        return choose_plan(scored, Decimal(self.budget), self.quotas, exclude=self.exclude)

    def summary(self, result: Any) -> dict[str, Any]:
        from costshare.money import to_yuan

        return {
            "summary": result.summary(),
            "budget": str(to_yuan(result.budget_fen)),
            "spent": str(to_yuan(result.spent_fen)),
            "chosen": result.chosen,
            "reserve": result.reserve,
            "candidates": result.to_frame().to_dict("records"),
        }

    def headline(self, result: Any) -> dict[str, Any]:
        return {"budget_fen": result.budget_fen, "spent_fen": result.spent_fen}
