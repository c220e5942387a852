"""Cached thin wrappers over costshare, keyed on job requests (by digest), names and dates.

Every number the pages show comes through here from the library; nothing is computed in
page code. A wrapper that raises (an :class:`~costshare.errors.InputError`) caches
nothing, so the page shows the library's message and the next good input is computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from costshare import kinds, limits
from costshare.community.scenario import Scenario, default_scenario_path
from costshare.jobs import JOBS, CommunityJob, Job, lookup

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "scenarios"
MAX_YAML_BYTES = limits.MAX_YAML_BYTES
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
    """Validate a scenario's text (or a stored community record's); its plain data back.

    Raises InputError naming the field.
    """
    data = lookup.document_data("community", text, name)
    return Scenario.from_dict(data, name).to_dict()


def job_digest(job: Job) -> str:
    """A job request's cache key: its content digest (see :meth:`Job.digest`)."""
    return job.digest()


JOB_HASH: dict[Any, Callable[[Any], str]] = dict.fromkeys(JOBS.values(), job_digest)
"""``hash_funcs`` of every cached function taking a job request: hashed by its digest."""


@st.cache_data(show_spinner=False)
def jurisdictions() -> list[str]:
    """Keys of the bundled rule tables."""
    return lookup.jurisdictions()


@st.cache_data(show_spinner=False)
def rule_meta(key: str, on: dt.date) -> dict[str, Any]:
    """Name, payers and categories of a rule table on a date."""
    return lookup.rule_names(key, on)


@st.cache_data(show_spinner=False)
def vocabulary(on: dt.date) -> dict[str, dict[str, str]]:
    """Categories and payers of every bundled rule table on `on` (key → name), merged.

    The work-items editor offers these whatever the jurisdiction, so its columns (and
    so the user's edits) stay the same when the jurisdiction changes.
    """
    return lookup.vocabulary(on)


@st.cache_data(show_spinner=False)
def bundled_title(name: str, lang: str, _read: Callable[[str], str] | None = None) -> str:
    """A bundled scenario's name in `lang` (``name_en`` in English) with its file name.

    `_read` gives a bundled file's text (default: the community scenarios'); it is not
    part of the cache key, as bundled names differ by folder (``ppp/…``, ``operation/…``).
    """
    from costshare.errors import InputError
    from costshare.yamlio import load_yaml

    try:  # the one YAML 1.2 loader: bounded aliases, unique keys, located errors
        raw = load_yaml(name, text=(_read or bundled_text)(name)) or {}
    except InputError:
        return name
    if not isinstance(raw, dict):
        return name
    title = raw.get("name_en") if lang == "en" and raw.get("name_en") else raw.get("name")
    return (
        f"{title}（{name}）" if lang == "zh" and title else f"{title} ({name})" if title else name
    )


@st.cache_data(show_spinner=False, hash_funcs=JOB_HASH)
def area_rule_cite(job: CommunityJob, lang: str) -> str:
    """The citation of the area-sharing rule the request `job` is computed with (one line)."""
    from costshare.errors import InputError
    from costshare.rules import cite

    try:
        return cite(job.rules().basis_rule("area"), lang)  # type: ignore[arg-type]
    except (InputError, KeyError, ValueError):
        return ""
