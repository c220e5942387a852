"""The one community funding engine: many communities on one template, int64 fen, exact.

:func:`run_group` computes, for every community of a group sharing a
:class:`~costshare.community.template.Template`, its item costs, the rule split of each
item among payers, and the sources: enterprises' rule shares, the plan's channels, the
residents' money (paid through the maintenance fund under a Ningbo-style top-up, with the
fund memo), and other lines. A :class:`~costshare.community.scenario.Scenario` is run as a
group of one; a :class:`~costshare.community.portfolio.Portfolio` runs one group per
template. Rounding is :func:`costshare.money.half_up` of exact ratios only; splits are
:func:`costshare.money.allocate_groups`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from costshare import i18n
from costshare.community.channels import PAYER_PREFIX, RESIDENTS, channel_kind, is_residents
from costshare.community.fund import (
    FUND_COLUMNS,
    fund_standard,
    fund_subsidy_ratio,
    maintenance_fund,
)
from costshare.community.model import CHANNELS, POOLED, RESIDENT_BASES
from costshare.community.template import Template
from costshare.errors import InputError, Problem
from costshare.money import allocate_groups, decimal_parts, muldiv, to_fen, to_fen_array

__all__ = ["BASES", "CHANNEL_COLUMNS", "GroupResult", "Rows", "order_keys", "run_group"]

I64 = np.int64
BASES = RESIDENT_BASES
"""The ways residents' money is stated (columns ``residents_<basis>`` in a table)."""
CHANNEL_COLUMNS = {k: "district_finance" if k == "district" else k for k in CHANNELS}
"""Table column of each channel (``district`` names the community's district in a table)."""
_GOVERNMENT_PAID = {"local_finance", POOLED}
_ENTERPRISE_NOTE = "按规则分担"
_ASSIGNED_NOTE = "方案指定（无分担规则）"


def _payer_note(tpl: Template, payer: str) -> str:
    """按规则分担 only when a rule assigned the payer's share; else say the scenario did.

    Examples
    --------
    >>> from costshare import rules
    >>> from costshare.community.model import ScenarioModel
    >>> from costshare.community.template import template_from_scenario
    >>> s = ScenarioModel.from_dict({"name": "t", "community": {"name": "c",
    ...     "jurisdiction": "zaozhuang", "households": 1, "area_m2": 1}, "work_items": [
    ...     {"item": "管网", "category": "water", "cost": 1, "payer": "utility_enterprises"}]})
    >>> _payer_note(template_from_scenario(s, rules.load("zaozhuang", on="2024-06-30")),
    ...             "utility_enterprises")
    '方案指定（无分担规则）'
    """
    ruled = tpl.split.loc[tpl.split["payer"] == payer, "rule"].astype(str) != ""
    if ruled.all():
        return _ENTERPRISE_NOTE
    return _ASSIGNED_NOTE if not ruled.any() else f"{_ENTERPRISE_NOTE}；{_ASSIGNED_NOTE}"


