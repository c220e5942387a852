"""Mechanism jobs: consent gates on the plan, residents' evaluation, transfers, an elevator's life.

Each request holds everything that decides its answer (input files as
:class:`~costshare.jobs.base.FileInput`, a pot as a :class:`~costshare.jobs.source.DocumentSource`)
and makes its one rules decision in :meth:`resolve_rules`; the engines are :mod:`costshare.community.consent`,
:mod:`costshare.households.evaluate`, :mod:`costshare.community.transfers` and
:mod:`costshare.households.elevator_life`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, ClassVar

from pydantic import Field, model_validator

from costshare.base import Amount, FenAmount
from costshare.jobs.base import FileInput, Job, RuleKey
from costshare.jobs.source import DocumentSource
from costshare.progress import Progress

__all__ = ["ElevatorLifeJob", "EvaluateJob", "Evaluated", "GateJob", "GateResult", "TransfersJob"]

_VOTE_TEXT = ("community_id", "小区编号", "matter")
_SURVEY_TEXT = ("房号", "unit_id", "户号", "楼栋", "building", "楼号")


@dataclass(frozen=True)
class GateResult:
    """The consent table, the plan chosen under it, and the plan's table with a reason each."""

    consent: Any  # DataFrame: community_id, matter, rule, passed, failed, seed
    plan: Any  # PlanResult
    table: Any  # DataFrame: the plan's table and a column ``consent``


