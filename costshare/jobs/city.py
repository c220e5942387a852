"""City jobs: a portfolio of communities, and the annual plan under a budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property
from typing import Any, ClassVar

from pydantic import Field, model_validator

from costshare.base import FenAmount
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
    portfolio: DocumentSource | None = Field(default=None, description="A portfolio YAML")
    table: FileInput | None = Field(default=None, description="Or a CSV/XLSX community table")
    on: dt.date | None = Field(default=None, description="Rules' date for rows without one")

    @model_validator(mode="after")
    def _one_input(self) -> PortfolioJob:
        if (self.portfolio is None) == (self.table is None):
            raise ValueError("give a portfolio or a community table, not both")
        return self

    @cached_property
    def model(self) -> Any:
        """The validated :class:`~costshare.community.portfolio.Portfolio`."""
        from costshare.community.portfolio import Portfolio
        from costshare.community.table import TEXT, read_table

        if self.table is not None:
            t = read_table(self.table.content(), name=self.table.name, text_columns=TEXT)
            name = self.table.name.rsplit(".", 1)[0]
            return Portfolio.from_frame(t, name=name, file=self.table.name, date=self.on)
        src = self.portfolio
        raw, base = src.resolve("portfolio"), src.base_dir("portfolio")  # type: ignore[union-attr]
        return Portfolio.from_dict(raw, base_dir=base, file=src.label, date=self.on)  # type: ignore[union-attr]

    def resolve_rules(self) -> Any:
        from costshare import rules

        return rules.load(self.model.jurisdiction, self.model.date)

    def run(self) -> Any:
        return self.model.run()

    def canonical(self) -> PortfolioJob:
        """Inline document and a fixed date (a file without one ran on the day it ran)."""
        update: dict[str, Any] = {"on": self.model.date}
        if self.portfolio is not None and self.portfolio.bundled is None:
            update["portfolio"] = self.portfolio.inline("portfolio")
        return self.model_copy(update=update)

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
    budget: FenAmount
    quotas: dict[str, int] | None = None
    criteria: DocumentSource | None = Field(default=None, description="Default: bundled sheet")
    exclude: tuple[str, ...] = ()

    def resolve_rules(self) -> Any:
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
