"""The store panel's tables: values and field paths in words, a diff, a conflict, publishing.

Used by :mod:`app_pages._store_widgets`; everything a user typed is shown in tables,
never as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from app_pages._i18n import label, t
from costshare import store as cs_store
from costshare.errors import InputError
from costshare.jobs import FileInput, Job
from costshare.report import plain_text

__all__ = [
    "BASES",
    "conflict_notice",
    "diff_tables",
    "field_label",
    "fmt",
    "money",
    "publish_button",
]

BASES = "costshare_store_bases"
"""Session key: document name → the stored version this page's content is based on."""


def fmt(x: Any) -> str:
    """A stored value for the screen: ``*_fen`` integers elsewhere become yuan; a mapping
    (a whole added or removed row) as its fields in words."""
    if x is None:
        return ""
    if isinstance(x, Mapping):
        return "；".join(f"{field_label(str(k))}：{fmt(v)}" for k, v in x.items())
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def money(key: str, x: Any) -> str:
    """`x` in yuan when `key` names fen (``*_fen``), else as :func:`fmt` shows it."""
    if key.endswith("_fen") and isinstance(x, int) and not isinstance(x, bool):
        from costshare.money import format_amount

        return format_amount(x)
    return fmt(x)


def field_label(path: str) -> str:
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


def conflict_notice(
    exc: cs_store.ConflictError, content: str | Mapping[str, Any], key: str
) -> None:
    """Someone saved since this page's base: say so, show what differs, offer to go on."""
    from costshare.store.content import parse_content, to_text

    latest = exc.latest
    which = "store.conflict" if exc.base else "store.conflict_new"
    st.error(t(which, base=exc.base, number=latest.number, author=latest.author))
    mine = parse_content(to_text(content), "page")
    rows = [
        {
            t("store.col.field"): field_label(c.path),
            t("store.col.old"): fmt(c.old),
            t("store.col.new"): fmt(c.new),
        }
        for c in cs_store.compare(latest.data, mine)
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", placeholder="")
    if st.button(t("store.conflict_keep", number=latest.number), key=key + "store_rebase"):
        st.session_state.setdefault(BASES, {})[latest.document] = latest.number
        st.session_state.pop(key + "store_conflict", None)
        st.rerun()


def diff_tables(store: cs_store.Store, name: str, old: int, new: int, key: str) -> None:
    d = cs_store.diff(store, name, old, new)
    changes = pd.DataFrame(
        [
            {
                t("store.col.path"): c.path,
                t("store.col.field"): field_label(c.path),
                t("store.col.change"): t(f"store.change.{c.change}"),
                t("store.col.old"): fmt(c.old),
                t("store.col.new"): fmt(c.new),
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
                t("store.col.old"): money(r.key, r.old),
                t("store.col.new"): money(r.key, r.new),
                t("store.col.delta"): money(r.key, r.delta),
            }
            for r in d.results
        ]
        st.dataframe(pd.DataFrame(res), hide_index=True, width="stretch", placeholder="")


def publish_button(
    store: cs_store.Store,
    name: str,
    versions: list[cs_store.VersionInfo],
    key: str,
    content: str | Mapping[str, Any],
    publish: Callable[[], bytes] | Job,
) -> None:
    """Tag a stored version ``published``.

    Given the page's job (a sheet), the chosen STORED version's notice is rebuilt from its
    record (:func:`costshare.jobs.publish.publish`, as ``costshare store publish`` does),
    the page's files handed in only where their sha256 is the record's, so the tag's hash
    is the stored version's file whatever the page shows now. Given a file builder (the
    ballots, whose wording is not in the record), only the version holding exactly this
    page's content can be tagged.
    """
    if isinstance(publish, Job):
        _publish_stored(store, name, versions, key, publish)
        return
    from costshare.store.content import to_text

    text = to_text(content)
    match = [v for v in versions if v.content == text]
    if not match:
        st.caption(t("store.publish_save_first"))
        return
    v = match[-1]
    st.caption(t("store.publish_version_is", number=v.number))
    if st.button(t("store.publish"), key=key + "pub_btn"):
        try:
            tg = cs_store.tag(store, name, v.number, "published", file=publish())
        except InputError as exc:
            st.error(f"{t('common.error_title')}\n\n{plain_text(str(exc))}")
        else:
            st.success(t("store.published", number=tg.number, hash=(tg.file_hash or "")[:12]))


def _publish_stored(
    store: cs_store.Store, name: str, versions: list[cs_store.VersionInfo], key: str, job: Job
) -> None:
    from costshare.jobs.publish import publish

    numbers = [v.number for v in reversed(versions)]
    number = st.selectbox(
        t("store.publish_version"),
        numbers,
        help=t("help.store.publish"),
        key=key + "pub_version",
    )
    if st.button(t("store.publish"), key=key + "pub_btn"):
        files = {k: (f.content(), f.name) for k, f in job if isinstance(f, FileInput) and f.data}
        try:
            done = publish(store, name, int(number), files, strict=False)
        except InputError as exc:
            st.error(f"{t('common.error_title')}\n\n{plain_text(str(exc))}")
            return
        tg = done.tag
        st.session_state[key + "pub_file"] = (tg.number, done.data)
        st.success(t("store.published", number=tg.number, hash=(tg.file_hash or "")[:12]))
    held = st.session_state.get(key + "pub_file")
    if held is not None:
        st.download_button(
            t("dl.notice_pdf"),
            held[1],
            file_name=f"{name}_v{held[0]}_notice.pdf",
            mime="application/pdf",
            key=key + "pub_dl",
        )