class GateJob(Job):
    """Residents' consent gates the annual plan: each candidate's votes against the rules.

    A candidate that misses a threshold of the jurisdiction's vote rule for a matter (or
    has no vote on it) is not eligible; the table says which gate it fails and by how much.
    Votes come from a counts file, from stored votes named ``DOC@V``
    (:mod:`costshare.community.stored_votes`), or both; column ``vote`` names the one used.

    Examples
    --------
    >>> from costshare.kinds import ROOT
    >>> job = GateJob(
    ...     candidates=FileInput.from_path(ROOT / "costshare/data/sample_plan_candidates.csv"),
    ...     votes=FileInput.from_path(ROOT / "scenarios/consent/hebei_inclusion_votes.csv"),
    ...     matters=["inclusion"], jurisdiction="hebei", budget="40000000", on="2024-06-30")
    >>> r = job.run()
    >>> "鼓楼区·东街小区" in r.plan.chosen, job.rules().key
    (True, 'hebei')
    """

    job: ClassVar[str] = "gate"
    candidates: FileInput = Field(description="Candidate communities (csv/xlsx), as for plan")
    votes: FileInput | None = Field(
        default=None,
        description="Vote counts (csv/xlsx): community_id, matter, owners, took_part, yes "
        "[, area_m2, area_took_part, area_yes]",
    )
    stored_votes: tuple[str, ...] = Field(
        default=(),
        description="Stored votes as DOC@V (kind vote or owners_vote: counts and verdict "
        "saved by the votes page or `costshare vote --save`), each for a candidate and matter",
    )
    matters: Annotated[tuple[str, ...], Field(min_length=1)] = Field(
        description="Matters that gate the plan, e.g. inclusion"
    )
    jurisdiction: RuleKey = Field(description="Rule table with the vote rules")
    budget: FenAmount
    criteria: DocumentSource | None = Field(default=None, description="Default: bundled sheet")

    @model_validator(mode="after")
    def _some_votes(self) -> GateJob:
        if self.votes is None and not self.stored_votes:
            raise ValueError("give a vote-count file (votes) or stored votes (DOC@V)")
        from costshare.community.stored_votes import parse_ref

        for ref in self.stored_votes:
            parse_ref(ref)
        return self

    def resolve_rules(self) -> Any:
        from costshare import rules

        return rules.load(self.jurisdiction, self.on)

    def stored(self) -> list[Any]:
        """The stored votes named, read from the store (:class:`StoredVote`), in order."""
        from costshare.community.stored_votes import parse_ref, stored_vote
        from costshare.store import get, reading

        if not self.stored_votes:
            return []
        out = []
        with reading() as s:  # the shell's store, acting as its caller
            for ref in self.stored_votes:
                doc, number = parse_ref(ref)
                v = get(s, doc, number)
                out.append(stored_vote(ref, v.kind, v.data))
        return out

    @cached_property
    def sheet(self) -> Any:
        """The scoring sheet (:class:`~costshare.community.plan.Criteria`) on ``on``."""
        from costshare.community.plan import load_criteria

        raw = None if self.criteria is None else self.criteria.resolve("plan_criteria")
        return load_criteria(raw, on=self.on)

    def run(self, progress: Progress | None = None) -> GateResult:
        from costshare.community.consent import consent_table, gate_candidates
        from costshare.community.plan import CANDIDATE_TEXT, choose_plan, score
        from costshare.community.plan_score import candidate_columns
        from costshare.community.stored_votes import check_votes, merge_counts
        from costshare.community.table import read_table

        rs = self.rules()
        f, v = self.candidates, self.votes
        cands = read_table(f.content(), name=f.name, text_columns=CANDIDATE_TEXT)
        sv = []
        if self.stored_votes:
            cc = candidate_columns(cands)  # 小区编号 or community_id
            ids = cc["community_id"].astype(str) if "community_id" in cc else []
            sv = check_votes(self.stored(), self.matters, ids, rs.key)
        name = v.name if v is not None else "stored votes"
        file = None if v is None else read_table(v.content(), name=name, text_columns=_VOTE_TEXT)
        counts = merge_counts(file, name, sv)
        consent = consent_table(counts, rs, list(self.matters), file=name)
        src = {
            (str(c), str(m)): s for c, m, s in counts[["community_id", "matter", "source"]].values
        }
        consent["vote"] = [
            src.get((c, m), "") for c, m in consent[["community_id", "matter"]].values
        ]
        gated, crit = gate_candidates(cands, consent, self.sheet, rs)
        plan = choose_plan(score(gated, crit), Decimal(self.budget))
        table = plan.to_frame()
        failed = consent[~consent["passed"]]
        why = failed.groupby("community_id")["failed"].agg("; ".join)
        used = consent[consent["vote"] != ""].groupby("community_id")["vote"].agg("; ".join)
        voted = set(consent["community_id"])
        ids = [str(c) for c in table[plan.id_column]]
        table["consent"] = [why.get(c, "") if c in voted else "无表决记录 no vote" for c in ids]
        table["vote"] = [used.get(c, "") for c in ids]  # which file row or stored vote it used
        return GateResult(consent, plan, table)

    def canonical(self) -> GateJob:
        if self.criteria is None:
            return self
        return self.model_copy(update={"criteria": self.criteria.inline("plan_criteria")})

    def summary(self, result: GateResult) -> dict[str, Any]:
        return {
            "summary": result.plan.summary(),
            "consent": result.consent,
            "candidates": result.table,
        }

    def headline(self, result: GateResult) -> dict[str, Any]:
        p = result.plan
        return {
            "budget_fen": p.budget_fen,
            "spent_fen": p.spent_fen,
            "chosen": len(p.chosen),
            "consent_passed": int(result.consent["passed"].sum()),
        }


@dataclass(frozen=True)
class Evaluated:
    """A survey's evaluation and, when a scenario was given, its cost indicators (yuan)."""

    evaluation: Any  # costshare.households.evaluate.Evaluation
    indicators: dict[str, str] | None = None


