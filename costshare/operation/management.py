"""Management after renovation: which mode suits a community, and merging small estates.

**Modes.** Beijing's guide (seed 001_943ffc00bb33d354.txt line 56, line 85): a professional
property company for larger estates in good condition; community custody or custody by a
social organisation for small estates or where fees are hard to collect; self-management
where residents' will to govern themselves is strong. Yancheng (seed 003 lines 41–43):
estates run by the market, by their owners or by their work unit that are well managed
and satisfied keep their mode; estates under the street/community backstop or unmanaged
are guided to a professional company or owners' self-governance. :func:`suggest_mode`
applies these in that order and cites the line each step rests on. The seeds give no
number for "larger" or "hard to collect": the thresholds are assumptions (A) the caller
may change.

**Merged estates.** Changping's Changsheng community merged 36 courtyards into one
management area (seed 002 line 102). :func:`merge_estates` compares the yearly
management cost per household and the break-even fee before and after, from each
estate's fixed cost (staff, gatehouse) and per-m² cost; merged, the fixed cost is the
merged area's own (one team) — all cost figures are the caller's assumptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from costshare.errors import InputError, Problem
from costshare.i18n import Lang, t
from costshare.money import half_up, to_fen
from costshare.operation.engine import breakeven_fee_fen

__all__ = [
    "LARGE_HOUSEHOLDS",
    "LOW_COLLECTION",
    "MODE_LABELS",
    "Estate",
    "Suggestion",
    "estates_from_dict",
    "merge_estates",
    "mode_label",
    "suggest_mode",
]

MODE_LABELS = {  # the Chinese names; both languages live in the translation table (mgmode.*)
    k: t(f"mgmode.{k}")
    for k in (
        "professional",
        "community_custody",
        "social_org_custody",
        "self_management",
        "unit_management",
        "backstop",
        "none",
    )
}
"""Modes the seeds name (001 line 85: 专业物业管理、社区托管、社会组织代管或居民自管;
003 lines 39–43: 市场化、业主自治、街道社区托底、单位管理)."""
LARGE_HOUSEHOLDS = 300
"""A: "规模较大" from this many households (no seed gives a number)."""
LOW_COLLECTION = Decimal("0.7")
"""A: "物业费收缴困难" below this collection rate (no seed gives a number)."""
_KEEPS = {"professional", "self_management", "unit_management"}


@dataclass(frozen=True)
class Suggestion:
    """A suggested mode, the alternatives, and why (each reason names its seed line).

    ``reasons`` are the Chinese sentences; ``codes`` and ``params`` word them in either
    language through the translation table (:meth:`reasons_in`).
    """

    mode: str
    alternatives: tuple[str, ...]
    reasons: tuple[str, ...]
    codes: tuple[str, ...] = ()
    params: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        """The mode's Chinese name."""
        return MODE_LABELS[self.mode]

    def reasons_in(self, lang: Lang = "zh") -> tuple[str, ...]:
        """The reasons in `lang` (``mgmt.reason.*`` in the translation table).

        >>> suggest_mode(800, "0.92").reasons_in("en")[0][:24]
        'seed 001 line 56: larger'
        """
        return tuple(t(f"mgmt.reason.{c}", lang, **dict(self.params)) for c in self.codes)


def mode_label(mode: str, lang: Lang = "zh") -> str:
    """A management mode's name in `lang` (``mgmode.*``).

    >>> mode_label("community_custody", "en")
    'Community custody'
    """
    return t(f"mgmode.{mode}", lang)


def suggest_mode(
    households: int,
    collection_rate: Decimal | str | float,
    *,
    strong_self_governance: bool = False,
    current: str | None = None,
    satisfied: bool = False,
    large_from: int = LARGE_HOUSEHOLDS,
    low_collection: Decimal | str | float = LOW_COLLECTION,
) -> Suggestion:
    """Suggest a management mode (Yancheng keep-if-satisfied, then Beijing ch. 7).

    Examples
    --------
    >>> suggest_mode(800, "0.92").mode
    'professional'
    >>> s = suggest_mode(120, "0.55")
    >>> s.mode, s.alternatives
    ('community_custody', ('social_org_custody',))
    >>> suggest_mode(120, "0.55", current="self_management", satisfied=True).mode
    'self_management'
    """
    if current is not None and current not in MODE_LABELS:
        raise InputError(
            Problem(f"unknown mode {current!r}; use {list(MODE_LABELS)}", field="current")
        )
    rate = Decimal(str(collection_rate))
    if not 0 <= rate <= 1:
        raise InputError(Problem("collection rate must lie in [0, 1]", field="collection_rate"))
    params = (("large_from", str(large_from)), ("low_collection", str(low_collection)))

    def said(mode: str, alt: tuple[str, ...], codes: list[str]) -> Suggestion:
        zh = tuple(t(f"mgmt.reason.{c}", "zh", **dict(params)) for c in codes)
        return Suggestion(mode, alt, zh, tuple(codes), params)

    if current in _KEEPS and satisfied:
        return said(current, (), ["keep"])
    codes = ["backstop"] if current in ("backstop", "none") else []
    if strong_self_governance:
        return said("self_management", ("professional",), [*codes, "self_governance"])
    large = households >= large_from
    collects = rate >= Decimal(str(low_collection))
    if large and collects:
        return said("professional", (), [*codes, "large"])
    alt = ("social_org_custody", "self_management") if codes else ("social_org_custody",)
    return said("community_custody", alt, [*codes, "small"])


