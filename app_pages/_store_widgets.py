"""The scenario store on every page: open a stored version; save, history, diff and tag.

The database is ``$COSTSHARE_DB`` (any SQLAlchemy URL or a SQLite path), else the default
SQLite file ``~/.costshare/costshare.db`` (:func:`costshare.store.resolve_url`). A page
adds the panel with one call::

    store_panel("ppp", name, "ppp_", content=text)

and offers stored versions as a source with :func:`open_stored` (``yaml_source`` does it
when given ``store_kind``). Everything shown that a user typed (names, comments, values)
goes through ``st.dataframe``/``st.text``, never markdown.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from app_pages._i18n import label, t
from costshare import store as cs_store
from costshare.errors import InputError
from costshare.report import plain_text
from costshare.store.diff import results_in_yuan


@st.cache_resource(show_spinner=False)
def _open(url: str) -> cs_store.Store:
    return cs_store.Store(url)


def the_store() -> cs_store.Store:
    """The store of ``$COSTSHARE_DB`` (or the default file), opened once per URL."""
    return _open(cs_store.resolve_url(None))


def _author() -> str:
    try:
        return os.environ.get("COSTSHARE_AUTHOR") or getpass.getuser()
    except (KeyError, OSError):
        return "analyst"


def _time(v: Any) -> str:
    return v.created.strftime("%Y-%m-%d %H:%M UTC")


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
                **{label("store_result", k): _fmt(x) for k, x in res.items()},
            }
        )
    return pd.DataFrame(rows)


def _fmt(x: Any) -> str:
    """A stored value for the screen: ``*_fen`` integers elsewhere become yuan; a mapping
    (a whole added or removed row) as its fields in words."""
    if x is None:
        return ""
    if isinstance(x, Mapping):
        return "；".join(f"{_field_label(str(k))}：{_fmt(v)}" for k, v in x.items())
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def _money(key: str, x: Any) -> str:
    if key.endswith("_fen") and isinstance(x, int) and not isinstance(x, bool):
        from costshare.money import format_amount

        return format_amount(x)
    return _fmt(x)


def _field_label(path: str) -> str:
    """A diff's field path in words: each key by its name in the chosen language, a list
    item by its own name (``work_items[屋面防水].cost`` → ``改造项目 › 屋面防水 › 费用（元）``)."""
    from costshare import i18n

    table = i18n.table()
    out = []
    for part in path.replace("[", ".[").split("."):
        if part.startswith("[") and part.endswith("]"):
            out.append(part[1:-1])
            continue
        for group in ("store_field", "store_result", "res", "col", "channel", "payer", "category"):
            if f"{group}.{part}" in table:
                out.append(label(group, part))
                break
        else:
            out.append(part)
    return " › ".join(out)


def open_stored(kind: str, key: str) -> tuple[str, str] | None:
    """Pickers of a stored document of `kind` and its version; (name.yaml, text) or None."""
    try:
        docs = [d for d in cs_store.documents(the_store()) if d.kind == kind]
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
    versions = cs_store.history(the_store(), doc)
    numbers = [v.number for v in reversed(versions)]
    number = c2.selectbox(
        t("store.version"), numbers, help=t("help.store.version"), key=key + "store_ver"
    )
    v = next(x for x in versions if x.number == number)
    st.caption(t("store.opened", number=v.number, time=_time(v)))
    st.text(f"{v.author}: {v.comment}" if v.comment else v.author)
    return f"{doc}.yaml", v.content


def stored_versions(kind: str) -> dict[str, str]:
    """``"name@vN"`` → the text of every stored version of `kind` (empty if no store)."""
    try:
        docs = [d for d in cs_store.documents(the_store()) if d.kind == kind]
        return {
            f"{d.name}@v{v.number}": v.content
            for d in docs
            for v in reversed(cs_store.history(the_store(), d.name))
        }
    except InputError:
        return {}


def store_panel(
    kind: str,
    default_name: str,
    key: str,
    content: str | Mapping[str, Any],
    results: Mapping[str, Any] | None = None,
    publish: Callable[[], bytes] | None = None,
) -> None:
    """Save `content` as a new version; show the document's history and a diff; tag it.

    `results` are headline figures kept beside the inputs (e.g. ``gap_fen``); `publish`
    builds the file that is posted (the notice PDF) whose sha256 the ``published`` tag keeps.
    """
    with st.expander(t("store.title"), expanded=False):
        st.caption(t("store.where", url=cs_store.redact(cs_store.resolve_url(None))))
        c1, c2, c3 = st.columns([2, 1, 2])
        name = c1.text_input(
            t("store.name"), value=default_name, help=t("help.store.name"), key=key + "store_name"
        )
        author = c2.text_input(
            t("store.author"),
            value=_author(),
            help=t("help.store.author"),
            key=key + "store_author",
        )
        comment = c3.text_input(
            t("store.comment"), help=t("help.store.comment"), key=key + "store_comment"
        )
        if st.button(t("store.save"), key=key + "store_save", type="primary"):
            try:
                saved = cs_store.save(
                    the_store(), kind, name, content, author or "analyst", comment, results
                )
            except InputError as exc:
                st.error(f"{t('common.error_title')}\n\n{plain_text(str(exc))}")
            else:
                which = "store.unchanged" if saved.unchanged else "store.saved"
                st.success(t(which, number=saved.version.number))
        _history(name, key, publish)


def _history(name: str, key: str, publish: Callable[[], bytes] | None) -> None:
    try:
        versions = cs_store.history(the_store(), name)
    except InputError:
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
        d = cs_store.diff(the_store(), name, old, new)
        changes = pd.DataFrame(
            [
                {
                    t("store.col.path"): c.path,
                    t("store.col.field"): _field_label(c.path),
                    t("store.col.change"): t(f"store.change.{c.change}"),
                    t("store.col.old"): _money(c.path.rsplit(".", 1)[-1], c.old),
                    t("store.col.new"): _money(c.path.rsplit(".", 1)[-1], c.new),
                }
                for c in d.changes
            ]
        )
        if changes.empty:
            st.caption(t("store.same"))
        else:
            st.dataframe(
                changes, hide_index=True, width="stretch", key=key + "d_changes", placeholder=""
            )
        if d.results:
            res = [
                {
                    t("store.col.result"): label("store_result", r.key),
                    t("store.col.old"): _money(r.key, r.old),
                    t("store.col.new"): _money(r.key, r.new),
                    t("store.col.delta"): _money(r.key, r.delta),
                }
                for r in d.results
            ]
            st.dataframe(pd.DataFrame(res), hide_index=True, width="stretch", placeholder="")
    if publish is not None:
        number = st.selectbox(
            t("store.publish_version"),
            numbers[::-1],
            help=t("help.store.publish"),
            key=key + "pub_ver",
        )
        if st.button(t("store.publish"), key=key + "pub_btn"):
            try:
                tg = cs_store.tag(the_store(), name, number, "published", file=publish())
            except InputError as exc:
                st.error(f"{t('common.error_title')}\n\n{plain_text(str(exc))}")
            else:
                st.success(t("store.published", number=tg.number, hash=(tg.file_hash or "")[:12]))
