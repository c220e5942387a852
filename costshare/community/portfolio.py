"""City portfolios: a whole programme's communities, sources and uses at once, to the fen.

A portfolio is a table of communities (CSV, XLSX, or YAML). Each row either gives its
own figures (``cost`` and the funding channels) or refers to a *template* scenario
(``template``, a scenario YAML) and overrides what differs: households, area, a cost
scale or a total cost, channel amounts, the residents' basis. All communities that share
a template run together through the one community engine
(:func:`costshare.community.engine.run_group`) on int64 fen columns, the same engine a
:class:`~costshare.community.scenario.Scenario` runs as a group of one: a community
computed here equals, to the fen, the same community run as a scenario. The result type
is in :mod:`costshare.community.portfolio_result`.

Columns (every money column in yuan; blank cells fall back to the template):

==========================  ===========================================================
``id``, ``name``            community id (unique; default ``C0001``…) and name
``district``                district or county, for grouping
``households``, ``area_m2`` size (default: the template's community)
``template``                scenario YAML path, relative to the portfolio file
``jurisdiction``            rule key for rows without a template (default ``national``)
``cost``                    total uses; with a template its items are scaled to it
``cost_scale``              multiplies every template item cost (default 1)
``funding_scale``           multiplies every template funding amount (default 1)
channel keys                ``central_subsidy`` … ``social_capital`` (see ``CHANNELS``);
                            district finance is ``district_finance`` in a table
``other:<name>``            another funding line, e.g. ``other:通信、广电、供电``
``residents_<basis>``       ``ratio``, ``per_household``, ``per_m2`` or ``amount``
``fund_balance``            existing maintenance-fund balance (templates with a top-up)
==========================  ===========================================================

Rules: a template runs under its jurisdiction's rules in force on its own
``rules_date``; rows without a template (and templates without a date) use the
portfolio's ``date`` (YAML header ``date``), which the readers set to today when the file
gives none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from costshare.community.assemble import assemble
from costshare.community.engine import GroupResult, run_group
from costshare.community.portfolio_result import PortfolioResult
from costshare.community.scenario import Scenario
from costshare.community.table import TEXT, normalize, read_table, rows_of
from costshare.community.template import Template, bare_template, template_from_scenario
from costshare.errors import InputError, Problem
from costshare.paths import inside
from costshare.progress import Progress
from costshare.rules import load as load_rules
from costshare.yamlio import load_kind_yaml, load_yaml, strip_kind

__all__ = ["Portfolio", "PortfolioResult", "assemble"]

_HEADER_KEYS = {
    "name",
    "description",
    "template",
    "jurisdiction",
    "date",
    "rules_date",
    "communities",
    "assumptions",
    "sources",
}


def _day(value: Any, file: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        msg = f"not a date (want YYYY-MM-DD): {value!r}"
        raise InputError(Problem(msg, file=file, field="date")) from None


@dataclass(frozen=True)
class Portfolio:
    """A table of communities, each with its figures or a template scenario plus overrides.

    Attributes
    ----------
    name : str
        Programme name.
    table : DataFrame
        One row per community (columns in the module docstring).
    base_dir : Path
        Folder that ``template`` paths are relative to.
    template : str, optional
        Default template for rows whose ``template`` cell is blank.
    jurisdiction : str
        Rule key for rows without any template.
    file : str
        Name used in error messages.
    date : date, optional
        Date of the rules for rows without a template and for templates without their
        own ``rules_date``; the readers (``from_*``) set it to today when not given.

    Examples
    --------
    >>> p = Portfolio.from_frame(pd.DataFrame({
    ...     "id": ["a", "b"], "households": [100, 50], "area_m2": [8000, 4000],
    ...     "cost": [1_000_000, 500_000], "municipal": [900_000, 520_000]}))
    >>> r = p.run()
    >>> r.communities["id"].tolist(), r.communities["gap_fen"].tolist()
    (['a', 'b'], [10000000, -2000000])
    >>> r.totals()["uses"]
    Decimal('1500000.00')
    """

    name: str
    table: pd.DataFrame
    base_dir: Path = field(default_factory=Path)
    template: str | None = None
    jurisdiction: str = "national"
    file: str = "<portfolio>"
    date: dt.date | None = None

    @classmethod
    def from_file(cls, path: str | Path, *, date: dt.date | None = None) -> Portfolio:
        """Read a portfolio from ``.yaml``/``.yml``, ``.csv`` or ``.xlsx``.

        A YAML file has ``name``, optional ``template``, ``jurisdiction`` and ``date``
        (or ``rules_date``) defaults, and ``communities``: a list of rows or the path of a CSV/XLSX table.
        `date` (the rules' date for rows without a template) overrides the file's.
        """
        path = Path(path)
        if not path.exists():
            raise InputError(Problem("file not found", file=str(path)))
        if path.suffix.lower() in (".yaml", ".yml"):
            raw = load_kind_yaml(path, "portfolio")
            return cls.from_dict(raw, base_dir=path.parent, file=path.name, date=date)
        table = read_table(path, text_columns=TEXT)
        return cls.from_frame(
            table, name=path.stem, base_dir=path.parent, file=path.name, date=date
        )

    @classmethod
    def from_dict(
        cls,
        raw: Any,
        *,
        base_dir: str | Path = ".",
        file: str = "<portfolio>",
        date: dt.date | None = None,
    ) -> Portfolio:
        """Build a portfolio from plain data as read from YAML."""
        if not isinstance(raw, dict):
            raise InputError(Problem("a portfolio must be a mapping at top level", file=file))
        raw = strip_kind(raw, "portfolio", file)
        unknown = sorted(set(raw) - _HEADER_KEYS)
        if unknown:
            msg = f"unknown key(s) {unknown}; allowed: {sorted(_HEADER_KEYS)}"
            raise InputError(Problem(msg, file=file))
        rows = raw.get("communities")
        base = Path(base_dir)
        missing = None
        if isinstance(rows, str):
            table = read_table(
                _inside(base, rows, (".csv", ".xlsx", ".xlsm"), file, "communities"),
                text_columns=TEXT,
            )
        elif isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows):
            table = pd.DataFrame(rows)
            missing = {c: np.array([c not in r for r in rows]) for c in table.columns}
        else:
            msg = "give a non-empty list of communities or the path of a CSV/XLSX table"
            raise InputError(Problem(msg, file=file, field="communities"))
        return cls.from_frame(
            table,
            missing=missing,
            name=str(raw.get("name") or Path(file).stem),
            base_dir=base,
            template=raw.get("template"),
            jurisdiction=str(raw.get("jurisdiction") or "national"),
            file=file,
            date=date or _day(raw.get("date", raw.get("rules_date")), file),
        )

    @classmethod
    def from_frame(
        cls,
        table: pd.DataFrame,
        *,
        name: str = "portfolio",
        base_dir: str | Path = ".",
        template: str | None = None,
        jurisdiction: str = "national",
        file: str = "<portfolio>",
        date: dt.date | None = None,
        missing: dict[str, np.ndarray] | None = None,
    ) -> Portfolio:
        """Validate a community table (see the module docstring for its columns)."""
        clean = normalize(table, file, missing)
        day = date or dt.date.today()  # the shell resolves "today", never the engine
        return cls(name, clean, Path(base_dir), template, jurisdiction, file, day)

    def __len__(self) -> int:
        return len(self.table)

    def run(self, progress: Progress | Callable[[int], None] | None = None) -> PortfolioResult:
        """Compute every community's sources and uses, grouped by template, vectorized.

        Parameters
        ----------
        progress : Progress or callable, optional
            A :class:`~costshare.progress.Progress` hears ``portfolio.groups``
            (communities done, once per template group) then ``portfolio.assemble``; a
            plain callable is called with the number of communities just finished.

        Returns
        -------
        PortfolioResult
            Per-community sources and uses, gap-first; totals equal the column sums.
        """
        if not isinstance(progress, Progress):
            return assemble(self.name, self.table, self.run_parts(progress))
        done = self.run_parts(progress.part(0, 0.95).counter(len(self), "portfolio.groups"))
        last = progress.part(0.95, 1)
        last.step(0, 1, "portfolio.assemble")
        result = assemble(self.name, self.table, done)
        last.step(1, 1, "portfolio.assemble")
        return result

    def run_parts(self, progress: Callable[[int], None] | None = None) -> list[GroupResult]:
        """The per-template-group results before assembly (what a Dask worker returns)."""
        t = self.table
        tpl_keys = t["template"].where(t["template"] != "", self.template or "")
        jur = t["jurisdiction"].where(t["jurisdiction"] != "", self.jurisdiction)
        keys = np.where(tpl_keys != "", "t:" + tpl_keys, "j:" + jur)
        parts: list[GroupResult] = []
        for key, idx in pd.Series(keys).groupby(keys, sort=False).groups.items():
            pos = np.asarray(idx, dtype=np.intp)
            tpl = self._template(str(key), t["id"].iloc[pos[0]])
            parts.append(run_group(tpl, rows_of(t.iloc[pos]), pos, self.file))
            if progress is not None:
                progress(len(pos))
        return parts

    def _template(self, key: str, first_id: str) -> Template:
        """Read a template and resolve its rules for its date (the shell side of a run)."""
        kind, _, value = key.partition(":")
        if kind == "j":
            return bare_template(load_rules(value, self.date))
        where = f"community {first_id!r}"
        path = _inside(self.base_dir, value, (".yaml", ".yml"), self.file, "template", where)
        if not path.exists():
            raise InputError(Problem(f"template not found: {value}", self.file, where, "template"))
        raw = load_yaml(path, keep_kind=True)
        if not (isinstance(raw, dict) and (raw.get("kind") == "community" or "work_items" in raw)):
            msg = f"{value} is not a costshare scenario (kind: community with work_items)"
            raise InputError(Problem(msg, self.file, where, "template"))
        s = Scenario.from_yaml(path)
        rules = load_rules(s.community.jurisdiction, s.rules_date or self.date)
        return template_from_scenario(s, rules, value)


_ROOT = Path(__file__).resolve().parent.parent.parent
_BUNDLED = (_ROOT / "scenarios", _ROOT / "portfolios", _ROOT / "costshare" / "rules")
"""The project's own folders, whose scenarios any portfolio may use as templates."""


def _inside(
    base: Path, value: str, suffixes: tuple[str, ...], file: str, field: str, where: str = ""
) -> Path:
    """`value` resolved against `base`; refused unless inside `base` with one of `suffixes`.

    A portfolio names its files relative to its own folder; a path out of that folder
    tree (``/etc/shadow``, ``../../x``) or of another type is refused without reading it;
    the bundled scenarios (:data:`_BUNDLED`) are allowed too.
    """
    path = Path(value) if Path(value).is_absolute() else base / value
    if path.suffix.lower() not in suffixes:
        msg = f"{field} must be a {'/'.join(suffixes)} file, got {Path(value).name!r}"
        raise InputError(Problem(msg, file, where or None, field))
    if not any(inside(path, d) for d in (base, *_BUNDLED)):
        msg = f"{value!r} is outside the portfolio's folder; name files relative to it"
        raise InputError(Problem(msg, file, where or None, field))
    return path
