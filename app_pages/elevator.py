"""加装电梯 Elevator retrofit for one stairwell: net cost after subsidies, shares by floor, notice."""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import _cache_household as _hh
from app_pages._i18n import lang, sheet_headers, t
from app_pages._store_widgets import store_panel
from app_pages._widgets import download, md_escape
from costshare import rules
from costshare.errors import InputError
from costshare.money import format_amount
from costshare.store import household_sheet_content

K = "elevator_"
today = dt.date.today()  # rules in force today; the notice is dated today

st.title(t("elev.title"))
st.caption(t("elev.intro"))

name, data = _hh.sample_roster()
up = st.file_uploader(
    t("hh.upload"),
    type=["xlsx", "csv"],
    max_upload_size=5,
    help=t("help.elev.upload"),
    key=K + "upload",
)
if up is not None and up.size <= _hh.MAX_ROSTER_BYTES:
    name, data = up.name, up.getvalue()
try:
    choices = _hh.roster_choices(name, data)
except InputError as exc:
    st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}\n\n{t('hh.fallback')}")
    name, data = _hh.sample_roster()
    choices = _hh.roster_choices(name, data)

# -- 1. the stairwell and the elevator ---------------------------------------------------
c1, c2, c3 = st.columns(3)
buildings = choices["buildings"]
building = c1.selectbox(t("hh.building"), buildings, key=K + "building", help=t("elev.scope_help"))
stairwells = choices["stairwells"].get(building, []) or choices["all_stairwells"]
stairwell = c1.selectbox(
    t("hh.stairwell"), stairwells, help=t("help.elev.stairwell"), key=K + "stairwell"
)
cost = c2.number_input(
    t("elev.cost"),
    min_value=0.0,
    value=600_000.0,
    step=10_000.0,
    format="%.2f",
    help=t("help.elev.cost"),
    key=K + "cost",
)
cities = ["none", *_hh.elevator_cities(today)]
picked = c2.selectbox(  # no city preselected: the user picks the rule set
    t("elev.city"),
    cities,
    index=None,
    placeholder=t("elev.pick_city"),
    format_func=lambda c: t("elev.no_subsidy") if c == "none" else t(f"jur.{c}"),
    help=t("elev.city_help"),
    key=K + "city",
)
city = None if picked in (None, "none") else picked
elevators = c2.number_input(
    t("elev.count"), min_value=1, value=1, step=1, help=t("help.elev.count"), key=K + "count"
)


def _yuan_input(where: Any, key: str, text: str) -> float:
    return where.number_input(
        t(text), min_value=0.0, value=0.0, step=1000.0, help=t(f"help.elev.{key}"), key=K + key
    )


pipes = _yuan_input(c3, "pipes", "elev.pipes")
fund_use = _yuan_input(c3, "fund", "elev.fund")
pf = _yuan_input(c3, "pf", "elev.pf")
other = _yuan_input(c3, "other", "elev.other")

f1, f2 = st.columns(2)
floor_keys = _hh.floor_rule_keys(today)
floor_rule = f1.selectbox(
    t("hh.floor_rule"),
    floor_keys,
    index=floor_keys.index(city) if city in floor_keys else 0,
    format_func=lambda k: t(f"jur.{k}"),
    help=t("elev.floor_help"),
    key=K + "floor_rule",
)
exempt_floors = f2.multiselect(
    t("hh.exempt_floors"),
    choices["floors"],
    default=[f for f in (1, 2) if f in choices["floors"]],
    placeholder=t("common.choose"),
    help=t("help.elev.exempt_floors"),
    key=K + "exempt_floors",
)
exempt = st.multiselect(
    t("elev.opt_out"),
    choices["units"],
    placeholder=t("common.choose"),
    help=t("help.elev.opt_out"),
    key=K + "exempt",
)

if picked is None:
    st.info(t("elev.pick_city_first"))
    st.stop()
form = {
    "amount": "elevator",
    "total": "0",
    "scenario": None,
    "floor_rule": floor_rule,
    "spec": {
        "basis": "floor",
        "building": building,
        "stairwell": stairwell,
        "exempt": list(exempt),
        "exempt_floors": [int(f) for f in exempt_floors],
        "elevator": {
            "cost": f"{cost:.2f}",
            "city": city,
            "elevators": int(elevators),
            "pipes_cost": f"{pipes:.2f}",
            "fund_use": f"{fund_use:.2f}",
            "provident_fund": f"{pf:.2f}",
            "other_subsidy": f"{other:.2f}",
        },
    },
}
spec_json = json.dumps(form, ensure_ascii=False, sort_keys=True)
try:
    sheet = _hh.household_sheet(name, data, spec_json, today)
except InputError as exc:
    st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}")
    st.stop()

# -- 2. cost to net, then the shares -----------------------------------------------------
net = sheet.meta.elevator
m = st.columns(4)
m[0].metric(t("elev.m.cost"), format_amount(net.cost_fen))
m[1].metric(t("elev.m.subsidy"), format_amount(net.subsidy_fen + net.pipes_subsidy_fen))
m[2].metric(t("elev.m.net"), format_amount(net.net_fen))
m[3].metric(t("elev.m.households"), f"{len(sheet):,}")
st.dataframe(
    pd.DataFrame(
        {
            t("col.line"): [t(f"elev.step.{k}") for k, _ in net.steps],
            t("col.amount"): [format_amount(v) for _, v in net.steps],
        }
    ),
    hide_index=True,
    width="stretch",
    placeholder="",
)
st.text(
    f"{t('elev.rule')}：{rules.cite(net.rule, lang()) if net.rule else t('elev.no_rule')}\n"
    f"{t('elev.rule_floor')}：{_hh.floor_rule_cite(floor_rule, today, lang())}"
)

st.dataframe(
    sheet_headers(_hh.household_preview(name, data, spec_json, today, False)),
    hide_index=True,
    width="stretch",
    height=360,
    placeholder="",
)
community = st.text_input(
    t("hh.community"), value="", help=t("help.elev.community"), key=K + "community"
)
d1, d2 = st.columns(2)
stem = f"elevator_{building}_{stairwell}"
download(
    d1,
    t("dl.sheet_xlsx"),
    partial(_hh.household_xlsx, name, data, spec_json, today),
    f"{stem}.xlsx",
    K + "dl_xlsx",
)
download(
    d2,
    t("dl.notice_pdf"),
    partial(_hh.household_pdf, name, data, spec_json, today, community),
    f"{stem}_notice.pdf",
    K + "dl_pdf",
)

# -- 3. the store: this split's record (roster digest, parameters, totals); 公示 tag -------
totals = {"total_fen": int(sheet.table["share_fen"].sum()), "households": len(sheet)}
store_panel(
    "household_sheet",
    f"{stem}_{t('elev.store_name')}",
    K,
    household_sheet_content(
        data, {**form, "rules_on": today.isoformat()}, totals, roster_name=name
    ),
    results=totals,
    publish=partial(_hh.household_pdf, name, data, spec_json, today, community),
)
