"""分户分摊 Household sheet: roster in, basis and exemptions chosen, sheet, fairness, downloads."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from pathlib import Path

import streamlit as st

from app_pages import _cache
from app_pages import _cache_household as _hh
from app_pages._i18n import jur_name, lang, sheet_headers, t
from app_pages._notice_fields import notice_fields
from app_pages._progress import LARGE_ROSTER, run_long
from app_pages._roster_input import roster_input
from app_pages._store_widgets import store_panel
from app_pages._widgets import audit_expander, download, md_escape
from costshare.errors import InputError
from costshare.households.basis import area_mix
from costshare.jobs import SheetJob
from costshare.jobs.base import today as jobs_today
from costshare.jobs.notice import NoticeFields
from costshare.money import format_amount, to_fen

K = "household_"  # session-key prefix of this page
# rules in force today; the notice is dated today, in Asia/Shanghai
today = jobs_today()

st.title(t("hh.title"))


st.caption(t("hh.intro"))

# -- 1. the roster: the fictional sample, or an upload kept for the session -------------
roster, choices = roster_input(
    K, "help.hh.upload", ("building", "stairwell", "exempt_floors", "exempt")
)

# -- 2. amount, basis, scope, exemptions -------------------------------------------------
bases = ["area", "floor", "headcount", "equal", "fixed", "airport", "mix"]
c1, c2, c3 = st.columns(3)
with c1:
    basis = st.selectbox(
        t("hh.basis"),
        bases,
        format_func=lambda k: t(f"hh.basis.{k}"),
        help=t("help.hh.basis"),
        key=K + "basis",
    )
    floor_keys = _hh.floor_rule_keys(today)
    floor_rule = st.selectbox(
        t("hh.floor_rule"),
        floor_keys,
        format_func=lambda k: jur_name(k),
        help=t("help.hh.floor_rule"),
        disabled=basis not in ("floor", "mix"),
        key=K + "floor_rule",
    )
    if basis in ("floor", "mix"):
        st.caption(_hh.floor_rule_cite(floor_rule, today, lang()))
    mix_area = mix_other = None
    if basis == "mix":
        mix_area = st.slider(
            t("hh.mix_area"), 0, 100, 70, step=5, help=t("help.hh.mix_area"), key=K + "mix_area"
        )
        mix_other = st.selectbox(
            t("hh.mix_other"),
            ["equal", "floor", "headcount"],
            format_func=lambda k: t(f"hh.basis.{k}"),
            help=t("help.hh.mix_other"),
            key=K + "mix_other",
        )
with c2:
    amount = st.radio(
        t("hh.amount"),
        ["total", "scenario"],
        format_func=lambda k: t(f"hh.amount.{k}"),
        disabled=basis == "fixed",
        help=t("help.hh.amount"),
        key=K + "amount",
    )
    total = st.number_input(
        t("hh.total"),
        help=t("help.hh.total"),
        min_value=0.0,
        value=100_000.0,
        step=1_000.0,
        format="%.2f",
        disabled=amount != "total" or basis == "fixed",
        key=K + "total",
    )
    scenario = st.selectbox(
        t("hh.scenario"),
        list(_cache.bundled_scenarios()),
        disabled=amount != "scenario" or basis == "fixed",
        help=t("help.hh.scenario"),
        key=K + "scenario",
    )
    per = st.radio(
        t("hh.per"),
        ["total", "household", "m2"],
        format_func=lambda k: t(f"hh.per.{k}"),
        disabled=amount != "scenario" or basis == "fixed",
        help=t("help.hh.per"),
        key=K + "per",
    )
    fixed = st.number_input(
        t("hh.fixed"),
        min_value=0.0,
        value=500.0,
        step=50.0,
        format="%.2f",
        disabled=basis != "fixed",
        help=t("help.hh.fixed"),
        key=K + "fixed",
    )
with c3:
    building = st.selectbox(
        t("hh.building"),
        [None, *choices["buildings"]],
        format_func=lambda b: t("hh.all") if b is None else str(b),
        help=t("help.hh.building"),
        key=K + "building",
    )
    stairwells = choices["stairwells"].get(building, []) if building else choices["all_stairwells"]
    stairwell = st.selectbox(
        t("hh.stairwell"),
        [None, *stairwells],
        format_func=lambda s: t("hh.all") if s is None else str(s),
        help=t("help.hh.stairwell"),
        key=K + "stairwell",
    )
    exempt_floors = st.multiselect(
        t("hh.exempt_floors"),
        choices["floors"],
        placeholder=t("common.choose"),
        help=t("help.hh.exempt_floors"),
        key=K + "exempt_floors",
    )
    exempt = st.multiselect(
        t("hh.exempt"),
        choices["units"],
        placeholder=t("common.choose"),
        help=t("help.hh.exempt"),
        key=K + "exempt",
    )

if basis == "fixed":
    money = {"kind": "fixed", "yuan_per_household": Decimal(f"{fixed:.2f}")}
elif amount == "scenario":
    money = {"kind": "scenario", "scenario": {"bundled": scenario}, "per": per}
else:
    money = {"kind": "total", "yuan": Decimal(f"{total:.2f}")}
try:
    job = SheetJob.parse(
        {
            "roster": roster,
            "amount": money,
            "basis": area_mix(mix_area, mix_other) if basis == "mix" else basis,
            "floor_rule": floor_rule if basis in ("floor", "mix") else None,
            "building": building,
            "stairwell": stairwell,
            "exempt": tuple(exempt),
            "exempt_floors": tuple(int(f) for f in exempt_floors) or None,
            "on": today,
        },
        "form",
    )
    sheet = _hh.sheet(job)
    fairness, skipped = _hh.fairness(job, floor_rule)
except InputError as exc:  # the job's refusal: file, row and field, or the mismatch
    hint = f"\n\n{t('hh.per_hint')}" if money["kind"] == "scenario" else ""
    st.error(f"{t('hh.error')}\n\n{md_escape(str(exc))}{hint}")
    st.stop()

# -- 3. results --------------------------------------------------------------------------
head = fairness.iloc[0]
m = [*st.columns(3), *st.columns(3)]
m[0].metric(t("hh.m.total"), format_amount(to_fen(head["total"])))
m[1].metric(t("hh.m.households"), f"{len(sheet):,} / {len(sheet) - int(head['zero_payers']):,}")
m[2].metric(t("hh.m.mean"), format_amount(to_fen(head["mean"])))
m[3].metric(t("hh.m.max", unit=head["max_unit"]), format_amount(to_fen(head["max"])))
m[4].metric(t("hh.m.min", unit=head["min_unit"]), format_amount(to_fen(head["min"])))
m[5].metric(t("hh.m.spread"), format_amount(to_fen(head["spread"])))

tab_sheet, tab_fair, tab_src = st.tabs(
    [t("hh.tab.sheet"), t("hh.tab.fairness"), t("hh.tab.sources")]
)
with tab_sheet:
    show_names = st.toggle(
        t("hh.show_names"),
        value=False,
        disabled=not choices["has_names"],
        help=t("help.hh.show_names"),
        key=K + "show_names",
    )
    st.dataframe(
        sheet_headers(_hh.preview(job, show_names)),
        hide_index=True,
        width="stretch",
        height=420,
        placeholder="",
    )
with tab_fair:
    st.caption(t("hh.fair_help"))
    st.plotly_chart(_hh.floor_fig(job, floor_rule, lang()), key=K + "chart")
    st.dataframe(
        _hh.fairness_view(fairness, lang()), hide_index=True, width="stretch", placeholder=""
    )
    if skipped:
        st.info(t("hh.fair_skipped") + "\n\n" + "\n\n".join(skipped))
with tab_src:
    params, sources = _hh.sources(job)
    st.dataframe(
        {t("col.parameter"): [p for p, _ in params], t("col.value"): [v for _, v in params]},
        hide_index=True,
        width="stretch",
        placeholder="",
    )
    st.dataframe(
        _hh.sources_view(sources, lang()), hide_index=True, width="stretch", placeholder=""
    )
    audit_expander(sheet, K)

# -- 4. downloads ------------------------------------------------------------------------
# Built only when clicked (deferred): a rerun computes what the page shows, not the files
# (the PDF notice of 3,000 households takes seconds).
stem = Path(roster.name).stem
community = st.text_input(
    t("hh.community"), value="", help=t("help.hh.community"), key=K + "community"
)
notice = notice_fields(t, K, today)
# the notice's words are part of the request: the saved version rebuilds the posted file
job = job.model_copy(update={"notice": NoticeFields(community=community, **notice)})
d1, d2, d3 = st.columns(3)
download(
    d1,
    t("dl.sheet_xlsx"),
    partial(_hh.xlsx, job),
    f"{stem}_sheet.xlsx",
    K + "dl_xlsx",
)
download(
    d2,
    t("dl.sheet_csv"),
    partial(_hh.csv, job),
    f"{stem}_sheet.csv",
    K + "dl_csv",
)
notice_pdf = partial(_hh.pdf, job)
if len(sheet) >= LARGE_ROSTER:  # a long notice: built on request, with progress and cancel
    notice_pdf = run_long(
        K + "notice",
        ("notice", job.digest()),
        partial(_hh.notice_with, job),
        label=t("progress.notice.pages"),
        start=d3.button(t("progress.build_notice"), key=K + "build_pdf"),
    )
if notice_pdf is not None:
    download(d3, t("dl.notice_pdf"), notice_pdf, f"{stem}_notice.pdf", K + "dl_pdf")

# -- 5. the store: the job's record (roster digest, request, totals); 公示 tag ------------
record = job.record(sheet)
store_panel(
    SheetJob.job,
    f"{stem}_{t('hh.store_name')}",
    K,
    record,
    results=record["results"],
    publish=job,  # the stored version's notice is rebuilt from its record
)
