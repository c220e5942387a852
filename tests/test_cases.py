"""Golden cases as data: every ``tests/cases/*.yaml`` case, run through the public API.

Each YAML file is a list of cases ``{name, kind, source, input, output}`` (optionally
``xfail_reason``), in the manner of OpenFisca's YAML tests. ``output`` is worked out by hand
from the cited document (the arithmetic is in the YAML comments), never pasted from a run.
``kind`` picks one adapter below; the adapter turns the plain-data ``input`` into a library
call and returns a dict, and every key of ``output`` must equal the adapter's value exactly
(money in integer fen or exact yuan text). ``output: {raises: <error name>}`` expects the
call to fail with that error.

The adapters are the only place that knows the library's signatures: when an API changes,
change the few lines here, never the case data.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from costshare import money, rules
from costshare.community.fund import below_topup_trigger, maintenance_fund
from costshare.community.split import split_costs
from costshare.errors import InputError
from costshare.households.basis import floor_scale
from costshare.households.sheet import contribution_sheet
from costshare.households.spec import SheetSpec
from costshare.households.votes import tally
from costshare.ppp.subsidy import operating_subsidy

# ---------------------------------------------------------------- adapters (the only API use)


def _allocate(total_fen: int, weights: list[Any]) -> dict[str, Any]:
    return {"shares_fen": money.allocate(total_fen, weights).tolist()}


def _half_up(num: int, den: int) -> dict[str, Any]:
    return {"value": int(money.half_up(num, den))}


def _to_fen(yuan: str) -> dict[str, Any]:
    return {"fen": money.to_fen(yuan)}


def _split(jurisdiction: str, date: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    r = split_costs(items, rules.load(jurisdiction, on=date))
    per_item: dict[str, dict[str, int]] = {}
    for item, payer, fen in r.table[["item", "payer", "amount_fen"]].itertuples(index=False):
        per_item.setdefault(item, {})[payer] = int(fen)
    by_payer = {p: money.to_fen(y) for p, y in r.by_payer().items()}
    return {"amounts_fen": per_item, "by_payer_fen": by_payer}


def _fund(
    jurisdiction: str,
    date: str,
    area_m2: list[str],
    balance: list[str],
    contribution: list[str],
    ratio: str,
    standard: str | None = None,
    subsidy_ratio: str | None = None,
    subsidy_to: str = "fund",
) -> dict[str, Any]:
    rs = rules.load(jurisdiction, on=date)
    if subsidy_ratio is None:
        subsidy_ratio = rs.param("fund.subsidy_ratio").value
    df = maintenance_fund(
        area_m2, balance, contribution, standard=standard, ratio=ratio,
        subsidy_ratio=subsidy_ratio, rules=rs, subsidy_to=subsidy_to,
    )  # fmt: skip
    return {c: df[c].astype(int).tolist() for c in df.columns if c.endswith("_fen")}


def _topup_trigger(
    jurisdiction: str, date: str, balance: list[str], first_deposit: list[str]
) -> dict[str, Any]:
    owed = below_topup_trigger(balance, first_deposit, rules.load(jurisdiction, on=date))
    return {"owed": [bool(x) for x in owed]}


def _sheet(
    roster: list[dict[str, Any]],
    total: str,
    jurisdiction: str,
    date: str,
    basis: str | dict[str, str] = "area",
    exempt: list[str] | None = None,
    exempt_floors: list[int] | None = None,
) -> dict[str, Any]:
    df = pd.DataFrame(roster).astype({"area_m2": float})
    rs = rules.load(jurisdiction, on=date)
    spec = SheetSpec(
        basis=basis, floor_rule=floor_scale(rs) if rs.floor_rules else None,
        exempt=tuple(exempt or ()), exempt_floors=tuple(exempt_floors or ()) or None,
    )  # fmt: skip
    out = contribution_sheet(df, money.to_fen(total), spec, rs)
    return {"share_fen": out.table["share_fen"].astype(int).tolist()}


def _vote(
    jurisdiction: str, date: str, matter: str, units: list[list[str]], ballots: dict[str, str]
) -> dict[str, Any]:
    frame = pd.DataFrame(units, columns=["unit_id", "area"])
    r = tally(frame, ballots, matter, rules=rules.load(jurisdiction, on=date))
    keys = ("quorum_met", "approved", "passed", "more_participants", "more_yes")
    return {k: getattr(r, k) for k in keys}


def _ppp_subsidy(
    construction_cost: str, profit_rate: str, discount_rate: str, subsidy_years: int,
    om_cost: str, user_payments: str = "0", year: int = 1,
) -> dict[str, Any]:  # fmt: skip
    value = operating_subsidy(
        construction_cost, profit_rate, discount_rate, subsidy_years, om_cost, user_payments, year
    )
    return {"subsidy_yuan": str(value)}


ADAPTERS: dict[str, Callable[..., dict[str, Any]]] = {
    "allocate": _allocate,
    "half_up": _half_up,
    "to_fen": _to_fen,
    "split": _split,
    "fund": _fund,
    "topup_trigger": _topup_trigger,
    "sheet": _sheet,
    "vote": _vote,
    "ppp_subsidy": _ppp_subsidy,
}
ERRORS: dict[str, type[Exception]] = {"ValueError": ValueError, "InputError": InputError}

# ---------------------------------------------------------------- loader and schema check

CASES_DIR = Path(__file__).parent / "cases"
REQUIRED = {"name", "kind", "source", "input", "output"}
OPTIONAL = {"xfail_reason"}


def _schema_problems(case: Any) -> list[str]:
    """What is wrong with one case's shape (unknown keys are errors, so typos cannot hide)."""
    if not isinstance(case, dict):
        return [f"a case must be a mapping, got {type(case).__name__}"]
    problems = [f"unknown key {k!r}" for k in sorted(set(case) - REQUIRED - OPTIONAL)]
    problems += [f"missing key {k!r}" for k in sorted(REQUIRED - set(case))]
    if problems:
        return problems
    if case["kind"] not in ADAPTERS:
        return [f"unknown kind {case['kind']!r}; known: {sorted(ADAPTERS)}"]
    if not isinstance(case["source"], str) or not case["source"].strip():
        return ["source must name the document, article or seed passage"]
    if not isinstance(case["input"], dict) or not isinstance(case["output"], dict):
        return ["input and output must be mappings"]
    if not case["output"]:
        return ["output is empty: the case checks nothing"]
    if "raises" in case["output"] and (
        len(case["output"]) > 1 or case["output"]["raises"] not in ERRORS
    ):
        return [f"output 'raises' stands alone and names one of {sorted(ERRORS)}"]
    params = inspect.signature(ADAPTERS[case["kind"]]).parameters
    if not any(p.kind is p.VAR_KEYWORD for p in params.values()):
        problems += [f"unknown input {k!r}" for k in sorted(set(case["input"]) - set(params))]
    return problems


