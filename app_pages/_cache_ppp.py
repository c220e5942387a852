"""Cached thin wrappers for the PPP page: the project model, loans and cash-flow tools.

Every number comes from :mod:`costshare.ppp` and :mod:`costshare.finance`; the project
model's wrappers take the page's :class:`~costshare.jobs.PPPJob` (cached by its digest),
which decides the rules (national, on the project's date).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from app_pages._cache import JOB_HASH, read_text
from costshare import kinds
from costshare.jobs import PPPJob, lookup
from costshare.report import charts_ppp
from costshare.report.csv import csv_bytes

PPP_DEFAULT = "ppp/ppp_example.yaml"
"""The PPP page opens on the illustrative example."""


# -- loan and cash-flow tools --------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=32)
def loan(
    principal: float, rate: float, years: int, method: str, per_year: int, grace: float
) -> pd.DataFrame:
    """Loan schedule (costshare.finance.loan_schedule), exact to the fen."""
    from costshare.finance import loan_schedule

    return loan_schedule(principal, rate, years, method, per_year, grace)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=32)
def loan_fig(
    principal: float, rate: float, years: int, method: str, per_year: int, grace: float, lang: str
) -> Any:
    """Stacked interest/principal chart of the loan schedule."""
    schedule = loan(principal, rate, years, method, per_year, grace)
    return charts_ppp.loan_figure(schedule, lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=32)
def loan_csv(
    principal: float, rate: float, years: int, method: str, per_year: int, grace: float
) -> bytes:
    """The loan schedule in yuan as UTF-8-with-BOM CSV."""
    cols = ["period", "payment", "interest", "principal", "balance"]
    return csv_bytes(loan(principal, rate, years, method, per_year, grace)[cols])


@st.cache_data(show_spinner=False, max_entries=32)
def flow_metrics(flows: tuple[float, ...], rate: float) -> Any:
    """NPV, IRR (with the several-roots flag), payback and discounted payback."""
    from costshare.finance import series_summary

    return series_summary(list(flows), rate)


@st.cache_data(show_spinner=False, max_entries=32)
def flow_fig(flows: tuple[float, ...], lang: str) -> Any:
    """Annual and cumulative cash-flow chart."""
    return charts_ppp.cashflow_figure(flows, lang)  # type: ignore[arg-type]


# -- PPP project model -------------------------------------------------------------------
@st.cache_data(ttl=60, show_spinner=False)
def bundled_ppp() -> dict[str, str]:
    """Name (relative to ``scenarios/``) → path of the bundled PPP scenarios, example first."""
    found = kinds.bundled("ppp")
    first = {PPP_DEFAULT: found.pop(PPP_DEFAULT)} if PPP_DEFAULT in found else {}
    return {name: str(p) for name, p in (first | found).items()}


def bundled_ppp_text(name: str) -> str:
    """Text of the bundled PPP scenario called `name`."""
    path = bundled_ppp()[name]
    return read_text(path, Path(path).stat().st_mtime)


@st.cache_data(show_spinner=False, max_entries=16)
def ppp_parse(text: str, name: str) -> dict[str, Any]:
    """Validate a PPP project's text (or a stored PPP record's); plain JSON-ready data back."""
    from costshare.ppp import PPPProject

    data = lookup.document_data("ppp", text, name)
    return PPPProject.from_dict(data, name).model_dump(mode="json")


def ppp_job(
    base: dict[str, Any],
    drivers: dict[str, Any],
    revenues: list[dict],
    om: list[dict],
    name: str,
    today: dt.date,
) -> PPPJob:
    """The PPP request of the page: `base` with the page's edits (:func:`costshare.ppp.apply_edits`)."""
    from costshare.ppp import apply_edits

    data = apply_edits(base, drivers, revenues, om)
    return PPPJob.parse({"project": {"data": data}, "on": today}, name)  # type: ignore[return-value]


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=JOB_HASH)
def cap_cite(job: PPPJob, lang: str) -> str:
    """The citation of the affordability cap in the rules `job` is assessed with."""
    from costshare.rules import cite

    return cite(job.rules().param("ppp.affordability_cap"), lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=JOB_HASH)
def ppp_results(job: PPPJob) -> Any:
    """The assessment (:func:`costshare.ppp.assess` with the rules of the project's date)."""
    return job.run()


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=JOB_HASH)
def ppp_cashflow_fig(job: PPPJob, lang: str) -> Any:
    """Annual project and equity cash flows."""
    return charts_ppp.ppp_cashflow_figure(ppp_results(job).table, lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=JOB_HASH)
def ppp_afford_fig(job: PPPJob, lang: str) -> Any:
    """Obligations share by year against the rule lines (None without fiscal data)."""
    r = ppp_results(job)
    if r.affordability is None:
        return None
    return charts_ppp.affordability_figure(
        r.affordability.table,
        lang,  # type: ignore[arg-type]
        limit=float(r.lines.limit),
        warning=None if r.lines.warning is None else float(r.lines.warning),
        start_year=r.start_year,
    )


