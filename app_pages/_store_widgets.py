"""The scenario store on every page: open a stored version; save, history, diff and tag.

The database is ``$COSTSHARE_DB`` (any SQLAlchemy URL or a SQLite path), else the default
SQLite file ``~/.costshare/costshare.db`` (:func:`costshare.store.resolve_url`). The store
acts as the signed-in user (:mod:`app_pages._identity`; single-user mode without an
access file) and checks every action itself; the author is that user, never typed. A
save always sends the version the page was based on; if someone saved since, the save
is refused and the panel shows what differs. A page adds the panel with one call::

    store_panel("ppp", name, "ppp_", content=text)

and offers stored versions as a source with :func:`open_stored` (``yaml_source`` does it
when given ``store_kind``). Everything shown that a user typed (names, comments, values)
goes through ``st.dataframe``/``st.text``, never markdown.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from app_pages._i18n import label, lang, t
from app_pages._store_tables import (
    BASES,
    conflict_notice,
    diff_tables,
    fmt,
    publish_button,
)
from costshare import store as cs_store
from costshare.errors import InputError
from costshare.jobs import Job
from costshare.limits import MAX_COMMENT_CHARS, LimitError
from costshare.report import plain_text
from costshare.store.diff import results_in_yuan


@st.cache_resource(show_spinner=False)
def _open(url: str, access: str) -> cs_store.Store:
    from app_pages._identity import access as access_rules

    acc = access_rules()
    if acc is None:
        return cs_store.Store(url, access=False)
    # the shared engine acts as no one until a session names its user (as_user)
    return cs_store.Store(url, access=acc, serve=True)


def the_store() -> cs_store.Store:
    """The store of ``$COSTSHARE_DB``, opened once per URL, acting as this session's user.

    Raises InputError when the store cannot be opened, its schema is not this
    costshare's, or (with an access file) nobody known is signed in.
    """
    from app_pages._identity import access, signed_in_user

    base = _open(cs_store.resolve_url(None), os.environ.get("COSTSHARE_ACCESS", ""))
    acc = access()
    if acc is None:
        return base
    return base.as_user(signed_in_user(acc))


def _store_or_explain(key: str) -> cs_store.Store | None:
    """:func:`the_store`, or None after saying why not (sign-in needed, store unavailable)."""
    try:
        return the_store()
    except InputError as exc:
        from app_pages._identity import access, sign_in_button

        st.warning(f"{t('store.unavailable')}\n\n{plain_text(str(exc))}")
        acc = access()
        if acc is not None:
            sign_in_button(acc, key)
        return None


def _time(v: Any) -> str:
    """When a version was saved, in Asia/Shanghai (the store keeps UTC)."""
    from zoneinfo import ZoneInfo

    from costshare.jobs.base import TIME_ZONE

    local = v.created.astimezone(ZoneInfo(TIME_ZONE))
    hours = int(local.utcoffset().total_seconds() // 3600)  # Asia/Shanghai: +8, no DST
    return f"{local:%Y-%m-%d %H:%M} UTC{hours:+d}"


def _versions_frame(versions: list[cs_store.VersionInfo]) -> pd.DataFrame:
    rows = []
    for v in reversed(versions):
        res = results_in_yuan(v.results)  # a record keeps fen; the headers say 元
        rows.append(
            {
                t("store.col.version"): v.number,
                t("store.col.author"): v.author,
                t("store.col.time"): _time(v),
                t("store.col.comment"): v.comment,
                t("store.col.tags"): "、".join(g.tag for g in v.tags),
                t("store.col.hash"): v.content_hash[:12],
                **{label("store_result", k): fmt(x) for k, x in res.items()},
            }
        )
    return pd.DataFrame(rows)


def open_stored(kind: str, key: str) -> tuple[str, str] | None:
    """Pickers of a stored document of `kind` and its version; (name.yaml, text) or None."""
    store = _store_or_explain(key)
    if store is None:
        return None
    try:
        docs = [d for d in cs_store.documents(store) if d.kind == kind]
    except InputError as exc:
        st.error(f"{t('store.unavailable')}\n\n{plain_text(str(exc))}")
        return None
    if not docs:
        st.info(t("store.empty"))
        return None
    c1, c2 = st.columns([3, 1])
    doc = c1.selectbox(
        t("store.document"),
        [d.name for d in docs],
        help=t("help.store.document"),
        key=key + "store_doc",
    )
    versions = cs_store.history(store, doc)
    numbers = [v.number for v in reversed(versions)]
    number = c2.selectbox(
        t("store.version"), numbers, help=t("help.store.version"), key=key + "store_ver"
    )
    v = next(x for x in versions if x.number == number)
    st.caption(t("store.opened", number=v.number, time=_time(v)))
    st.text(f"{v.author}: {v.comment}" if v.comment else v.author)
    st.session_state.setdefault(BASES, {})[doc] = v.number  # a save from here is based on it
    return f"{doc}.yaml", v.content


def stored_versions(kind: str) -> dict[str, str]:
    """``"name@vN"`` → the text of every stored version of `kind` (empty if no store)."""
    try:
        store = the_store()
        docs = [d for d in cs_store.documents(store) if d.kind == kind]
        return {
            f"{d.name}@v{v.number}": v.content
            for d in docs
            for v in reversed(cs_store.history(store, d.name))
        }
    except InputError:
        return {}


def store_panel(
    kind: str,
    default_name: str,
    key: str,
    content: str | Mapping[str, Any],
    results: Mapping[str, Any] | None = None,
    publish: Callable[[], bytes] | Job | None = None,
) -> None:
    """Save `content` as a new version; show the document's history and a diff; tag it.

    `results` are headline figures kept beside the inputs (e.g. ``gap_fen``); `publish` is
    the page's job (a sheet: the chosen stored version's notice is rebuilt from its record
    and its sha256 kept by the ``published`` tag) or a builder of the posted file (then
    only the stored version holding exactly this page's content can be published).
    """
    with st.expander(t("store.title"), expanded=False):
        store = _store_or_explain(key)
        if store is None:
            return
        a = store.actor
        who = a.name if a.office is None else f"{a.name}（{a.office}）"
        st.caption(t("store.where", url=store.display_url) + " · " + t("store.as_user", user=who))
        c1, c3 = st.columns([2, 3])
        name = c1.text_input(
            t("store.name"), value=default_name, help=t("help.store.name"), key=key + "store_name"
        )
        comment = c3.text_input(
            t("store.comment"),
            max_chars=MAX_COMMENT_CHARS,
            help=t("help.store.comment"),
            key=key + "store_comment",
        )
        versions = _versions(store, name)
        bases = st.session_state.setdefault(BASES, {})
        base = bases.setdefault(name, versions[-1].number if versions else 0)
        pending = key + "store_conflict"
        if st.button(t("store.save"), key=key + "store_save", type="primary"):
            try:
                saved = cs_store.save(store, kind, name, content, None, comment, results, base=base)
            except cs_store.ConflictError as exc:
                st.session_state[pending] = exc
            except InputError as exc:  # a limit is worded in the chosen language
                said = exc.text(lang()) if isinstance(exc, LimitError) else str(exc)
                st.error(f"{t('common.error_title')}\n\n{plain_text(said)}")
            else:
                st.session_state.pop(pending, None)
                bases[name] = saved.version.number
                which = "store.unchanged" if saved.unchanged else "store.saved"
                st.success(t(which, number=saved.version.number))
                versions = _versions(store, name)
        conflict = st.session_state.get(pending)
        if conflict is not None and conflict.latest.document == name:
            conflict_notice(conflict, content, key)
        _history(store, name, versions, key, content, publish)


def _versions(store: cs_store.Store, name: str) -> list[cs_store.VersionInfo]:
    try:
        return cs_store.history(store, name)
    except InputError:
        return []


def _history(
    store: cs_store.Store,
    name: str,
    versions: list[cs_store.VersionInfo],
    key: str,
    content: str | Mapping[str, Any],
    publish: Callable[[], bytes] | Job | None,
) -> None:
    if not versions:
        st.caption(t("store.no_history"))
        return
    st.markdown(f"**{t('store.history')}**")
    st.dataframe(_versions_frame(versions), hide_index=True, width="stretch", placeholder="")
    numbers = [v.number for v in versions]
    if len(numbers) >= 2:
        c1, c2 = st.columns(2)
        old = c1.selectbox(
            t("store.diff_old"),
            numbers,
            index=len(numbers) - 2,
            help=t("help.store.diff"),
            key=key + "d_old",
        )
        new = c2.selectbox(
            t("store.diff_new"),
            numbers,
            index=len(numbers) - 1,
            help=t("help.store.diff"),
            key=key + "d_new",
        )
        diff_tables(store, name, old, new, key)
    if publish is not None:
        publish_button(store, name, versions, key, content, publish)
