"""电梯全寿命费用 An elevator over its life: building cost, maintenance, electricity, compensation.

The page builds an :class:`~costshare.jobs.ElevatorLifeJob` (the same request as
``costshare elevator-life``) from its inputs and shows what the job gives: each
household's building cost, lifetime maintenance and electricity, and the low-floor
compensation it pays or receives, explained line by line. Every amount is the user's
assumption (A): no seed gives one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import streamlit as st

from app_pages import _cache_household as _hh
from app_pages import _cache_mech as cm
from app_pages._elevator_life_view import assumptions_frame, household_frame
from app_pages._elevator_life_view import workbook as life_workbook
from app_pages._i18n import jur_name, label, lang, t
from app_pages._roster_input import roster_input
from app_pages._store_widgets import store_panel
from app_pages._widgets import download, md_escape
from costshare.errors import InputError
from costshare.jobs import ElevatorLifeJob
from costshare.money import format_amount, to_yuan

K = "elife_"
today = dt.date.today()  # rules in force today (only the floor basis reads a rule)
BASES = ("airport", "area", "equal", "headcount", "floor")

st.title(t("elife.title"))
st.caption(t("elife.intro"))

roster, choices = roster_input(
    K, "help.elife.upload", ("building", "stairwell", "comp_floors", "exempt_floors")
)

# -- 1. the stairwell, the life and the amounts (all assumptions) ----------------------
c1, c2, c3 = st.columns(3)
building = c1.selectbox(
    t("hh.building"), choices["buildings"], help=t("help.elife.building"), key=K + "building"
)
stairwells = choices["stairwells"].get(building, []) or choices["all_stairwells"]
stairwell = c1.selectbox(
    t("hh.stairwell"), stairwells, help=t("help.elife.stairwell"), key=K + "stairwell"
)
years = c1.number_input(t("elife.years"), 1, 100, 15, help=t("help.elife.years"), key=K + "years")


def _yuan_input(where: Any, key: str, value: float, step: float) -> float:
    return where.number_input(
        t(f"elife.{key}"), min_value=0.0, value=value, step=step, format="%.2f",
        help=t(f"help.elife.{key}"), key=K + key,
    )  # fmt: skip


cost = _yuan_input(c2, "cost", 600_000.0, 10_000.0)
maintenance = _yuan_input(c2, "maintenance", 0.0, 1_000.0)
operation = _yuan_input(c2, "operation", 0.0, 500.0)
compensation = _yuan_input(c3, "compensation", 0.0, 1_000.0)
floors = choices["floors"]
comp_floors = c3.multiselect(
    t("elife.comp_floors"), floors, default=[f for f in (1,) if f in floors],
    placeholder=t("common.choose"), help=t("help.elife.comp_floors"), key=K + "comp_floors",
)  # fmt: skip
exempt_floors = c3.multiselect(
    t("elife.exempt_floors"), floors, default=[f for f in (1,) if f in floors],
    placeholder=t("common.choose"), help=t("help.elife.exempt_floors"), key=K + "exempt_floors",
)  # fmt: skip
b1, b2, b3 = st.columns(3)
basis = b1.selectbox(t("elife.basis"), BASES, format_func=lambda b: label("basis", b),
                     help=t("help.elife.basis"), key=K + "basis")  # fmt: skip
running = b2.selectbox(t("elife.running_basis"), BASES, format_func=lambda b: label("basis", b),
                       help=t("help.elife.running_basis"), key=K + "running")  # fmt: skip
jurisdiction = "national"
if "floor" in (basis, running):  # the floor basis reads a city's coefficient table
    jurisdiction = b3.selectbox(t("elife.jur"), _hh.floor_rule_keys(today), format_func=jur_name,
                                help=t("help.elife.jur"), key=K + "jur")  # fmt: skip


def _yuan(x: float) -> Decimal:
    return Decimal(f"{x:.2f}")


try:
    job = ElevatorLifeJob.parse(
        {
            "roster": roster, "building": building, "stairwell": stairwell,
            "cost": _yuan(cost), "maintenance": _yuan(maintenance),
            "operation": _yuan(operation), "years": int(years),
            "compensation": _yuan(compensation),
            "compensated_floors": tuple(int(f) for f in comp_floors),
            "exempt_floors": tuple(int(f) for f in exempt_floors),
            "basis": basis, "running_basis": running, "jurisdiction": jurisdiction,
            "on": today,
        },
        "form",
    )  # fmt: skip
    table = cm.run(job)
except InputError as exc:
    st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}")
    st.stop()

# -- 2. the totals, each household's share and why ---------------------------------------
head = job.headline(table)
running_fen = head["maintenance_fen"] + head["operation_fen"]
m = st.columns(4)
m[0].metric(t("elife.m.cost"), format_amount(head["cost_fen"]))
m[1].metric(t("elife.m.running"), format_amount(running_fen))
m[2].metric(t("elife.m.comp"), format_amount(int(table["comp_received_fen"].sum())))
m[3].metric(t("elife.m.total"), format_amount(head["net_fen"]))
st.caption(
    t("elife.check", total=to_yuan(head["net_fen"]), cost=to_yuan(head["cost_fen"]),
      years=int(years), maintenance=_yuan(maintenance), operation=_yuan(operation))
)  # fmt: skip
st.warning(t("elife.assumed"))

shown = household_frame(table, int(years), lang())
headers = {c: t(f"elife.col.{c}") for c in shown.columns}
st.dataframe(shown, hide_index=True, width="stretch", key=K + "table",
             column_config=headers, placeholder="")  # fmt: skip

# -- 3. the workbook and the store --------------------------------------------------------
figures = {"years": int(years), "maintenance": _yuan(maintenance),
           "operation": _yuan(operation), "compensation": _yuan(compensation)}  # fmt: skip
stem = f"elevator_life_{building}_{stairwell}"
workbook = life_workbook(shown, assumptions_frame(figures, lang()), lang())
download(st, t("dl.sheet_xlsx"), workbook, f"{stem}.xlsx", K + "dl_xlsx")
record = job.record(table)
store_panel(ElevatorLifeJob.job, f"{stem}_{t('elife.store_name')}", K, record, record["results"])
