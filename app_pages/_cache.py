"""Cached thin wrappers over costshare, keyed on hashable inputs (text, names, dates).

Every number the pages show comes through here from the library; nothing is computed in
page code. A wrapper that raises (an :class:`~costshare.errors.InputError`) caches
nothing, so the page shows the library's message and the next good input is computed.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from costshare import rules
from costshare.community.scenario import Scenario, ScenarioResult, default_scenario_path
from costshare.report import charts
from costshare.report.table_xlsx import scenario_result_xlsx

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "scenarios"
MAX_YAML_BYTES = 1_000_000
"""Upload limit for a scenario YAML file (bytes); also enforced by the uploader (1 MB)."""


def _is_community(path: Path) -> bool:
    """True if the YAML file is a community scenario (has a ``community`` key)."""
    from costshare._yaml import load_yaml
    from costshare.errors import InputError

    try:
        raw = load_yaml(path)
    except (InputError, OSError, UnicodeDecodeError):
        return True  # let the page show the library's message for a broken file
    return isinstance(raw, dict) and "community" in raw


@st.cache_data(ttl=60, show_spinner=False)
def bundled_scenarios() -> dict[str, str]:
    """File name → path of the bundled community scenarios, the default first.

    Files in ``scenarios/`` without a ``community`` key (PPP scenarios such as
    ``ppp_example.yaml``) are left out; the PPP page lists those.
    """
    default = default_scenario_path()
    files = sorted(SCENARIO_DIR.glob("*.yaml")) if SCENARIO_DIR.is_dir() else []
    others = [p for p in files if p.resolve() != default.resolve() and _is_community(p)]
    return {p.name: str(p) for p in [default, *others]}


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
    """Validate scenario YAML text; plain data back (raises InputError naming the field)."""
    return Scenario.from_yaml(name, text=text).to_dict()


def to_json(raw: dict[str, Any]) -> str:
    """A stable text key for plain scenario data."""
    return json.dumps(raw, ensure_ascii=False, sort_keys=True, default=str)


def _scenario(raw_json: str, name: str) -> Scenario:
    return Scenario.from_dict(json.loads(raw_json), name)


@st.cache_data(show_spinner=False, max_entries=64)
def run_scenario(raw_json: str, name: str) -> ScenarioResult:
    """Validate and run a scenario given as JSON text."""
    return _scenario(raw_json, name).run()


@st.cache_data(show_spinner=False, max_entries=64)
def scenario_yaml(raw_json: str, name: str) -> str:
    """The scenario as YAML text (the download of the edited scenario)."""
    return _scenario(raw_json, name).to_yaml()


@st.cache_data(show_spinner=False, max_entries=32)
def result_xlsx(raw_json: str, name: str) -> bytes:
    """Sources and uses, split and indicators as xlsx bytes."""
    return scenario_result_xlsx(run_scenario(raw_json, name))


@st.cache_data(show_spinner=False, max_entries=64)
def result_csv(raw_json: str, name: str) -> bytes:
    """The sources-and-uses table as UTF-8 CSV (with BOM, so Excel reads Chinese)."""
    from costshare.report._safe import escape_frame

    table = run_scenario(raw_json, name).table().drop(columns="amount_fen")
    return escape_frame(table).to_csv(index=False).encode("utf-8-sig")


@st.cache_data(show_spinner=False, max_entries=64)
def sankey(raw_json: str, name: str, lang: str) -> Any:
    """Plotly sankey figure of the scenario."""
    return charts.sankey_figure(run_scenario(raw_json, name), lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=64)
def waterfall(raw_json: str, name: str, lang: str) -> Any:
    """Plotly waterfall figure of the scenario."""
    return charts.waterfall_figure(run_scenario(raw_json, name), lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False)
def jurisdictions() -> list[str]:
    """Keys of the bundled rule tables."""
    return rules.available()


@st.cache_data(show_spinner=False)
def rule_meta(key: str, on: dt.date) -> dict[str, Any]:
    """Name, payers and categories of a rule table on a date."""
    rs = rules.load(key, on)
    return {"name": rs.name, "payers": dict(rs.payers), "categories": dict(rs.categories)}


@st.cache_data(show_spinner=False)
def vocabulary() -> dict[str, dict[str, str]]:
    """Categories and payers of every bundled rule table (key → Chinese name), merged.

    The work-items editor offers these whatever the jurisdiction, so its columns (and
    so the user's edits) stay the same when the jurisdiction changes.
    """
    cats: dict[str, str] = {}
    payers: dict[str, str] = {"pooled": "资金方案统筹"}
    for key in rules.available():
        rs = rules.load(key)
        for k, v in rs.categories.items():
            cats.setdefault(k, v)
        for k, v in rs.payers.items():
            payers.setdefault(k, v)
    return {"categories": cats, "payers": payers}


@st.cache_data(show_spinner=False)
def provenance(key: str, on: dt.date) -> pd.DataFrame:
    """Every rule of `key` in force on `on`, with its source (see RuleSet.provenance)."""
    return rules.load(key, on).provenance()


@st.cache_data(show_spinner=False, max_entries=16)
def comparison(named_texts: tuple[tuple[str, str], ...], lang: str) -> pd.DataFrame:
    """Side-by-side table of several scenarios given as (name, YAML text) pairs."""
    results = {name: Scenario.from_yaml(name, text=text).run() for name, text in named_texts}
    return charts.comparison_table(results, lang)  # type: ignore[arg-type]


# -- city portfolios ---------------------------------------------------------------------
PORTFOLIO_DIR = ROOT / "portfolios"
MAX_TABLE_BYTES = 5_000_000
"""Upload limit for a portfolio table (bytes); the uploader also enforces 5 MB."""
_TABLE_SUFFIXES = (".yaml", ".yml", ".csv", ".xlsx")


@st.cache_data(ttl=60, show_spinner=False)
def bundled_portfolios() -> dict[str, str]:
    """File name → path of the bundled portfolios (YAML, CSV, XLSX)."""
    if not PORTFOLIO_DIR.is_dir():
        return {}
    files = [p for p in sorted(PORTFOLIO_DIR.iterdir()) if p.suffix.lower() in _TABLE_SUFFIXES]
    return {p.name: str(p) for p in files}


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


@st.cache_data(show_spinner=False, max_entries=16)
def portfolio_result(name: str, data: bytes, uploaded: bool) -> Any:
    """Read and run a portfolio given as file bytes; templates resolve in ``portfolios/``.

    An uploaded portfolio must list its communities inline (or be a table) and may only
    use template scenarios from the app's own folders, so an upload cannot make the
    server read other files.
    """
    import dataclasses
    import tempfile

    from costshare._yaml import load_yaml
    from costshare.community.portfolio import Portfolio
    from costshare.errors import InputError, Problem

    suffix = Path(name).suffix.lower()
    if suffix in (".yaml", ".yml"):
        raw = load_yaml(name, data.decode("utf-8", errors="replace"))
        if uploaded and isinstance(raw, dict) and isinstance(raw.get("communities"), str):
            msg = "an uploaded portfolio must list its communities inline (or upload the table)"
            raise InputError(Problem(msg, file=name, field="communities"))
        p = Portfolio.from_dict(raw, base_dir=PORTFOLIO_DIR, file=name)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(name).name
            path.write_bytes(data)
            p = Portfolio.from_file(path)
        p = dataclasses.replace(p, base_dir=PORTFOLIO_DIR)
    if uploaded:
        templates = {p.template or "", *p.table["template"].fillna("").astype(str)} - {""}
        for tpl in sorted(templates):
            if not _inside(PORTFOLIO_DIR / tpl, ROOT):
                msg = f"template {tpl!r} is outside the app's scenario folders"
                raise InputError(Problem(msg, file=name, field="template"))
    return p.run()


@st.cache_data(show_spinner=False, max_entries=16)
def portfolio_figure(name: str, data: bytes, uploaded: bool, by: str) -> Any:
    """Stacked bar of funding by channel per district or community."""
    from costshare.community.portfolio import portfolio_figure as fig

    return fig(portfolio_result(name, data, uploaded), by=by)


@st.cache_data(show_spinner=False, max_entries=16)
def portfolio_xlsx(name: str, data: bytes, uploaded: bool) -> bytes:
    """The portfolio workbook (summary, communities, one sheet per channel) as bytes."""
    import tempfile

    from costshare.report._portfolio_xlsx import write_portfolio_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        path = write_portfolio_xlsx(portfolio_result(name, data, uploaded), Path(tmp) / "p.xlsx")
        return path.read_bytes()


@st.cache_data(show_spinner=False, max_entries=16)
def portfolio_csv(name: str, data: bytes, uploaded: bool) -> bytes:
    """The wide community table as UTF-8 CSV with BOM, text cells escaped."""
    from costshare.report._safe import escape_frame

    wide = portfolio_result(name, data, uploaded).wide()
    return escape_frame(wide).to_csv(index=False).encode("utf-8-sig")


# -- PPP / finance -----------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=32)
def loan(
    principal: float, rate: float, years: int, method: str, per_year: int, grace: float
) -> pd.DataFrame:
    """Loan schedule (costshare.finance.loan_schedule), exact to the fen."""
    from costshare.finance import loan_schedule

    return loan_schedule(principal, rate, years, method, per_year, grace)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=32)
def loan_fig(
    principal: float, rate: float, years: int, method: str, per_year: int, grace: float, lang: str
) -> Any:
    """Stacked interest/principal chart of the loan schedule."""
    return charts.loan_figure(loan(principal, rate, years, method, per_year, grace), lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=32)
def flow_metrics(flows: tuple[float, ...], rate: float) -> dict[str, Any]:
    """NPV, IRR (with the several-roots flag), payback and discounted payback of a series."""
    from costshare import finance

    res = finance.irr(list(flows), full_output=True)
    return {
        "npv": float(finance.npv(rate, list(flows))),
        "irr": float(res.rate),
        "multiple": bool(res.multiple),
        "payback": finance.payback(list(flows)),
        "discounted_payback": finance.discounted_payback(rate, list(flows)),
    }


@st.cache_data(show_spinner=False, max_entries=32)
def flow_fig(flows: tuple[float, ...], lang: str) -> Any:
    """Annual and cumulative cash-flow chart."""
    return charts.cashflow_figure(flows, lang)  # type: ignore[arg-type]


# -- household sheets --------------------------------------------------------------------
MAX_ROSTER_BYTES = 5_000_000
"""Upload limit for a roster (bytes); the uploader also enforces 5 MB."""
SAMPLE_ROSTER = ROOT / "costshare" / "data" / "sample_roster.xlsx"
ROSTER_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt")


def sample_roster() -> tuple[str, bytes]:
    """Name and bytes of the bundled synthetic roster."""
    return SAMPLE_ROSTER.name, read_bytes(str(SAMPLE_ROSTER), SAMPLE_ROSTER.stat().st_mtime)


@st.cache_data(show_spinner=False, max_entries=8)
def read_bytes(path: str, mtime: float) -> bytes:
    """Bytes of a bundled file (`mtime` makes an edited file a new cache entry)."""
    del mtime
    return Path(path).read_bytes()


@st.cache_data(show_spinner=False, max_entries=8)
def roster(name: str, data: bytes) -> pd.DataFrame:
    """:func:`costshare.households.roster.read_roster` on file bytes (raises InputError naming rows).

    The bytes are written under the file's base name in a private temporary folder, so
    the library's messages name the file the user uploaded.
    """
    import tempfile

    from costshare.households.roster import read_roster

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (Path(name).name or "roster.csv")
        path.write_bytes(data)
        return read_roster(path)


@st.cache_data(show_spinner=False, max_entries=8)
def roster_choices(name: str, data: bytes) -> dict[str, Any]:
    """What the scope and exemption pickers offer: buildings, stairwells, floors, units."""
    from costshare.households.sheet import _labels

    r = roster(name, data)

    def values(col: str, frame: pd.DataFrame = r) -> list[str]:
        return sorted(frame[col].astype(str).unique().tolist()) if col in frame else []

    stairwells = {
        b: values("stairwell", r[r["building"].astype(str) == b]) for b in values("building")
    }
    return {
        "households": len(r),
        "buildings": values("building"),
        "stairwells": stairwells,
        "all_stairwells": values("stairwell"),
        "floors": sorted(int(f) for f in r["floor"].unique()) if "floor" in r else [],
        "units": _labels(r).tolist(),
        "has_headcount": "headcount" in r and bool(r["headcount"].notna().any()),
        "has_names": "owner_name" in r,
    }


@st.cache_data(show_spinner=False)
def floor_rule_keys() -> list[str]:
    """Rule tables that have a floor rule (for basis 'floor')."""
    return [k for k in rules.available() if rules.load(k).floor_rules]


def _basis(spec: dict[str, Any]) -> str | dict[str, Any]:
    """The contribution_sheet basis: a name, or an area mix with exact decimal weights."""
    from decimal import Decimal

    if spec["basis"] != "mix":
        return spec["basis"]
    area = Decimal(int(spec["mix_area_pct"])) / 100
    return {"area": str(area), spec["mix_other"]: str(Decimal(1) - area)}


def _scope_kwargs(spec: dict[str, Any], basis: Any) -> dict[str, Any]:
    kw: dict[str, Any] = {
        "building": spec.get("building"),
        "stairwell": spec.get("stairwell"),
        "exempt": tuple(spec.get("exempt") or ()),
        "exempt_floors": tuple(spec.get("exempt_floors") or ()),
    }
    if "floor" in str(basis):
        kw["floor_rule"] = spec.get("floor_rule")
    return kw


@st.cache_data(show_spinner=False, max_entries=16)
def household_sheet(name: str, data: bytes, spec_json: str) -> pd.DataFrame:
    """The contribution sheet for the page's choices (``spec_json``, see household.py)."""
    from costshare.households.sheet import contribution_sheet

    spec = json.loads(spec_json)
    basis = _basis(spec)
    kw = _scope_kwargs(spec, basis)
    if basis == "fixed":
        kw["fixed"] = spec["fixed"]
    elif spec["amount"] == "scenario":
        sname = spec["scenario"]
        kw["scenario"] = Scenario.from_yaml(sname, text=bundled_text(sname))
    else:
        kw["total"] = spec["total"]
    return contribution_sheet(roster(name, data), basis=basis, **kw)


@st.cache_data(show_spinner=False, max_entries=16)
def household_fairness(name: str, data: bytes, spec_json: str) -> tuple[pd.DataFrame, list[str]]:
    """Fairness summary: the chosen basis, then the other bases at the same total.

    A basis the roster cannot support (no headcount, a floor beyond the floor rule) is
    left out and its library message returned as a note.
    """
    from costshare.errors import InputError
    from costshare.households.fairness import fairness_summary
    from costshare.money import to_yuan

    spec = json.loads(spec_json)
    total = to_yuan(household_sheet(name, data, spec_json).attrs["costshare"]["total_fen"])
    chosen = _basis(spec)
    bases: list[Any] = [
        chosen,
        *(b for b in ("area", "floor", "headcount", "equal") if b != chosen),
    ]
    r = roster(name, data)
    frames, notes = [], []
    for b in bases:
        kw = _scope_kwargs(spec, b)
        if b == "fixed":
            kw["fixed"] = spec["fixed"]
        try:
            frames.append(fairness_summary(r, [b], total=total, **kw))
        except InputError as exc:
            notes.append(f"{b}: {exc}")
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return table, notes


@st.cache_data(show_spinner=False, max_entries=16)
def household_floor_fig(name: str, data: bytes, spec_json: str, lang: str) -> Any:
    """Share of the total by floor under each compared basis."""
    return charts.floor_share_figure(household_fairness(name, data, spec_json)[0], lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=16)
def household_preview(name: str, data: bytes, spec_json: str, show_names: bool) -> pd.DataFrame:
    """The sheet as the exports show it (Chinese headers, yuan); names masked unless asked."""
    from costshare.report.notice import mask_name
    from costshare.report.sheet import sheet_display

    sheet = household_sheet(name, data, spec_json)
    if "owner_name" in sheet and not show_names:
        sheet = sheet.assign(owner_name=sheet["owner_name"].map(mask_name).astype("str"))
    return sheet_display(sheet)


@st.cache_data(show_spinner=False, max_entries=16)
def household_sources(
    name: str, data: bytes, spec_json: str
) -> tuple[list[tuple[str, str]], pd.DataFrame]:
    """Parameters and rule sources of the sheet."""
    from costshare.report.sheet import sheet_sources

    return sheet_sources(household_sheet(name, data, spec_json))


def _export(write: Any, sheet: pd.DataFrame, filename: str, **kwargs: Any) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return Path(write(sheet, Path(tmp) / filename, **kwargs)).read_bytes()


@st.cache_data(show_spinner=False, max_entries=8)
def household_xlsx(name: str, data: bytes, spec_json: str) -> bytes:
    """The sheet for collection as xlsx (names shown, parameters-and-sources sheet)."""
    from costshare.report.sheet import write_sheet_xlsx

    return _export(write_sheet_xlsx, household_sheet(name, data, spec_json), "sheet.xlsx")


@st.cache_data(show_spinner=False, max_entries=8)
def household_csv(name: str, data: bytes, spec_json: str) -> bytes:
    """The sheet as UTF-8-with-BOM CSV."""
    from costshare.report.sheet import write_sheet_csv

    return _export(write_sheet_csv, household_sheet(name, data, spec_json), "sheet.csv")


@st.cache_data(show_spinner=False, max_entries=8)
def household_pdf(name: str, data: bytes, spec_json: str, community: str) -> bytes:
    """The public notice (公示) as A4 PDF, names masked."""
    import warnings

    from costshare.report.notice import write_notice

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a missing CJK font still gives a readable notice
        return _export(
            write_notice, household_sheet(name, data, spec_json), "notice.pdf", community=community
        )


# -- PPP project model -------------------------------------------------------------------
PPP_FILES = ("ppp_example.yaml", "ppp/*.yaml")
"""Bundled PPP scenarios, relative to ``scenarios/``."""


@st.cache_data(ttl=60, show_spinner=False)
def bundled_ppp() -> dict[str, str]:
    """Name (relative to ``scenarios/``) → path of the bundled PPP scenarios."""
    files: list[Path] = []
    for pattern in PPP_FILES:
        files += sorted(SCENARIO_DIR.glob(pattern))
    return {p.relative_to(SCENARIO_DIR).as_posix(): str(p) for p in files}


def bundled_ppp_text(name: str) -> str:
    """Text of the bundled PPP scenario called `name`."""
    path = bundled_ppp()[name]
    return read_text(path, Path(path).stat().st_mtime)


@st.cache_data(show_spinner=False, max_entries=16)
def ppp_parse(text: str, name: str) -> dict[str, Any]:
    """Validate PPP scenario YAML text; plain (JSON-ready) data back, or InputError."""
    from costshare._yaml import load_yaml
    from costshare.ppp import PPPProject

    return PPPProject.from_dict(load_yaml(name, text), name).model_dump(mode="json")


def ppp_edit(
    base: dict[str, Any], drivers: dict[str, Any], revenues: list[dict], om: list[dict]
) -> str:
    """The base scenario with the page's drivers and stream edits, as JSON text.

    `drivers` maps dotted field paths (``"financing.loan.annual_rate"``) to values;
    `revenues` / `om` are the editors' rows in the base's order (only the edited fields
    replace the base's, so ramp-ups and end years are kept).
    """
    import copy

    raw = copy.deepcopy(base)
    for dotted, value in drivers.items():
        *path, last = dotted.split(".")
        node = raw
        for part in path:
            if node.get(part) is None:
                break
            node = node[part]
        else:
            node[last] = value
    for key, rows in (("revenues", revenues), ("om_costs", om)):
        raw[key] = [{**old, **new} for old, new in zip(raw.get(key) or [], rows, strict=False)]
    return to_json(raw)


@st.cache_data(show_spinner=False, max_entries=32)
def ppp_project(raw_json: str, name: str) -> Any:
    """The validated :class:`costshare.ppp.PPPProject` (InputError names the field)."""
    from costshare.ppp import PPPProject

    return PPPProject.from_dict(json.loads(raw_json), name)


@st.cache_data(show_spinner=False, max_entries=32)
def ppp_results(raw_json: str, name: str) -> dict[str, Any]:
    """Cash-flow table, metrics, value for money and (if possible) affordability."""
    from costshare.errors import InputError
    from costshare.ppp import affordability, cash_flow_table, metrics, simulate, value_for_money

    p = ppp_project(raw_json, name)
    fl = simulate(p)
    out: dict[str, Any] = {
        "table": cash_flow_table(p, fl),
        "metrics": metrics(p, fl),
        "vfm": value_for_money(p, fl),
        "affordability": None,
        "affordability_error": None,
        "regime": p.regime,
        "start_year": p.start_year,
        "limit": p.fiscal.limit_share if p.fiscal else 0.10,
        "warning": p.fiscal.warning_share if p.fiscal else 0.05,
    }
    try:
        out["affordability"] = affordability(p, fl)
    except InputError as exc:
        out["affordability_error"] = str(exc)
    return out


@st.cache_data(show_spinner=False, max_entries=32)
def ppp_cashflow_fig(raw_json: str, name: str, lang: str) -> Any:
    """Annual project and equity cash flows."""
    return charts.ppp_cashflow_figure(ppp_results(raw_json, name)["table"], lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=32)
def ppp_afford_fig(raw_json: str, name: str, lang: str) -> Any:
    """Obligations share by year against the 10 % and 5 % lines (None without fiscal data)."""
    r = ppp_results(raw_json, name)
    if r["affordability"] is None:
        return None
    return charts.affordability_figure(
        r["affordability"].table,
        lang,  # type: ignore[arg-type]
        limit=r["limit"],
        warning=r["warning"],
        start_year=r["start_year"],
    )


def ppp_tornado_defaults(raw_json: str, name: str) -> tuple[list[str], list[str], float]:
    """Drivers offered, drivers preselected (the scenario's, else all) and its change."""
    from costshare.ppp import DRIVERS

    p = ppp_project(raw_json, name)
    offered = [*DRIVERS, *(f"revenue.{r.name}" for r in p.revenues)]
    chosen = [d.driver for d in p.sensitivity.tornado] or list(DRIVERS)
    change = p.sensitivity.tornado[0].change if p.sensitivity.tornado else 0.10
    return offered, chosen, change


@st.cache_data(show_spinner=False, max_entries=32)
def ppp_tornado(raw_json: str, name: str, drivers: tuple[str, ...], change: float) -> pd.DataFrame:
    """Tornado table for these drivers, each moved by ±`change`."""
    from costshare.ppp import tornado
    from costshare.ppp.model import TornadoDriver

    p = ppp_project(raw_json, name)
    return tornado(p, [TornadoDriver(driver=d, change=change) for d in drivers])


@st.cache_data(show_spinner=False, max_entries=32)
def ppp_tornado_fig(
    raw_json: str, name: str, drivers: tuple[str, ...], change: float, lang: str
) -> Any:
    """Tornado chart of project NPV."""
    return charts.tornado_figure(ppp_tornado(raw_json, name, drivers, change), lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=16)
def ppp_monte_carlo(raw_json: str, name: str, draws: int, seed: int) -> Any:
    """Seeded Monte Carlo over the scenario's drivers (InputError if it has none)."""
    from costshare.ppp import monte_carlo

    return monte_carlo(ppp_project(raw_json, name), draws=draws, seed=seed)


@st.cache_data(show_spinner=False, max_entries=16)
def ppp_mc_fig(raw_json: str, name: str, draws: int, seed: int, lang: str) -> Any:
    """Histogram of project NPV over the draws, p5 / p50 / p95 marked."""
    mc = ppp_monte_carlo(raw_json, name, draws, seed)
    return charts.montecarlo_figure(mc.samples, mc.summary, lang)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=32)
