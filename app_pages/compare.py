"""方案比较 Compare: two or more scenarios side by side, differences highlighted."""

from __future__ import annotations

import streamlit as st

from app_pages import _cache, _cache_city
from app_pages._i18n import lang, t
from app_pages._store_widgets import stored_versions
from app_pages._widgets import download, md_escape
from costshare.errors import InputError
from costshare.jobs import CommunityJob

K = "compare_"

st.title(t("compare.title"))
st.caption(t("compare.intro"))

bundled = _cache.bundled_scenarios()
picked = st.multiselect(
    t("compare.pick"),
    list(bundled),
    default=list(bundled)[:2],
    placeholder=t("common.choose"),
    help=t("help.compare.pick"),
    key=K + "bundled",
)
uploads = st.file_uploader(
    t("compare.upload"),
    type=["yaml", "yml"],
    accept_multiple_files=True,
    max_upload_size=1,
    help=t("help.compare.upload"),
    key=K + "uploads",
)

stored = stored_versions("community")
picked_stored = st.multiselect(
    t("compare.stored_pick"),
    list(stored),
    placeholder=t("common.choose"),
    help=t("help.compare.stored"),
    key=K + "stored",
    disabled=not stored,
)

# one community request per column: bundled by name, stored and uploaded by their document
named: list[tuple[str, CommunityJob]] = [
    (n, CommunityJob.parse({"scenario": {"bundled": n}}, n)) for n in picked
]
texts = [(n, stored[n]) for n in picked_stored]
for up in uploads or []:
    if up.size > _cache.MAX_YAML_BYTES:
        st.error(t("common.upload_too_big", size=up.size, limit=_cache.MAX_YAML_BYTES))
        continue
    taken = {n for n, _ in [*named, *texts]}
    label = up.name if up.name not in taken else f"{up.name} ({len(named) + len(texts) + 1})"
    texts.append((label, up.getvalue().decode("utf-8", errors="replace")))
for label, text in texts:
    try:
        data = _cache.parse_scenario(text, label)
    except InputError as exc:
        st.error(f"{t('compare.skipped', name=label)}\n\n{md_escape(str(exc))}")
        continue
    named.append((label, CommunityJob.parse({"scenario": {"data": data}}, label)))

if len(named) < 2:
    st.info(t("compare.need_two"))
    st.stop()

try:
    table = _cache_city.comparison(tuple(named), lang())
except InputError as exc:
    st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}")
    st.stop()

only_diff = st.toggle(t("compare.only_diff"), help=t("help.compare.only_diff"), key=K + "only_diff")
shown = table[table["differs"]] if only_diff else table
names = [n for n, _ in named]


def _highlight(row):  # styling only: which rows the library flagged
    style = "background-color: #FFF2CC; font-weight: 600" if row["differs"] else ""
    return [style] * len(row)


st.dataframe(
    shown.style.apply(_highlight, axis=1).format("{:,.2f}", subset=names),
    width="stretch",
    column_config={"differs": st.column_config.CheckboxColumn(t("compare.differs"))},
    key=K + "table",
    placeholder="",
)
csv = _cache_city.comparison_csv(tuple(named), lang())
download(st, t("dl.csv"), csv, "comparison.csv", K + "dl_csv")