class EvaluateJob(Job):
    """Residents' satisfaction tallied per item, per building and overall; the acceptance gate.

    Examples
    --------
    >>> from costshare.kinds import ROOT
    >>> job = EvaluateJob(survey=FileInput.from_path(ROOT / "scenarios/evaluation/sample_survey.csv"),
    ...                   households=36, on="2024-06-30")
    >>> ev = job.run().evaluation
    >>> ev.satisfied, ev.base, ev.passed
    (27, 36, False)
    """

    job: ClassVar[str] = "evaluate"
    survey: FileInput = Field(
        description="Survey (csv/xlsx): 房号/unit_id, 楼栋/building, 总体满意度/overall, one "
        "column per item; answers 非常满意…非常不满意 or 1–5"
    )
    jurisdiction: RuleKey = Field(default="hebei", description="Rule table with acceptance")
    households: int | None = Field(
        default=None, ge=1, description="Households in the community (default: respondents)"
    )
    satisfied_from: int = Field(default=3, ge=1, le=5, description="Lowest satisfied level")
    scenario: DocumentSource | None = Field(
        default=None, description="The community's scenario: its cost indicators join"
    )

    def resolve_rules(self) -> Any:
        from costshare import rules

        return rules.load(self.jurisdiction, self.on)

    def run(self, progress: Progress | None = None) -> Evaluated:
        from costshare.community.table import read_table
        from costshare.households.evaluate import evaluate

        f = self.survey
        df = read_table(f.content(), name=f.name, text_columns=_SURVEY_TEXT)
        ev = evaluate(df, self.rules(), households=self.households,
                      satisfied_from=self.satisfied_from, file=f.name)  # fmt: skip
        indicators = None
        if self.scenario is not None:
            from costshare.jobs.community import CommunityJob

            run = CommunityJob(scenario=self.scenario, on=self.on).run()
            indicators = {k: str(v) for k, v in run.indicators().items()}
        return Evaluated(ev, indicators)

    def canonical(self) -> EvaluateJob:
        if self.scenario is None:
            return self
        return self.model_copy(update={"scenario": self.scenario.inline("community")})

    def summary(self, result: Evaluated) -> dict[str, Any]:
        ev = result.evaluation
        return {
            "summary": ev.summary(),
            "passed": ev.passed,
            "satisfied": ev.satisfied,
            "base": ev.base,
            "rate": str(ev.rate),
            "bar": str(ev.bar),
            "rule": ev.rule,
            "short_by": ev.short_by(),
            "items": ev.items,
            "buildings": ev.buildings,
            "notes": ev.notes,
            "indicators": result.indicators,
        }

    def headline(self, result: Evaluated) -> dict[str, Any]:
        ev = result.evaluation
        return {"satisfied": ev.satisfied, "base": ev.base, "passed": bool(ev.passed)}

    def assumptions(self, result: Evaluated) -> list[dict[str, Any]]:
        return [{"what": "satisfied_from", "value": self.satisfied_from, "note": n}
                for n in result.evaluation.notes if n.startswith("A:")]  # fmt: skip


class TransfersJob(Job):
    """Divide a subsidy or transfer pot over areas by its weighted formula, floors and caps.

    The pot document (``kind: transfers``) states every weight with its confidence; no
    rule table decides this job, so ``on`` is not used.

    Examples
    --------
    >>> job = TransfersJob.parse({"pot": "yancheng_reward_subsidy"})
    >>> r = job.run()
    >>> int(r.table["grant_fen"].sum()) == r.pot_fen == 31_000_000_000
    True
    """

    job: ClassVar[str] = "transfers"
    pot: DocumentSource = Field(description="A pot document, e.g. yancheng_reward_subsidy")
    on: dt.date | None = Field(default=None, description="Not used: no rule decides a pot")

    @cached_property
    def model(self) -> Any:
        """The validated :class:`~costshare.community.transfers_model.Pot`."""
        from costshare.community.transfers_model import Pot

        return Pot.from_dict(self.pot.resolve("transfers"), self.pot.label)

    def resolve_rules(self) -> None:
        return None  # the weights are the pot's own (each with its confidence)

    def run(self, progress: Progress | None = None) -> Any:
        from costshare.community.transfers import allocate_pot

        return allocate_pot(self.model, progress=progress)

    def canonical(self) -> TransfersJob:
        return self.model_copy(update={"pot": self.pot.inline("transfers")})

    def summary(self, result: Any) -> dict[str, Any]:
        from costshare.money import to_yuan

        t = result.table
        exact = [c for c in t.columns if c.startswith("share_") or c == "formula_share"]
        p = self.model
        return {
            "name": p.name,
            "pot_fen": result.pot_fen,
            "pot": str(to_yuan(result.pot_fen)),
            "weights": [w.model_dump(mode="json", exclude_none=True) for w in p.weights],
            "areas": t.assign(**{c: t[c].astype(str) for c in exact}),
            "explain": {a: result.explain(a) for a in t["area"]},
        }

    def headline(self, result: Any) -> dict[str, Any]:
        t = result.table
        grants = zip(t["area"], t["grant_fen"], strict=True)
        return {"pot_fen": result.pot_fen, "grants_fen": {str(a): int(g) for a, g in grants}}

    def assumptions(self, result: Any) -> list[dict[str, Any]]:
        p = result.pot
        weights = [{"what": f"weight {w.factor}", "value": str(w.weight), "note": w.reason or ""}
                   for w in p.weights if w.confidence == "A"]  # fmt: skip
        return weights + [a.model_dump() for a in p.assumptions]


