"""What every job request shares: identity, the rules decision, the store record.

A job is one thing a user does (run a community scenario, share an amount over a roster,
count a vote, ...). Its request is a frozen pydantic model holding everything that
decides the answer; :meth:`Job.run` checks the request's consistency, makes the one
"which rules, which date" decision (:meth:`Job.rules`) and calls the engines. The CLI,
the app and the HTTP API only build requests and show results, so the same request gives
the same answer and the same store record whichever door it came through.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field, ValidationError, model_validator

from costshare.base import StrictModel, problems_from_validation
from costshare.errors import InputError, Problem
from costshare.limits import MAX_FILE_BYTES
from costshare.progress import Progress

__all__ = [
    "MAX_FILE_BYTES",
    "RECORD_VERSION",
    "TIME_ZONE",
    "FileInput",
    "Job",
    "Line",
    "Orientation",
    "RuleKey",
    "RuleRef",
    "Words",
    "canonical_json",
    "today",
]


def _key(pattern: str) -> Any:
    def check(v: str) -> str:
        if not re.fullmatch(pattern, v):
            raise ValueError("give a bundled rule key such as 'fujian' (costshare rules list)")
        return v

    return AfterValidator(check)


RuleKey = Annotated[str, _key(r"[a-z][a-z0-9_]{0,39}")]
"""A bundled rule table's key (``fujian``), never a path: a request reads no other file."""

RuleRef = Annotated[str, _key(r"[a-z][a-z0-9_]{0,39}(\.[a-z0-9_.]{1,80})?")]
"""A rule table's key or one of its rules (``hangzhou.floor_percent``), never a path."""

Line = Annotated[str, Field(max_length=200)]
"""A printed line of a public document (a name, an issuer, a date as written)."""

Words = Annotated[str, Field(max_length=500)]
"""A printed sentence of a public document (a proposal, where to return or object)."""

Orientation = Literal["portrait", "landscape"]
"""How an A4 document is laid out; every line fits the page either way."""

RECORD_VERSION = 1
"""Schema version of a job's store record (``{"job", "record", "request", "results"}``)."""


TIME_ZONE = "Asia/Shanghai"
"""Whose calendar "today" is: the default project date and the date on documents."""


def today() -> dt.date:
    """Today's date in :data:`TIME_ZONE` (a request's default project date).

    >>> isinstance(today(), dt.date)
    True
    """
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo(TIME_ZONE)).date()


def canonical_json(data: Any) -> str:
    """Stable JSON text of plain data: sorted keys, no spaces, non-ASCII kept.

    >>> canonical_json({"b": 1, "a": "区"})
    '{"a":"区","b":1}'
    """
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


class FileInput(StrictModel):
    """An input file (roster, register, ballots, candidates) as a request carries it.

    The record keeps only the digest and size, never the content or the file's name
    (rosters hold personal data); the bytes travel with the request so it can run, and a
    stored record is recomputed by handing the same file in again (its digest is checked).

    Build one with :meth:`from_path` or :meth:`from_bytes`; as JSON (the HTTP API) give
    ``{"name": "roster.xlsx", "content_b64": "..."}``.

    Examples
    --------
    >>> f = FileInput.from_bytes(b"unit_id,area\\n1-101,50\\n", "units.csv")
    >>> f.size, f.sha256[:12], sorted(f.model_dump())
    (22, '50e6b8ae3480', ['sha256', 'size'])
    """

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0, le=MAX_FILE_BYTES)
    name: str = Field(default="input", exclude=True, max_length=255)
    data: bytes | None = Field(default=None, exclude=True, repr=False)

    @model_validator(mode="before")
    @classmethod
    def _from_content(cls, raw: Any) -> Any:
        if isinstance(raw, dict) and "content_b64" in raw:
            raw = dict(raw)
            try:
                data = base64.b64decode(str(raw.pop("content_b64")), validate=True)
            except ValueError:
                raise ValueError("content_b64 is not base64") from None
            if len(data) > MAX_FILE_BYTES:
                raise ValueError(f"file larger than {MAX_FILE_BYTES:,} bytes")
            raw |= {"data": data, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        return raw

    @model_validator(mode="after")
    def _digest_matches(self) -> FileInput:
        if self.data is not None and hashlib.sha256(self.data).hexdigest() != self.sha256:
            raise ValueError("the file's content does not match its sha256")
        return self

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "input") -> FileInput:
        """The file `data`, called `name` in messages."""
        if len(data) > MAX_FILE_BYTES:
            msg = f"file larger than {MAX_FILE_BYTES:,} bytes"
            raise InputError(Problem(msg, file=Path(name).name))
        digest = hashlib.sha256(data).hexdigest()
        return cls(sha256=digest, size=len(data), name=Path(name).name, data=data)

    @classmethod
    def from_path(cls, path: str | Path) -> FileInput:
        """The file at `path` (read once, whole; size-checked first)."""
        p = Path(path)
        try:
            if p.stat().st_size > MAX_FILE_BYTES:
                msg = f"file larger than {MAX_FILE_BYTES:,} bytes"
                raise InputError(Problem(msg, file=p.name))
            return cls.from_bytes(p.read_bytes(), p.name)
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            msg = {FileNotFoundError: "file not found", IsADirectoryError: "is a directory"}
            raise InputError(Problem(msg.get(type(exc), "cannot be read"), file=str(p))) from None

    def content(self) -> bytes:
        """The file's bytes (refused when the request came from a record without the file)."""
        if self.data is None:
            msg = "give the file again: the record keeps only its digest (sha256)"
            raise InputError(Problem(msg, file=self.name, field="sha256"))
        return self.data

    def with_file(self, data: bytes, name: str = "input") -> FileInput:
        """This input with its bytes supplied again (for recomputing a stored record)."""
        if hashlib.sha256(data).hexdigest() != self.sha256:
            msg = "this is not the file the record was computed from (sha256 differs)"
            raise InputError(Problem(msg, file=Path(name).name))
        return self.model_copy(update={"data": data, "name": Path(name).name})


