"""Page state keyed by the document it edits.

A browser keeps a widget's value as long as the widget's key is the same, whatever
default the page passes later; so a page that edits a document (a scenario, a PPP
project) puts the document's identity in the key of every input that starts from it.
Opening another document gives every input a new key and so the new document's value,
and the previous document's keys are dropped from the session.
"""

from __future__ import annotations

import hashlib

import streamlit as st

_REGISTRY = "_app_editors"  # app_pages._editors' list of editors (for the language switch)


def scope(prefix: str, name: str, text: str) -> tuple[str, bool]:
    """The key prefix of the inputs editing document `name` with content `text`.

    Returns ``(f"{prefix}{doc}:", new)``: ``doc`` is the first 12 hex digits of the
    document's sha256, ``new`` is True when the page has just switched to it (the page
    then sets its editors' base frames). The previous document's keys are removed.
    """
    doc = hashlib.sha256(f"{name}\n{text}".encode()).hexdigest()[:12]
    scoped = f"{prefix}{doc}:"
    if st.session_state.get(prefix + "doc") == doc:
        return scoped, False
    stale = [k for k in st.session_state if _scoped(str(k), prefix) and not k.startswith(scoped)]
    for key in stale:
        st.session_state.pop(key, None)
    editors = st.session_state.get(_REGISTRY)
    if editors:
        editors.difference_update({k for k in editors if _scoped(k, prefix)})
    st.session_state[prefix + "doc"] = doc
    return scoped, True


def _scoped(key: str, prefix: str) -> bool:
    """Whether `key` is a document-scoped key of `prefix` (``{prefix}{12 hex}:...``)."""
    rest = key.removeprefix(prefix) if key.startswith(prefix) else ""
    return len(rest) > 12 and rest[12] == ":" and all(c in "0123456789abcdef" for c in rest[:12])
