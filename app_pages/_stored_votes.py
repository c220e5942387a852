"""The consent page's picker of stored votes (``DOC@V`` of the store's vote records).

A vote saved by the votes page or ``costshare vote --save`` is a record of kind ``vote``
(older stores: ``owners_vote``) holding counts and verdict, never a ballot. The picker
lists each such document's versions, newest first; the gate request names the chosen
ones (:class:`costshare.jobs.GateJob` ``stored_votes``) and checks their matter and
community itself.
"""

from __future__ import annotations

from app_pages._store_widgets import the_store
from costshare import store as cs_store
from costshare.errors import InputError

KINDS = ("vote", "owners_vote")
"""Store kinds that hold an owners' vote."""
MAX_VERSIONS = 10
"""Versions offered per document (the newest)."""


def stored_vote_refs() -> list[str]:
    """``DOC@V`` of every stored vote version (newest first); empty without a store.

    Examples
    --------
    >>> isinstance(stored_vote_refs(), list)
    True
    """
    try:
        store = the_store()
        docs = [d for d in cs_store.documents(store) if d.kind in KINDS]
    except InputError:  # no store here, or nobody signed in: nothing to pick
        return []
    out = []
    for d in sorted(docs, key=lambda d: d.name):
        out += [f"{d.name}@{n}" for n in range(d.latest, max(d.latest - MAX_VERSIONS, 0), -1)]
    return out