@dataclass(frozen=True)
class Rows:
    """The communities of one group: ids and numeric columns (float, NaN = not given).

    Columns are the portfolio table's (see :mod:`costshare.community.portfolio`); money
    in yuan, ratios and scales as written. An empty mapping means every figure comes
    from the template.
    """

    ids: npt.NDArray[np.object_]
    columns: Mapping[str, npt.NDArray[np.float64]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def col(self, name: str) -> npt.NDArray[np.float64]:
        """A column, all NaN when absent."""
        v = self.columns.get(name)
        return np.full(len(self), np.nan) if v is None else v

    def fen(self, name: str, default: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """A money column in fen; `default` (fen) where not given."""
        v = self.col(name)
        given = ~np.isnan(v)
        out = np.broadcast_to(np.asarray(default, dtype=I64), v.shape).copy()
        if given.any():
            out[given] = to_fen_array(v[given])
        return out

    def exact(self, name: str, default: tuple[int, int] = (1, 1)) -> tuple[npt.NDArray[I64], ...]:
        """A ratio or scale column as ``(num, den, given)``; `default` where not given."""
        v = self.col(name)
        given = ~np.isnan(v)
        num, den = decimal_parts(v)
        num[~given], den[~given] = default
        return num, den, given


@dataclass(frozen=True)
class GroupResult:
    """Every figure of a group's communities, int64 fen arrays of length n (row order)."""

    index: npt.NDArray[np.intp]
    template: Template
    households: npt.NDArray[np.int64]
    area_num: npt.NDArray[np.int64]
    area_den: npt.NDArray[np.int64]
    costs: npt.NDArray[np.int64]  # [n, items]
    split: npt.NDArray[np.int64]  # [n, split rows]
    sources: dict[str, npt.NDArray[np.int64]]
    labels: dict[str, str]
    notes: dict[str, str]
    obligations: dict[str, npt.NDArray[np.int64]]
    memo: dict[str, npt.NDArray[np.int64]] | None
    residents_note: npt.NDArray[np.object_]  # the template's note; "" where a row overrides

    @property
    def uses(self) -> npt.NDArray[np.int64]:
        """Total cost of each community."""
        return self.costs.sum(axis=1)

    @property
    def area_cm2(self) -> npt.NDArray[np.int64]:
        """Area in 0.01 m² (half-up)."""
        return muldiv(self.area_num, 100, self.area_den)

    def shift(self, offset: int) -> GroupResult:
        """The same result with row positions moved by `offset` (partitioned runs)."""
        from dataclasses import replace

        return replace(self, index=self.index + offset)


def _missing(rows: Rows, name: str, given: npt.NDArray[np.bool_], file: str, msg: str) -> None:
    if not given.all():
        cid = rows.ids[int(np.argmax(~given))]
        raise InputError(Problem(msg, file, f"community {cid!r}", name))


def _size(tpl: Template, rows: Rows, file: str) -> tuple[npt.NDArray[I64], ...]:
    hh_f = rows.col("households")
    if tpl.households is None:
        msg = "give households (no template community to take it from)"
        _missing(rows, "households", ~np.isnan(hh_f), file, msg)
    hh = np.where(np.isnan(hh_f), tpl.households or 0, hh_f).astype(I64)
    if tpl.area is None:
        msg = "give area_m2 (no template community to take it from)"
        _missing(rows, "area_m2", ~np.isnan(rows.col("area_m2")), file, msg)
    a_num, a_den, _ = rows.exact("area_m2", tpl.area or (1, 1))
    return hh, a_num, a_den


def _item_costs(tpl: Template, rows: Rows, file: str) -> npt.NDArray[np.int64]:
    """Item costs [n, m]: template × cost_scale, or the row's total cost spread by allocate."""
    m = len(tpl.items)
    s_num, s_den, _ = rows.exact("cost_scale")
    costs = muldiv(tpl.item_fen[None, :], s_num[:, None], s_den[:, None])
    cost = rows.col("cost")
    given = ~np.isnan(cost)
    if tpl.bare:
        msg = "give the total cost (no template with work items to scale)"
        _missing(rows, "cost", given, file, msg)
    if given.any():
        totals = to_fen_array(cost[given])
        g = int(given.sum())
        if tpl.item_fen.sum() > 0:
            groups = np.repeat(np.arange(g), m)
            spread = allocate_groups(totals, groups, np.tile(tpl.item_fen, g))
            costs[given] = spread.reshape(g, m)
        elif m == 1:
            costs[given, 0] = totals
        else:
            raise InputError(Problem("template items all cost 0", file, field="cost"))
    return costs


def _split(tpl: Template, costs: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Each item's cost among its payers [n, r]; multi-payer items for all rows at once."""
    n = costs.shape[0]
    out = np.zeros((n, len(tpl.row_item)), dtype=I64)
    for j in range(len(tpl.items)):
        rows = np.flatnonzero(tpl.row_item == j)
        if len(rows) == 1:
            out[:, rows[0]] = costs[:, j]
            continue
        groups = np.repeat(np.arange(n), len(rows))
        w = np.tile(tpl.row_weight[rows], n)
        out[:, rows] = allocate_groups(costs[:, j], groups, w).reshape(n, len(rows))
    return out


def _residents(
    tpl: Template,
    rows: Rows,
    uses: npt.NDArray[I64],
    hh: npt.NDArray[I64],
    area: tuple[npt.NDArray[I64], npt.NDArray[I64]],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """The residents' money per community, from the template's basis or the row's own.

    Also which rows state their own basis (the template's note does not apply to them).
    """
    n = len(rows)
    basis = np.full(n, -1)
    num = np.zeros(n, dtype=I64)
    den = np.ones(n, dtype=I64)
    if tpl.residents is not None:
        b, p, q = tpl.residents
        basis[:], num[:], den[:] = BASES.index(b), p, q
    own = np.zeros(n, dtype=bool)
    for k, b in enumerate(BASES):
        p, q, given = rows.exact(f"residents_{b}")
        basis[given], num[given], den[given] = k, p[given], q[given]
        own |= given
    out = np.zeros(n, dtype=I64)
    a_num, a_den = area
    factor = (uses, 100 * hh, 100 * a_num, np.full(n, 100, I64))
    scale = (den, den, den * a_den, den)
    for k in range(len(BASES)):
        m = basis == k
        if m.any():
            out[m] = muldiv(num[m], factor[k][m], scale[k][m])
    return out, own


def _fund(
    tpl: Template, rows: Rows, area: tuple[npt.NDArray[I64], ...], residents: npt.NDArray[I64]
) -> dict[str, npt.NDArray[np.int64]]:
    """The Ningbo top-up of every community, each its own fund account (own subsidy)."""
    t = tpl.fund_topup
    assert t is not None
    rs = tpl.rules
    sub = t.subsidy_ratio
    if sub is None:
        sub = fund_subsidy_ratio(rs, field="funding.fund_topup.subsidy_ratio")
    std = t.standard_yuan_per_m2
    if std is None:
        std = fund_standard(rs, field="funding.fund_topup.standard_yuan_per_m2")
    bal = rows.fen("fund_balance", to_fen(t.existing_balance))
    n = len(rows)
    df = maintenance_fund(
        area[0] / area[1],
        bal / 100,
        residents / 100,
        standard=std,
        ratio=t.ratio,
        subsidy_ratio=sub,
        rules=rs,
        subsidy_to=t.subsidy_to,
        groups=np.arange(n),
    )
    return {c: df[c].to_numpy(dtype=I64) for c in FUND_COLUMNS}


def run_group(
    tpl: Template, rows: Rows, index: npt.ArrayLike | None = None, file: str = "<portfolio>"
) -> GroupResult:
    """Run every community of `rows` on template `tpl`.

    Parameters
    ----------
    tpl : Template
        Items, rule split, plan and the rules (resolved by the caller for the date).
    rows : Rows
        The communities and their overrides.
    index : array_like of int, optional
        Their positions in the whole table (default ``0 .. n-1``).
    file : str
        Name used in error messages.

    Returns
    -------
    GroupResult

    Examples
    --------
    >>> from costshare import rules
    >>> from costshare.community.template import bare_template
    >>> tpl = bare_template(rules.load("national", on="2024-06-30"))
    >>> cols = {"households": np.array([10.0, 20.0]), "area_m2": np.array([700.0, 1400.5]),
    ...         "cost": np.array([1000.0, 2000.0]), "residents_ratio": np.array([0.35, np.nan])}
    >>> g = run_group(tpl, Rows(np.array(["a", "b"], dtype=object), cols))
    >>> g.uses.tolist(), g.sources["residents"].tolist()
    ([100000, 200000], [35000, 0])
    """
    n = len(rows)
    hh, a_num, a_den = _size(tpl, rows, file)
    costs = _item_costs(tpl, rows, file)
    uses = costs.sum(axis=1)
    split = _split(tpl, costs)
    obligations: dict[str, npt.NDArray[I64]] = {}
    for r, p in enumerate(tpl.payers):
        obligations[p] = obligations.get(p, np.zeros(n, I64)) + split[:, r]

    sources: dict[str, npt.NDArray[I64]] = {}
    labels: dict[str, str] = {}
    notes: dict[str, str] = {}
    for p, v in obligations.items():
        if p not in _GOVERNMENT_PAID and v.any():
            key = f"{PAYER_PREFIX}{p}"
            sources[key], labels[key] = v, tpl.rules.payers.get(p, p)
            notes[key] = _payer_note(tpl, p)
    f_num, f_den, _ = rows.exact("funding_scale")
    for k, label in CHANNELS.items():
        v = rows.fen(CHANNEL_COLUMNS[k], muldiv(tpl.channels[k], f_num, f_den))
        if v.any():
            sources[k], labels[k], notes[k] = v, label, ""
    res, own_basis = _residents(tpl, rows, uses, hh, (a_num, a_den))
    memo = None
    if tpl.fund_topup is not None:
        memo = _fund(tpl, rows, (a_num, a_den), res)
        used = memo["fund_used_fen"]
        if used.any():
            sources["residents_fund"] = used
            labels["residents_fund"] = i18n.label("channel", "residents_fund")
            notes["residents_fund"] = "即交即用"
        res = res - used
    if res.any():
        sources["residents"] = res
        labels["residents"] = i18n.label(
            "channel", "residents_cash" if memo is not None else "residents"
        )
        notes["residents"] = tpl.residents_note
    own = {name: (fen, note) for name, fen, note in tpl.other}
    extra = [c.removeprefix("other:") for c in rows.columns if c.startswith("other:")]
    for name in [*own, *(x for x in extra if x not in own)]:
        fen, note = own.get(name, (0, ""))
        v = rows.fen(f"other:{name}", muldiv(fen, f_num, f_den))
        if v.any():
            key = f"other:{name}"
            sources[key], labels[key], notes[key] = v, name, note
    return GroupResult(
        index=np.arange(n) if index is None else np.asarray(index, dtype=np.intp),
        template=tpl,
        households=hh,
        area_num=a_num,
        area_den=a_den,
        costs=costs,
        split=split,
        sources={k: sources[k] for k in order_keys(sources)},
        labels=labels,
        notes=notes,
        obligations=obligations,
        memo=memo,
        residents_note=np.where(own_basis, "", tpl.residents_note).astype(object),
    )


def order_keys(keys: Iterable[str]) -> list[str]:
    """Enterprises first, then the channels in CHANNELS order, residents, other lines.

    Examples
    --------
    >>> order_keys(["other:x", "residents", "municipal", "payer:water", "residents_fund"])
    ['payer:water', 'municipal', 'residents_fund', 'residents', 'other:x']
    """
    rank = {k: i for i, k in enumerate(CHANNELS)}

    def key(k: str) -> tuple[int, int]:
        if channel_kind(k) == "payer":
            return (0, 0)
        if k in rank:
            return (1, rank[k])
        if is_residents(k):
            return (2, RESIDENTS.index(k))
        return (3, 0)

    return sorted(dict.fromkeys(keys), key=key)  # stable: first-seen order within a rank
