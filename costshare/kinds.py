"""The one file-kind dispatcher: what kind of file a YAML mapping is, and its loader.

Every YAML file the project reads declares ``kind:`` (``community``, ``ppp``,
``portfolio``, ``rules``, ``plan_criteria``, ``translations``, ``operation``). A file
without the line is recognised by its keys, here and nowhere else. The CLI (``costshare validate``), the app (its lists of
bundled files) and the tests all ask :func:`kind_of`.

>>> kind_of({"kind": "ppp", "name": "x"})
'ppp'
>>> kind_of({"name": "x", "community": {}, "work_items": []})
'community'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

from costshare.errors import InputError, Problem
from costshare.yamlio import KINDS, Kind, load_yaml, strip_kind

__all__ = [
    "KINDS",
    "ROOT",
    "Checked",
    "Kind",
    "bundled",
    "bundled_files",
    "check_file",
    "kind_of",
    "load_any",
]


PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
"""The source checkout: ``scenarios/`` and ``portfolios/`` live next to the package."""

# where bundled files of each kind live (folder, glob); every bundled YAML is in one of these
_BUNDLED = (
    (ROOT / "scenarios", "*.yaml"),
    (ROOT / "scenarios", "ppp/*.yaml"),
    (ROOT / "scenarios", "operation/*.yaml"),
    (ROOT / "scenarios", "transfers/*.yaml"),
    (ROOT / "portfolios", "*.yaml"),
    (PACKAGE / "rules", "*.yaml"),
    (PACKAGE / "data", "*.yaml"),
)

# keys that recognise a file without a ``kind:`` line, tried in this order
_PPP_KEYS = {"construction", "financing", "revenues", "cooperation_years", "regime"}


def _is_operation(raw: dict[Any, Any]) -> bool:
    """An operation scenario lists communities with a property fee's collection rate."""
    rows = raw.get("communities")
    return isinstance(rows, list) and any(
        isinstance(c, dict) and "collection_rate" in c for c in rows
    )


def _by_keys(raw: dict[Any, Any]) -> Kind | None:
    if isinstance(raw.get("jurisdiction"), dict):
        return "rules"
    if "community" in raw or "work_items" in raw:
        return "community"
    if _is_operation(raw):
        return "operation"
    if "communities" in raw:
        return "portfolio"
    if "criteria" in raw or "gates" in raw:
        return "plan_criteria"
    if "pot" in raw and "areas" in raw:
        return "transfers"
    if _PPP_KEYS & set(raw):
        return "ppp"
    if raw and all(isinstance(k, str) and "." in k for k in raw):
        return "translations"
    return None


def kind_of(raw: Any, name: str = "<input>") -> Kind:
    """The kind of a YAML mapping: its ``kind:`` line, or else recognised by its keys.

    Parameters
    ----------
    raw : Any
        The data as read from YAML.
    name : str
        The file name, for the error message.

    Raises
    ------
    InputError
        When the data is not a mapping, names an unknown kind, or cannot be recognised.

    Examples
    --------
    >>> kind_of({"jurisdiction": {"key": "x"}, "parameters": []})
    'rules'
    >>> kind_of({"name": "p", "communities": "table.csv"})
    'portfolio'
    >>> kind_of({"kind": "scenario"}, "a.yaml")
    Traceback (most recent call last):
    ...
    costshare.errors.InputError: a.yaml, field 'kind': unknown kind 'scenario'; known kinds: ['community', 'ppp', 'portfolio', 'rules', 'plan_criteria', 'translations', 'operation', 'transfers']
    """
    if not isinstance(raw, dict):
        raise InputError(Problem("a YAML input must be a mapping at top level", file=name))
    if "kind" in raw:
        kind = raw["kind"]
        if kind not in KINDS:
            msg = f"unknown kind {kind!r}; known kinds: {list(KINDS)}"
            raise InputError(Problem(msg, file=name, field="kind"))
        return cast("Kind", kind)
    found = _by_keys(raw)
    if found is None:
        msg = f"cannot tell what kind of file this is; add a line `kind: ...` ({', '.join(KINDS)})"
        raise InputError(Problem(msg, file=name, field="kind"))
    return found


