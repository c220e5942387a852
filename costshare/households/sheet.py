"""Per-household contribution sheets (分户出资表): who in the roster pays how much.

An amount — a total the residents must raise, the residents' part of a community
scenario, or an elevator's net cost — is split among the households of a roster, exactly
to the fen, by one basis or a mix of bases. Everything is vectorized over households;
every split goes through :func:`costshare.money.allocate` (largest remainder, ties to the
lower index = the earlier roster row).

Bases
-----
``area``       专有部分面积 — the default (Civil Code Art. 283; 165号 Art. 20).
``floor``      floor coefficient × area (Guangzhou style) or a percentage of the amount
               per floor split by area within the floor (Hangzhou style), from a rule table.
``headcount``  by the number of residents.
``equal``      the same for every paying household.
``fixed``      a fixed amount per paying household (the total follows from it).
A mix such as ``{"area": 0.7, "equal": 0.3}`` first splits the amount 70 : 30 (exactly,
by :func:`allocate`), then each part by its basis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare import rules
from costshare.community.fund import FUND_COLUMNS, maintenance_fund
from costshare.errors import InputError, Problem
from costshare.households.elevator import Elevator, ElevatorNet, elevator_net
from costshare.households.explain import explain_sheet
from costshare.money import allocate, allocate_groups, amount_fen, to_yuan

if TYPE_CHECKING:
    from costshare.community.scenario import Scenario
    from costshare.community.scenario_result import ScenarioResult

__all__ = [
    "BASES",
    "BASIS_LABELS",
    "FloorScale",
    "FundOptions",
    "contribution_sheet",
    "explain_sheet",
    "floor_scale",
]

BASES = ("area", "floor", "headcount", "equal", "fixed")
BASIS_LABELS = {
    "area": "按专有部分面积",
    "floor": "按楼层系数×面积",
    "headcount": "按人口",
    "equal": "按户均摊",
    "fixed": "每户定额",
}
AREA_SOURCE = {
    "rule": "civil_code.art283",
    "kind": "Basis",
    "applies_to": "按专有部分面积分摊（默认）",
    "value": "share ∝ exclusive-part area",
    "document": "中华人民共和国民法典；住宅专项维修资金管理办法",
    "issuer": "全国人民代表大会；建设部 财政部（令第165号）",
    "article": "民法典第二百八十三条；165号令第二十条",
    "date": "2020-05-28",
    "seed": "",
    "confidence": "H",
}
_ELEVATOR_EXEMPT = (1, 2)
_EXEMPT_FLOOR_REASON = "1–2层不出资（加装电梯惯例）"
_EXEMPT_LIST_REASON = "名单豁免"
_FLOOR_ZERO_REASON = "楼层规则不出资"
Money = Decimal | str | int | float


@dataclass(frozen=True)
class FloorScale:
    """A floor rule ready to apply: ``coefficient`` (× area) or ``percent`` of the amount."""

    id: str
    label: str
    style: Literal["coefficient", "percent"]
    values: Mapping[int, Decimal]
    source: dict[str, str]


@dataclass(frozen=True)
class FundOptions:
    """Maintenance-fund top-up per household (Ningbo 即交即用即补), see :func:`maintenance_fund`."""

    ratio: Money
    standard: Money | None = None
    subsidy_ratio: Money = Decimal("0.5")
    jurisdiction: str | None = None
    subsidy_to: Literal["fund", "cash"] = "fund"


class SheetMeta(dict):
    """The sheet's parameters and sources, kept in ``DataFrame.attrs``; read-only by use.

    pandas deep-copies ``attrs`` on nearly every operation; this dict hands itself back
    instead, which keeps a 3,000-row sheet's exports from spending a third of their
    time copying metadata.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> SheetMeta:
        return self


