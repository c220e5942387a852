"""Cached thin wrappers for the household page (分户分摊), keyed on hashable inputs.

Everything is computed by :mod:`costshare.households` and :mod:`costshare.report`; here
the app's shell loads the rules for the day it is given, builds the typed spec from the
page's JSON form, and caches. A wrapper that raises (an
:class:`~costshare.errors.InputError`) caches nothing.

The page's form (``form_json``) is a JSON object: ``amount`` (``"total"``,
``"scenario"`` or ``"elevator"`` — then ``spec.elevator`` holds the retrofit), ``total`` (yuan text), ``scenario`` (a bundled file name),
``floor_rule`` (a rule key or ``null``) and ``spec`` (the fields of
:class:`~costshare.households.spec.SheetSpec` other than ``floor_rule``).
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import _cache
from costshare import rules
from costshare.households.sheet import ContributionSheet, SheetSpec

MAX_ROSTER_BYTES = 5_000_000
"""Upload limit for a roster (bytes); the uploader also enforces 5 MB."""
SAMPLE_ROSTER = _cache.ROOT / "costshare" / "data" / "sample_roster.xlsx"


@st.cache_data(show_spinner=False, max_entries=8)
def read_bytes(path: str, mtime: float) -> bytes:
    """Bytes of a bundled file (`mtime` makes an edited file a new cache entry)."""
    del mtime
    return Path(path).read_bytes()


def sample_roster() -> tuple[str, bytes]:
    """Name and bytes of the bundled synthetic roster."""
    return SAMPLE_ROSTER.name, read_bytes(str(SAMPLE_ROSTER), SAMPLE_ROSTER.stat().st_mtime)


@st.cache_data(show_spinner=False, max_entries=8)
def roster(name: str, data: bytes) -> pd.DataFrame:
    """:func:`~costshare.households.roster.read_roster_bytes` (messages name the upload)."""
    from costshare.households.roster import read_roster_bytes

    return read_roster_bytes(data, name)


@st.cache_data(show_spinner=False, max_entries=8)
def roster_choices(name: str, data: bytes) -> dict[str, Any]:
    """What the scope and exemption pickers offer: buildings, stairwells, floors, units."""
    from costshare.households.scope import scope_choices

    return scope_choices(roster(name, data))


@st.cache_data(show_spinner=False)
def elevator_cities(on: dt.date) -> list[str]:
    """Rule tables with an elevator-subsidy rule in force on `on`."""
    return [k for k in rules.available() if rules.load(k, on).elevator_subsidies]


@st.cache_data(show_spinner=False)
def floor_rule_keys(on: dt.date) -> list[str]:
    """Rule tables that have a floor rule in force on `on` (for basis 'floor')."""
    return [k for k in rules.available() if rules.load(k, on).floor_rules]


@st.cache_data(show_spinner=False)
def floor_rule_cite(key: str, on: dt.date, lang: str) -> str:
    """Where the floor-coefficient table of rule table `key` comes from (:func:`rules.cite`)."""
    return "；".join(rules.cite(r, lang) for r in rules.load(key, on).floor_rules)  # type: ignore[arg-type]


def _inputs(form_json: str, on: dt.date) -> tuple[int | None, SheetSpec, rules.RuleSet]:
    """Amount (fen), spec and rule set for the page's form and day."""
    from pydantic import ValidationError

    from costshare._base import problems_from_validation
    from costshare.community.scenario import Scenario
    from costshare.households.basis import floor_scale
    from costshare.households.sheet import from_scenario
    from costshare.money import amount_fen

    form = json.loads(form_json)
    try:
        spec = SheetSpec.model_validate(form["spec"])
    except ValidationError as exc:
        raise problems_from_validation(exc, "form") from None
    if form.get("floor_rule"):
        spec = spec.model_copy(
            update={"floor_rule": floor_scale(rules.load(form["floor_rule"], on))}
        )
    if spec.basis == "fixed":
        return None, spec, rules.load("national", on)
    if form["amount"] == "elevator":  # the elevator's net cost; the city's subsidy rules
        city = spec.elevator.city if spec.elevator is not None else None
        return None, spec, rules.load(city or "national", on)
    if form["amount"] == "scenario":
        name = form["scenario"]
        result = Scenario.from_yaml(name, text=_cache.bundled_text(name)).run()
        amount, spec = from_scenario(result, spec)
        return amount, spec, result.rules  # the scenario's own jurisdiction and date
    return amount_fen(form["total"], "total"), spec, rules.load("national", on)


