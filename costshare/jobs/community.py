"""Community jobs: run one scenario, or solve one funding input for a gap of 0 fen."""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from pydantic import Field

from costshare.jobs.base import Job
from costshare.jobs.source import DocumentSource
from costshare.progress import Progress

__all__ = ["CommunityJob", "GoalSeekJob"]


class CommunityJob(Job):
    """Run one community scenario: sources and uses balanced to the fen, gap or surplus.

    The rules are the scenario's jurisdiction's, in force on its ``rules_date`` (or on
    ``on`` when the scenario has none).

    Examples
    --------
    >>> job = CommunityJob.parse({"scenario": {"bundled": "fujian_default.yaml"}})
    >>> r = job.run()
    >>> r.uses_fen == r.sources_fen + r.gap_fen, job.rules().key
    (True, 'fujian')
    """

    job: ClassVar[str] = "community"
    scenario: DocumentSource

    @cached_property
    def model(self) -> Any:
        """The validated :class:`~costshare.community.scenario.Scenario`."""
        from costshare.community.scenario import Scenario

        return Scenario.from_dict(self.scenario.resolve("community"), self.scenario.label)

    def resolve_rules(self) -> Any:
        from costshare import rules

        s = self.model
        return rules.load(s.community.jurisdiction, s.rules_date or self.on)

    def run(self, progress: Progress | None = None) -> Any:
        return self.model.run(self.rules())

    def canonical(self) -> CommunityJob:
        return self.model_copy(update={"scenario": self.scenario.inline("community")})

    def summary(self, result: Any) -> dict[str, Any]:
        return result.to_dict()

    def headline(self, result: Any) -> dict[str, Any]:
        return {
            "uses_fen": result.uses_fen,
            "sources_fen": result.sources_fen,
            "gap_fen": result.gap_fen,
        }


class GoalSeekJob(CommunityJob):
    """Solve one funding input of a scenario so that the gap is 0 fen (goal seek).

    ``target`` is ``residents.ratio``, ``residents.per_household``, ``residents.per_m2``,
    ``residents.amount``, a channel (``central_subsidy``, ...) or ``other:<name>``;
    ``lo``/``hi`` bound the search.
    """

    job: ClassVar[str] = "goal_seek"
    target: str
    lo: str | None = None
    hi: str | None = None
    exact: bool = Field(
        default=False, description="The exact value, even where no one can pay it (not to the fen)"
    )

    def run(self, progress: Progress | None = None) -> Any:
        from costshare.community.solve import solve

        payable = False if self.exact else None
        return solve(self.model, self.target, self.lo, self.hi, rules=self.rules(), payable=payable)

    def summary(self, result: Any) -> dict[str, Any]:
        return result.to_dict()

    def headline(self, result: Any) -> dict[str, Any]:
        return {"target": self.target, "value": str(result.value)}