def floor_scale(spec: str | Path | Mapping[int, Any] | FloorScale | None = None) -> FloorScale:
    """Resolve a floor rule: a jurisdiction key, a rule id, a YAML path or ``{floor: coef}``.

    Examples
    --------
    >>> s = floor_scale("guangzhou")
    >>> s.id, s.style, s.values[7]
    ('guangzhou.floor_coefficient', 'coefficient', Decimal('1.1'))
    >>> floor_scale("hangzhou.floor_percent").values[6]
    Decimal('0.4')
    >>> floor_scale({3: 1, 4: "1.2"}).values[4]
    Decimal('1.2')
    """
    if spec is None:
        spec = "guangzhou"
    if isinstance(spec, FloorScale):
        return spec
    if isinstance(spec, Mapping):
        try:
            vals = {
                int(k): Decimal(repr(v) if isinstance(v, float) else str(v))
                for k, v in spec.items()
            }
        except (ValueError, ArithmeticError):
            raise InputError(
                Problem(f"floor coefficients must be numbers: {dict(spec)}", field="floor_rule")
            ) from None
        if any(v < 0 for v in vals.values()) or not vals:
            raise InputError(Problem("floor coefficients must be 0 or more", field="floor_rule"))
        src = {
            "document": "user-given coefficients",
            "issuer": "user",
            "article": "",
            "date": "",
            "confidence": "",
        }
        return FloorScale("user.floor_coefficient", "自定义楼层系数", "coefficient", vals, src)
    text = str(spec)
    key, rid = text, None
    if not text.endswith((".yaml", ".yml")) and "." in text:
        key, rid = text.split(".", 1)[0], text
    rs = rules.load(key)
    found = [r for r in rs.floor_rules if rid is None or r.id == rid]
    if not found:
        have = [r.id for r in rs.floor_rules]
        msg = f"no floor rule {rid or ''} in {rs.name} ({rs.key}); it has {have or 'none'}"
        raise InputError(Problem(msg, field="floor_rule"))
    r = found[0]
    src = {
        "document": r.source.document,
        "issuer": r.source.issuer,
        "article": r.source.article,
        "date": r.source.date.isoformat(),
        "confidence": r.confidence,
    }
    return FloorScale(r.id, r.label or r.id, r.style, dict(r.values), src)


# ------------------------------------------------------------------------- inputs


def _parse_basis(basis: str | Mapping[str, Any]) -> dict[str, Decimal]:
    if isinstance(basis, str):
        parts = {basis: Decimal(1)}
    else:
        try:
            parts = {
                str(k): Decimal(repr(v) if isinstance(v, float) else str(v))
                for k, v in basis.items()
            }
        except ArithmeticError:
            raise InputError(
                Problem(f"mix weights must be numbers: {dict(basis)}", field="basis")
            ) from None
    for k, w in parts.items():
        if k not in BASES:
            raise InputError(
                Problem(f"unknown basis {k!r}; choose from {list(BASES)}", field="basis")
            )
        if w < 0:
            raise InputError(Problem(f"mix weight of {k!r} is negative", field="basis"))
    if len(parts) > 1:
        if "fixed" in parts:
            msg = "'fixed' cannot be mixed: it sets each household's amount itself"
            raise InputError(Problem(msg, field="basis"))
        if sum(parts.values(), Decimal(0)) != 1:
            msg = f"mix weights add up to {sum(parts.values(), Decimal(0))}, not exactly 1"
            raise InputError(Problem(msg, field="basis"))
    return {k: w for k, w in parts.items() if w > 0}


def _require(roster: pd.DataFrame, col: str, why: str) -> None:
    if col not in roster.columns:
        msg = f"the roster has no {col!r} column, needed {why}"
        raise InputError(Problem(msg, field=col))


def _scope(roster: pd.DataFrame, building: str | None, stairwell: str | None) -> pd.DataFrame:
    mask = np.ones(len(roster), dtype=bool)
    for col, val in (("building", building), ("stairwell", stairwell)):
        if val is None:
            continue
        _require(roster, col, f"to scope to {col} {val!r}")
        mask &= (roster[col].astype(str) == str(val)).to_numpy()
    if not mask.any():
        have = {
            c: sorted(roster[c].astype(str).unique().tolist())[:20]
            for c in ("building", "stairwell")
            if c in roster
        }
        msg = f"no household in building {building!r} stairwell {stairwell!r}; roster has {have}"
        raise InputError(Problem(msg, field="building" if building is not None else "stairwell"))
    return (
        roster.loc[mask].reset_index(drop=True) if not mask.all() else roster.reset_index(drop=True)
    )


def _labels(df: pd.DataFrame) -> pd.Series:
    parts = [df[c].astype(str) for c in ("building", "stairwell") if c in df.columns]
    lab = df["unit_id"].astype(str)
    for p in reversed(parts):
        lab = p + "-" + lab
    return lab


