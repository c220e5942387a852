"""Cached thin wrappers over costshare, keyed on hashable inputs (text, names, dates).

Every number the pages show comes through here from the library; nothing is computed in
page code. A wrapper that raises (an :class:`~costshare.errors.InputError`) caches
nothing, so the page shows the library's message and the next good input is computed.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from costshare import i18n, kinds, rules
from costshare.community.scenario import Scenario, default_scenario_path
from costshare.report import charts

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "scenarios"
MAX_YAML_BYTES = 1_000_000
"""Upload limit for a scenario YAML file (bytes); also enforced by the uploader (1 MB)."""


@st.cache_data(ttl=60, show_spinner=False)
def bundled_scenarios() -> dict[str, str]:
    """File name → path of the bundled community scenarios, the default first.

    The kind of each file is :func:`costshare.kinds.kind_of`'s answer; PPP scenarios are
    listed on the PPP page (:func:`bundled_ppp`).
    """
    default = default_scenario_path()
    files = {name: p for name, p in kinds.bundled("community").items() if p != default}
    return {default.name: str(default)} | {name: str(p) for name, p in files.items()}


@st.cache_data(show_spinner=False)
def read_text(path: str, mtime: float) -> str:
    """Text of a bundled file (`mtime` makes an edited file a new cache entry)."""
    del mtime
    return Path(path).read_text(encoding="utf-8")


def bundled_text(name: str) -> str:
    """Text of the bundled scenario called `name`."""
    path = bundled_scenarios()[name]
    return read_text(path, Path(path).stat().st_mtime)


@st.cache_data(show_spinner=False)
def parse_scenario(text: str, name: str) -> dict[str, Any]:
    """Validate scenario YAML text; plain data back (raises InputError naming the field)."""
    return Scenario.from_yaml(name, text=text).to_dict()


def to_json(raw: dict[str, Any]) -> str:
    """A stable text key for plain scenario data."""
    return json.dumps(raw, ensure_ascii=False, sort_keys=True, default=str)


@st.cache_data(show_spinner=False)
def jurisdictions() -> list[str]:
    """Keys of the bundled rule tables."""
    return rules.available()


@st.cache_data(show_spinner=False)
def rule_meta(key: str, on: dt.date) -> dict[str, Any]:
    """Name, payers and categories of a rule table on a date."""
    rs = rules.load(key, on)
    return {"name": rs.name, "payers": dict(rs.payers), "categories": dict(rs.categories)}


@st.cache_data(show_spinner=False)
def vocabulary() -> dict[str, dict[str, str]]:
    """Categories and payers of every bundled rule table (key → Chinese name), merged.

    The work-items editor offers these whatever the jurisdiction, so its columns (and
    so the user's edits) stay the same when the jurisdiction changes.
    """
    cats: dict[str, str] = {}
    payers: dict[str, str] = {"pooled": i18n.t("payer.pooled")}
    today = dt.date.today()  # the app is a shell: "the rules now" is its own choice
    for key in rules.available():
        rs = rules.load(key, today)
        for k, v in rs.categories.items():
            cats.setdefault(k, v)
        for k, v in rs.payers.items():
            payers.setdefault(k, v)
    return {"categories": cats, "payers": payers}


@st.cache_data(show_spinner=False)
def provenance(key: str, on: dt.date) -> pd.DataFrame:
    """Every rule of `key` in force on `on`, with its source (see RuleSet.provenance)."""
    return rules.load(key, on).provenance()


# -- household sheets --------------------------------------------------------------------
MAX_ROSTER_BYTES = 5_000_000
"""Upload limit for a roster (bytes); the uploader also enforces 5 MB."""
SAMPLE_ROSTER = ROOT / "costshare" / "data" / "sample_roster.xlsx"
ROSTER_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt")


def sample_roster() -> tuple[str, bytes]:
    """Name and bytes of the bundled synthetic roster."""
    return SAMPLE_ROSTER.name, read_bytes(str(SAMPLE_ROSTER), SAMPLE_ROSTER.stat().st_mtime)


@st.cache_data(show_spinner=False, max_entries=8)
def read_bytes(path: str, mtime: float) -> bytes:
    """Bytes of a bundled file (`mtime` makes an edited file a new cache entry)."""
    del mtime
    return Path(path).read_bytes()


@st.cache_data(show_spinner=False, max_entries=8)
def roster(name: str, data: bytes) -> pd.DataFrame:
    """:func:`costshare.households.roster.read_roster` on file bytes (raises InputError naming rows).

    The bytes are written under the file's base name in a private temporary folder, so
    the library's messages name the file the user uploaded.
    """
    import tempfile

    from costshare.households.roster import read_roster

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (Path(name).name or "roster.csv")
        path.write_bytes(data)
        return read_roster(path)


@st.cache_data(show_spinner=False, max_entries=8)
def roster_choices(name: str, data: bytes) -> dict[str, Any]:
    """What the scope and exemption pickers offer: buildings, stairwells, floors, units."""
    from costshare.households.sheet import _labels

    r = roster(name, data)

    def values(col: str, frame: pd.DataFrame = r) -> list[str]:
        return sorted(frame[col].astype(str).unique().tolist()) if col in frame else []

    stairwells = {
        b: values("stairwell", r[r["building"].astype(str) == b]) for b in values("building")
    }
    return {
        "households": len(r),
        "buildings": values("building"),
        "stairwells": stairwells,
        "all_stairwells": values("stairwell"),
        "floors": sorted(int(f) for f in r["floor"].unique()) if "floor" in r else [],
        "units": _labels(r).tolist(),
        "has_headcount": "headcount" in r and bool(r["headcount"].notna().any()),
        "has_names": "owner_name" in r,
    }


@st.cache_data(show_spinner=False)
def floor_rule_keys() -> list[str]:
    """Rule tables that have a floor rule (for basis 'floor')."""
    return [k for k in rules.available() if rules.load(k).floor_rules]


def _basis(spec: dict[str, Any]) -> str | dict[str, Any]:
    """The contribution_sheet basis: a name, or an area mix with exact decimal weights."""
    from decimal import Decimal

    if spec["basis"] != "mix":
        return spec["basis"]
    area = Decimal(int(spec["mix_area_pct"])) / 100
    return {"area": str(area), spec["mix_other"]: str(Decimal(1) - area)}


def _scope_kwargs(spec: dict[str, Any], basis: Any) -> dict[str, Any]:
    kw: dict[str, Any] = {
        "building": spec.get("building"),
        "stairwell": spec.get("stairwell"),
        "exempt": tuple(spec.get("exempt") or ()),
        "exempt_floors": tuple(spec.get("exempt_floors") or ()),
    }
    if "floor" in str(basis):
        kw["floor_rule"] = spec.get("floor_rule")
    return kw


@st.cache_data(show_spinner=False, max_entries=16)
def household_sheet(name: str, data: bytes, spec_json: str) -> pd.DataFrame:
    """The contribution sheet for the page's choices (``spec_json``, see household.py)."""
    from costshare.households.sheet import contribution_sheet

    spec = json.loads(spec_json)
    basis = _basis(spec)
    kw = _scope_kwargs(spec, basis)
    if basis == "fixed":
        kw["fixed"] = spec["fixed"]
    elif spec["amount"] == "scenario":
        sname = spec["scenario"]
        kw["scenario"] = Scenario.from_yaml(sname, text=bundled_text(sname))
    else:
        kw["total"] = spec["total"]
    return contribution_sheet(roster(name, data), basis=basis, **kw)


@st.cache_data(show_spinner=False, max_entries=16)
def household_fairness(name: str, data: bytes, spec_json: str) -> tuple[pd.DataFrame, list[str]]:
    """Fairness summary: the chosen basis, then the other bases at the same total.

    A basis the roster cannot support (no headcount, a floor beyond the floor rule) is
    left out and its library message returned as a note.
    """
    from costshare.errors import InputError
    from costshare.households.fairness import fairness_summary
    from costshare.money import to_yuan

    spec = json.loads(spec_json)
    total = to_yuan(household_sheet(name, data, spec_json).attrs["costshare"]["total_fen"])
    chosen = _basis(spec)
    bases: list[Any] = [
        chosen,
        *(b for b in ("area", "floor", "headcount", "equal") if b != chosen),
    ]
    r = roster(name, data)
    frames, notes = [], []
    for b in bases:
        kw = _scope_kwargs(spec, b)
        if b == "fixed":
            kw["fixed"] = spec["fixed"]
        try:
            frames.append(fairness_summary(r, [b], total=total, **kw))
        except InputError as exc:
            notes.append(f"{b}: {exc}")
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return table, notes


@st.cache_data(show_spinner=False, max_entries=16)
def household_floor_fig(name: str, data: bytes, spec_json: str, lang: str) -> Any:
    """Share of the total by floor under each compared basis."""
    return charts.floor_share_figure(household_fairness(name, data, spec_json)[0], lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=16)
def household_preview(name: str, data: bytes, spec_json: str, show_names: bool) -> pd.DataFrame:
    """The sheet as the exports show it (Chinese headers, yuan); names masked unless asked."""
    from costshare.report.notice import mask_name
    from costshare.report.sheet import sheet_display

    sheet = household_sheet(name, data, spec_json)
    if "owner_name" in sheet and not show_names:
        sheet = sheet.assign(owner_name=sheet["owner_name"].map(mask_name).astype("str"))
    return sheet_display(sheet)


@st.cache_data(show_spinner=False, max_entries=16)
def household_sources(
    name: str, data: bytes, spec_json: str
) -> tuple[list[tuple[str, str]], pd.DataFrame]:
    """Parameters and rule sources of the sheet."""
    from costshare.report.sheet import sheet_sources

    return sheet_sources(household_sheet(name, data, spec_json))


def _export(write: Any, sheet: pd.DataFrame, filename: str, **kwargs: Any) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return Path(write(sheet, Path(tmp) / filename, **kwargs)).read_bytes()


@st.cache_data(show_spinner=False, max_entries=8)
def household_xlsx(name: str, data: bytes, spec_json: str) -> bytes:
    """The sheet for collection as xlsx (names shown, parameters-and-sources sheet)."""
    from costshare.report.sheet import write_sheet_xlsx

    return _export(write_sheet_xlsx, household_sheet(name, data, spec_json), "sheet.xlsx")


@st.cache_data(show_spinner=False, max_entries=8)
def household_csv(name: str, data: bytes, spec_json: str) -> bytes:
    """The sheet as UTF-8-with-BOM CSV."""
    from costshare.report.sheet import write_sheet_csv

    return _export(write_sheet_csv, household_sheet(name, data, spec_json), "sheet.csv")


@st.cache_data(show_spinner=False, max_entries=8)
def household_pdf(name: str, data: bytes, spec_json: str, community: str) -> bytes:
    """The public notice (公示) as A4 PDF, names masked."""
    import warnings

    from costshare.report.notice import write_notice

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a missing CJK font still gives a readable notice
        return _export(
            write_notice, household_sheet(name, data, spec_json), "notice.pdf", community=community
        )