def _load() -> list[Any]:
    params, seen = [], set()
    for path in sorted(CASES_DIR.glob("*.yaml")):
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(cases, list) or not cases:
            msg = f"{path.name}: a case file is a non-empty list of cases"
            raise ValueError(msg)
        for i, case in enumerate(cases):
            where = (
                f"{path.name} case {i + 1} ({case.get('name') if isinstance(case, dict) else '?'})"
            )
            problems = _schema_problems(case)
            if problems:
                raise ValueError(f"{where}: {'; '.join(problems)}")
            cid = f"{path.stem}-{case['name']}"
            if cid in seen:
                raise ValueError(f"{where}: duplicate case id {cid!r}")
            seen.add(cid)
            marks = []
            if "xfail_reason" in case:
                marks.append(pytest.mark.xfail(reason=case["xfail_reason"], strict=True))
            params.append(pytest.param(case, id=cid, marks=marks))
    return params


CASES = _load()


def test_enough_cases() -> None:
    """The golden set covers every kind and holds at least 30 cases."""
    kinds = {p.values[0]["kind"] for p in CASES}
    assert len(CASES) >= 30
    assert kinds == set(ADAPTERS)


def test_schema_rejects_unknown_keys() -> None:
    case = {"name": "x", "kind": "half_up", "source": "s", "input": {}, "output": {"v": 1}}
    assert _schema_problems(case) == []
    assert _schema_problems({**case, "ouptut": {}}) == ["unknown key 'ouptut'"]
    assert _schema_problems({**case, "input": {"nume": 1}}) == ["unknown input 'nume'"]
    assert _schema_problems({**case, "output": {}}) == ["output is empty: the case checks nothing"]


@pytest.mark.parametrize("case", CASES)
def test_case(case: dict[str, Any]) -> None:
    adapter, expected = ADAPTERS[case["kind"]], case["output"]
    if "raises" in expected:
        with pytest.raises(ERRORS[expected["raises"]]):
            adapter(**case["input"])
        return
    got = adapter(**case["input"])
    missing = sorted(set(expected) - set(got))
    assert not missing, f"the {case['kind']} adapter gives no {missing}; it gives {sorted(got)}"
    assert {k: got[k] for k in expected} == expected