def _exempt_mask(
    df: pd.DataFrame, exempt: Iterable[str] | None, floors: Iterable[int], texts: list[str]
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int16]]:
    n = len(df)
    reason = np.zeros(n, dtype=np.int16)  # codes into `texts`
    mask = np.zeros(n, dtype=bool)
    floors = tuple(int(f) for f in floors)
    if floors:
        _require(df, "floor", "to exempt floors")
        fm = np.isin(df["floor"].to_numpy(), floors)
        mask |= fm
        text = (
            _EXEMPT_FLOOR_REASON
            if floors == _ELEVATOR_EXEMPT
            else f"{'、'.join(map(str, floors))}层不出资"
        )
        reason[fm] = _reason_code(texts, text)
    if exempt:
        labels = _labels(df).to_numpy()
        units = df["unit_id"].astype(str).to_numpy()
        problems = []
        for e in exempt:
            e = str(e).strip()
            hit = labels == e
            if not hit.any():
                hit = units == e
                if hit.sum() > 1:
                    msg = f"{e!r} matches {int(hit.sum())} households; write building-stairwell-unit such as {labels[hit][0]!r}"
                    problems.append(Problem(msg, field="exempt"))
                    continue
            if not hit.any():
                problems.append(
                    Problem(f"no household {e!r} in the roster (scope)", field="exempt")
                )
                continue
            reason[hit & ~mask] = _reason_code(texts, _EXEMPT_LIST_REASON)
            mask |= hit
        if problems:
            raise InputError(problems)
    return mask, reason


def _scenario_amount(scenario: Scenario | ScenarioResult | str | Path) -> tuple[int, Any]:
    from costshare.community.scenario import Scenario
    from costshare.community.scenario_result import ScenarioResult

    if isinstance(scenario, (str, Path)):
        scenario = Scenario.from_yaml(scenario)
    result = scenario if isinstance(scenario, ScenarioResult) else scenario.run()
    src = result.sources
    res = int(src.loc[src["channel"].astype(str).str.startswith("residents"), "amount_fen"].sum())
    if res <= 0:
        msg = f"scenario {result.scenario.name!r} has no residents' self-raised amount (funding.residents)"
        raise InputError(Problem(msg, field="scenario"))
    return res, result


# ------------------------------------------------------------------------- weights


def _weights(
    df: pd.DataFrame, basis: str, payer: npt.NDArray[np.bool_], scale: FloorScale | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64] | None]:
    """Weights of one basis (0 for non-payers) and, for floor rules, each household's factor."""
    n = len(df)
    area = df["area_m2"].to_numpy(dtype=np.float64)
    if basis == "area":
        w = area.copy()
        factor = None
    elif basis in ("equal", "fixed"):
        w = np.ones(n)
        factor = None
    elif basis == "headcount":
        _require(df, "headcount", "for basis 'headcount'")
        hc = df["headcount"]
        missing = hc.isna().to_numpy() & payer
        if missing.any():
            rows = _where(df, missing)
            raise InputError(
                Problem(
                    f"headcount is empty for {rows}: needed for basis 'headcount'",
                    field="headcount",
                )
            )
        w = hc.fillna(0).to_numpy(dtype=np.float64)
        factor = None
    else:  # floor
        _require(df, "floor", "for basis 'floor'")
        assert scale is not None
        floors = df["floor"].to_numpy()
        top = max(scale.values)
        above = payer & (floors > top)
        if above.any():
            msg = (
                f"floor {int(floors[above].max())} has no value in {scale.id} (it covers floors "
                f"{min(scale.values)}–{top}); give floor_rule={{floor: coefficient}} for taller buildings"
            )
            raise InputError(Problem(msg, field="floor_rule"))
        lut = np.zeros(max(top, int(floors.max())) + 1)
        for f, v in scale.values.items():
            if f >= 0:
                lut[f] = float(v)
        factor = lut[floors]
        w = factor * area if scale.style == "coefficient" else area.copy()
    w = np.where(payer, w, 0.0)
    return w, factor


def _where(df: pd.DataFrame, mask: npt.NDArray[np.bool_]) -> str:
    col = "row" if "row" in df.columns else None
    vals = df.loc[mask, col].tolist() if col else _labels(df)[mask].tolist()
    head = ", ".join(map(str, vals[:10])) + (
        f" and {len(vals) - 10} more" if len(vals) > 10 else ""
    )
    return f"{'rows' if col else 'households'} {head}"


