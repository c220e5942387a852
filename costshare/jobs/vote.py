"""Owners' vote job: a register and ballots counted under the jurisdiction's vote rule."""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from pydantic import Field

from costshare.errors import InputError, Problem
from costshare.jobs.base import FileInput, Job, RuleKey
from costshare.progress import Progress

__all__ = ["VoteJob"]


class VoteJob(Job):
    """Count an owners' vote (业主表决): quorum, approval and margins, exactly.

    Every ballot must name a unit of the register (as ``1-1-101`` or with 楼栋/单元/房号
    columns); a ballot that matches none is listed in the refusal, never dropped.

    Examples
    --------
    >>> from costshare.jobs.base import FileInput
    >>> units = FileInput.from_bytes("unit_id,area\\n101,60\\n102,40\\n".encode(), "u.csv")
    >>> votes = FileInput.from_bytes("unit_id,vote\\n101,同意\\n102,反对\\n".encode(), "b.csv")
    >>> job = VoteJob(units=units, ballots=votes, matter="ordinary", on="2024-06-01")
    >>> r = job.run()
    >>> r.passed, r.counts["yes"]
    (False, 1)
    """

    job: ClassVar[str] = "vote"
    units: FileInput = Field(description="The units register (csv/xlsx)")
    ballots: FileInput
    matter: str
    jurisdiction: RuleKey = "national"
    community: str | None = Field(
        default=None,
        max_length=200,
        description="The community (小区编号) voting: a stored vote then gates its plan entry",
    )

    @cached_property
    def register(self) -> Any:  # type: ignore[override]
        """The register as read (messages name the file, row and field)."""
        from costshare.households.vote_files import read_register

        return read_register(self.units.content(), self.units.name)

    def resolve_rules(self) -> Any:
        from costshare import rules

        return rules.load(self.jurisdiction, self.on)

    def run(self, progress: Progress | None = None) -> Any:
        from costshare.households.vote_files import read_ballots
        from costshare.households.votes import tally

        b = read_ballots(self.ballots.content(), self.ballots.name)
        try:
            return tally(self.register, b, self.matter, rules=self.rules())
        except InputError as exc:  # the library names its inputs "units"/"ballots"
            names = {"units": self.units.name, "ballots": self.ballots.name}
            problems = [
                Problem(p.message, names.get(p.file or "", p.file), p.where, p.field)
                for p in exc.problems
            ]
            raise InputError(problems, more=exc.more) from None

    def summary(self, result: Any) -> dict[str, Any]:
        return result.to_dict()

    def headline(self, result: Any) -> dict[str, Any]:
        """Verdict, counts and areas (centiares): what a plan's consent gate reads back."""
        areas = {f"area_{k}_centiares": int(v) for k, v in result.areas_centiares.items()}
        return {
            "passed": bool(result.passed),
            **{k: int(v) for k, v in result.counts.items()},
            **areas,
        }
