"""City portfolios: a whole programme's communities, sources and uses at once, to the fen.

A portfolio is a table of communities (CSV, XLSX, or YAML). Each row either gives its
own figures (``cost`` and the funding channels) or refers to a *template* scenario
(``template``, a scenario YAML) and overrides what differs: households, area, a cost
scale or a total cost, channel amounts, the residents' basis. All communities that share
a template are computed together on int64 fen columns (items that rules split among
several payers through :func:`costshare.money.allocate_groups`), so a community computed
here equals, to the fen, the same community run as a :class:`~costshare.community.scenario.Scenario`.
The result type is in :mod:`costshare.community.portfolio_result`.

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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare._yaml import load_yaml
from costshare.community.portfolio_result import PortfolioResult, portfolio_figure
from costshare.community.scenario import CHANNELS, POOLED, FundTopup, Residents, Scenario
from costshare.errors import InputError, Problem
from costshare.money import allocate, allocate_groups, to_fen, to_fen_array
from costshare.rules import load as load_rules

__all__ = ["Portfolio", "PortfolioResult", "portfolio_figure"]

I64 = np.int64
_PPM = 1_000_000
_GOVERNMENT_PAID = {"local_finance", POOLED}
_BASES = ("ratio", "per_household", "per_m2", "amount")
_RES_COLS = tuple(f"residents_{b}" for b in _BASES)
_TEXT = ("id", "name", "district", "template", "jurisdiction")
_NUMERIC = (
    "households",
    "area_m2",
    "cost",
    "cost_scale",
    "funding_scale",
    "fund_balance",
    *(("district_finance" if k == "district" else k) for k in CHANNELS),
    *_RES_COLS,
)
_HEADER_KEYS = {
    "name",
    "description",
    "template",
    "jurisdiction",
    "communities",
    "assumptions",
    "sources",
}
# The district-finance channel is ``district_finance`` in a table (``district`` names the
# community's district there); every other channel column is the channel key itself.
_CHANNEL_COLS = {k: "district_finance" if k == "district" else k for k in CHANNELS}
_FIXED_LABELS = {"residents_fund": "居民自筹（维修资金支付）", "residents": "居民自筹"}


# --------------------------------------------------------------------------- input


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

    @classmethod
    def from_file(cls, path: str | Path) -> Portfolio:
        """Read a portfolio from ``.yaml``/``.yml``, ``.csv`` or ``.xlsx``.

        A YAML file has ``name``, optional ``template`` and ``jurisdiction`` defaults, and
        ``communities``: a list of rows or the path of a CSV/XLSX table.
        """
        path = Path(path)
        if not path.exists():
            raise InputError(Problem("file not found", file=str(path)))
        suffix = path.suffix.lower()
        if suffix in (".yaml", ".yml"):
            return cls.from_dict(load_yaml(path), base_dir=path.parent, file=path.name)
        table = _read_table(path)
        return cls.from_frame(table, name=path.stem, base_dir=path.parent, file=path.name)

    @classmethod
    def from_dict(
        cls, raw: Any, *, base_dir: str | Path = ".", file: str = "<portfolio>"
    ) -> Portfolio:
        """Build a portfolio from plain data as read from YAML."""
        if not isinstance(raw, dict):
            raise InputError(Problem("a portfolio must be a mapping at top level", file=file))
        unknown = sorted(set(raw) - _HEADER_KEYS)
        if unknown:
            msg = f"unknown key(s) {unknown}; allowed: {sorted(_HEADER_KEYS)}"
            raise InputError(Problem(msg, file=file))
        rows = raw.get("communities")
        base = Path(base_dir)
        if isinstance(rows, str):
            table = _read_table(base / rows)
        elif isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows):
            table = pd.DataFrame(rows)
        else:
            msg = "give a non-empty list of communities or the path of a CSV/XLSX table"
            raise InputError(Problem(msg, file=file, field="communities"))
        return cls.from_frame(
            table,
            name=str(raw.get("name") or Path(file).stem),
            base_dir=base,
            template=raw.get("template"),
            jurisdiction=str(raw.get("jurisdiction") or "national"),
            file=file,
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
    ) -> Portfolio:
        """Validate a community table (see the module docstring for its columns)."""
        clean = _normalize(table, file)
        return cls(name, clean, Path(base_dir), template, jurisdiction, file)

    def __len__(self) -> int:
        return len(self.table)

    def run(self, progress: Callable[[int], None] | None = None) -> PortfolioResult:
        """Compute every community's sources and uses, grouped by template, vectorized.

        Parameters
        ----------
        progress : callable, optional
            Called with the number of communities just finished, once per template group.

        Returns
        -------
        PortfolioResult
            Per-community sources and uses, gap-first; totals equal the column sums.
        """
        return _assemble(self.name, self.table, self.run_parts(progress))

    def run_parts(self, progress: Callable[[int], None] | None = None) -> list[_GroupResult]:
        """The per-template-group results before assembly (what a Dask worker returns)."""
        t = self.table
        keys = t["template"].where(t["template"] != "", self.template or "").fillna("")
        parts: list[_GroupResult] = []
        for key, idx in keys.groupby(keys, sort=False).groups.items():
            rows = t.loc[idx]
            tpl = self._template(str(key), rows)
            parts.append(_run_group(tpl, rows, self.file))
            if progress is not None:
                progress(len(rows))
        return parts

    def _template(self, key: str, rows: pd.DataFrame) -> _Template:
        if key:
            path = Path(key)
            if not path.is_absolute():
                path = self.base_dir / path
            if not path.exists():
                where = f"community {rows['id'].iloc[0]!r}"
                raise InputError(
                    Problem(f"template not found: {path}", self.file, where, "template")
                )
            return _template_from_scenario(Scenario.from_yaml(path), key)
        jur = rows["jurisdiction"].replace("", np.nan).dropna().unique()
        if len(jur) > 1:
            msg = f"rows without a template must share one jurisdiction, got {sorted(jur)}"
            raise InputError(Problem(msg, self.file, field="jurisdiction"))
        return _bare_template(str(jur[0]) if len(jur) else self.jurisdiction)


def _read_table(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise InputError(Problem("file not found", file=str(path)))
    text_cols = dict.fromkeys(_TEXT, str)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return pd.read_csv(path, dtype=text_cols, keep_default_na=True, encoding="utf-8-sig")
    if suffix in (".xlsx", ".xlsm"):
        return pd.read_excel(path, dtype=text_cols, engine="openpyxl")
    msg = f"unsupported file type {suffix!r}: use .yaml, .csv or .xlsx"
    raise InputError(Problem(msg, file=path.name))


def _normalize(table: pd.DataFrame, file: str) -> pd.DataFrame:
    """Known columns only, text as str, numbers as float (NaN = not given); ids unique."""
    df = table.copy().reset_index(drop=True)
    df.columns = [str(c).strip() for c in df.columns]
    known = set(_TEXT) | set(_NUMERIC)
    unknown = [c for c in df.columns if c not in known and not c.startswith("other:")]
    if unknown:
        msg = f"unknown column(s) {unknown}; see costshare.community.portfolio for the allowed ones"
        raise InputError(Problem(msg, file=file))
    if len(df) == 0:
        raise InputError(Problem("the portfolio has no communities", file=file))
    if "id" not in df.columns:
        df["id"] = [f"C{i + 1:04d}" for i in range(len(df))]
    for c in _TEXT:
        if c not in df.columns:
            df[c] = ""
        df[c] = df[c].map(lambda v: "" if v is None or v != v else str(v).strip()).astype(object)
    df["name"] = df["name"].where(df["name"] != "", df["id"])
    problems: list[Problem] = []
    dup = df["id"][df["id"].duplicated()].unique().tolist()
    if dup:
        problems.append(Problem(f"duplicate community id(s) {dup}", file=file, field="id"))
    nums = [c for c in df.columns if c in _NUMERIC or c.startswith("other:")]
    for c in nums:
        conv = pd.to_numeric(df[c], errors="coerce").astype(np.float64)
        bad = conv.isna() & df[c].notna() & (df[c].astype(str).str.strip() != "")
        bad |= conv < 0
        bad |= np.isinf(conv)
        for i in np.flatnonzero(bad.to_numpy())[:5]:
            msg = f"must be a non-negative number, got {df[c].iloc[i]!r}"
            problems.append(Problem(msg, file, f"community {df['id'].iloc[i]!r}", c))
        df[c] = conv
    res_cols = [c for c in _RES_COLS if c in df.columns]
    if res_cols:
        many = df[res_cols].notna().sum(axis=1) > 1
        for i in np.flatnonzero(many.to_numpy())[:5]:
            msg = f"give at most one of {list(_RES_COLS)}"
            problems.append(Problem(msg, file, f"community {df['id'].iloc[i]!r}", "residents"))
    if "households" in df.columns:
        hh = df["households"]
        bad = hh.notna() & ((hh <= 0) | (hh != np.floor(hh)))
        for i in np.flatnonzero(bad.to_numpy())[:5]:
            msg = "households must be a whole number > 0"
            problems.append(Problem(msg, file, f"community {df['id'].iloc[i]!r}", "households"))
    if "area_m2" in df.columns:
        for i in np.flatnonzero((df["area_m2"] <= 0).to_numpy())[:5]:
            msg = "area must be > 0"
            problems.append(Problem(msg, file, f"community {df['id'].iloc[i]!r}", "area_m2"))
    if problems:
        raise InputError(problems)
    return df


# --------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class _Template:
    """What a group of communities shares: items, rule split, funding plan."""

    key: str
    jurisdiction: str
    payer_labels: dict[str, str]
    items: list[str]
    categories: list[str]
    item_fen: npt.NDArray[np.int64]
    row_item: npt.NDArray[np.intp]  # split row -> item index
    row_payer: list[str]
    row_share: list[float]
    channels: dict[str, int]
    residents: Residents | None
    other: dict[str, int]
    fund_topup: FundTopup | None
    households: int | None
    area_m2: float | None
    has_fund_range: bool = False


def _template_from_scenario(s: Scenario, key: str) -> _Template:
    res = s.run()  # checks payers and rules once, on the template
    t = res.split.table
    items = [w.item for w in s.work_items]
    first = {}
    for i, name in enumerate(items):
        first.setdefault(name, i)
    rs = res.rules
    f = s.funding
    return _Template(
        key=key,
        jurisdiction=s.community.jurisdiction,
        payer_labels=dict(rs.payers),
        items=items,
        categories=[w.category for w in s.work_items],
        item_fen=np.array([to_fen(w.cost) for w in s.work_items], dtype=I64),
        row_item=t["item"].map(first).to_numpy(dtype=np.intp),
        row_payer=t["payer"].astype(str).tolist(),
        row_share=[float(x) for x in t["share"]],
        channels={k: to_fen(getattr(f, k)) for k in CHANNELS},
        residents=f.residents,
        other={o.name: to_fen(o.amount) for o in f.other},
        fund_topup=f.fund_topup,
        households=s.community.households,
        area_m2=float(s.community.area_m2),
        has_fund_range="fund.topup_ratio_min" in rs.parameters,
    )


def _bare_template(jurisdiction: str) -> _Template:
    rs = load_rules(jurisdiction)
    return _Template(
        key="",
        jurisdiction=rs.key,
        payer_labels=dict(rs.payers),
        items=["改造工程"],
        categories=["general"],
        item_fen=np.zeros(1, dtype=I64),
        row_item=np.zeros(1, dtype=np.intp),
        row_payer=[POOLED],
        row_share=[1.0],
        channels=dict.fromkeys(CHANNELS, 0),
        residents=None,
        other={},
        fund_topup=None,
        households=None,
        area_m2=None,
    )


# --------------------------------------------------------------------------- engine


@dataclass(frozen=True)
class _GroupResult:
    index: pd.Index
    template: str
    jurisdiction: str
    households: npt.NDArray[np.int64]
    area_cm2: npt.NDArray[np.int64]
    uses: npt.NDArray[np.int64]
    items: pd.DataFrame  # long: pos, item, category, amount_fen
    sources: dict[str, npt.NDArray[np.int64]]
    labels: dict[str, str]
    obligations: dict[str, npt.NDArray[np.int64]]
    payer_labels: dict[str, str]
    memo: pd.DataFrame | None


def _col(rows: pd.DataFrame, name: str) -> npt.NDArray[np.float64]:
    if name in rows.columns:
        return rows[name].to_numpy(dtype=np.float64)
    return np.full(len(rows), np.nan)


def _fen(values: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Yuan (NaN = not given, read as 0) to int64 fen, half-up."""
    out = np.zeros(values.shape, dtype=I64)
    m = ~np.isnan(values)
    if m.any():
        out[m] = to_fen_array(values[m])
    return out