def _split(
    total: int, df: pd.DataFrame, basis: str, payer: npt.NDArray[np.bool_], scale: FloorScale | None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64] | None, npt.NDArray[np.float64]]:
    w, factor = _weights(df, basis, payer, scale)
    if not (w > 0).any():
        raise InputError(
            Problem(
                f"nobody pays under basis {basis!r}: every household is exempt or weighs 0",
                field="basis",
            )
        )
    if basis != "floor" or scale is None or scale.style == "coefficient":
        return allocate(total, w), factor, w
    # percent style: each floor's share of the amount, then by area within the floor
    floors = df["floor"].to_numpy()
    pay = w > 0
    present = sorted(
        {int(f) for f in np.unique(floors[pay])} & {f for f, v in scale.values.items() if v > 0}
    )
    pct = np.array([float(scale.values[f]) for f in present])
    per_floor = allocate(total, pct)
    group = np.searchsorted(np.asarray(present), floors)
    inside = pay & (group < len(present))
    inside[inside] &= np.asarray(present)[group[inside]] == floors[inside]
    shares = np.zeros(len(df), dtype=np.int64)
    shares[inside] = allocate_groups(per_floor, group[inside], w[inside])
    return shares, factor, w


# ------------------------------------------------------------------------- main


def contribution_sheet(
    roster: pd.DataFrame,
    *,
    total: Money | None = None,
    scenario: Scenario | ScenarioResult | str | Path | None = None,
    elevator: Elevator | None = None,
    basis: str | Mapping[str, Any] | None = None,
    floor_rule: str | Path | Mapping[int, Any] | FloorScale | None = None,
    fixed: Money | None = None,
    building: str | int | None = None,
    stairwell: str | int | None = None,
    exempt: Iterable[str] | None = None,
    exempt_floors: Iterable[int] | None = None,
    fund: FundOptions | Mapping[str, Any] | None = None,
    explain: bool = True,
    title: str | None = None,
) -> pd.DataFrame:
    """Split an amount among a roster's households, exactly to the fen.

    Parameters
    ----------
    roster : DataFrame
        As returned by :func:`costshare.households.roster.read_roster` (``unit_id`` and ``area_m2``
        at least; ``floor``, ``headcount``, ``building``, ``stairwell``, ``owner_name``,
        ``fund_balance`` when a basis, scope or the fund needs them).
    total : Decimal, str, int or float, optional
        Amount in yuan to share.
    scenario : Scenario, ScenarioResult or path, optional
        Share the residents' self-raised amount of a community scenario (居民自筹, cash and
        fund-paid lines together); its Ningbo-style ``fund_topup`` is applied per household
        unless `fund` is given.
    elevator : Elevator, optional
        Share an elevator's net cost (:func:`costshare.households.elevator.elevator_net`); the basis
        defaults to ``"floor"`` and floors 1–2 are exempt by default.
        Exactly one of `total`, `scenario`, `elevator` (or `fixed` alone) is needed.
    basis : str or mapping, default "area" ("floor" for an elevator)
        One of :data:`BASES`, or a mix such as ``{"area": 0.7, "equal": 0.3}``
        (weights exact, adding up to 1).
    floor_rule : str, path, mapping or FloorScale, optional
        For basis ``"floor"``: a jurisdiction key (``"guangzhou"``, ``"hangzhou"``), a rule
        id, a YAML path or ``{floor: coefficient}``; default the elevator city's floor
        rule if it has one, else Guangzhou's.
    fixed : amount, optional
        Yuan per paying household for basis ``"fixed"``.
    building, stairwell : str or int, optional
        Only households of this building / stairwell share the amount (and appear).
    exempt : iterable of str, optional
        Households that pay nothing: ``"3-2-501"`` (building-stairwell-unit) or a unit id
        that is unique in scope.
    exempt_floors : iterable of int, optional
        Floors that pay nothing; default ``(1, 2)`` for an elevator, none otherwise.
    fund : FundOptions or mapping, optional
        Maintenance-fund top-up, use and subsidy per household (see
        :func:`costshare.community.fund.maintenance_fund`); balances from ``fund_balance``.
    explain : bool, default True
        Add the ``explanation`` text column (skip it for speed on huge rosters and call
        :func:`explain_sheet` on the part you display).
    title : str, optional
        What is being shared, for exports (default from the inputs).

    Returns
    -------
    DataFrame
        The roster columns in scope, ``factor`` (floor coefficient or percent, basis
        floor), ``exempt`` (bool), ``exempt_reason``, ``share_<basis>_fen`` per part of a
        mix, ``share_fen`` (int64, adds up exactly to the amount), the fund columns
        (``fund_balance_fen``, ``topup_fen``, ``fund_used_fen``, ``subsidy_fen``,
        ``cash_fen``, ``net_outlay_fen``) when a fund applies, and ``explanation``.
        ``df.attrs["costshare"]`` holds the total, parameters and the rule sources.

    Raises
    ------
    InputError
        For a missing amount, an unknown basis or household, a column a basis needs, or
        nobody left to pay.

    Notes
    -----
    Largest remainder with ties to the lower index: the earlier roster row gets the odd
    fen. Coefficient style: share ∝ coefficient(floor) × area. Percent style: floor f's
    part = values[f] of the amount (floors without households in scope drop out and the
    others' percentages are rescaled), split by area within the floor.

    Examples
    --------
    >>> roster = pd.DataFrame({"unit_id": ["101", "201", "301"], "floor": [1, 2, 3],
    ...                        "area_m2": [50.0, 50.0, 100.0]})
    >>> contribution_sheet(roster, total="1000.01", explain=False)["share_fen"].tolist()
    [25000, 25000, 50001]
    >>> contribution_sheet(roster, total=100, basis="equal", exempt=["101"],
    ...                    explain=False)["share_fen"].tolist()
    [0, 5000, 5000]
    """
    given = [
        k
        for k, v in (("total", total), ("scenario", scenario), ("elevator", elevator))
        if v is not None
    ]
    if len(given) > 1:
        raise InputError(
            Problem(f"give only one of total, scenario, elevator (got {given})", field="total")
        )
    if not given and fixed is None:
        raise InputError(
            Problem("give the amount to share: total=, scenario= or elevator=", field="total")
        )
    _require(roster, "unit_id", "to name households")
    _require(roster, "area_m2", "for the area")
    if basis is None:
        basis = (
            "floor"
            if elevator is not None
            else ("fixed" if fixed is not None and not given else "area")
        )
    parts = _parse_basis(basis)
    if fixed is not None and "fixed" not in parts:
        raise InputError(Problem("fixed= is only used with basis='fixed'", field="fixed"))
    if "fixed" in parts and fixed is None:
        raise InputError(Problem("basis 'fixed' needs fixed= (yuan per household)", field="fixed"))

    result = None
    net: ElevatorNet | None = None
    total_fen: int | None = None
    if total is not None:
        total_fen = amount_fen(total, "total")
    elif scenario is not None:
        total_fen, result = _scenario_amount(scenario)
    elif elevator is not None:
        net = elevator_net(elevator)
        total_fen = net.net_fen

    df = _scope(
        roster,
        None if building is None else str(building),
        None if stairwell is None else str(stairwell),
    )
    if exempt_floors is None:
        exempt_floors = _ELEVATOR_EXEMPT if elevator is not None else ()
    texts = [""]
    ex_mask, reason = _exempt_mask(df, exempt, exempt_floors, texts)
    payer = ~ex_mask

    scale = None
    if "floor" in parts:
        if floor_rule is None and net is not None and net.rule is not None:
            city = str(elevator.city) if elevator is not None else ""
            if rules.load(city).floor_rules:
                floor_rule = city
        scale = floor_scale(floor_rule)

    n_payers = int(payer.sum())
    if "fixed" in parts:
        per = amount_fen(fixed, "fixed")  # type: ignore[arg-type]
        implied = per * n_payers
        if total_fen is not None and total_fen != implied:
            msg = (
                f"fixed {to_yuan(per)} × {n_payers} paying households = {to_yuan(implied)}, "
                f"not the total {to_yuan(total_fen)}"
            )
            raise InputError(Problem(msg, field="fixed"))
        total_fen = implied
    assert total_fen is not None

    part_fen = (
        allocate(total_fen, [float(w) for w in parts.values()])
        if len(parts) > 1
        else np.array([total_fen])
    )
    out = df.copy()
    share = np.zeros(len(df), dtype=np.int64)
    meta_parts = []
    for (b, w), amount in zip(parts.items(), part_fen, strict=True):
        s, factor, weights = _split(int(amount), df, b, payer, scale)
        if factor is not None:
            out["factor"] = factor
            zero = payer & (weights == 0)
            reason[zero & (reason == 0)] = _reason_code(texts, _FLOOR_ZERO_REASON)
        if len(parts) > 1:
            out[f"share_{b}_fen"] = s
        share += s
        meta_parts.append(
            {"basis": b, "weight": w, "amount_fen": int(amount), "weight_sum": float(weights.sum())}
        )
    out["exempt"] = ex_mask | (share == 0) & (reason != 0)
    out["exempt_reason"] = _reasons(reason, texts)
    out["share_fen"] = share

    fund_opts = _fund_options(fund, result)
    if fund_opts is not None:
        bal = (
            out["fund_balance"].to_numpy(dtype=np.float64)
            if "fund_balance" in out
            else np.zeros(len(out))
        )
        fdf = maintenance_fund(
            out["area_m2"].to_numpy(dtype=np.float64),
            bal,
            share / 100,
            standard=fund_opts.standard,
            ratio=fund_opts.ratio,
            subsidy_ratio=fund_opts.subsidy_ratio,
            rules=rules.load(fund_opts.jurisdiction) if fund_opts.jurisdiction else None,
            subsidy_to=fund_opts.subsidy_to,
        )
        if not np.array_equal(fdf["contribution_fen"].to_numpy(), share):
            raise AssertionError("fund contribution does not round-trip")  # pragma: no cover
        out["fund_balance_fen"] = fdf["balance_fen"].to_numpy()
        for c in FUND_COLUMNS:
            out[c] = fdf[c].to_numpy()

    out.attrs["costshare"] = SheetMeta(
        _meta(
            total_fen,
            parts,
            meta_parts,
            scale,
            net,
            result,
            fund_opts,
            building,
            stairwell,
            title,
            len(out),
            n_payers,
        )
    )
    if explain:
        out["explanation"] = explain_sheet(out)
    return out


