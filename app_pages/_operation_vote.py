"""The operation page's owners' vote on public income (Civil Code Art. 278).

Without ballots the page flags that the owners must vote; with a register and ballots
(the owners' vote page's readers: xlsx/csv, Chinese headers 房号/面积/表决意见) it shows
the one vote engine's tally (:func:`costshare.operation.result.public_income_vote`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _cache_votes
from app_pages._i18n import t
from app_pages._roster_input import kept_upload, sample_roster
from app_pages._widgets import md_escape
from costshare.errors import InputError
from costshare.i18n import Lang
from costshare.operation.result import VOTE_MATTER, OperationResult, public_income_vote
from costshare.rules import cite


def _inputs(key: str) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The register and the ballots the user chose, or None (no vote yet)."""
    source = st.radio(
        t("op.vote_source"),
        ["none", "sample", "upload"],
        format_func=lambda k: t(f"op.vote_source.{k}"),
        horizontal=True,
        help=t("help.op.vote_source", cite=st.session_state[key + "vote_cite"]),
        key=key + "vote_source",
    )
    if source == "none":
        return None
    if source == "sample":
        st.caption(t("op.sample_vote"))
        return _cache_votes.register(sample_roster()), _cache_votes.ballots(
            _cache_votes.sample_ballots()
        )
    c1, c2 = st.columns(2)
    files = [
        kept_upload(c, t(f"op.{f}"), t(f"help.op.{f}"), key + f)
        for c, f in ((c1, "register_upload"), (c2, "ballots_upload"))
    ]
    reg, bal = files
    if reg is None or bal is None:
        st.info(t("op.vote_hint"))
        return None
    return _cache_votes.register(reg), _cache_votes.ballots(bal)


def vote_section(result: OperationResult, lang: Lang, key: str) -> None:
    """The public-income vote: the flag, or the tally of the ballots given."""
    rule = result.rules.vote_rule(VOTE_MATTER)
    flag = result.vote
    st.subheader(t("op.vote_title"))
    st.session_state[key + "vote_cite"] = cite(rule, lang)
    try:
        got = _inputs(key)
        if got is None:
            st.info(
                t("op.vote", area=flag["approve_area"], owners=flag["approve_owners"],
                  document=flag["document"], article=flag["article"])
            )  # fmt: skip
            return
        units, ballots = got
        given = dict(zip(ballots["unit_id"], ballots["vote"].fillna("absent"), strict=True))
        res = public_income_vote(units, given, result.rules)
    except InputError as exc:
        st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}")
        return
    verdict = t("votes.passed" if res.passed else "votes.failed")
    c = res.counts
    m = st.columns(4)
    m[0].metric(t("votes.m.verdict"), verdict)
    m[1].metric(t("votes.m.yes"), f"{c['yes']:,} · {res.areas_centiares['yes'] / 100:,.2f} m²")
    n_p, n_y = res.more_participants, res.more_yes
    m[2].metric(t("votes.m.more_part"), "" if n_p is None else f"{n_p:,}")
    m[3].metric(t("votes.m.more_yes"), "" if n_y is None else f"{n_y:,}")
    st.caption(cite(rule, lang))
    st.dataframe(
        _cache_votes.checks_frame(res, with_area=False),
        hide_index=True,
        width="stretch",
        placeholder="",
    )
