"""``costshare vote`` and ``costshare plan``: owners' votes and the annual plan.

Registered by :mod:`costshare.cli` as ``app.command("vote")(vote_command)`` and
``app.command("plan")(plan_command)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from costshare.cli._out import FormatOpt, OutputOpt, emit, show_frame
from costshare.errors import InputError, Problem

__all__ = ["plan_command", "vote_command"]


def _named(exc: InputError, files: dict[str, str]) -> InputError:
    """The same problems with the library's placeholder file names replaced by real ones."""
    problems = [
        Problem(p.message, files.get(p.file or "", p.file), p.where, p.field) for p in exc.problems
    ]
    return InputError(problems, more=exc.more)


def _save_record(name: str, record: dict) -> None:
    """Save a vote job's record as the next version of document `name` (kind ``vote``)."""
    from costshare import store

    with store.Store() as st:  # COSTSHARE_DB, or the default SQLite file
        try:
            base = store.history(st, name)[-1].number
        except InputError:  # a new document
            base = 0
        saved = store.save(st, "vote", name, record, results=record["results"], base=base)
    v = saved.version
    typer.echo(f"saved {v.document}@{v.number} (vote)", err=True)


def vote_command(
    units: Annotated[
        Path, typer.Argument(help="Units register (csv/xlsx): unit_id/房号, area/面积 (m²).")
    ],
    ballots: Annotated[
        Path,
        typer.Argument(
            help="Ballots (csv/xlsx): unit_id/房号, vote/表决意见 (yes/no/abstain/absent, 同意/反对/弃权)."
        ),
    ],
    matter: Annotated[
        str,
        typer.Option(
            help="What is voted on: raise_fund, rebuild, change_use, use_fund, ordinary, "
            "elevator; local: renovation_plan (zhuhai, chengdu), inclusion/plan/acceptance (hebei)."
        ),
    ],
    jurisdiction: Annotated[str, typer.Option(help="Rule table to use.")] = "national",
    on: Annotated[
        str | None, typer.Option(help="Day of the vote (YYYY-MM-DD); rules in force then.")
    ] = None,
    fmt: Annotated[
        Literal["table", "json"], typer.Option("--format", help="Output format.")
    ] = "table",
    ballots_pdf: Annotated[
        Path | None,
        typer.Option(
            "--ballots-pdf",
            help="Also write ballot forms (表决票) as PDF: one page per unit of the register, "
            "owner names masked.",
        ),
    ] = None,
    community: Annotated[
        str,
        typer.Option(
            help="The community (小区编号) voting: printed on the ballot forms, and recorded "
            "so that a saved vote can gate the plan (`costshare gate --stored-vote`)."
        ),
    ] = "",
    save: Annotated[
        str | None,
        typer.Option(
            "--save",
            help="Save the vote's record (counts and verdict, the files' digests only, no "
            "ballot) in the store as the next version of this document.",
        ),
    ] = None,
    deadline: Annotated[
        str | None, typer.Option(help="Last day to return the ballot forms (printed as given).")
    ] = None,
    return_to: Annotated[
        str, typer.Option(help="Where or how to return the ballot forms (printed as given).")
    ] = "",
    proposal: Annotated[
        str, typer.Option(help="The proposal put to the vote, printed on every ballot form.")
    ] = "",
    issuer: Annotated[
        str | None,
        typer.Option(help="Who issues the ballot forms (default 业主大会筹备组／业主委员会)."),
    ] = None,
    names: Annotated[
        bool,
        typer.Option(
            "--names/--no-names", help="Print owners' masked names on the forms (else a line)."
        ),
    ] = True,
    orientation: Annotated[
        Literal["portrait", "landscape"], typer.Option(help="A4 ballot forms' orientation.")
    ] = "portrait",
    share_total: Annotated[
        str | None,
        typer.Option(
            help="Total in yuan of the proposal voted on: each form prints its household's "
            "share, computed as the contribution sheet over the register.",
        ),
    ] = None,
    share_basis: Annotated[
        str, typer.Option(help="How --share-total is shared: area, equal, headcount, floor.")
    ] = "area",
    floor_rule: Annotated[
        str | None, typer.Option(help="Floor rule for --share-basis floor (e.g. guangzhou).")
    ] = None,
) -> None:
    """Count an owners' vote (业主表决): quorum, approval, margins and the rule's source.

    With ``--ballots-pdf FILE`` also writes the ballot forms for the register; their words
    (community, proposal, issuer, return place, deadline) are part of the request, so the
    stored record rebuilds the same file (``costshare store publish``).
    """
    from costshare.jobs import FileInput, VoteJob
    from costshare.jobs.base import today
    from costshare.jobs.vote import ISSUER, ballot_pdf
    from costshare.money import amount_fen, to_yuan

    words = {
        "community": community,
        "proposal": proposal,
        "issuer": issuer or ISSUER,
        "return_to": return_to,
        "deadline": deadline or "",
        "names": names,
        "orientation": orientation,
        "share": None
        if share_total is None
        else {
            "amount": {"kind": "total", "yuan": to_yuan(amount_fen(share_total, "share"))},
            "basis": share_basis,
            "floor_rule": floor_rule,
        },
    }  # the ballot forms' words: part of the request
    job = VoteJob.parse(
        {
            "units": FileInput.from_path(units),
            "ballots": FileInput.from_path(ballots),
            "ballot": words,
            "matter": matter,
            "jurisdiction": jurisdiction,
            "on": on or today().isoformat(),  # the shell's "today", in Asia/Shanghai
            **({"community": community} if community else {}),
        },
        "options",
    )
    result = job.run()
    if ballots_pdf is not None:
        from costshare.report.safe import atomic_write_bytes

        atomic_write_bytes(
            ballots_pdf,
            ballot_pdf(job),  # the request's words, dated the vote's day (``on``)
        )
    if save is not None:
        _save_record(save, job.record(result))
    if fmt == "json":
        emit(job.summary(result), "json", None)
        return
    p = result.provenance
    typer.echo(f"{result.summary()}")
    typer.echo(
        f"rule {p['rule']} — {p['document']} {p['article']} ({p['issuer']}, {p['date']}), "
        f"confidence {p['confidence']}" + (f", {p['seed']}" if p["seed"] else "")
    )
    c, a = result.counts, result.areas_centiares
    typer.echo(
        "votes: "
        + ", ".join(f"{k} {c[k]} ({a[k] / 100:.2f} m²)" for k in ("yes", "no", "abstain", "absent"))
    )
    show_frame(result.to_frame())


