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

from costshare import charts, rules
from costshare.export.table_xlsx import scenario_result_xlsx
from costshare.scenario import Scenario, ScenarioResult, default_scenario_path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "scenarios"
MAX_YAML_BYTES = 1_000_000
"""Upload limit for a scenario YAML file (bytes); also enforced by the uploader (1 MB)."""


@st.cache_data(ttl=60, show_spinner=False)
def bundled_scenarios() -> dict[str, str]:
    """File name → path of the bundled scenarios, the default first."""
    default = default_scenario_path()
    files = sorted(SCENARIO_DIR.glob("*.yaml")) if SCENARIO_DIR.is_dir() else []
    ordered = [default, *(p for p in files if p.resolve() != default.resolve())]
    return {p.name: str(p) for p in ordered}


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


def _scenario(raw_json: str, name: str) -> Scenario:
    return Scenario.from_dict(json.loads(raw_json), name)


@st.cache_data(show_spinner=False, max_entries=64)
def run_scenario(raw_json: str, name: str) -> ScenarioResult:
    """Validate and run a scenario given as JSON text."""
    return _scenario(raw_json, name).run()


@st.cache_data(show_spinner=False, max_entries=64)
def scenario_yaml(raw_json: str, name: str) -> str:
    """The scenario as YAML text (the download of the edited scenario)."""
    return _scenario(raw_json, name).to_yaml()


@st.cache_data(show_spinner=False, max_entries=32)
def result_xlsx(raw_json: str, name: str) -> bytes:
    """Sources and uses, split and indicators as xlsx bytes."""
    return scenario_result_xlsx(run_scenario(raw_json, name))


@st.cache_data(show_spinner=False, max_entries=64)
def result_csv(raw_json: str, name: str) -> bytes:
    """The sources-and-uses table as UTF-8 CSV (with BOM, so Excel reads Chinese)."""
    from costshare.export._safe import escape_frame

    table = run_scenario(raw_json, name).table().drop(columns="amount_fen")
    return escape_frame(table).to_csv(index=False).encode("utf-8-sig")


@st.cache_data(show_spinner=False, max_entries=64)
def sankey(raw_json: str, name: str, lang: str) -> Any:
    """Plotly sankey figure of the scenario."""
    return charts.sankey_figure(run_scenario(raw_json, name), lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=64)
def waterfall(raw_json: str, name: str, lang: str) -> Any:
    """Plotly waterfall figure of the scenario."""
    return charts.waterfall_figure(run_scenario(raw_json, name), lang)  # type: ignore[arg-type]


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
    payers: dict[str, str] = {"pooled": "资金方案统筹"}
    for key in rules.available():
        rs = rules.load(key)
        for k, v in rs.categories.items():
            cats.setdefault(k, v)
        for k, v in rs.payers.items():
            payers.setdefault(k, v)
    return {"categories": cats, "payers": payers}


@st.cache_data(show_spinner=False)
def provenance(key: str, on: dt.date) -> pd.DataFrame:
    """Every rule of `key` in force on `on`, with its source (see RuleSet.provenance)."""
    return rules.load(key, on).provenance()


@st.cache_data(show_spinner=False, max_entries=16)
def comparison(named_texts: tuple[tuple[str, str], ...], lang: str) -> pd.DataFrame:
    """Side-by-side table of several scenarios given as (name, YAML text) pairs."""
    results = {name: Scenario.from_yaml(name, text=text).run() for name, text in named_texts}
    return charts.comparison_table(results, lang)  # type: ignore[arg-type]