def _ppm(values: npt.NDArray[np.float64], default: float = 1.0) -> npt.NDArray[np.int64]:
    """A ratio or scale as integer parts per million (6 decimals, as written)."""
    v = np.where(np.isnan(values), default, values)
    return np.round(v * _PPM).astype(I64)


def _scale(fen: int | npt.NDArray[np.int64], ppm: npt.NDArray[np.int64]) -> npt.NDArray[I64]:
    """``fen × ppm / 10⁶`` rounded half-up, in integers (non-negative inputs)."""
    return (np.asarray(fen, dtype=I64) * ppm + _PPM // 2) // _PPM


def _half_up_div(num: npt.NDArray[np.int64], den: npt.NDArray[np.int64]) -> npt.NDArray[I64]:
    """``num / den`` rounded half-up for num ≥ 0, den > 0, in integers."""
    return (2 * num + den) // (2 * den)


def _item_costs(tpl: _Template, rows: pd.DataFrame, file: str) -> npt.NDArray[np.int64]:
    """Item costs [n, m]: template × cost_scale, or the row's total cost spread by allocate."""
    cost = _col(rows, "cost")
    given = ~np.isnan(cost)
    C = _scale(tpl.item_fen[None, :], _ppm(_col(rows, "cost_scale"))[:, None])
    if given.any():
        totals = to_fen_array(cost[given])
        if tpl.item_fen.sum() > 0:
            C[given] = np.stack([allocate(int(c), tpl.item_fen) for c in totals])
        elif len(tpl.items) == 1:
            C[given, 0] = totals
        else:
            raise InputError(Problem("template items all cost 0", file, field="cost"))
    missing = ~given & (tpl.item_fen.sum() == 0)
    if missing.any():
        cid = rows["id"].iloc[int(np.argmax(missing))]
        msg = "give the total cost (no template with work items to scale)"
        raise InputError(Problem(msg, file, f"community {cid!r}", "cost"))
    return C


def _split(tpl: _Template, C: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Each item's cost among its payers, [n, r]; multi-payer items split for all rows at once."""
    n = C.shape[0]
    P = np.zeros((n, len(tpl.row_payer)), dtype=I64)
    for j in range(len(tpl.items)):
        rows = np.flatnonzero(tpl.row_item == j)
        if len(rows) == 1:
            P[:, rows[0]] = C[:, j]
            continue
        w = np.asarray([tpl.row_share[r] for r in rows], dtype=np.float64)
        groups = np.repeat(np.arange(n), len(rows))
        P[:, rows] = allocate_groups(C[:, j], groups, np.tile(w, n)).reshape(n, len(rows))
    return P


def _residents(
    tpl: _Template,
    rows: pd.DataFrame,
    uses: npt.NDArray[np.int64],
    hh: npt.NDArray[np.int64],
    area_cm2: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """The residents' money per community, as :class:`Scenario` computes it."""
    n = len(rows)
    vals = {b: _col(rows, f"residents_{b}") for b in _BASES}
    override = np.zeros(n, dtype=bool)
    for v in vals.values():
        override |= ~np.isnan(v)
    r = tpl.residents
    if r is not None:
        for b in _BASES:
            x = getattr(r, b)
            if x is not None:
                vals[b] = np.where(override, vals[b], float(x))
    out = np.zeros(n, dtype=I64)
    m = ~np.isnan(vals["ratio"])
    out[m] += _half_up_div(uses[m] * _ppm(vals["ratio"][m]), np.full(m.sum(), _PPM, I64))
    m = ~np.isnan(vals["per_household"])
    out[m] += _fen(vals["per_household"][m]) * hh[m]
    m = ~np.isnan(vals["per_m2"])
    out[m] += _half_up_div(_fen(vals["per_m2"][m]) * area_cm2[m], np.full(m.sum(), 100, I64))
    m = ~np.isnan(vals["amount"])
    out[m] += _fen(vals["amount"][m])
    return out


def _fund(
    tpl: _Template,
    rows: pd.DataFrame,
    area_cm2: npt.NDArray[np.int64],
    residents: npt.NDArray[np.int64],
) -> pd.DataFrame:
    """Ningbo top-up for every community of the group in one vectorized call."""
    from costshare.community.fund import maintenance_fund

    t = tpl.fund_topup
    if t is None:
        msg = "the template has no fund_topup"
        raise ValueError(msg)
    bal = _col(rows, "fund_balance")
    bal_fen = np.where(np.isnan(bal), to_fen(t.existing_balance), _fen(bal))
    sub = t.subsidy_ratio
    if sub is None:
        p = load_rules(tpl.jurisdiction).parameters.get("fund.subsidy_ratio")
        sub = p.value if p is not None else Decimal("0.5")
    use_jur = t.standard_yuan_per_m2 is None or tpl.has_fund_range
    df = maintenance_fund(
        area_cm2 / 100,
        bal_fen / 100,
        residents / 100,
        standard=t.standard_yuan_per_m2,
        ratio=t.ratio,
        subsidy_ratio=sub,
        jurisdiction=tpl.jurisdiction if use_jur else None,
        subsidy_to=t.subsidy_to,
    )
    return df[["target_fen", "topup_fen", "fund_used_fen", "subsidy_fen", "fund_after_fen"]]


def _run_group(tpl: _Template, rows: pd.DataFrame, file: str) -> _GroupResult:
    n = len(rows)
    ids = rows["id"]
    hh_f = _col(rows, "households")
    area_f = _col(rows, "area_m2")
    for name, arr, default in (
        ("households", hh_f, tpl.households),
        ("area_m2", area_f, tpl.area_m2),
    ):
        if default is None and np.isnan(arr).any():
            cid = ids.iloc[int(np.argmax(np.isnan(arr)))]
            msg = f"give {name} (no template community to take it from)"
            raise InputError(Problem(msg, file, f"community {cid!r}", name))
    hh = np.where(np.isnan(hh_f), tpl.households or 0, hh_f).astype(I64)
    area_cm2 = np.round(np.where(np.isnan(area_f), tpl.area_m2 or 0, area_f) * 100).astype(I64)

    C = _item_costs(tpl, rows, file)
    uses = C.sum(axis=1)
    P = _split(tpl, C)
    obligations: dict[str, npt.NDArray[np.int64]] = {}
    for r, p in enumerate(tpl.row_payer):
        obligations[p] = obligations.get(p, np.zeros(n, I64)) + P[:, r]

    sources: dict[str, npt.NDArray[np.int64]] = {}
    labels: dict[str, str] = {}
    for p, v in obligations.items():
        if p not in _GOVERNMENT_PAID and v.any():
            sources[f"payer:{p}"] = v
            labels[f"payer:{p}"] = tpl.payer_labels.get(p, p)
    fscale = _ppm(_col(rows, "funding_scale"))
    for k, label in CHANNELS.items():
        own = _col(rows, _CHANNEL_COLS[k])
        v = np.where(np.isnan(own), _scale(tpl.channels[k], fscale), _fen(own))
        if v.any():
            sources[k], labels[k] = v, label
    res = _residents(tpl, rows, uses, hh, area_cm2)
    memo = None
    if tpl.fund_topup is not None:
        memo = _fund(tpl, rows, area_cm2, res)
        memo.index = rows.index
        used = memo["fund_used_fen"].to_numpy(dtype=I64)
        if used.any():
            sources["residents_fund"] = used
        res = res - used
    if res.any():
        sources["residents"] = res
    other_names = list(tpl.other) + [
        c.removeprefix("other:")
        for c in rows.columns
        if c.startswith("other:") and c.removeprefix("other:") not in tpl.other
    ]
    for nm in other_names:
        own = _col(rows, f"other:{nm}")
        v = np.where(np.isnan(own), _scale(tpl.other.get(nm, 0), fscale), _fen(own))
        if v.any():
            sources[f"other:{nm}"], labels[f"other:{nm}"] = v, nm
    for k in sources:
        labels.setdefault(k, _FIXED_LABELS.get(k, k))

    m = len(tpl.items)
    items = pd.DataFrame(
        {
            "pos": np.repeat(np.asarray(rows.index), m),
            "item": np.tile(np.asarray(tpl.items, dtype=object), n),
            "category": np.tile(np.asarray(tpl.categories, dtype=object), n),
            "amount_fen": C.reshape(-1),
        }
    )
    return _GroupResult(
        index=rows.index,
        template=tpl.key,
        jurisdiction=tpl.jurisdiction,
        households=hh,
        area_cm2=area_cm2,
        uses=uses,
        items=items,
        sources=sources,
        labels=labels,
        obligations=obligations,
        payer_labels=tpl.payer_labels,
        memo=memo,
    )


def _order_keys(keys: Iterable[str]) -> list[str]:
    """Enterprises first, then the channels in CHANNELS order, residents, other lines."""
    rank = {k: i for i, k in enumerate(CHANNELS)}

    def key(k: str) -> tuple[int, int]:
        if k.startswith("payer:"):
            return (0, 0)
        if k in rank:
            return (1, rank[k])
        if k.startswith("residents"):
            return (2, 0 if k == "residents_fund" else 1)
        return (3, 0)

    return sorted(dict.fromkeys(keys), key=key)  # stable: first-seen order within a rank


def _assemble(name: str, t: pd.DataFrame, parts: list[_GroupResult]) -> PortfolioResult:
    n = len(t)
    labels: dict[str, str] = {}
    payer_labels: dict[str, str] = {}
    for g in parts:
        labels.update(g.labels)
        payer_labels.update(g.payer_labels)
    keys = _order_keys(k for g in parts for k in g.sources)
    payers = list(dict.fromkeys(p for g in parts for p in g.obligations))
    S = np.zeros((n, len(keys)), dtype=I64)
    OB = np.zeros((n, len(payers)), dtype=I64)
    uses = np.zeros(n, I64)
    hh = np.zeros(n, I64)
    area = np.zeros(n, I64)
    tmpl = np.empty(n, dtype=object)
    jur = np.empty(n, dtype=object)
    kpos = {k: i for i, k in enumerate(keys)}
    ppos = {p: i for i, p in enumerate(payers)}
    for g in parts:
        ix = np.asarray(g.index)
        uses[ix], hh[ix], area[ix] = g.uses, g.households, g.area_cm2
        tmpl[ix], jur[ix] = g.template, g.jurisdiction
        for k, v in g.sources.items():
            S[ix, kpos[k]] = v
        for p, v in g.obligations.items():
            OB[ix, ppos[p]] = v
    src = S.sum(axis=1)
    gap = uses - src
    res_cols = [kpos[k] for k in ("residents_fund", "residents") if k in kpos]
    res = S[:, res_cols].sum(axis=1) if res_cols else np.zeros(n, I64)
    # gap first (largest first), then the rest in input order
    order = np.lexsort((np.arange(n), -np.maximum(gap, 0), gap <= 0))
    comm = pd.DataFrame(
        {
            "id": t["id"].to_numpy(),
            "name": t["name"].to_numpy(),
            "district": t["district"].to_numpy(),
            "template": tmpl,
            "jurisdiction": jur,
            "households": hh,
            "area_m2": area / 100,
            "area_cm2": area,
            "uses_fen": uses,
            "sources_fen": src,
            "gap_fen": gap,
            "residents_fen": res,
            "uses_per_household_fen": _half_up_div(uses, hh),
            "uses_per_m2_fen": _half_up_div(uses * 100, area),
            "residents_per_household_fen": _half_up_div(res, hh),
            "residents_per_m2_fen": _half_up_div(res * 100, area),
        }
    )
    memos = [g.memo for g in parts if g.memo is not None]
    memo = None
    if memos:
        memo = pd.concat(memos).reindex(range(n))
        memo.insert(0, "id", t["id"].to_numpy())
        memo = memo.dropna(subset=["target_fen"]).astype(
            {c: I64 for c in memo.columns if c.endswith("_fen")}
        )
        memo = memo.loc[[i for i in order if i in memo.index]].reset_index(drop=True)
    items = pd.concat([g.items for g in parts], ignore_index=True)
    items.insert(0, "id", t["id"].to_numpy()[items["pos"].to_numpy()])
    rank = np.empty(n, dtype=np.intp)
    rank[order] = np.arange(n)
    items = (
        items.assign(_r=rank[items["pos"].to_numpy()])
        .sort_values("_r", kind="stable")
        .drop(columns=["_r", "pos"])
        .reset_index(drop=True)
    )
    return PortfolioResult(
        name=name,
        communities=comm.iloc[order].reset_index(drop=True),
        sources=pd.DataFrame(S[order], columns=keys),
        labels={k: labels[k] for k in keys},
        obligations=pd.DataFrame(OB[order], columns=payers),
        payer_labels={
            p: payer_labels.get(p, "由资金来源支付" if p == POOLED else p) for p in payers
        },
        uses=items,
        fund=memo,
    )