@dataclass(frozen=True)
class Estate:
    """One estate (楼院) before merging: size and its yearly management cost (yuan)."""

    name: str
    households: int
    area_m2: Decimal
    fixed_cost: Decimal  # staff, gatehouse, office: paid once per management area
    cost_per_m2: Decimal  # cleaning, greening, repairs: per m² a year
    collection_rate: Decimal
    other_revenue: Decimal = Decimal(0)


def merge_estates(
    estates: Sequence[Estate],
    merged_fixed_cost: Decimal | str | int,
    merged_collection_rate: Decimal | str | float | None = None,
    merged_other_revenue: Decimal | str | int | None = None,
) -> pd.DataFrame:
    """Management cost per household and break-even fee, each estate alone and merged.

    Returns
    -------
    DataFrame
        One row per estate and a last row ``merged``: households, area, yearly cost (fen),
        cost per household (fen, half-up), break-even fee (fen per m² a month, rounded up).

    Examples
    --------
    Two courtyards of 50 households, each paying its own 60,000 yuan of fixed cost; merged,
    one team at 80,000 yuan:

    >>> e = [Estate(n, 50, Decimal(4000), Decimal(60000), Decimal(2), Decimal("0.8"))
    ...      for n in ("A", "B")]
    >>> t = merge_estates(e, 80000)
    >>> t["cost_per_household_fen"].tolist()
    [136000, 136000, 96000]
    """
    if not estates:
        raise InputError(Problem("give at least one estate", field="estates"))
    rows = []
    for e in estates:
        cost = to_fen(e.fixed_cost) + int(
            half_up(to_fen(e.cost_per_m2) * int(e.area_m2 * 100), 100)
        )
        rows.append(
            (e.name, e.households, e.area_m2, cost, e.collection_rate, to_fen(e.other_revenue))
        )
    hh = sum(r[1] for r in rows)
    area = sum((r[2] for r in rows), Decimal(0))
    variable = sum(r[3] for r in rows) - sum(to_fen(e.fixed_cost) for e in estates)
    merged_cost = to_fen(Decimal(str(merged_fixed_cost))) + variable
    if merged_collection_rate is None:  # area-weighted mean of the estates' rates
        rate = sum((e.collection_rate * e.area_m2 for e in estates), Decimal(0)) / area
    else:
        rate = Decimal(str(merged_collection_rate))
    other = (
        sum(r[5] for r in rows)
        if merged_other_revenue is None
        else to_fen(Decimal(str(merged_other_revenue)))
    )
    rows.append(("merged", hh, area, merged_cost, rate, other))
    out = pd.DataFrame(rows, columns=["estate", "households", "area_m2", "cost_fen",
                                      "collection_rate", "other_revenue_fen"])  # fmt: skip
    out["cost_per_household_fen"] = [
        int(half_up(c, h)) for c, h in zip(out["cost_fen"], out["households"], strict=True)
    ]
    out["breakeven_fee_fen"] = [
        int(breakeven_fee_fen([c - o], [str(a)], [str(r)])[0])
        for c, o, a, r in zip(out["cost_fen"], out["other_revenue_fen"], out["area_m2"],
                              out["collection_rate"], strict=True)
    ]  # fmt: skip
    return out


def estates_from_dict(raw: object, file: str = "<estates>") -> tuple[list[Estate], dict]:
    """Estates from plain data: ``estates`` (each may give ``count`` identical ones) and
    ``merged`` (``fixed_cost``, optional ``collection_rate``).

    Examples
    --------
    >>> es, m = estates_from_dict({"estates": [{"name": "院", "count": 2, "households": 10,
    ...     "area_m2": 700, "fixed_cost": 1, "cost_per_m2": 1, "collection_rate": 1}],
    ...     "merged": {"fixed_cost": 1}})
    >>> [e.name for e in es]
    ['院1', '院2']
    """
    if not isinstance(raw, dict) or not isinstance(raw.get("estates"), list):
        raise InputError(Problem("give a list `estates` and a mapping `merged`", file))
    out = []
    keys = ("households", "area_m2", "fixed_cost", "cost_per_m2", "collection_rate")
    for i, e in enumerate(raw["estates"], start=1):
        miss = [k for k in ("name", *keys) if k not in e]
        if miss:
            raise InputError(Problem(f"missing {miss}", file, f"estate {i}", miss[0]))
        n = int(e.get("count", 1))
        for j in range(n):
            name = f"{e['name']}{j + 1}" if n > 1 else str(e["name"])
            vals = [Decimal(str(e[k])) for k in keys[1:]]
            other = Decimal(str(e.get("other_revenue", 0)))
            out.append(Estate(name, int(e["households"]), *vals, other_revenue=other))
    merged = raw.get("merged")
    if not isinstance(merged, dict) or "fixed_cost" not in merged:
        raise InputError(Problem("give merged: {fixed_cost: …}", file, field="merged"))
    return out, merged
