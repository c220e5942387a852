"""城市计划 City plan: a portfolio of communities, totals by funding channel, payer, district."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import streamlit as st

from app_pages import _cache_city as _cc
from app_pages._doc_state import scope
from app_pages._i18n import label, lang, t
from app_pages._progress import run_long
from app_pages._store_widgets import open_stored, store_panel
from app_pages._widgets import audit_expander, download, md_escape
from costshare import kinds
from costshare.errors import InputError
from costshare.jobs import PortfolioJob
from costshare.money import format_amount, to_fen, to_yuan

K = "city_"

st.title(t("city.title"))
st.caption(t("city.intro"))

bundled = _cc.bundled_portfolios()
options = ["bundled", "upload", "store"] if bundled else ["upload", "store"]
source = st.radio(
    t("city.source"),
    options,
    format_func=lambda k: t(f"city.source.{k}"),
    horizontal=True,
    help=t("help.city.source"),
    key=K + "source",
)
name = data = None
uploaded = source != "bundled"
if source == "bundled":
    pick = st.selectbox(
        t("city.bundled"), list(bundled), help=t("help.city.bundled"), key=K + "bundled"
    )
    name, data = pick, Path(bundled[pick]).read_bytes()
elif source == "store":
    got = open_stored("portfolio", K)
    if got is not None:
        name, data = got[0], _cc.stored_portfolio(got[1], got[0])
else:
    up = st.file_uploader(
        t("city.upload"),
        type=["yaml", "yml", "csv", "xlsx"],
        max_upload_size=5,
        help=t("help.city.upload"),
        key=K + "upload",
    )
    if up is not None and up.size > _cc.MAX_TABLE_BYTES:
        st.error(t("common.upload_too_big", size=up.size, limit=_cc.MAX_TABLE_BYTES))
    elif up is not None:
        name, data = up.name, up.getvalue()

if name is None:
    st.info(t("city.none"))
    st.stop()


def _run(job: PortfolioJob) -> Any:
    """The portfolio's result, run with progress and a cancel button (a big city: seconds)."""
    out = run_long(K + "run", ("portfolio", job.digest()), job.run, label=t("nav.city"))
    if out is None:  # cancelled: the page says so and offers to run it again
        st.stop()
    return out


doc_name = Path(name).stem  # the stored document: the same whichever districts are shown
today = dt.date.today()
job = None  # a bundled YAML portfolio is a request (its districts a patch); files are read
if source == "bundled" and name in kinds.bundled("portfolio"):
    job = PortfolioJob.parse({"portfolio": {"bundled": name}, "on": today}, name)
try:
    result = _run(job) if job else _cc.portfolio_result(name, data, uploaded)
    districts = sorted({d for d in result.communities["district"] if isinstance(d, str) and d})
    chosen = districts
    if len(districts) >= 2:  # something to choose
        chosen = st.multiselect(
            t("city.districts"),
            districts,
            default=districts,
            placeholder=t("common.choose"),
            help=t("help.city.districts"),
            key=scope(K, name, hashlib.sha256(data).hexdigest())[0] + "districts",
        )
        if not chosen:
            st.info(t("city.no_district"))
            st.stop()
    # only some districts: the page runs (and saves) the portfolio of their communities
    subset = None if set(chosen) == set(districts) else tuple(sorted(chosen))
    content = _cc.portfolio_content(name, data, uploaded, subset)
    if subset is not None and job is not None:
        patch = {"communities": _cc.portfolio_rows(content, name)}
        source_ = {"bundled": name, "patch": patch}
        job = PortfolioJob.parse({"portfolio": source_, "on": today}, name)
        result = _run(job)
    elif subset is not None:
        name, data, uploaded = f"{Path(name).stem}.yaml", content.encode(), True
        result = _cc.portfolio_result(name, data, uploaded)
except InputError as exc:
    st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}")
    st.stop()
key = job.digest() if job else hashlib.sha256(f"{name}\n{uploaded}\n".encode() + data).hexdigest()


def _line(key: str, line: str) -> str:
    """A funding line in the chosen language (a payer's or a channel's name)."""
    if key.startswith("payer:"):
        return label("payer", key.removeprefix("payer:"), line)
    return label("channel", key, label("chart", key, line))