def ppp_subsidy_for_irr(raw_json: str, name: str, target: float) -> Any:
    """Smallest flat annual subsidy reaching the target equity IRR (Decimal yuan)."""
    from costshare.ppp import subsidy_for_equity_irr

    return subsidy_for_equity_irr(ppp_project(raw_json, name), target)


@st.cache_data(show_spinner=False, max_entries=32)
def ppp_max_loan(raw_json: str, name: str, min_dscr: float) -> Any:
    """Largest loan keeping the minimum DSCR at or above `min_dscr` (Decimal yuan)."""
    from costshare.ppp import max_loan_for_dscr

    return max_loan_for_dscr(ppp_project(raw_json, name), min_dscr)


@st.cache_data(show_spinner=False, max_entries=32)
def ppp_csv(raw_json: str, name: str) -> bytes:
    """The annual cash-flow table in yuan as UTF-8-with-BOM CSV."""
    from costshare.money import to_yuan

    table = ppp_results(raw_json, name)["table"]
    yuan = {
        c.removesuffix("_fen"): [to_yuan(int(v)) for v in table[c]]
        for c in table.columns
        if c.endswith("_fen")
    }
    keep = [c for c in table.columns if not c.endswith("_fen")]
    return (
        pd.DataFrame({**{c: table[c] for c in keep}, **yuan})
        .to_csv(index=False)
        .encode("utf-8-sig")
    )