def ppp_tornado_defaults(job: PPPJob) -> tuple[list[str], list[str], float]:
    """Drivers offered, drivers preselected (the scenario's, else all) and its change."""
    from costshare.ppp import tornado_defaults

    return tornado_defaults(job.model)


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=JOB_HASH)
def ppp_tornado(job: PPPJob, drivers: tuple[str, ...], change: float) -> pd.DataFrame:
    """Tornado table for these drivers, each moved by ±`change`."""
    from costshare.ppp import tornado
    from costshare.ppp.model import TornadoDriver

    return tornado(job.model, [TornadoDriver(driver=d, change=change) for d in drivers])


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=JOB_HASH)
def ppp_tornado_fig(job: PPPJob, drivers: tuple[str, ...], change: float, lang: str) -> Any:
    """Tornado chart of project NPV."""
    table = ppp_tornado(job, drivers, change)
    return charts_ppp.tornado_figure(table, lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=JOB_HASH)
def ppp_monte_carlo(job: PPPJob, draws: int, seed: int) -> Any:
    """Seeded Monte Carlo over the scenario's drivers (InputError if it has none)."""
    from costshare.ppp import monte_carlo

    return monte_carlo(job.model, draws=draws, seed=seed)


def monte_carlo_with(job: PPPJob, draws: int, seed: int, progress: Any) -> Any:
    """The Monte Carlo reporting to `progress` (not cached: the page keeps its result)."""
    from costshare.ppp import monte_carlo

    return monte_carlo(job.model, draws=draws, seed=seed, progress=progress)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=JOB_HASH)
def ppp_mc_fig(job: PPPJob, draws: int, seed: int, lang: str, _mc: Any = None) -> Any:
    """Histogram of project NPV over the draws, p5 / p50 / p95 marked (`_mc`: the run)."""
    mc = ppp_monte_carlo(job, draws, seed) if _mc is None else _mc
    return charts_ppp.montecarlo_figure(mc.samples, mc.summary, lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=JOB_HASH)
def ppp_subsidy_for_irr(job: PPPJob, target: float) -> Any:
    """Smallest flat annual subsidy reaching the target equity IRR (Decimal yuan)."""
    from costshare.ppp import subsidy_for_equity_irr

    return subsidy_for_equity_irr(job.model, target)


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=JOB_HASH)
def ppp_max_loan(job: PPPJob, min_dscr: float) -> Any:
    """Largest loan keeping the minimum DSCR at or above `min_dscr` (Decimal yuan)."""
    from costshare.ppp import max_loan_for_dscr

    return max_loan_for_dscr(job.model, min_dscr)


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=JOB_HASH)
def ppp_csv(job: PPPJob) -> bytes:
    """The annual cash-flow table in yuan as UTF-8-with-BOM CSV."""
    from costshare.money.frames import yuan_frame as cash_flow_yuan

    return csv_bytes(cash_flow_yuan(ppp_results(job).table))


# -- revenues from an operation scenario (costshare.operation.ppp_revenues) ----------------
@st.cache_data(ttl=60, show_spinner=False)
def operation_scenarios() -> dict[str, list[str]]:
    """Bundled operation scenarios (name relative to ``scenarios/``) → their communities."""
    from costshare.operation import OperationScenario

    return {
        name: [c.name for c in OperationScenario.from_yaml(path).communities]
        for name, path in kinds.bundled("operation").items()
    }


@st.cache_data(show_spinner=False, max_entries=16)
def operation_revenues(
    name: str, communities: tuple[str, ...], today: dt.date
) -> tuple[list[dict[str, Any]], list[tuple[str, str, str]]]:
    """PPP revenue streams from the operator's income of `communities` of the bundled
    operation scenario `name` (its :class:`~costshare.jobs.OperationJob` run), and that
    scenario's sources (seed, passage, note)."""
    from costshare.jobs import DocumentSource, OperationJob
    from costshare.operation import ppp_revenues

    data = DocumentSource(bundled=name).resolve("operation")
    rows = [c for c in data.get("communities") or [] if c.get("name") in communities]
    job = OperationJob.parse({"scenario": {"data": {**data, "communities": rows}}, "on": today})
    sources = [(r.seed, r.passage, r.note) for r in job.model.sources]  # type: ignore[attr-defined]
    return ppp_revenues(job.run()), sources


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=JOB_HASH)
def audit(job: PPPJob, name: str, lang: str) -> pd.DataFrame:
    """The audit appendix: the rule values the assessment read, then every figure of the
    scenario with its source and confidence (flagged without one), headers in `lang`."""
    from costshare.ppp import assess, income_reading, provenance_rows
    from costshare.report.audit import audit_frame

    p, rs = job.model, job.rules().fresh()
    assess(p, rs)  # records which rules it read
    return audit_frame(
        rules=rs,
        inputs=provenance_rows(p, name, lang),  # type: ignore[arg-type]
        assumptions=[income_reading(lang)],  # type: ignore[arg-type]
        document=name,
        lang=lang,  # type: ignore[arg-type]
    )