def _reason_code(texts: list[str], text: str) -> int:
    if text not in texts:
        texts.append(text)
    return texts.index(text)


def _reasons(codes: npt.NDArray[np.int16], texts: list[str]) -> pd.Series:
    """Exemption reasons as text, taken from a few distinct values by code (fast at 1e6 rows)."""
    return pd.Series(pd.array(texts, dtype="str").take(codes.astype(np.intp)))


def _fund_options(fund: FundOptions | Mapping[str, Any] | None, result: Any) -> FundOptions | None:
    if isinstance(fund, FundOptions):
        return fund
    if fund is not None:
        try:
            return FundOptions(**dict(fund))
        except TypeError as exc:
            raise InputError(Problem(f"bad fund options: {exc}", field="fund")) from None
    if result is None or result.scenario.funding.fund_topup is None:
        return None
    t = result.scenario.funding.fund_topup
    rs = result.rules
    sub = t.subsidy_ratio
    if sub is None:
        p = rs.parameters.get("fund.subsidy_ratio")
        sub = p.value if p is not None else Decimal("0.5")
    has_range = "fund.topup_ratio_min" in rs.parameters
    return FundOptions(
        ratio=t.ratio,
        standard=t.standard_yuan_per_m2,
        subsidy_ratio=sub,
        jurisdiction=rs.key if (t.standard_yuan_per_m2 is None or has_range) else None,
        subsidy_to=t.subsidy_to,
    )


