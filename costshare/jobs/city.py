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
from costshare.progress import Progress

__all__ = ["PlanJob", "PortfolioJob", "SweepJob"]


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

    def run(self, progress: Progress | None = None) -> Any:
        return self.model.run(progress)

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

    def run(self, progress: Progress | None = None) -> Any:
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


class SweepJob(Job):
    """Sweep a synthetic nation chunk by chunk under the national rules of its date.

    The nation is synthetic (:data:`~costshare.scale.sweep.NATIONAL_ASSUMPTIONS`, every
    figure an assumption), so the request is its size, chunking and seed; the same
    request gives the same sums, whatever the number of processes.

    Examples
    --------
    >>> job = SweepJob(communities=40, households=8_000, chunk=20, on="2024-06-30")
    >>> r = job.run()
    >>> job.headline(r)["households"]
    8000
    """

    job: ClassVar[str] = "sweep"
    communities: int | None = Field(
        default=None, ge=1, le=10_000_000, description="Default: national"
    )
    households: int | None = Field(
        default=None, ge=1, le=2_000_000_000, description="Default: national"
    )
    chunk: int = Field(default=2_000, ge=1, le=1_000_000, description="Communities per chunk")
    workers: int = Field(default=1, ge=1, le=64, description="Processes side by side")
    seed: int = Field(default=0, ge=0, description="Base seed of the synthetic nation")

    def resolve_rules(self) -> Any:
        from costshare import rules

        return rules.load("national", self.on)

    def size(self) -> tuple[int, int]:
        """Communities and households swept (the national stock unless given)."""
        from costshare.scale.sweep import NATIONAL_ASSUMPTIONS as N

        return self.communities or N["communities"], self.households or N["households"]

    def run(self, progress: Progress | None = None) -> Any:
        from costshare.progress import as_progress
        from costshare.scale.sweep import national_sweep

        n, hh = self.size()
        add = as_progress(progress).counter(n, "sweep.chunks")
        return national_sweep(
            n, hh, chunk=self.chunk, seed=self.seed, workers=self.workers,
            rules=self.rules(), progress=add,
        )  # fmt: skip

    def summary(self, result: Any) -> dict[str, Any]:
        out = result.summary()
        out.pop("seconds", None)  # the same request gives the same bytes
        return out

    def assumptions(self, result: Any) -> list[dict[str, Any]]:
        """The synthetic nation: its size and its funding mix (no seed gives either)."""
        from costshare.scale.sweep import NATIONAL_ASSUMPTIONS as N

        n, hh = self.size()
        note = "synthetic nation of the sweep; no seed document gives this figure"
        rows = [("communities", n), ("households", hh), ("chunk", self.chunk), ("seed", self.seed)]
        rows += [(k, N[k]) for k in ("area_per_household_m2", "cost_per_household_yuan")]
        rows += [(f"mix.{k}", v) for k, v in N["mix"].items()]
        return [{"what": w, "value": str(v), "note": note} for w, v in rows]

    def headline(self, result: Any) -> dict[str, Any]:
        return {
            "communities": result.communities,
            "households": result.households,
            "gap_fen": result.uses_fen - result.sources_fen,
        }
