"""业主表决 Owners' vote: register and ballots in, the tally with margins and its rule out.

The page builds a :class:`~costshare.jobs.VoteJob`; every ballot must name a unit of the
register (``1-1-101`` or 楼栋/单元/房号 columns) or the job refuses, listing them.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from app_pages import _cache
from app_pages import _cache_votes as _v
from app_pages._editors import editor, set_base
from app_pages._i18n import jur_name, label, lang, t
from app_pages._roster_input import kept_upload, sample_roster
from app_pages._store_widgets import store_panel
from app_pages._widgets import download, md_escape
from costshare.errors import InputError
from costshare.jobs import VoteJob
from costshare.jobs.vote import ISSUER
from costshare.money import amount_fen, to_yuan
from costshare.rules import cite

K = "votes_"
VOTES = ["yes", "no", "abstain", "absent"]

st.title(t("votes.title"))
st.caption(t("votes.intro"))


def _refused(exc: InputError, extra: str = "") -> None:
    st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}" + extra)
    st.stop()


# -- 1. the register and the ballots (uploads kept for the session) ---------------------
c1, c2 = st.columns(2)
with c1:
    if K + "source" not in st.session_state:  # first visit, or back from another page
        kept = K + "register_up_kept" in st.session_state
        st.session_state[K + "source"] = "upload" if kept else "sample"
    source = c1.radio(
        t("votes.register"),
        ["sample", "upload"],
        format_func=lambda k: t(f"votes.register.{k}"),
        horizontal=True,
        help=t("help.votes.source"),
        key=K + "source",
    )
    units = sample_roster()
    if source == "upload":
        got = kept_upload(
            c1, t("votes.register_upload"), t("help.votes.register_up"), K + "register_up"
        )
        if got is None:
            st.info(t("roster.upload_wait"))
            st.stop()
        units = got
with c2:
    ballots = kept_upload(
        c2, t("votes.ballots_upload"), t("help.votes.ballots_up"), K + "ballots_up"
    )
    if ballots is None and source == "sample":
        ballots = _v.sample_ballots()
        st.caption(t("votes.sample_ballots"))

try:
    register = _v.register(units)
    given = _v.ballots(ballots) if ballots else None
except InputError as exc:
    _refused(exc, f"\n\n{t('roster.fix')}")
if source == "sample":
    st.info(t("roster.sample", n=len(register)))
else:
    st.caption(t("roster.kept", name=units.name, n=len(register)))

# -- 2. the matter and the rules ---------------------------------------------------------
jurisdictions = _cache.jurisdictions()
m1, m2, m3 = st.columns(3)
jur = m1.selectbox(
    t("community.jurisdiction"),
    jurisdictions,
    index=jurisdictions.index("national") if "national" in jurisdictions else 0,
    format_func=lambda k: jur_name(k),
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

request = {"units": units, "matter": matter, "jurisdiction": jur, "on": on}
if given is not None:  # every uploaded ballot must name a unit of the register
    try:
        _v.count(VoteJob.parse({**request, "ballots": ballots}))
    except InputError as exc:
        missing = _v.unmatched(units, ballots)
        if missing:
            st.dataframe(pd.DataFrame({t("votes.col.unit"): missing}), hide_index=True)
        _refused(exc, f"\n\n{t('votes.unmatched_hint')}")

start = register[["unit_id"]].astype({"unit_id": str}).assign(vote="absent")
if given is not None:
    votes = dict(zip(given["unit_id"], given["vote"].fillna("absent"), strict=True))
    start["vote"] = [votes.get(u, "absent") for u in start["unit_id"]]
digest = units.sha256 + (ballots.sha256 if ballots else "")
if st.session_state.get(K + "digest") != digest:  # new documents: the editor starts again
    st.session_state[K + "digest"] = digest
    set_base(K + "ballots", start)

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

# -- 3. the tally: the uploaded ballots as they are, or as edited on the page -------------
as_uploaded = given is not None and edited["vote"].tolist() == start["vote"].tolist()
if given is not None and not as_uploaded:
    st.caption(t("votes.edited"))
try:
    job = VoteJob.parse(
        {**request, "ballots": ballots if as_uploaded else _v.edited_ballots(edited)}
    )
    result = _v.count(job)
except InputError as exc:
    _refused(exc)

verdict = "passed" if result.passed else "failed"
r1, r2, r3, r4 = st.columns([2, 3, 2, 2])  # owners · area is the longest value
r1.metric(t("votes.m.verdict"), t(f"votes.{verdict}"))
c, a = result.counts, result.areas_centiares
r2.metric(t("votes.m.yes"), f"{c['yes']:,} · {a['yes'] / 100:,.2f} m²")
n_p, n_y = result.more_participants, result.more_yes
r3.metric(t("votes.m.more_part"), "" if n_p is None else f"{n_p:,}")
r4.metric(t("votes.m.more_yes"), "" if n_y is None else f"{n_y:,}")
if n_p is None or (result.quorum_met and n_y is None):
    st.warning(t("votes.unreachable"))

st.markdown(f"**{t('votes.rule')}**")
st.text(f"{result.rule.label or ''}\n{cite(result.rule, lang())}")

st.dataframe(_v.checks_frame(result), hide_index=True, width="stretch", placeholder="")
# -- 4. ballot forms (their words are part of the request) and downloads ----------------
b1, b2, b3 = st.columns(3)
community = b1.text_input(t("votes.community"), help=t("help.votes.community"), max_chars=200,
                          key=K + "community")  # fmt: skip
return_to = b2.text_input(t("votes.return_to"), help=t("help.votes.return_to"), max_chars=500,
                          key=K + "return")  # fmt: skip
deadline = b3.text_input(t("votes.deadline"), help=t("help.votes.deadline"), max_chars=200,
                         key=K + "deadline")  # fmt: skip
proposal = st.text_input(t("votes.proposal"), help=t("help.votes.proposal"), max_chars=500,
                         key=K + "proposal")  # fmt: skip
issuer = st.text_input(t("votes.issuer"), placeholder=t("votes.issuer_default"), max_chars=200,
                       help=t("help.votes.issuer"), key=K + "issuer")  # fmt: skip
s1, s2 = st.columns(2)
share_total = s1.text_input(t("votes.share_total"), help=t("help.votes.share_total"), max_chars=20,
                            key=K + "share_total").strip()  # fmt: skip
share_basis = s2.selectbox(t("hh.basis"), ["area", "equal", "headcount"], key=K + "share_basis",
                           format_func=lambda b: t(f"hh.basis.{b}"),
                           help=t("help.votes.share_basis"), disabled=not share_total)  # fmt: skip
o1, o2 = st.columns(2)
side = o1.radio(t("hh.notice.orientation"), ["portrait", "landscape"], horizontal=True,
                format_func=lambda v: t(f"hh.notice.{v}"), help=t("help.votes.orientation"),
                key=K + "orientation")  # fmt: skip
names = o2.checkbox(t("votes.names"), value=True, help=t("help.votes.names"), key=K + "names")
words = {"community": community, "return_to": return_to, "deadline": deadline.strip(),
         "proposal": proposal, "issuer": issuer.strip() or ISSUER, "names": names,
         "orientation": side}  # fmt: skip
try:  # the counted request with the ballot's words: what is saved, published, rebuilt
    if share_total:  # the amount voted on, shared over the register as the sheet shares it
        yuan = to_yuan(amount_fen(share_total, t("votes.share_total")))
        words["share"] = {"amount": {"kind": "total", "yuan": yuan}, "basis": share_basis}
    job = VoteJob.parse({**request, "ballots": job.ballots, "ballot": words})
except InputError as exc:
    _refused(exc)
ballots_pdf = partial(_v.ballot_pdf, job)
d1, d2, d3, d4 = st.columns(4)
download(d1, t("votes.dl_ballots"), ballots_pdf, f"ballots_{matter}.pdf", K + "dl_ballots")
download(d2, t("dl.csv"), _v.result_csv(result), f"vote_{matter}.csv", K + "dl_csv")
download(d3, t("votes.dl_json"), _v.to_json(result), f"vote_{matter}.json", K + "dl_json")
# the ballots file counted (as uploaded, or as edited here): what recomputes a saved record
download(d4, t("votes.dl_counted"), job.ballots.content(), job.ballots.name, K + "dl_counted")

# -- 5. the store: the job's record (file digests, request, counts); 已发放 tag ----------
# the community named for the ballot forms is recorded too: a plan's consent gate reads the
# stored vote by DOC@V and checks it is this community's (GateJob.stored_votes)
counted = job.model_copy(update={"community": community.strip() or None})
record = counted.record(result)
store_panel(
    VoteJob.job,
    f"{t('votes.store_name')}_{label('votes.matter', matter)}",
    K,
    record,
    results=record["results"],
    publish=counted,  # the stored version's ballot forms are rebuilt from its record
)
