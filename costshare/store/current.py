"""The store a job reads stored documents from: the shell's, acting as its caller.

A request may name stored versions (``DOC@N`` sources, stored votes). The job reads them
through :func:`reading`, never by opening a store of its own choosing: a shell that knows
who is calling (the app's signed-in user, the API's token or header) binds its store for
the length of the run with :func:`acting`, so every read is checked for that caller. With
nothing bound (a script, the CLI) the store of ``$COSTSHARE_DB`` acting as
``$COSTSHARE_USER`` is opened, as before.

>>> from costshare.store import Store
>>> with Store("sqlite://", user="ana") as s, acting(lambda: s):
...     with reading() as r:
...         r is s
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

__all__ = ["acting", "reading"]

_BOUND: ContextVar[Callable[[], Any] | None] = ContextVar("costshare_store", default=None)


@contextmanager
def acting(store: Callable[[], Any]) -> Iterator[None]:
    """Within this block, jobs read stored documents from ``store()`` (called only when a
    job reads one, so a run that reads none never opens the store)."""
    token = _BOUND.set(store)
    try:
        yield
    finally:
        _BOUND.reset(token)


@contextmanager
def reading() -> Iterator[Any]:
    """The bound store (see :func:`acting`), or a store of ``$COSTSHARE_DB`` opened for
    this read and closed after it."""
    bound = _BOUND.get()
    if bound is not None:
        yield bound()
        return
    from costshare.store.engine import Store

    with Store() as s:
        yield s
