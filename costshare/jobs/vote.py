"""Owners' vote job: a register and ballots counted under the jurisdiction's vote rule.

The ballot forms (表决票) handed out before the vote are part of the request too
(:class:`BallotFields`), so a published ballot is rebuilt byte for byte from its stored
version by :func:`ballot_pdf`: the PDF's date is the request's ``on`` and its document
id comes from its content.
"""

from __future__ import annotations

import warnings
from decimal import Decimal
from functools import cached_property
from typing import Any, ClassVar

from pydantic import Field, field_validator

from costshare.base import StrictModel
from costshare.errors import InputError, Problem
from costshare.jobs.base import FileInput, Job, Line, Orientation, RuleKey, RuleRef, Words
from costshare.jobs.household import AmountChoice
from costshare.progress import Progress

__all__ = ["BallotFields", "BallotShare", "VoteJob", "ballot_pdf"]

ISSUER = "业主大会筹备组／业主委员会"
"""Who issues the ballot forms unless the request names someone."""


class BallotShare(StrictModel):
    """The proposal's amount shared over the register as a contribution sheet would share
    it (:class:`~costshare.jobs.SheetJob` with the register as roster, under the vote's
    rules and date): each form prints its household's amount.

    Examples
    --------
    >>> BallotShare(amount={"kind": "total", "yuan": "600000"}).basis
    'area'
    """

    amount: AmountChoice
    basis: str | dict[str, Decimal] = "area"
    floor_rule: RuleRef | None = Field(default=None, description="Rule key or id, basis floor")


class BallotFields(StrictModel):
    """The ballot forms' own words (all optional; blanks print as lines to fill in).

    Examples
    --------
    >>> BallotFields(community="示范小区", deadline="2024-06-30").issuer
    '业主大会筹备组／业主委员会'
    """

    community: Line = ""
    proposal: Words = Field(default="", description="What is voted on: the work and its cost")
    issuer: Line = ISSUER
    return_to: Words = Field(default="", description="Where or how to return the form")
    deadline: Line = Field(default="", description="Last day to return the form, as written")
    names: bool = Field(default=True, description="Print owners' masked names (else a line)")
    orientation: Orientation = "portrait"
    share: BallotShare | None = Field(
        default=None, description="The amount voted on, shared per household on each form"
    )


def ballot_pdf(job: VoteJob, *, font_path: Any = None) -> bytes:
    """The ballot forms of vote job `job` as PDF bytes: the same request, the same bytes.

    One form per unit of the register (names masked), the request's matter under the
    rules in force on ``job.on`` (also the issue date printed and the PDF's date); the
    ballots counted are not read.

    Examples
    --------
    >>> from costshare.jobs.base import FileInput
    >>> units = FileInput.from_bytes("unit_id,area\\n101,60\\n102,40\\n".encode(), "u.csv")
    >>> job = VoteJob(units=units, ballots=units, matter="ordinary", on="2024-06-01",
    ...               ballot={"community": "示范小区"})
    >>> ballot_pdf(job) == ballot_pdf(job), ballot_pdf(job)[:5]
    (True, b'%PDF-')
    """
    from costshare.households.roster import read_roster_bytes
    from costshare.report.ballot import ballot_pdf_bytes

    f = job.ballot or BallotFields()
    if f.share is None:
        units = read_roster_bytes(job.units.content(), job.units.name)  # building, owner too
    else:  # the register as the sheet's roster: its table has each household's share_fen
        from costshare.jobs.household import SheetJob

        s = f.share
        sheet = SheetJob(roster=job.units, amount=s.amount, basis=s.basis,
                         floor_rule=s.floor_rule, jurisdiction=job.jurisdiction, on=job.on)  # fmt: skip
        units = sheet.run().table
    words = f.model_dump(exclude={"deadline", "share"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a missing CJK font still gives a readable form
        return ballot_pdf_bytes(
            units,
            [job.matter],
            job.rules(),
            deadline=f.deadline or None,
            date=job.on,
            font_path=font_path,
            **words,
        )


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
    ballot: BallotFields | None = Field(default=None, description="What the ballot forms say")
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

    @field_validator("ballot")
    @classmethod
    def _default_is_none(cls, v: BallotFields | None) -> BallotFields | None:
        return None if v == BallotFields() else v  # one request, one digest

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
