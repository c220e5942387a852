"""The roster a page edits: the fictional sample, or an upload kept for the session.

An uploaded roster is kept in ``st.session_state`` (not in the uploader, whose value
Streamlit drops when the user opens another page) until another file replaces it. A
failed upload, or "upload" chosen with nothing uploaded yet, stops the page with the
reason: nothing is computed from the sample then. The sample is used only when chosen,
and says it is fictional.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from app_pages._i18n import t
from app_pages._widgets import md_escape
from costshare.errors import InputError
from costshare.jobs import FileInput
from costshare.limits import MAX_UPLOAD_BYTES

MAX_ROSTER_BYTES = MAX_UPLOAD_BYTES
"""Upload limit for a roster (bytes); the uploader also enforces 5 MB."""
SAMPLE_ROSTER = Path(__file__).resolve().parent.parent / "costshare" / "data" / "sample_roster.xlsx"


@st.cache_data(show_spinner=False, max_entries=4)
def _sample(path: str, mtime: float) -> FileInput:
    del mtime
    return FileInput.from_path(path)


def sample_roster() -> FileInput:
    """The bundled synthetic (fictional) roster."""
    return _sample(str(SAMPLE_ROSTER), SAMPLE_ROSTER.stat().st_mtime)


@st.cache_data(
    show_spinner=False, max_entries=8, hash_funcs={FileInput: lambda f: (f.sha256, f.name)}
)
def roster_choices(roster: FileInput) -> dict[str, Any]:
    """What the scope and exemption pickers offer: buildings, stairwells, floors, units."""
    from costshare.households.roster import read_roster_bytes
    from costshare.households.scope import scope_choices

    df = read_roster_bytes(roster.content(), roster.name)
    # what the reader left out or chose (hidden rows, void sheets, the area column), shown
    return {**scope_choices(df), "notes": [str(n) for n in df.attrs.get("notes", [])]}


def kept_upload(where: Any, label: str, help_text: str, key: str) -> FileInput | None:
    """The file uploaded with uploader `key`, kept in the session until another replaces it.

    ``None`` when nothing was uploaded this session; a file over the limit stops the page.
    """
    up = where.file_uploader(
        label, type=["xlsx", "csv"], max_upload_size=5, help=help_text, key=key
    )
    if up is not None and up.size > MAX_ROSTER_BYTES:
        st.error(t("common.upload_too_big", size=up.size, limit=MAX_ROSTER_BYTES))
        st.stop()
    if up is not None:
        st.session_state[key + "_kept"] = (up.name, up.getvalue())
    if key + "_kept" not in st.session_state:
        return None
    name, data = st.session_state[key + "_kept"]
    return FileInput.from_bytes(data, name)


def roster_input(key: str, help_key: str, reset: tuple[str, ...]) -> tuple[FileInput, dict]:
    """The roster and its picker choices, or stop the page showing why there is none.

    `key` prefixes the session keys (``<key>source``, ``<key>upload``); the pickers named
    in `reset` start again when the roster changes.
    """
    if key + "source" not in st.session_state:  # first visit, or back from another page
        kept = key + "upload_kept" in st.session_state
        st.session_state[key + "source"] = "upload" if kept else "sample"
    source = st.radio(
        t("hh.source"),
        ["sample", "upload"],
        format_func=lambda k: t(f"hh.source.{k}"),
        horizontal=True,
        help=t("help.hh.source"),
        key=key + "source",
    )
    got = None
    if source == "upload":
        got = kept_upload(st, t("hh.upload"), t(help_key), key + "upload")
        if got is None:
            st.info(t("roster.upload_wait"))
            st.stop()
    roster = got or sample_roster()
    try:
        choices = roster_choices(roster)
    except InputError as exc:  # the library names the file, row and field
        st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}\n\n{t('roster.fix')}")
        st.stop()
    if source == "sample":
        st.info(t("roster.sample", n=choices["households"]))
    else:
        st.caption(t("roster.kept", name=md_escape(roster.name), n=choices["households"]))
    for note in choices.get("notes", []):  # how the file was read: nothing left out silently
        st.caption(t("roster.note", note=md_escape(note)))
    if st.session_state.get(key + "digest") != roster.sha256:
        st.session_state[key + "digest"] = roster.sha256  # a new roster: pickers start again
        for k in reset:
            st.session_state.pop(key + k, None)
    return roster, choices
