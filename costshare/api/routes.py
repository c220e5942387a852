"""The job routes: ``POST /v1/<job>``, its files, and ``POST /v1/trace/<job>``.

Each route takes the job's request (:data:`costshare.jobs.JOBS`) as its JSON body, so the
OpenAPI schema is the request model's. A result is answered as::

    {"job": "community", "digest": "<sha256 of the request>",
     "result": <job.summary(result), the JSON ``--format json`` prints>,
     "record": <the one store record, from which the result is recomputed>}
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse, Response

from costshare import jobs
from costshare.errors import InputError, Problem
from costshare.jobs import Job
from costshare.jobs.output import to_jsonable

__all__ = ["FILES", "answer", "job_of_path", "router"]

router = APIRouter(prefix="/v1")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TYPES = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


def answer(job: Job, result: Any) -> dict[str, Any]:
    """The JSON answer of `job` whose run gave `result` (see the module's docstring).

    >>> job = jobs.parse("community", {"scenario": "fujian_default"})
    >>> a = answer(job, job.run())
    >>> sorted(a), a["record"]["results"]["gap_fen"], a["digest"] == job.digest()
    (['digest', 'job', 'record', 'result'], 7600000, True)
    """
    return to_jsonable(
        {
            "job": job.job,
            "digest": job.digest(),
            "result": job.summary(result),
            "record": job.record(result),
        }
    )


def job_of_path(path: str) -> str | None:
    """The job a route path belongs to (``/v1/sheet/pdf`` → ``sheet``), else ``None``.

    >>> job_of_path("/v1/trace/goal_seek"), job_of_path("/v1/sheet/pdf"), job_of_path("/x")
    ('goal_seek', 'sheet', None)
    """
    parts = path.strip("/").split("/")
    if len(parts) < 2 or parts[0] != "v1":
        return None
    name = parts[2] if parts[1] == "trace" and len(parts) > 2 else parts[1]
    return name if name in jobs.JOBS else None


def confined(job: Job) -> Job:
    """`job`, refused when it names rules by a path instead of a bundled key.

    Rule tables can be loaded from a YAML path on the command line; a server reads only its
    bundled ones, so a request cannot make it open a file of the server's disk.

    >>> confined(jobs.parse("community", {"scenario": "fujian_default"})).job
    'community'
    >>> jobs.parse("vote", {"units": {"content_b64": ""}, "ballots": {"content_b64": ""},
    ...                     "matter": "elevator", "jurisdiction": "/etc/x.yaml"})
    Traceback (most recent call last):
    costshare.errors.InputError: request, field 'jurisdiction': give a bundled rule key ...

    (the request itself refuses a path; this is the server's second check)
    """
    from costshare import rules

    known = set(rules.available())

    def bad(key: Any, value: Any) -> bool:
        if key not in ("jurisdiction", "floor_rule") or not isinstance(value, str):
            return False
        return value.partition(".")[0] not in known or value.endswith((".yaml", ".yml"))

    def walk(data: Any, where: str) -> None:
        if isinstance(data, dict):
            for key, value in data.items():
                if bad(key, value):
                    msg = f"{value!r} is not a bundled rule table; bundled: {sorted(known)}"
                    raise InputError(Problem(msg, file="request", where=where or None, field=key))
                walk(value, f"{where}.{key}" if where else str(key))
        elif isinstance(data, list):
            for i, value in enumerate(data):
                walk(value, f"{where}[{i}]")

    walk(job.request_json(), "")
    return job


def _endpoint(cls: type[Job], name: str, handle: Callable[..., Any], **query: Any) -> Any:
    """A route function whose one body parameter is the request model `cls`."""

    def endpoint(request: Request, job: Job, **options: Any) -> Any:
        from costshare.api.store_routes import acting_store
        from costshare.store import acting

        # a stored document the request names is read as the caller, never as the server
        with acting(lambda: acting_store(request)):
            return handle(confined(job), **options)

    params = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
        inspect.Parameter(
            "job", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Annotated[cls, Body()]
        ),
    ]
    params += [
        inspect.Parameter(k, inspect.Parameter.KEYWORD_ONLY, annotation=str, default=q)
        for k, q in query.items()
    ]
    endpoint.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    endpoint.__name__ = name
    endpoint.__doc__ = (cls.__doc__ or "").split("\n\n")[0]
    return endpoint


def _run(job: Job) -> JSONResponse:
    return JSONResponse(answer(job, job.run()))


def _trace(job: Job) -> JSONResponse:
    from costshare.api.trace import traced

    _, frame = traced(job)
    return JSONResponse(to_jsonable({"job": job.job, "digest": job.digest(), "trace": frame}))


# -- files ---------------------------------------------------------------------------------
def _sheet_xlsx(job: Any, community: str) -> bytes:
    from costshare.report.sheet import sheet_xlsx_bytes

    return sheet_xlsx_bytes(job.run(), title=job.title)


def _sheet_csv(job: Any, community: str) -> bytes:
    from costshare.report.sheet import sheet_csv_bytes

    return sheet_csv_bytes(job.run())


def _sheet_pdf(job: Any, community: str) -> bytes:
    """The request's own notice (its ``notice`` fields; ``?community=`` fills a missing name)."""
    from costshare.jobs.notice import NoticeFields, notice_pdf

    if community and not (job.notice and job.notice.community):
        base = job.notice or NoticeFields()
        job = job.model_copy(update={"notice": base.model_copy(update={"community": community})})
    return notice_pdf(job)


def _community_xlsx(job: Any, community: str) -> bytes:
    from costshare.report.table_xlsx import scenario_result_xlsx

    return scenario_result_xlsx(job.run())


def _vote_pdf(job: Any, community: str) -> bytes:
    """The request's own ballot forms (its ``ballot`` fields; ``?community=`` fills a
    missing name): one page per unit of the register (ballots not counted)."""
    from costshare.jobs.vote import BallotFields, ballot_pdf

    if community and not (job.ballot and job.ballot.community):
        base = job.ballot or BallotFields()
        job = job.model_copy(update={"ballot": base.model_copy(update={"community": community})})
    return ballot_pdf(job)


FILES: dict[tuple[str, str], tuple[Callable[[Any, str], bytes], str]] = {
    ("sheet", "xlsx"): (_sheet_xlsx, "The contribution sheet (分户出资表) as xlsx."),
    ("sheet", "csv"): (_sheet_csv, "The contribution sheet as CSV (UTF-8 with BOM)."),
    ("sheet", "pdf"): (_sheet_pdf, "The public notice (公示) as PDF, dated the request's `on`."),
    ("community", "xlsx"): (_community_xlsx, "Sources and uses, split, indicators as xlsx."),
    ("vote", "pdf"): (_vote_pdf, "Ballot forms (表决票), one page per unit of the register."),
}
"""The file routes ``/v1/<job>/<format>``: how each file is made, and what it is."""


def _file(name: str, fmt: str, make: Callable[[Any, str], bytes]) -> Callable[..., Response]:
    def handle(job: Job, community: str = "") -> Response:
        data = make(job, community)
        digest = job.digest()
        headers = {
            "Content-Disposition": f'attachment; filename="{name}-{digest[:12]}.{fmt}"',
            "X-Costshare-Digest": digest,
        }
        return Response(data, media_type=_TYPES[fmt], headers=headers)

    return handle


_COMMUNITY = Query("", description="Community name printed on the notice or the ballot forms")

for _name, _cls in jobs.JOBS.items():
    router.add_api_route(
        f"/{_name}",
        _endpoint(_cls, f"run_{_name}", _run),
        methods=["POST"],
        tags=["jobs"],
        summary=f"Run the {_name} job",
    )
    router.add_api_route(
        f"/trace/{_name}",
        _endpoint(_cls, f"trace_{_name}", _trace),
        methods=["POST"],
        tags=["trace"],
        summary=f"The rule values and sources behind a {_name} result",
    )
for (_name, _fmt), (_make, _what) in FILES.items():
    router.add_api_route(
        f"/{_name}/{_fmt}",
        _endpoint(
            jobs.JOBS[_name], f"{_name}_{_fmt}", _file(_name, _fmt, _make), community=_COMMUNITY
        ),
        methods=["POST"],
        tags=["files"],
        summary=_what,
        response_class=Response,
        responses={200: {"content": {_TYPES[_fmt]: {}}}},
    )