def _meta(
    total_fen: int,
    parts: dict[str, Decimal],
    meta_parts: list[dict[str, Any]],
    scale: FloorScale | None,
    net: ElevatorNet | None,
    result: Any,
    fund: FundOptions | None,
    building: Any,
    stairwell: Any,
    title: str | None,
    n: int,
    n_payers: int,
) -> dict[str, Any]:
    basis_text = " + ".join(
        f"{BASIS_LABELS[b]}" + (f" {w * 100:.0f}%" if len(parts) > 1 else "")
        for b, w in parts.items()
    )
    params: list[tuple[str, str]] = [("分摊总额（元）", f"{to_yuan(total_fen):,}")]
    params.append(("分摊方式", basis_text))
    if building is not None or stairwell is not None:
        scope = "".join(
            p
            for p in (
                f"{building}栋" if building is not None else "",
                f"{stairwell}单元" if stairwell is not None else "",
            )
        )
        params.append(("分摊范围", scope))
    params += [("户数", str(n)), ("出资户数", str(n_payers))]
    for p in meta_parts:
        per = (
            Decimal(p["amount_fen"]) / 100 / Decimal(repr(round(p["weight_sum"], 6)))
            if p["weight_sum"]
            else Decimal(0)
        )
        unit = {
            "area": "每平方米",
            "floor": "每单位（系数×面积）",
            "headcount": "每人",
            "equal": "每户",
            "fixed": "每户",
        }[p["basis"]]
        if scale is not None and p["basis"] == "floor" and scale.style == "percent":
            unit = "每平方米（本层）"
        params.append((f"{BASIS_LABELS[p['basis']]}：金额（元）", f"{to_yuan(p['amount_fen']):,}"))
        if scale is None or p["basis"] != "floor" or scale.style == "coefficient":
            params.append(
                (
                    f"{BASIS_LABELS[p['basis']]}：{unit}（元）",
                    f"{per.quantize(Decimal('0.0001'), ROUND_HALF_UP)}",
                )
            )
    rows: list[dict[str, Any]] = []
    if "area" in parts or (scale is not None and scale.style == "percent"):
        rows.append(dict(AREA_SOURCE))
    if scale is not None:
        vals = ", ".join(f"{f}F {v}" for f, v in sorted(scale.values.items()))
        params.append(("楼层规则", f"{scale.id}（{scale.label}）：{vals}"))
        rows.append(
            {
                "rule": scale.id,
                "kind": "FloorRule",
                "applies_to": scale.label,
                "value": f"{scale.style}: {vals}",
                **{k: scale.source.get(k, "") for k in ("document", "issuer", "article", "date")},
                "seed": "",
                "confidence": scale.source.get("confidence", ""),
            }
        )
    what = title
    if net is not None:
        for label, fen in net.steps:
            params.append((f"电梯：{label}（元）", f"{to_yuan(fen):,}"))
        if net.rule is not None:
            r = net.rule
            rows.append(
                _rule_row(
                    r,
                    f"{r.per_elevator} 元/部"
                    if r.per_elevator is not None
                    else f"{r.cost_ratio} × 费用，上限 {r.cap} 元/部",
                )
            )
        what = what or "加装电梯业主分摊"
    if result is not None:
        s = result.scenario
        params.append(("方案", f"{s.name}（{s.community.name}）"))
        params.append(("方案居民自筹合计（元）", f"{to_yuan(total_fen):,}"))
        if s.community.households != n:
            params.append(("注意", f"方案户数 {s.community.households} 与名册户数 {n} 不一致"))
        what = what or f"{s.community.name} 改造居民自筹"
    if fund is not None:
        params += [
            ("维修资金补齐比例", str(fund.ratio)),
            (
                "维修资金标准（元/m²）",
                str(fund.standard) if fund.standard is not None else f"按 {fund.jurisdiction} 规则",
            ),
            ("维修资金使用补贴比例", str(fund.subsidy_ratio)),
            ("补贴去向", "回补维修资金" if fund.subsidy_to == "fund" else "返还现金"),
        ]
        if fund.jurisdiction:
            rs = rules.load(fund.jurisdiction)
            rows += [
                _rule_row(p, f"{p.value} {p.unit}")
                for pid, p in rs.parameters.items()
                if pid.startswith("fund.")
            ]
    params.append(("取整规则", "整数分，最大余数法；余数相同时名册靠前者先得 1 分"))
    return {
        "total_fen": int(total_fen),
        "basis": {b: str(w) for b, w in parts.items()},
        "basis_text": basis_text,
        "title": what or "居民出资分摊",
        "parameters": params,
        "sources": rows,
        "parts": meta_parts,
        "floor_style": scale.style if scale is not None else None,
        "date": dt.date.today().isoformat(),
    }


def _rule_row(r: Any, value: str) -> dict[str, Any]:
    return {
        "rule": r.id,
        "kind": type(r).__name__,
        "applies_to": r.label or "",
        "value": value,
        "document": r.source.document,
        "issuer": r.source.issuer,
        "article": r.source.article,
        "date": r.source.date.isoformat(),
        "seed": r.source.seed or "",
        "confidence": r.confidence,
    }
