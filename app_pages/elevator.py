"""加装电梯 Elevator retrofit for one stairwell: net cost after subsidies, shares by floor, notice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import _cache_household as _hh
from app_pages._i18n import jur_name, lang, sheet_headers, t
from app_pages._notice_fields import notice_fields
from app_pages._roster_input import roster_input
from app_pages._store_widgets import store_panel
from app_pages._widgets import download, md_escape
from costshare.errors import InputError
from costshare.jobs import SheetJob
from costshare.jobs.notice import NoticeFields
from costshare.money import format_amount
from costshare.rules import cite

K = "elevator_"
today = dt.date.today()  # rules in force today; the notice is dated today

st.title(t("elev.title"))
st.caption(t("elev.intro"))

roster, choices = roster_input(
    K, "help.elev.upload", ("building", "stairwell", "exempt_floors", "exempt")
)

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
    format_func=lambda c: t("elev.no_subsidy") if c == "none" else jur_name(c),
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
    format_func=jur_name,
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


def _yuan(x: float) -> Decimal:
    return Decimal(f"{x:.2f}")


try:
    job = SheetJob.parse(
        {
            "roster": roster,
            "amount": {
                "kind": "elevator",
                "cost": _yuan(cost),
                "elevators": int(elevators),
                "pipes_cost": _yuan(pipes),
                "fund_use": _yuan(fund_use),
                "provident_fund": _yuan(pf),
                "other_subsidy": _yuan(other),
                "subsidy": city is not None,
            },
            "jurisdiction": city or "national",
            "basis": "floor",
            "floor_rule": floor_rule,
            "building": building,
            "stairwell": stairwell,
            "exempt": tuple(exempt),
            "exempt_floors": tuple(int(f) for f in exempt_floors),
            "on": today,
        },
        "form",
    )
    sheet = _hh.sheet(job)
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
    f"{t('elev.rule')}：{cite(net.rule, lang()) if net.rule else t('elev.no_rule')}\n"
    f"{t('elev.rule_floor')}：{_hh.floor_rule_cite(floor_rule, today, lang())}"
)

st.dataframe(
    sheet_headers(_hh.preview(job, False)),
    hide_index=True,
    width="stretch",
    height=360,
    placeholder="",
)
community = st.text_input(
    t("hh.community"), value="", help=t("help.elev.community"), key=K + "community"
)
notice = notice_fields(t, K, today)  # issuer, posting, objection, signatures: the office's words
job = job.model_copy(update={"notice": NoticeFields(community=community, **notice)})  # recorded
d1, d2 = st.columns(2)
stem = f"elevator_{building}_{stairwell}"
download(
    d1,
    t("dl.sheet_xlsx"),
    partial(_hh.xlsx, job),
    f"{stem}.xlsx",
    K + "dl_xlsx",
)
download(
    d2,
    t("dl.notice_pdf"),
    partial(_hh.pdf, job),
    f"{stem}_notice.pdf",
    K + "dl_pdf",
)

# -- 3. the store: the job's record (roster digest, request, totals); 公示 tag ------------
record = job.record(sheet)
store_panel(
    SheetJob.job,
    f"{stem}_{t('elev.store_name')}",
    K,
    record,
    results=record["results"],
    publish=job,  # the stored version's notice is rebuilt from its record
)