@st.cache_data(show_spinner=False, max_entries=16)
def household_sheet(name: str, data: bytes, form_json: str, on: dt.date) -> ContributionSheet:
    """The contribution sheet for the page's form, rules of `on`."""
    from costshare.households.sheet import contribution_sheet

    amount, spec, rs = _inputs(form_json, on)
    return contribution_sheet(roster(name, data), amount, spec, rs)


@st.cache_data(show_spinner=False, max_entries=16)
def household_fairness(
    name: str, data: bytes, form_json: str, on: dt.date
) -> tuple[pd.DataFrame, list[str]]:
    """:func:`~costshare.households.fairness.compare_bases` for the sheet."""
    from costshare.households.fairness import compare_bases

    rs = _inputs(form_json, on)[2]
    return compare_bases(roster(name, data), household_sheet(name, data, form_json, on), rs)


@st.cache_data(show_spinner=False, max_entries=16)
def household_floor_fig(name: str, data: bytes, form_json: str, on: dt.date, lang: str) -> Any:
    """Share of the total by floor under each compared basis."""
    from costshare.report.charts_household import floor_share_figure

    table = household_fairness(name, data, form_json, on)[0]
    return floor_share_figure(table, lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=16)
def household_preview(
    name: str, data: bytes, form_json: str, on: dt.date, show_names: bool
) -> pd.DataFrame:
    """The sheet as the exports show it; names masked unless asked."""
    from costshare.report.sheet import sheet_preview

    sheet = household_sheet(name, data, form_json, on)
    return sheet_preview(sheet, show_names=show_names)


@st.cache_data(show_spinner=False, max_entries=16)
def household_sources(
    name: str, data: bytes, form_json: str, on: dt.date
) -> tuple[list[tuple[str, str]], pd.DataFrame]:
    """Parameters and rule sources of the sheet."""
    from costshare.report.sheet import sheet_sources

    return sheet_sources(household_sheet(name, data, form_json, on))


@st.cache_data(show_spinner=False, max_entries=8)
def household_xlsx(name: str, data: bytes, form_json: str, on: dt.date) -> bytes:
    """The sheet for collection as xlsx (names shown, parameters-and-sources sheet)."""
    from costshare.report.sheet import sheet_xlsx_bytes

    return sheet_xlsx_bytes(household_sheet(name, data, form_json, on))


@st.cache_data(show_spinner=False, max_entries=8)
def household_csv(name: str, data: bytes, form_json: str, on: dt.date) -> bytes:
    """The sheet as UTF-8-with-BOM CSV."""
    from costshare.report.sheet import sheet_csv_bytes

    return sheet_csv_bytes(household_sheet(name, data, form_json, on))


@st.cache_data(show_spinner=False, max_entries=8)
def household_pdf(
    name: str, data: bytes, form_json: str, on: dt.date, community: str, notice_json: str = "{}"
) -> bytes:
    """The public notice (公示) as A4 PDF, names masked, dated `on`; `notice_json` holds the
    notice's fields (what, issuer, posting period, objections, orientation, labels)."""
    import json

    from costshare.report.notice import notice_pdf_bytes

    sheet = household_sheet(name, data, form_json, on)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a missing CJK font still gives a readable notice
        return notice_pdf_bytes(sheet, date=on, community=community, **json.loads(notice_json))


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