st.subheader(md_escape(result.name))
tot = result.totals()
gap_fen = to_fen(tot["gap"])
m = [*st.columns(3), *st.columns(3)]
m[0].metric(t("city.communities"), f"{tot['communities']:,}")
m[1].metric(t("city.households"), f"{tot['households']:,}")
m[2].metric(t("city.with_gap"), f"{tot['communities_with_gap']:,}")
m[3].metric(t("m.uses"), format_amount(to_fen(tot["uses"]), "万元"))
m[4].metric(t("m.sources"), format_amount(to_fen(tot["sources"]), "万元"))
gap_label = t("m.gap") if gap_fen > 0 else t("m.surplus") if gap_fen < 0 else t("m.balanced")
m[5].metric(gap_label, format_amount(abs(gap_fen), "万元"))

by = st.radio(
    t("city.by"),
    ["district", "community"],
    format_func=lambda k: t(f"city.by.{k}"),
    horizontal=True,
    help=t("help.city.by"),
    key=K + "by",
)
st.plotly_chart(_cc.portfolio_figure(key, result, by, lang()), key=K + "chart")

tab_ch, tab_pay, tab_dist, tab_comm = st.tabs(
    [
        t("city.tab.channels"),
        t("city.tab.payers"),
        t("city.tab.districts"),
        t("city.tab.communities"),
    ]
)
money = st.column_config.NumberColumn
with tab_ch:
    ch = result.by_channel()
    st.dataframe(
        ch.assign(line=[_line(k, n) for k, n in zip(ch["key"], ch["line"], strict=True)]),
        hide_index=True,
        width="stretch",
        column_order=["line", "amount", "communities"],
        column_config={
            "line": t("col.channel"),
            "amount": money(t("col.amount"), format="accounting"),
            "communities": t("col.communities"),
        },
        placeholder="",
    )
with tab_pay:
    pay = result.by_payer()
    st.dataframe(
        pay.assign(
            label=[label("payer", p, n) for p, n in zip(pay["payer"], pay["label"], strict=True)]
        ),
        hide_index=True,
        width="stretch",
        column_order=["label", "amount"],
        column_config={
            "label": t("col.payer"),
            "amount": money(t("col.amount"), format="accounting"),
        },
        placeholder="",
    )
with tab_dist:
    dist = result.by_district()
    yuan = {c: [to_yuan(v) for v in dist[f"{c}_fen"]] for c in ("uses", "sources", "gap")}
    st.dataframe(
        dist.assign(**yuan),
        hide_index=True,
        width="stretch",
        column_order=["district", "households", "uses", "sources", "gap"],
        column_config={
            "district": t("col.district"),
            "households": money(t("col.households"), format="localized"),
            **{c: money(t(f"col.{c}"), format="accounting") for c in ("uses", "sources", "gap")},
        },
        placeholder="",
    )
with tab_comm:
    cols = ["id", "name", "district", "households", "area_m2", "uses", "sources", "gap"]
    cols += ["residents", "uses_per_household", "uses_per_m2"]
    st.dataframe(
        result.table(),
        hide_index=True,
        width="stretch",
        column_config={
            c: money(t(f"col.{c}"), format="accounting")
            if c not in ("id", "name", "district", "households")
            else t(f"col.{c}")
            for c in cols
        },
        placeholder="",
    )

stem = Path(name).stem if subset is None else f"{doc_name}_{len(chosen)}"
d1, d2 = st.columns(2)
download(
    d1,
    t("dl.portfolio_xlsx"),
    _cc.portfolio_xlsx(key, result),
    f"{stem}_portfolio.xlsx",
    K + "dl_xlsx",
)
download(
    d2,
    t("dl.csv"),
    _cc.portfolio_csv(key, result),
    f"{stem}_portfolio.csv",
    K + "dl_csv",
)
audit_expander(result, K)
headline = {
    "uses_fen": to_fen(tot["uses"]),
    "sources_fen": to_fen(tot["sources"]),
    "gap_fen": gap_fen,
    "households": int(tot["households"]),
}
if job is not None:  # the job's record (kind: the job's name), its headline beside it
    record = job.record(result)
    store_panel(job.job, doc_name, K, record, {**record["results"], **headline})
else:
    store_panel("portfolio", doc_name, K, content, headline)
