"""Cached thin wrappers for the household and elevator pages, keyed on the job request.

The pages build a :class:`~costshare.jobs.SheetJob` from their widgets; everything is
computed by the job (which decides the rules) and by :mod:`costshare.report`. Each
wrapper caches on the request's content digest (``hash_funcs``). A wrapper that raises
(an :class:`~costshare.errors.InputError`) caches nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from costshare.households.sheet import ContributionSheet
from costshare.jobs import SheetJob, lookup

BY_JOB = {SheetJob: lambda j: j.digest()}
"""Cache key of a request: its content digest (file bytes by their sha256)."""


@st.cache_data(show_spinner=False)
def elevator_cities(on: dt.date) -> list[str]:
    """Rule tables with an elevator-subsidy rule in force on `on`."""
    return lookup.elevator_cities(on)


@st.cache_data(show_spinner=False)
def floor_rule_keys(on: dt.date) -> list[str]:
    """Rule tables that have a floor rule in force on `on` (for basis 'floor')."""
    return lookup.floor_rule_keys(on)


@st.cache_data(show_spinner=False)
def floor_rule_cite(key: str, on: dt.date, lang: str) -> str:
    """Where the floor-coefficient table of rule table `key` comes from."""
    return lookup.floor_rule_cites(key, on, lang)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=BY_JOB)
def sheet(job: SheetJob) -> ContributionSheet:
    """The contribution sheet of the request (refusals raise, naming file, row and field)."""
    return job.run()


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=BY_JOB)
def fairness(job: SheetJob, floor_rule: str | None) -> tuple[pd.DataFrame, list[str]]:
    """:func:`~costshare.households.fairness.compare_bases` for the sheet; the floor basis
    is compared under `floor_rule` when the request itself names none (same shares)."""
    from costshare.households.fairness import compare_bases

    if job.floor_rule is None and floor_rule is not None:
        job = job.model_copy(update={"floor_rule": floor_rule})
    return compare_bases(job.frame, sheet(job), job.rules())


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=BY_JOB)
def floor_fig(job: SheetJob, floor_rule: str | None, lang: str) -> Any:
    """Share of the total by floor under each compared basis."""
    from costshare.report.charts_household import floor_share_figure

    return floor_share_figure(fairness(job, floor_rule)[0], lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=BY_JOB)
def preview(job: SheetJob, show_names: bool) -> pd.DataFrame:
    """The sheet as the exports show it; names masked unless asked."""
    from costshare.report.sheet import sheet_preview

    return sheet_preview(sheet(job), show_names=show_names)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=BY_JOB)
def sources(job: SheetJob) -> tuple[list[tuple[str, str]], pd.DataFrame]:
    """Parameters and rule sources of the sheet."""
    from costshare.report.sheet import sheet_sources

    return sheet_sources(sheet(job))


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs=BY_JOB)
def xlsx(job: SheetJob) -> bytes:
    """The sheet for collection as xlsx (names shown, parameters-and-sources sheet)."""
    from costshare.report.sheet import sheet_xlsx_bytes

    return sheet_xlsx_bytes(sheet(job))


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs=BY_JOB)
def csv(job: SheetJob) -> bytes:
    """The sheet as UTF-8-with-BOM CSV."""
    from costshare.report.sheet import sheet_csv_bytes

    return sheet_csv_bytes(sheet(job))


def notice_with(job: SheetJob, progress: Any) -> bytes:
    """The notice of :func:`pdf`, reporting to `progress` (the page keeps the bytes)."""
    from costshare.jobs.notice import notice_pdf

    return notice_pdf(job, sheet(job), progress=progress)


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs=BY_JOB)
def pdf(job: SheetJob) -> bytes:
    """The public notice (公示) as A4 PDF: the request's own notice (its fields and day), so
    the stored version rebuilds these very bytes (``costshare store publish``)."""
    from costshare.jobs.notice import notice_pdf

    return notice_pdf(job, sheet(job))


def fairness_view(fairness: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The fairness comparison as shown: headers in `lang`, yuan with separators, floors in %."""
    from costshare import i18n
    from costshare.money import format_amount, to_fen

    def yuan(col: str) -> list[str]:
        return [format_amount(to_fen(v)).removesuffix(" 元") for v in fairness[col]]

    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    out = {
        t("col.basis"): [
            i18n.label("hh.basis", b, lang, default=str(lab))  # type: ignore[arg-type]
            for b, lab in zip(fairness["basis"], fairness["label"], strict=True)
        ],
        t("col.total"): yuan("total"),
        t("col.max_unit"): fairness["max_unit"].astype(str).tolist(),
        t("col.max"): yuan("max"),
        t("col.min_unit"): fairness["min_unit"].astype(str).tolist(),
        t("col.min"): yuan("min"),
        t("col.spread"): yuan("spread"),
        t("col.zero_payers"): [f"{int(v):,}" for v in fairness["zero_payers"]],
        t("col.mean"): yuan("mean"),
    }
    for col in (c for c in fairness.columns if str(c).startswith("floor_")):
        out[t("hh.col.floor_share", n=str(col).removeprefix("floor_"))] = [
            f"{v:.2f}%" for v in fairness[col]
        ]
    return pd.DataFrame(out)


def sources_view(sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rule sources with headers in `lang` (the rule id column kept as the citation handle)."""
    from costshare import i18n
    from costshare.report.sheet import SOURCE_HEADERS

    if lang != "en":
        return sources
    heads = {v: i18n.t(f"hh.src.{k}", "en") for k, v in SOURCE_HEADERS.items()}
    return sources.rename(columns=heads)
