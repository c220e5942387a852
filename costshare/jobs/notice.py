"""What a posted notice (公示) says besides the sheet: part of the sheet job's request.

A published notice must be rebuilt byte for byte from its stored version, so everything
printed on it that is not computed (community, what is paid for, issuer, posting and
objection dates, language, orientation, labels) is held by the request; the date on the
notice is the request's project date and its document id comes from its content.
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Annotated, Any, Literal

from pydantic import Field

from costshare.base import StrictModel
from costshare.jobs.base import Line, Orientation, Words

__all__ = ["NoticeFields", "notice_pdf"]


class NoticeFields(StrictModel):
    """The notice's own words (all optional; defaults as a street office posts them)."""

    community: Line = ""
    what: Words | None = None
    issuer: Line = "社区居民委员会"
    posting_from: dt.date | None = None
    posting_until: dt.date | None = None
    objection_to: Words = ""
    objection_until: dt.date | None = None
    lang: Literal["zh", "en"] = "zh"
    orientation: Orientation = "portrait"
    label_style: Literal["zh", "dash"] | None = None
    sections: Literal["building", "stairwell"] | None = None
    signatures: tuple[Annotated[str, Field(max_length=100)], ...] | None = Field(
        default=None, max_length=8, description="Signature lines (default: the notice's three)"
    )
    objection: str | None = Field(
        default=None, max_length=500, description="The office's own objection sentence"
    )


def notice_pdf(
    job: Any, sheet: Any | None = None, *, font_path: Any = None, progress: Any = None
) -> bytes:
    """The notice of sheet job `job` as PDF bytes: the same request, the same bytes.

    `progress` (:class:`~costshare.progress.Progress`) hears the notice's layout.

    Examples
    --------
    >>> from costshare.jobs import FileInput, SheetJob
    >>> job = SheetJob(roster=FileInput.from_path("data/sample_roster.xlsx"),
    ...                amount={"kind": "total", "yuan": "120000"}, on="2024-06-01",
    ...                notice={"community": "示范小区"})
    >>> notice_pdf(job) == notice_pdf(job), notice_pdf(job)[:5]
    (True, b'%PDF-')
    """
    from costshare.report.notice import notice_pdf_bytes

    f = job.notice or NoticeFields()
    fields = f.model_dump(
        exclude={"sections"} | ({"signatures"} if f.signatures is None else set())
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a missing CJK font still gives a readable notice
        return notice_pdf_bytes(
            sheet if sheet is not None else job.run(),
            date=job.on,
            per=f.sections,
            font_path=font_path,
            progress=progress,
            **fields,
        )