def _parse_quotas(items: list[str] | None) -> dict[str, int] | None:
    if not items:
        return None
    out: dict[str, int] = {}
    for item in items:
        for part in item.split(","):
            name, sep, n = part.partition("=")
            if not sep or not name.strip() or not n.strip().isdigit():
                msg = f"quota {part!r}: write DISTRICT=N, e.g. 海曙区=3"
                raise InputError(Problem(msg, field="quota"))
            out[name.strip()] = int(n)
    return out


def plan_command(
    candidates: Annotated[
        Path,
        typer.Argument(
            help="Candidate communities (csv/xlsx): community_id, cost (yuan), district, "
            "and one column per criterion."
        ),
    ],
    budget: Annotated[str, typer.Option(help="The year's budget in yuan.")],
    quota: Annotated[
        list[str] | None,
        typer.Option(help="District quota DISTRICT=N (repeat, or comma-separated)."),
    ] = None,
    criteria: Annotated[
        Path | None, typer.Option(help="Criteria YAML (default: the bundled Ningbo-style sheet).")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Community withdrawn from this year's plan (repeat).")
    ] = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
) -> None:
    """Score candidate communities and choose the annual plan under a budget (项目库与年度计划)."""
    from costshare.cli._out import document
    from costshare.jobs import FileInput, PlanJob
    from costshare.money import amount_fen, to_yuan

    job = PlanJob.parse(
        {
            "candidates": FileInput.from_path(candidates),
            "budget": to_yuan(amount_fen(budget, "budget")),
            "quotas": _parse_quotas(quota),
            "criteria": None if criteria is None else document(criteria, "plan_criteria"),
            "exclude": tuple(exclude or ()),
        },
        "options",
    )
    crit = job.rules()
    try:
        plan = job.run()
    except InputError as exc:
        raise _named(exc, {"candidates": candidates.name}) from None
    table = plan.to_frame()
    if fmt == "json":
        emit(job.summary(plan), "json", output)
    elif fmt == "csv" or output is not None:
        emit(table, "csv", output)
    else:
        typer.echo(plan.summary())
        show_frame(table)
        if any(c.assumed for c in crit.criteria):
            typer.echo("note: criterion weights are assumptions (the source gives none).")
