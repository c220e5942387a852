"""Cached thin wrappers for the community, compare and city pages.

Each wrapper takes a job request (cached by its digest) or names and bytes, and calls
the library; nothing is computed here. A wrapper that raises (an
:class:`~costshare.errors.InputError`) caches nothing, so the page shows the library's
message and the next good input is computed.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages._cache import JOB_HASH, ROOT
from costshare.community.portfolio_result import PortfolioResult
from costshare.community.portfolio_upload import PORTFOLIO_SUFFIXES, read_portfolio
from costshare.community.scenario import ScenarioResult
from costshare.jobs import CommunityJob, GoalSeekJob, lookup
from costshare.limits import MAX_UPLOAD_BYTES
from costshare.report import charts
from costshare.report.csv import csv_bytes
from costshare.report.portfolio_xlsx import portfolio_xlsx_bytes
from costshare.report.table_xlsx import scenario_result_xlsx


# -- community scenario ------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=JOB_HASH)
def run(job: CommunityJob) -> ScenarioResult:
    """The community request's result (InputError names the field)."""
    return job.run()


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=JOB_HASH)
def scenario_yaml(job: CommunityJob) -> str:
    """The request's scenario as YAML text (the download of the edited scenario)."""
    return job.model.to_yaml()


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=JOB_HASH)
def result_xlsx(job: CommunityJob) -> bytes:
    """Sources and uses, split and indicators as xlsx bytes."""
    return scenario_result_xlsx(run(job))


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=JOB_HASH)
def result_csv(job: CommunityJob) -> bytes:
    """The sources-and-uses table (yuan) as CSV bytes with BOM."""
    return csv_bytes(run(job).table().drop(columns="amount_fen"))


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=JOB_HASH)
def solve_targets(job: CommunityJob) -> list[str]:
    """What the goal seek can solve for in this request's scenario."""
    from costshare.community.solve import targets

    return targets(job.model)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=JOB_HASH)
def solve(job: GoalSeekJob) -> dict[str, Any]:
    """The goal seek's answer (value, totals, runs) and the solved scenario as YAML."""
    sol = job.run()
    return sol.to_dict() | {"yaml": sol.scenario.to_yaml()}


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=JOB_HASH)
def sankey(job: CommunityJob, lang: str) -> Any:
    """Plotly sankey figure of the request's result."""
    return charts.sankey_figure(run(job), lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=JOB_HASH)
def waterfall(job: CommunityJob, lang: str) -> Any:
    """Plotly waterfall figure of the request's result."""
    return charts.waterfall_figure(run(job), lang)  # type: ignore[arg-type]


# -- comparison --------------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=JOB_HASH)
def comparison(named: tuple[tuple[str, CommunityJob], ...], lang: str) -> pd.DataFrame:
    """Side-by-side table of several community requests given as (name, request) pairs."""
    results = {name: run(job) for name, job in named}
    return charts.comparison_table(results, lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=JOB_HASH)
def comparison_csv(named: tuple[tuple[str, CommunityJob], ...], lang: str) -> bytes:
    """The comparison table as CSV bytes with BOM (group and row as columns)."""
    return csv_bytes(comparison(named, lang).reset_index())


# -- city portfolios ---------------------------------------------------------------------
PORTFOLIO_DIR = ROOT / "portfolios"
MAX_TABLE_BYTES = MAX_UPLOAD_BYTES
"""Upload limit for a portfolio table (bytes); the uploader also enforces 5 MB."""


def stored_portfolio(text: str, name: str) -> bytes:
    """A stored portfolio version as YAML bytes (a saved portfolio record's document too)."""
    from costshare.store.content import to_text

    data = lookup.document_data("portfolio", text, name)
    return to_text({"kind": "portfolio", **data}).encode()


def portfolio_rows(content: str, name: str) -> list[dict[str, Any]]:
    """The communities listed in a portfolio's YAML text (see :func:`portfolio_content`)."""
    return list(lookup.document_data("portfolio", content, name)["communities"])


@st.cache_data(ttl=60, show_spinner=False)
def bundled_portfolios() -> dict[str, str]:
    """File name → path of the bundled portfolios (YAML, CSV, XLSX)."""
    if not PORTFOLIO_DIR.is_dir():
        return {}
    files = sorted(PORTFOLIO_DIR.iterdir())
    return {p.name: str(p) for p in files if p.suffix.lower() in PORTFOLIO_SUFFIXES}


@st.cache_data(show_spinner=False, max_entries=16)
def portfolio_result(name: str, data: bytes, uploaded: bool) -> PortfolioResult:
    """Read and run a portfolio given as file bytes; templates resolve in ``portfolios/``.

    An upload may only use templates inside the app's folders and must list its
    communities inline (:func:`costshare.community.portfolio_upload.read_portfolio`).
    """
    confine = ROOT if uploaded else None
    return read_portfolio(name, data, base_dir=PORTFOLIO_DIR, confine_to=confine).run()


@st.cache_data(show_spinner=False, max_entries=16)
def portfolio_figure(key: str, _result: PortfolioResult, by: str, lang: str) -> Any:
    """Stacked bar of funding by channel per district or community (`key`: the input's digest)."""
    return charts.portfolio_figure(_result, by, lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=16)
def portfolio_xlsx(key: str, _result: PortfolioResult) -> bytes:
    """The portfolio workbook (summary, communities, one sheet per channel) as bytes."""
    return portfolio_xlsx_bytes(_result)


@st.cache_data(show_spinner=False, max_entries=16)
def portfolio_csv(key: str, _result: PortfolioResult) -> bytes:
    """The wide community table (yuan, one column per funding line) as CSV bytes with BOM."""
    return csv_bytes(_result.wide())


@st.cache_data(show_spinner=False, max_entries=16)
def portfolio_content(
    name: str, data: bytes, uploaded: bool, districts: tuple[str, ...] | None
) -> str:
    """What the page runs and the store keeps: the portfolio as YAML, its communities inline.

    A YAML file's own text when `districts` is None (all of them); otherwise only the
    communities of `districts`. A CSV/XLSX table becomes YAML rows (blank cells left out).
    """
    from costshare.store.content import to_text
    from costshare.yamlio import load_yaml

    is_yaml = name.lower().endswith((".yaml", ".yml"))
    raw = load_yaml(name, text=data.decode("utf-8", errors="replace")) if is_yaml else None
    if isinstance(raw, dict) and isinstance(raw.get("communities"), list):
        if districts is None:
            return data.decode("utf-8", errors="replace")
        rows = [r for r in raw["communities"] if str(r.get("district", "")) in districts]
        return to_text({"kind": "portfolio", **raw, "communities": rows})
    confine = ROOT if uploaded else None
    p = read_portfolio(name, data, base_dir=PORTFOLIO_DIR, confine_to=confine)
    rows = [
        {k: v for k, v in r.items() if not (v is None or v == "" or v != v)}
        for r in p.table.to_dict("records")
        if districts is None or str(r.get("district", "")) in districts
    ]
    head = {"kind": "portfolio", "name": p.name, "jurisdiction": p.jurisdiction}
    return to_text(
        {**head, **({"template": p.template} if p.template else {}), "communities": rows}
    )
