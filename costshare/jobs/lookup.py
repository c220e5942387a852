"""What a shell needs to build a request before it has one: rule metadata and documents.

Pickers and editors offer jurisdictions, categories and payers, and the rules page shows a
jurisdiction's rule table; these read the rule files here (this package and
:mod:`costshare.rules` are the only places that load rules). :func:`document_data` turns
a file's text — a scenario, or a stored job record — into the document a request holds.

Examples
--------
>>> import datetime as dt
>>> "fujian" in jurisdictions()
True
>>> rule_names("fujian", dt.date(2024, 1, 1))["payers"]["water_company"]
'供水企业'
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import pandas as pd

from costshare import i18n, rules
from costshare.errors import InputError, Problem

__all__ = [
    "RULE_COLUMNS",
    "document_data",
    "elevator_cities",
    "floor_rule_cites",
    "floor_rule_keys",
    "jurisdiction_name",
    "jurisdictions",
    "rule_names",
    "rule_table",
    "rule_tables",
    "rules_table",
    "vocabulary",
    "vote_jurisdictions",
    "vote_matters",
]

RULE_COLUMNS = (
    "rule",
    "kind",
    "applies_to",
    "value",
    "document",
    "issuer",
    "article",
    "date",
    "seed",
    "confidence",
    "reason",
    "effective_from",
    "effective_to",
)
"""Columns of :func:`rules_table`, in order (the ``rule`` id is the citation handle)."""


def rule_table(jurisdiction: str, on: dt.date | str | None = None) -> Any:
    """The :class:`~costshare.rules.RuleSet` of `jurisdiction` in force on `on` (today).

    For showing a jurisdiction's rules to a person (``costshare rules show``, the API's
    ``/v1/rules``); a computation takes its rules from its job request.

    >>> rule_table("fujian", "2024-06-30").key
    'fujian'
    """
    return rules.load(jurisdiction, on or dt.date.today())


def rule_tables(on: dt.date | str | None = None, having: Any = None) -> list[Any]:
    """Every bundled rule table in force on `on`, optionally only those `having` something.

    >>> keys = [rs.key for rs in rule_tables("2024-06-30", lambda rs: rs.elevator_subsidies)]
    >>> keys[0], "hangzhou" in keys, "national" in keys
    ('beijing', True, False)
    """
    out = [rule_table(k, on) for k in rules.available()]
    return [rs for rs in out if having is None or having(rs)]


def elevator_cities(on: dt.date | str) -> list[str]:
    """Rule tables with an elevator subsidy in force on `on` (``SheetJob.jurisdiction``).

    >>> "shanghai" in elevator_cities("2024-06-01"), "national" in elevator_cities("2024-06-01")
    (True, False)
    """
    return [rs.key for rs in rule_tables(on, lambda rs: rs.elevator_subsidies)]


def floor_rule_keys(on: dt.date | str) -> list[str]:
    """Rule tables with a floor rule in force on `on` (``SheetJob.floor_rule``).

    >>> "guangzhou" in floor_rule_keys("2024-06-01")
    True
    """
    return [rs.key for rs in rule_tables(on, lambda rs: rs.floor_rules)]


def floor_rule_cites(key: str, on: dt.date | str, lang: Any = "zh") -> str:
    """Where the floor rules of rule table `key` in force on `on` come from (one line).

    >>> "广州" in floor_rule_cites("guangzhou", "2024-06-01")
    True
    """
    return "；".join(rules.cite(r, lang) for r in rule_table(key, on).floor_rules)  # type: ignore[arg-type]


def vote_matters(jurisdiction: str, on: dt.date | str, own: bool = False) -> dict[str, str]:
    """Every matter the rules of `jurisdiction` on `on` have a vote rule for → its label.

    With `own`, only the matters of the jurisdiction's own vote rules (not those it
    takes from the Civil Code or a parent table).

    >>> "ordinary" in vote_matters("national", "2024-06-01")
    True
    >>> vote_matters("hebei", "2024-06-30", own=True).keys()
    dict_keys(['inclusion', 'plan', 'acceptance'])
    """
    rs = rule_table(jurisdiction, on)
    return {
        m: r.label or r.id
        for r in rs.vote_rules
        for m in r.matters
        if not own or r.id.startswith(f"{rs.key}.")
    }


def vote_jurisdictions(matter: str, on: dt.date | str) -> list[str]:
    """Rule tables with a vote rule for `matter` in force on `on` (a picker's options).

    >>> vote_jurisdictions("acceptance", "2024-06-30")
    ['hebei']
    """
    return [rs.key for rs in rule_tables(on, lambda rs: any(matter in r.matters
                                                            for r in rs.vote_rules))]  # fmt: skip


def jurisdiction_name(key: str, lang: i18n.Lang = "zh") -> str:
    """A jurisdiction's name in `lang`: the translation table's, else its rule file's.

    A province added by one rule file reads as its file names it (``name:``), in every
    language, until the translation table has an entry.

    >>> jurisdiction_name("fujian", "en"), jurisdiction_name("fujian")
    ('Fujian', '福建省')
    """
    return i18n.label("jur", key, lang, _file_names(tuple(rules.available())).get(key, key))


@cache
def _file_names(keys: tuple[str, ...]) -> dict[str, str]:
    # keyed on the files present, so a rule file added later is read
    from costshare.rules import RULES_DIR, read_rule_file

    out = {}
    for k in keys:
        try:
            out[k] = read_rule_file(RULES_DIR / f"{k}.yaml").jurisdiction.name
        except (InputError, OSError):
            out[k] = k
    return out


def jurisdictions() -> list[str]:
    """Keys of the bundled rule tables (a jurisdiction picker's options).

    >>> jurisdictions()[0]
    'beijing'
    """
    return rules.available()


def rule_names(key: str, on: dt.date) -> dict[str, Any]:
    """Name, payers and categories (key → name) of the rules of `key` in force on `on`.

    >>> sorted(rule_names("national", dt.date(2024, 1, 1)))
    ['categories', 'name', 'payers']
    """
    rs = rules.load(key, on)
    return {"name": rs.name, "payers": dict(rs.payers), "categories": dict(rs.categories)}


def vocabulary(on: dt.date) -> dict[str, dict[str, str]]:
    """Categories and payers of every bundled rule table on `on` (key → name), merged.

    An editor offers these whatever the jurisdiction, so its columns (and the user's edits)
    stay the same when the jurisdiction changes; ``pooled`` (paid from the funding plan) is
    a payer too.

    >>> v = vocabulary(dt.date(2024, 1, 1))
    >>> "pooled" in v["payers"], "water_company" in v["payers"]
    (True, True)
    """
    cats: dict[str, str] = {}
    payers: dict[str, str] = {"pooled": i18n.t("payer.pooled")}
    for key in rules.available():
        rs = rules.load(key, on)
        for k, v in rs.categories.items():
            cats.setdefault(k, v)
        for k, v in rs.payers.items():
            payers.setdefault(k, v)
    return {"categories": cats, "payers": payers}


def rules_table(key: str, on: dt.date, lang: i18n.Lang = "zh") -> pd.DataFrame:
    """Every rule of `key` in force on `on`: kind, value, dates and reason in `lang`.

    The rows are :meth:`~costshare.rules.RuleSet.provenance`'s, rewritten for a reader
    (``rule`` keeps the id, the handle a citation uses); the last column ``kind_key`` is
    the rule's kind as a key, for filters.

    >>> t = rules_table("fujian", dt.date(2024, 1, 1), "en")
    >>> list(t.columns)[:2], t.columns[-1]
    (['rule', 'kind'], 'kind_key')
    """
    from costshare.rules.citation import date_text, reason, value_text  # one wording of rules

    rs = rules.load(key, on)
    table = rs.provenance()
    found = rs.all_rules()
    undated = i18n.t("cite.undated", lang)
    table["kind_key"] = [type(r).__name__ for r in found]  # the filter's value (any language)
    table["kind"] = [i18n.label("rule_kind", k, lang) for k in table["kind_key"]]
    table["value"] = [value_text(r, rs.payers, lang) for r in found]
    table["date"] = [date_text(r.source, lang) for r in found]
    table["reason"] = [reason(r, lang) for r in found]
    table["effective_from"] = [
        r.effective_from.isoformat() if r.effective_from else undated for r in found
    ]
    return table[[*(c for c in RULE_COLUMNS if c in table.columns), "kind_key"]]


def document_data(kind: str, text: str, name: str) -> dict[str, Any]:
    """The `kind` document in a file's text: the file itself, or a stored job's document.

    A page saves a job's record (:meth:`~costshare.jobs.base.Job.record`); opening that
    version again gives the document the request held (a scenario, a PPP project, ...).

    Examples
    --------
    >>> from costshare.jobs import CommunityJob
    >>> from costshare.store.content import to_text
    >>> job = CommunityJob.parse({"scenario": {"bundled": "fujian_default.yaml"}})
    >>> data = document_data("community", to_text(job.record()), "saved.yaml")
    >>> data["community"]["households"]
    480
    """
    from costshare.jobs import parse
    from costshare.jobs.source import DocumentSource
    from costshare.yamlio import load_yaml, strip_kind

    raw = load_yaml(name, text, keep_kind=True)
    if isinstance(raw, dict) and "job" in raw and "request" in raw:
        job = parse(str(raw["job"]), raw["request"], name)
        sources = [v for v in job.__dict__.values() if isinstance(v, DocumentSource)]
        if not sources:
            msg = f"a stored {raw['job']} record holds no {kind} document"
            raise InputError(Problem(msg, file=name, field="job"))
        return sources[0].resolve(kind)
    data = strip_kind(raw, kind, name)
    if not isinstance(data, dict):
        raise InputError(Problem("not a mapping", file=name))
    return data
