"""Golden cases of the seed mechanisms (``tests/cases/mechanisms/*.yaml``).

The same case shape as :mod:`tests.test_cases` (``{name, kind, source, input, output}``,
output worked out by hand in the YAML comments); the adapters here are the only place
that knows the mechanism libraries' signatures.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from costshare import money, rules
from costshare.community.consent import consent_table
from costshare.community.earmark import earmark_check
from costshare.community.land import LandValue, land_value
from costshare.community.scenario import Scenario
from costshare.community.transfers import allocate_pot
from costshare.community.transfers_model import Pot
from costshare.community.utility import handover_table, tax_relief
from costshare.households.elevator_life import elevator_lifetime
from costshare.households.evaluate import evaluate
from costshare.households.sheet import contribution_sheet
from costshare.households.spec import SheetSpec
from costshare.operation.management import estates_from_dict, merge_estates, suggest_mode

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = Path(__file__).parent / "cases" / "mechanisms"


def _earmark(
    uses: list[list[Any]], sources: dict[str, int], earmarks: list[list[Any]]
) -> dict[str, Any]:
    r = earmark_check([tuple(u) for u in uses], sources, [(c, m) for c, m in earmarks])
    return {
        "used_fen": [x.used_fen for x in r.lines],
        "uncovered_fen": [x.uncovered_fen for x in r.lines],
        "idle_fen": r.idle_fen,
        "misuse_fen": r.misuse_fen,
        "free_gap_fen": r.free_gap_fen,
        "status": r.status,
    }


def _consent(jurisdiction: str, matter: str, counts: list[list[Any]]) -> dict[str, Any]:
    cols = ["community_id", "owners", "took_part", "yes", "area_m2", "area_took_part", "area_yes"]
    df = pd.DataFrame(counts, columns=cols[: len(counts[0])]).assign(matter=matter)
    t = consent_table(df, rules.load(jurisdiction, on="2024-06-30"), [matter])
    return {"passed": t["passed"].tolist(), "failed": t["failed"].tolist()}


def _transfers(
    file: str | None = None,
    pot: Any = None,
    weights: list[list[Any]] | None = None,
    areas: list[dict[str, Any]] | None = None,
    **bounds: Any,
) -> dict[str, Any]:
    if file is not None:
        p = Pot.from_yaml(ROOT / file)
    else:
        ws = [
            {"factor": f, "weight": w, "confidence": "A", "reason": "case"}
            for f, w in weights or []
        ]
        p = Pot.from_dict({"name": "case", "pot": pot, "weights": ws, "areas": areas, **bounds})
    t = allocate_pot(p).table
    return {
        "grant_fen": t["grant_fen"].tolist(),
        "formula_fen": t["formula_fen"].tolist(),
        "formula_share": [str(x) for x in t["formula_share"]],
        "total_fen": int(t["grant_fen"].sum()),
        "first_grant_fen": int(t["grant_fen"].iloc[0]),
    }


def _evaluate(
    jurisdiction: str, households: int, overall: list[Any], satisfied_from: int = 3
) -> dict[str, Any]:
    df = pd.DataFrame({"unit_id": [f"u{i}" for i in range(len(overall))], "overall": overall})
    e = evaluate(
        df,
        rules.load(jurisdiction, on="2024-06-30"),
        households=households,
        satisfied_from=satisfied_from,
    )
    return {
        "satisfied": e.satisfied,
        "base": e.base,
        "passed": e.passed,
        "short_by": e.short_by(),
    }


def _airport(
    floors: list[int], total: str, exempt_floors: list[int] | None = None
) -> dict[str, Any]:
    roster = pd.DataFrame(
        {"unit_id": [f"{f}0{i}" for i, f in enumerate(floors)], "floor": floors,
         "area_m2": [60.0] * len(floors)}
    )  # fmt: skip
    spec = SheetSpec(basis="airport", exempt_floors=tuple(exempt_floors or ()) or None)
    out = contribution_sheet(
        roster, money.to_fen(total), spec, rules.load("national", "2024-06-30")
    )
    return {"share_fen": out.table["share_fen"].astype(int).tolist()}


def _merge_estates(file: str) -> dict[str, Any]:
    es, m = estates_from_dict(yaml.safe_load((ROOT / file).read_text(encoding="utf-8")))
    t = merge_estates(es, m["fixed_cost"], m.get("collection_rate"), m.get("other_revenue"))
    return {
        "before_per_household_fen": int(t["cost_per_household_fen"].iloc[0]),
        "after_per_household_fen": int(t["cost_per_household_fen"].iloc[-1]),
        "before_fee_fen": int(t["breakeven_fee_fen"].iloc[0]),
        "after_fee_fen": int(t["breakeven_fee_fen"].iloc[-1]),
    }


def _suggest_mode(households: int, collection_rate: str, **kw: Any) -> dict[str, Any]:
    s = suggest_mode(households, collection_rate, **kw)
    return {"mode": s.mode, "alternatives": list(s.alternatives)}


def _tax_relief(
    spend_fen: int, life: int, tax_rate: str, discount_rate: str = "0"
) -> dict[str, Any]:
    t = tax_relief(spend_fen, life, tax_rate, discount_rate)
    out: dict[str, Any] = {c: t[c].tolist() for c in t.columns if c.endswith("_fen")}
    return out | {"pv_sl_fen": int(t["pv_sl_fen"].sum()), "pv_ddb_fen": int(t["pv_ddb_fen"].sum())}


def _handover(file: str) -> dict[str, Any]:
    t = handover_table(Scenario.from_yaml(ROOT / file).run().split.table)
    power = t[t["category"] == "power"]
    return {
        "utility_asset_fen": int(t["utility_asset_fen"].sum()),
        "power_items_maintained_by_power_company": int(
            (power["maintained_by"] == "power_company").sum()
        ),
    }


def _elevator_life(
    floors: list[int], cost: str, maintenance: str, years: int, compensation: str
) -> dict[str, Any]:
    roster = pd.DataFrame(
        {"unit_id": [f"{f}0{i}" for i, f in enumerate(floors)], "floor": floors,
         "area_m2": [60.0] * len(floors)}
    )  # fmt: skip
    t = elevator_lifetime(
        roster, rules.load("national", "2024-06-30"), cost_fen=money.to_fen(cost),
        maintenance_fen=money.to_fen(maintenance), years=years,
        compensation_fen=money.to_fen(compensation),
    )  # fmt: skip
    return {"net_fen": t["net_fen"].astype(int).tolist(), "total_fen": int(t["net_fen"].sum())}


def _land_value(file: str | None = None, line: dict[str, Any] | None = None) -> dict[str, Any]:
    if file is not None:
        r = Scenario.from_yaml(ROOT / file).run()
        out: dict[str, Any] = {"gap_fen": r.gap_fen}
        lines = r.land()
    else:
        out, lines = {}, [land_value(LandValue.model_validate(line))]
    for k in ("floor_value_fen", "gross_fen", "amount_fen"):
        out[k] = [getattr(x, k) for x in lines]
    return out


ADAPTERS: dict[str, Callable[..., dict[str, Any]]] = {
    "land_value": _land_value,
    "elevator_life": _elevator_life,
    "tax_relief": _tax_relief,
    "handover": _handover,
    "merge_estates": _merge_estates,
    "suggest_mode": _suggest_mode,
    "airport": _airport,
    "evaluate": _evaluate,
    "earmark": _earmark,
    "consent": _consent,
    "transfers": _transfers,
}


def _load() -> list[Any]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            assert set(case) == {"name", "kind", "source", "input", "output"}, case.get("name")
            assert case["kind"] in ADAPTERS and case["output"] and case["source"].strip()
            out.append(pytest.param(case, id=f"{path.stem}-{case['name']}"))
    return out


CASES = _load()


def test_every_mechanism_has_cases() -> None:
    kinds = {c.values[0]["kind"] for c in CASES}
    assert kinds == set(ADAPTERS)


@pytest.mark.parametrize("case", CASES)
def test_case(case: dict[str, Any]) -> None:
    got = ADAPTERS[case["kind"]](**case["input"])
    for key, want in case["output"].items():
        assert got[key] == want, f"{case['name']}: {key}"
