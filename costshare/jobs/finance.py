"""PPP assessment and operation-phase jobs."""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from pydantic import Field

from costshare.jobs.base import Job
from costshare.jobs.source import DocumentSource
from costshare.limits import MAX_DRAWS
from costshare.progress import Progress

__all__ = ["OperationJob", "PPPJob"]


class PPPJob(Job):
    """Assess a PPP / social-capital project: cash flows, NPV/IRR, 21号 subsidy, 10 % line.

    The national rules in force on 1 January of the project's ``start_year`` apply (on
    ``on`` when the project has no start year).

    Examples
    --------
    >>> job = PPPJob.parse({"project": {"bundled": "ppp/ppp_example.yaml"}})
    >>> job.rules().on.isoformat()
    '2025-01-01'
    """

    job: ClassVar[str] = "ppp"
    project: DocumentSource
    tornado: bool = Field(default=False, description="Add the tornado table (NPV)")
    monte_carlo: int | None = Field(default=None, ge=1, le=MAX_DRAWS, description="Draws")

    @cached_property
    def model(self) -> Any:
        """The validated :class:`~costshare.ppp.model.PPPProject`."""
        from costshare.ppp.model import PPPProject

        return PPPProject.from_dict(self.project.resolve("ppp"), self.project.label)

    def resolve_rules(self) -> Any:
        from costshare import rules
        from costshare.ppp.assess import project_date

        return rules.load("national", project_date(self.model) or self.on)

    def run(self, progress: Progress | None = None) -> Any:
        from costshare.ppp.assess import assess

        return assess(self.model, self.rules())

    def canonical(self) -> PPPJob:
        return self.model_copy(update={"project": self.project.inline("ppp")})

    def monte_carlo_result(self, progress: Progress | None = None) -> Any:
        """The requested Monte Carlo (``monte_carlo`` draws), made once per request;
        `progress` hears its chunks of draws (the summary reports it)."""
        from costshare import ppp

        if "_mc" not in self.__dict__:
            self.__dict__["_mc"] = ppp.monte_carlo(
                self.model, draws=self.monte_carlo, progress=progress
            )
        return self.__dict__["_mc"]

    def summary(self, result: Any) -> dict[str, Any]:
        """The report: metrics, dated figures, cash flows (frames), affordability, VfM."""
        from costshare import ppp

        p, a = self.model, result
        rep: dict[str, Any] = {
            "scenario": p.name,
            "regime": p.regime,
            "subsidy_rule": (
                f"{p.subsidy.kind}: 21号 formula, n = {p.subsidy.first_n} in operating year 1"
                if p.subsidy.kind in ("viability_gap", "government_pay")
                else p.subsidy.kind
            ),
            "rules_on": self.rules().on.isoformat(),
            "metrics": a.metrics.as_dict(),
            "dated": None if a.dated is None else a.dated.as_dict(),
            "cash_flows": a.table,
        }
        if a.affordability is not None:
            rep["affordability"] = {
                "passes": a.affordability.passes,
                "limit": str(a.lines.limit),
                "warning_line": None if a.lines.warning is None else str(a.lines.warning),
                "rules": list(a.lines.sources),
                "warning_years": a.affordability.warning_years,
                "table": a.affordability.table,
            }
        rep["value_for_money"] = (
            None
            if a.vfm is None
            else {k: (str(x) if k in ("psc", "ppp", "vfm") else x) for k, x in vars(a.vfm).items()}
        )
        if self.tornado:
            rep["tornado"] = ppp.tornado(p)
        if self.monte_carlo is not None:
            r = self.monte_carlo_result()
            rep["monte_carlo"] = {
                "draws": r.draws,
                "seed": r.seed,
                "p_payback_within_cooperation_period": r.p_payback_within,
                "summary": r.summary.reset_index(names="metric"),
            }
        return rep

    def headline(self, result: Any) -> dict[str, Any]:
        m = result.metrics
        return {"project_npv": str(m.project_npv), "equity_npv": str(m.equity_npv)}


class OperationJob(Job):
    """Run the operation phase of one or more communities (fees, costs, the fund's balance)."""

    job: ClassVar[str] = "operation"
    scenario: DocumentSource

    @cached_property
    def model(self) -> Any:
        """The validated :class:`~costshare.operation.model.OperationScenario`."""
        from costshare.operation.model import OperationScenario

        return OperationScenario.from_dict(self.scenario.resolve("operation"), self.scenario.label)

    def resolve_rules(self) -> Any:
        from costshare import rules

        return rules.load(self.model.jurisdiction, self.model.day(self.on))

    def run(self, progress: Progress | None = None) -> Any:
        from costshare.operation.run import operate

        return operate(self.model, self.rules())

    def canonical(self) -> OperationJob:
        return self.model_copy(update={"scenario": self.scenario.inline("operation")})

    def summary(self, result: Any) -> dict[str, Any]:
        return result.to_dict()

    def headline(self, result: Any) -> dict[str, Any]:
        cols = [c for c in result.summary.columns if str(c).endswith("_fen")]
        return {
            str(r["community"]): {c: int(r[c]) for c in cols if r[c] == r[c]}
            for _, r in result.summary.iterrows()
        }
