"""Long work on a page: ``st.status`` with ``st.progress``, a cancel button, nothing half-made.

:func:`run_long` runs a job's engines with a :class:`~costshare.progress.Progress` whose
steps move a progress bar inside ``st.status`` (worded ``progress.<what>`` in the chosen
language). Its result is kept in the session (the last :data:`KEEP` results) under the
request's identity, so a rerun shows it at once.

Cancelling: the cancel button (any widget, in fact) makes Streamlit stop the running
script at its next element update — the next progress step — and run it again. The work
unwinds there: files are written atomically (nothing half-written is left), and nothing
is stored, since a result is stored only when the work returned. The button's callback
marks the request as cancelled, so the rerun does not start it again by itself: it says
so and offers a button to run it again.

This module is not cached with ``st.cache_data``: a cached function may not update an
element made outside it (Streamlit replays cached elements).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import streamlit as st

from app_pages._i18n import lang, t
from costshare import i18n
from costshare.progress import Cancelled, Progress

__all__ = ["KEEP", "LARGE_POT", "LARGE_ROSTER", "SHOW_DONE_S", "run_long", "step_text"]

T = TypeVar("T")

LARGE_ROSTER = 5_000
"""Households from which a notice is built on request, with progress (seconds and more)."""

LARGE_POT = 300
"""Areas from which a transfer allocation runs with progress (its floors and caps cost
a pass over all areas each)."""

SHOW_DONE_S = 1.0
"""Work finished faster than this (seconds) leaves no "done" box on the page."""

KEEP = 4
"""Long results kept per session (the newest)."""

_RESULTS = "_progress_results"
_CANCELLED = "_progress_cancelled"


def step_text(what: str, lng: str) -> str:
    """The words of step `what` in `lng` (the key itself when the table lacks it)."""
    key = f"progress.{what}"
    return i18n.t(key, "en" if lng == "en" else "zh") if key in i18n.table() else what


def _cancel(key: str, ident: Hashable) -> None:
    st.session_state.setdefault(_CANCELLED, {})[key] = ident


def run_long(
    key: str,
    ident: Hashable,
    work: Callable[[Progress], T],
    *,
    label: str | None = None,
    start: bool = True,
) -> T | None:
    """The result of ``work(progress)`` for request `ident`, run with progress shown.

    Parameters
    ----------
    key : str
        Widget key prefix (the cancel and run-again buttons).
    ident : hashable
        The request's identity (its digest and options): results are kept under it.
    work : callable
        Runs the engines with the :class:`~costshare.progress.Progress` it is given.
    label : str, optional
        Title of the status box (default: working…).
    start : bool
        Run now if not kept (False: only show a kept result; e.g. before a button click).

    Returns
    -------
    The result, or None when it is not made (not started, or cancelled).
    """
    kept: dict[Hashable, Any] = st.session_state.setdefault(_RESULTS, {})
    if ident in kept:
        return kept[ident]
    cancelled = st.session_state.get(_CANCELLED, {})
    if cancelled.get(key) == ident:
        st.info(t("progress.cancelled"))
        if not st.button(t("progress.again"), key=key + "again"):
            return None
        cancelled.pop(key, None)
    elif not start:
        return None
    title = label or t("progress.running")
    lng = lang()
    holder = st.empty()  # cleared when the work refuses its input (the page says why)
    with holder.container(), st.status(title, expanded=True) as box:
        st.button(t("progress.cancel"), key=key + "cancel", on_click=_cancel, args=(key, ident))
        bar = st.progress(0.0, text=t("progress.start"))
        shown = [-1, ""]

        def sink(done: int, total: int, what: str) -> None:
            pct = 100 * done // total
            if pct != shown[0] or what != shown[1]:  # one update per percent and step
                shown[0], shown[1] = pct, what
                bar.progress(pct / 100, text=f"{step_text(what, lng)} · {pct}%")

        t0 = time.perf_counter()
        try:
            result = work(Progress(sink))
        except Cancelled:
            box.update(label=t("progress.cancelled"), state="error", expanded=False)
            return None
        except Exception:
            holder.empty()
            raise
        box.update(label=t("progress.done"), state="complete", expanded=False)
    if time.perf_counter() - t0 < SHOW_DONE_S:  # quick work leaves no box behind
        holder.empty()
    kept[ident] = result
    while len(kept) > KEEP:
        kept.pop(next(iter(kept)))
    return result