class ElevatorLifeJob(Job):
    """An elevator over its life: building cost, maintenance, electricity, low-floor compensation.

    Every amount is the caller's assumption (no seed gives them); the sharing bases are
    chosen openly (by default the airport game's weights).

    Examples
    --------
    >>> from costshare.kinds import ROOT
    >>> job = ElevatorLifeJob(roster=FileInput.from_path(ROOT / "data/sample_roster.xlsx"),
    ...                       cost="300000", maintenance="8000", years=15, on="2024-06-01")
    >>> t = job.run()
    >>> int(t["net_fen"].sum()) == 30_000_000 + 15 * 800_000
    True
    """

    job: ClassVar[str] = "elevator_life"
    roster: FileInput = Field(description="Roster of the stairwell (xlsx/csv) with floors")
    worksheet: str | None = Field(default=None, description="xlsx sheet, or 'all'")
    building: str | None = Field(default=None, description="Only this building's households")
    stairwell: str | None = Field(default=None, description="Only this stairwell's households")
    cost: Amount = Field(description="Building cost, yuan")
    maintenance: Amount = Field(default=Decimal(0), description="Maintenance a year, yuan (A)")
    operation: Amount = Field(default=Decimal(0), description="Electricity a year, yuan (A)")
    years: int = Field(default=15, ge=1, le=100, description="Life in years (A)")
    compensation: Amount = Field(
        default=Decimal(0), description="Compensation per low-floor household, yuan (A)"
    )
    compensated_floors: tuple[int, ...] = (1,)
    exempt_floors: tuple[int, ...] = (1,)
    basis: str = Field(default="airport", description="Basis of the building cost")
    running_basis: str = Field(default="airport", description="Basis of the running costs")
    jurisdiction: RuleKey = "national"

    def resolve_rules(self) -> Any:
        from costshare import rules

        return rules.load(self.jurisdiction, self.on)

    def run(self, progress: Progress | None = None) -> Any:
        from costshare.households.elevator_life import elevator_lifetime
        from costshare.households.roster import read_roster_bytes
        from costshare.households.scope import scope
        from costshare.money import to_fen

        r = self.roster
        frame = read_roster_bytes(r.content(), r.name, sheet=self.worksheet)
        return elevator_lifetime(
            scope(frame, self.building, self.stairwell), self.rules(),
            cost_fen=to_fen(self.cost), maintenance_fen=to_fen(self.maintenance),
            operation_fen=to_fen(self.operation), years=self.years,
            compensation_fen=to_fen(self.compensation),
            compensated_floors=self.compensated_floors, exempt_floors=self.exempt_floors,
            basis=self.basis, running_basis=self.running_basis,
        )  # fmt: skip

    def summary(self, result: Any) -> dict[str, Any]:
        from costshare.money import to_yuan

        total = int(result["net_fen"].sum())
        return {**self.headline(result), "total": str(to_yuan(total)), "households": result}

    def headline(self, result: Any) -> dict[str, Any]:
        cols = ("cost_fen", "maintenance_fen", "operation_fen", "comp_paid_fen", "net_fen")
        return {"years": self.years, **{c: int(result[c].sum()) for c in cols}}

    def assumptions(self, result: Any) -> list[dict[str, Any]]:
        note = "the caller's figure: no seed gives it"
        return [
            {"what": what, "value": str(v), "note": note}
            for what, v in (("maintenance a year (yuan)", self.maintenance),
                            ("electricity a year (yuan)", self.operation),
                            ("life (years)", self.years),
                            ("compensation per low-floor household (yuan)", self.compensation))
        ]  # fmt: skip