class Job(StrictModel):
    """Base of every job request.

    Subclasses set :attr:`job` (the job's name in the CLI, the API and the store), hold
    their inputs as fields, and implement :meth:`rules`, :meth:`run` and
    :meth:`summary`. ``on`` is the project date: the rules in force that day decide.
    """

    job: ClassVar[str] = ""
    on: dt.date = Field(
        default_factory=today,
        description="Project date: the rules in force on this day apply (default today).",
    )

    # -- what subclasses provide -------------------------------------------------------
    def resolve_rules(self) -> Any:
        """Load the :class:`~costshare.rules.RuleSet` for this request (see :meth:`rules`)."""
        raise NotImplementedError

    def run(self, progress: Progress | None = None) -> Any:
        """Check the request's consistency, resolve the rules, run the engines.

        `progress` (:class:`~costshare.progress.Progress`) is passed to the engines that do
        long work (a large roster's sheet, a portfolio, a transfer allocation); they call
        it at chunk boundaries and stop with :class:`~costshare.progress.Cancelled` when
        it was cancelled. Jobs with nothing long to do ignore it.
        """
        raise NotImplementedError

    def summary(self, result: Any) -> dict[str, Any]:
        """Plain JSON-able data of `result`: what ``--format json`` and the API return."""
        raise NotImplementedError

    def headline(self, result: Any) -> dict[str, Any]:
        """The few figures kept beside the record (and diffed between versions)."""
        return {}

    def canonical(self) -> Job:
        """The request with every reference resolved (a record recomputes without them)."""
        return self

    def assumptions(self, result: Any) -> list[dict[str, Any]]:
        """Figures `result` rests on that no rule table gives (``what``, ``value``, ``note``).

        Listed in the audit appendix with confidence A beside the rules the job read
        (:func:`costshare.report.audit.assumption_rows`); none by default.
        """
        return []

    # -- shared ------------------------------------------------------------------------
    def rules(self) -> Any:
        """The :class:`~costshare.rules.RuleSet` this request is computed with.

        Resolved once per request, so the run and its audit appendix see the same rule
        set (the appendix lists the rules the engines read).
        """
        if "_ruleset" not in self.__dict__:
            self.__dict__["_ruleset"] = self.resolve_rules()
        return self.__dict__["_ruleset"]

    @classmethod
    def parse(cls, data: Any, source: str = "request") -> Job:
        """Validate plain data (JSON, a page's widgets) into this request."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise problems_from_validation(exc, source) from None

    def request_json(self) -> dict[str, Any]:
        """The canonical request as plain JSON data (file contents left out)."""
        return json.loads(canonical_json(self.canonical().model_dump(mode="json")))

    def digest(self) -> str:
        """sha256 of the canonical request: its identity (a cache key, a record's hash).

        Examples
        --------
        >>> from costshare.jobs import CommunityJob
        >>> a = CommunityJob.parse({"scenario": {"bundled": "fujian_default.yaml"}})
        >>> a.digest() == CommunityJob.parse(a.request_json()).digest()
        True
        """
        text = canonical_json({"job": self.job, "request": self.request_json()})
        return hashlib.sha256(text.encode()).hexdigest()

    def record(self, result: Any | None = None) -> dict[str, Any]:
        """The one store record of this job: from it the result is recomputed to the fen."""
        result = self.run() if result is None else result
        return {
            "job": self.job,
            "record": RECORD_VERSION,
            "request": self.request_json(),
            "results": json.loads(canonical_json(self.headline(result))),
        }

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Any:
        """A copy with `update` applied; values computed from the old fields are dropped."""
        copied = super().model_copy(update=update, deep=deep)
        for key in [k for k in copied.__dict__ if k not in type(self).model_fields]:
            del copied.__dict__[key]  # cached_property results (the parsed model, the roster)
        return copied

    def __hash__(self) -> int:  # st.cache_data and dict keys: by content
        return hash(self.digest())