def load_any(path: str | Path, text: str | None = None) -> tuple[Kind, Any]:
    """Read any YAML file the project knows, validated by the model of its kind.

    Returns
    -------
    (kind, object)
        ``community`` → :class:`~costshare.community.scenario.Scenario`;
        ``ppp`` → :class:`~costshare.ppp.model.PPPProject`;
        ``portfolio`` → :class:`~costshare.community.portfolio.Portfolio`;
        ``rules`` → :class:`~costshare.rules.schema.RuleFile` (its ``extends`` chain checked);
        ``plan_criteria`` → :class:`~costshare.community.plan.Criteria`;
        ``translations`` → the table as ``{key: (zh, en)}`` (see :mod:`costshare.i18n`).

    Raises
    ------
    InputError
        Naming file, item and field, as each model's own loader does.

    Examples
    --------
    >>> kind, rf = load_any(PACKAGE / "rules" / "fujian.yaml")
    >>> kind, rf.jurisdiction.name
    ('rules', '福建省')
    """
    path = Path(path)
    name = path.name
    if text is None and path.suffix.lower() not in (".yaml", ".yml"):
        msg = (
            "not a YAML file; a table (CSV/XLSX) is checked by the command that reads it "
            "(costshare portfolio, sheet, vote)"
        )
        raise InputError(Problem(msg, file=name))
    raw = load_yaml(path, text, keep_kind=True)
    kind = kind_of(raw, name)
    data = strip_kind(raw, kind, name)
    if kind == "community":
        from costshare.community.scenario import Scenario

        return kind, Scenario.from_dict(data, name)
    if kind == "ppp":
        from costshare.ppp.model import PPPProject

        return kind, PPPProject.from_dict(data, name)
    if kind == "portfolio":
        from costshare.community.portfolio import Portfolio

        return kind, Portfolio.from_dict(data, base_dir=path.parent, file=name)
    if kind == "operation":
        from costshare.operation.model import OperationScenario

        return kind, OperationScenario.from_dict(data, name)
    if kind == "transfers":
        from costshare.community.transfers_model import Pot

        return kind, Pot.from_dict(data, name)
    if kind == "plan_criteria":
        from costshare.community.plan import load_criteria

        try:
            return kind, load_criteria(data)
        except InputError as exc:  # it names the mapping "criteria": name the file
            problems = [Problem(p.message, name, p.where, p.field) for p in exc.problems]
            raise InputError(problems, more=exc.more) from None
    if text is not None:
        msg = f"a {kind} file is checked from its path, not from text"
        raise InputError(Problem(msg, file=name))
    if kind == "translations":
        from costshare.i18n import read_table

        return kind, read_table(path)
    from costshare.rules import validate_file

    return kind, validate_file(path)


@dataclass(frozen=True)
class Checked:
    """A file that validated: its kind, the object read, and a one-line summary."""

    path: Path
    kind: Kind
    obj: Any
    summary: str


def check_file(path: str | Path) -> Checked:
    """Read `path` with :func:`load_any` and run what can be run (a scenario, a portfolio).

    Raises
    ------
    InputError
        The first file problem found, naming file, item and field.

    Examples
    --------
    >>> c = check_file(PACKAGE / "data" / "plan_criteria.yaml")
    >>> c.kind, c.summary
    ('plan_criteria', '6 criteria, 0 gates')
    """
    path = Path(path)
    kind, obj = load_any(path)
    if kind == "community":
        obj.run()  # its rules resolve for its date and the plan balances (or shows its gap)
        n = len(obj.work_items)
        summary = f"{obj.name}, {n} work item{'s' * (n != 1)}"
    elif kind == "portfolio":
        result = obj.run()
        summary = f"{obj.name}, {len(result.communities)} communities"
    elif kind == "ppp":
        summary = f"{obj.name}, {obj.cooperation_years} years"
    elif kind == "rules":
        from costshare.rules.provenance import seed_problems

        found = seed_problems(_rules_of(obj), path.name)  # marks honest to the seeds
        if found:
            raise InputError(found)
        n = sum(1 for _ in _rules_of(obj))
        summary = f"{obj.jurisdiction.name}, {n} rule{'s' * (n != 1)}"
    elif kind == "translations":
        summary = f"{len(obj)} keys"
    elif kind == "operation":
        from costshare.operation.run import run_scenario

        run_scenario(obj)  # its rules resolve for its date and every community runs
        summary = f"{obj.name}, {len(obj.communities)} communities, {obj.years} years"
    elif kind == "transfers":
        from costshare.community.transfers import allocate_pot

        allocate_pot(obj)  # the floors and caps fit the pot
        summary = f"{obj.name}, {len(obj.areas)} areas"
    else:
        summary = f"{len(obj.criteria)} criteria, {len(obj.gates)} gates"
    return Checked(path, kind, obj, summary)


def _rules_of(rf: Any) -> Iterator[Any]:
    from costshare.rules.schema import SECTIONS

    for section in SECTIONS:
        yield from getattr(rf, section)


def bundled_files() -> list[Path]:
    """Every bundled YAML file of every kind: scenarios, PPP, portfolios, rules, data.

    Examples
    --------
    >>> names = [p.name for p in bundled_files()]
    >>> "fujian.yaml" in names and "plan_criteria.yaml" in names
    True
    """
    files: list[Path] = []
    for folder, pattern in _BUNDLED:
        files += sorted(folder.glob(pattern)) if folder.is_dir() else []
    return files


@cache
def _kind_cached(path: Path, mtime: float) -> Kind | None:
    del mtime  # part of the cache key only: an edited file is read again
    try:
        return kind_of(load_yaml(path, keep_kind=True), path.name)
    except InputError:
        return None  # a broken file is listed by `costshare validate`, not by kind


def bundled(kind: Kind) -> dict[str, Path]:
    """Bundled files of one kind: name (relative to its folder) → path.

    A file that cannot be read is in no kind's list (``costshare validate`` reports it).

    Examples
    --------
    >>> sorted(bundled("ppp"))
    ['ppp/chongqing_jiulongpo.yaml', 'ppp/ppp_example.yaml']
    >>> "fujian_default.yaml" in bundled("community")
    True
    """
    out: dict[str, Path] = {}
    for folder, pattern in _BUNDLED:
        for p in sorted(folder.glob(pattern)) if folder.is_dir() else []:
            if _kind_cached(p, p.stat().st_mtime) == kind:
                out[p.relative_to(folder).as_posix()] = p
    return out
