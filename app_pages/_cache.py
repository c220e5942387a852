"""Cached thin wrappers over costshare, keyed on hashable inputs (text, names, dates).

Every number the pages show comes through here from the library; nothing is computed in
page code. A wrapper that raises (an :class:`~costshare.errors.InputError`) caches
nothing, so the page shows the library's message and the next good input is computed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from costshare import i18n, kinds, rules
from costshare.community.scenario import Scenario, default_scenario_path

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


@st.cache_data(show_spinner=False)
def bundled_title(name: str, lang: str, _read: Callable[[str], str] | None = None) -> str:
    """A bundled scenario's name in `lang` (``name_en`` in English) with its file name.

    `_read` gives a bundled file's text (default: the community scenarios'); it is not
    part of the cache key, as bundled names differ by folder (``ppp/…``, ``operation/…``).
    """
    import yaml

    try:
        raw = yaml.safe_load((_read or bundled_text)(name)) or {}
    except yaml.YAMLError:
        return name
    title = raw.get("name_en") if lang == "en" and raw.get("name_en") else raw.get("name")
    return (
        f"{title}（{name}）" if lang == "zh" and title else f"{title} ({name})" if title else name
    )


@st.cache_data(show_spinner=False)
def area_rule_cite(key: str, on: str | None, lang: str) -> str:
    """The citation of the area-sharing rule in force for `key` on `on` (one line)."""
    from costshare.errors import InputError

    try:
        rs = rules.load(key, dt.date.fromisoformat(on) if on else dt.date.today())
        return rules.cite(rs.basis_rule("area"), lang)  # type: ignore[arg-type]
    except (InputError, KeyError, ValueError):
        return ""
