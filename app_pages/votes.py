"""业主表决 Owners' vote: register and ballots in, the tally with margins and its rule out."""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import partial
from zoneinfo import ZoneInfo

import streamlit as st

from app_pages import _cache, _cache_household
from app_pages import _cache_votes as _v
from app_pages._editors import editor, set_base
from app_pages._i18n import label, lang, t
from app_pages._store_widgets import store_panel
from app_pages._widgets import download, md_escape
from costshare import rules
from costshare.errors import InputError
from costshare.store.content import OWNERS_VOTE, owners_vote_content

K = "votes_"
VOTES = ["yes", "no", "abstain", "absent"]

st.title(t("votes.title"))
st.caption(t("votes.intro"))


def _upload(label: str, key: str) -> tuple[str, bytes] | None:
    up = st.file_uploader(
        label, type=["xlsx", "csv"], max_upload_size=5, help=t(f"help.votes.{key}"), key=K + key
    )
    if up is None:
        return None
    if up.size > _v.MAX_BYTES:
        st.error(t("common.upload_too_big", size=up.size, limit=_v.MAX_BYTES))
        return None
    return up.name, up.getvalue()


# -- 1. the register and the ballots -----------------------------------------------------
c1, c2 = st.columns(2)
with c1:
    source = st.radio(
        t("votes.register"),
        ["sample", "upload"],
        format_func=lambda k: t(f"votes.register.{k}"),
        horizontal=True,
        help=t("help.votes.source"),
        key=K + "source",
    )
    name, data = _cache_household.sample_roster()
    if source == "upload":
        got = _upload(t("votes.register_upload"), "register_up")
        if got is None:
            st.info(t("votes.register_hint"))
        else:
            name, data = got
with c2:
    ballots_up = _upload(t("votes.ballots_upload"), "ballots_up")
    if ballots_up is None and source == "sample":
        ballots_up = _v.sample_ballots()
        st.caption(t("votes.sample_ballots"))

try:
    units = _v.register(name, data)
    uploaded = _v.ballots(*ballots_up) if ballots_up else None
except InputError as exc:
    st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}")
    st.stop()

digest = hashlib.sha256(name.encode() + data + (ballots_up[1] if ballots_up else b"")).hexdigest()
if st.session_state.get(K + "digest") != digest:
    st.session_state[K + "digest"] = digest
    start = units[["unit_id"]].astype({"unit_id": str}).assign(vote="absent")
    if uploaded is not None:
        given = dict(zip(uploaded["unit_id"], uploaded["vote"].fillna("absent"), strict=True))
        start["vote"] = [given.get(u, "absent") for u in start["unit_id"]]
    set_base(K + "ballots", start)

# -- 2. the matter and the rules ---------------------------------------------------------
jurisdictions = _cache.jurisdictions()
m1, m2, m3 = st.columns(3)
jur = m1.selectbox(
    t("community.jurisdiction"),
    jurisdictions,
    index=jurisdictions.index("national") if "national" in jurisdictions else 0,
    format_func=lambda k: label("jur", k),
    help=t("help.votes.jurisdiction"),
    key=K + "jurisdiction",
)
on = m2.date_input(
    t("votes.date"),
    value=dt.datetime.now(ZoneInfo("Asia/Shanghai")).date(),  # the vote's day, in China
    help=t("help.votes.date"),
    key=K + "date",
)
matters = _v.matters(jur, on)
matter = m3.selectbox(
    t("votes.matter"),
    list(matters),
    format_func=lambda m: f"{label('votes.matter', m)} · {matters[m]}",
    help=t("votes.matter_help"),
    key=K + "matter",
)

with st.expander(t("votes.ballots"), expanded=False):
    st.caption(t("votes.ballots_help"))
    edited = editor(
        K + "ballots",
        num_rows="fixed",
        width="stretch",
        hide_index=True,
        height=300,
        column_config={
            "unit_id": st.column_config.TextColumn(t("votes.col.unit"), disabled=True),
            "vote": st.column_config.SelectboxColumn(
                t("votes.col.vote"),
                options=VOTES,
                required=True,
                format_func=lambda v: t(f"votes.vote.{v}"),
            ),
        },
    )

# -- 3. the tally ------------------------------------------------------------------------
try:
    result = _v.count(units, edited, matter, jur, on)
except InputError as exc:
    st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}")
    st.stop()

verdict = "passed" if result.passed else "failed"
r1, r2, r3, r4 = st.columns(4)
r1.metric(t("votes.m.verdict"), t(f"votes.{verdict}"))
c, a = result.counts, result.areas_centiares
r2.metric(t("votes.m.yes"), f"{c['yes']:,} · {a['yes'] / 100:,.2f} m²")
n_p, n_y = result.more_participants, result.more_yes
r3.metric(t("votes.m.more_part"), "" if n_p is None else f"{n_p:,}")
r4.metric(t("votes.m.more_yes"), "" if n_y is None else f"{n_y:,}")
if n_p is None or (result.quorum_met and n_y is None):
    st.warning(t("votes.unreachable"))

st.markdown(f"**{t('votes.rule')}**")
st.text(f"{result.rule.label or ''}\n{rules.cite(result.rule, lang())}")

st.dataframe(_v.checks_frame(result), hide_index=True, width="stretch", placeholder="")
# -- 4. ballot forms and downloads ------------------------------------------------------
b1, b2, b3 = st.columns(3)
community = b1.text_input(t("votes.community"), help=t("help.votes.community"), key=K + "community")
return_to = b2.text_input(t("votes.return_to"), help=t("help.votes.return_to"), key=K + "return")
deadline = b3.text_input(t("votes.deadline"), help=t("help.votes.deadline"), key=K + "deadline")
proposal = st.text_input(t("votes.proposal"), help=t("help.votes.proposal"), key=K + "proposal")
ballots_pdf = partial(
    _v.ballot_pdf, name, data, matter, jur, on, community, deadline, return_to, proposal
)
d1, d2, d3 = st.columns(3)
download(d1, t("votes.dl_ballots"), ballots_pdf, f"ballots_{matter}.pdf", K + "dl_ballots")
download(d2, t("dl.csv"), _v.result_csv(result), f"vote_{matter}.csv", K + "dl_csv")
download(d3, t("votes.dl_json"), _v.to_json(result), f"vote_{matter}.json", K + "dl_json")

# -- 5. the store: register and ballots digests, parameters, counts; 已发放 tag -----------
counts = {"households": result.owners, **result.counts}
totals = {**counts, "passed": result.passed}
store_panel(
    OWNERS_VOTE,
    f"{t('votes.store_name')}_{label('votes.matter', matter)}",
    K,
    owners_vote_content(
        data,
        dict(zip(edited["unit_id"], edited["vote"], strict=True)),
        {"matter": matter, "jurisdiction": jur, "on": on.isoformat(), "community": community},
        totals,
        register_name=name,
    ),
    results=counts,
    publish=ballots_pdf,
)
