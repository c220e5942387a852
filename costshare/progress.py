"""Progress of long work, and cancelling it: the one protocol engines, jobs and shells share.

An engine doing long work (a notice of tens of thousands of households, a Monte Carlo
run, a city portfolio, a transfer allocation, a national sweep) takes an optional
``progress`` keyword and calls :meth:`Progress.step` at chunk boundaries, never per row:
``step(done, total, what)`` with ``what`` a short key (``"notice.pages"``) that the
shell words in its language (``progress.<what>`` in ``costshare/data/i18n.yaml``).
Engines stay pure: they neither print nor import a user interface.

A shell builds the :class:`Progress` with a sink (a terminal bar, ``st.progress``) and a
``cancel`` check (a button's flag, an event); :meth:`Progress.step` raises
:class:`Cancelled` as soon as the check is true, so the work stops at the next chunk
boundary and the shell writes nothing (outputs are written atomically at the end).

A job's run is made of phases (read the roster, share, lay out the notice): each phase
gets :meth:`Progress.part`, a slice of the whole, so the whole's ``done`` never goes back.

Examples
--------
>>> seen = []
>>> p = Progress(lambda done, total, what: seen.append((done, total, what)))
>>> for i in range(0, 30_001, 10_000):
...     p.step(i, 30_000, "notice.pages")
>>> seen[-1]
(30000, 30000, 'notice.pages')
>>> half = p.part(0.5, 1.0)
>>> half.step(1, 4, "sheet.share"); seen[-1]
(625, 1000, 'sheet.share')
>>> stop = Progress(cancel=lambda: True)
>>> stop.step(0, 1, "notice.pages")
Traceback (most recent call last):
...
costshare.progress.Cancelled: cancelled during notice.pages
"""

from __future__ import annotations

import threading
from collections.abc import Callable

__all__ = ["SCALE", "Cancelled", "Progress", "Sink", "as_progress"]

Sink = Callable[[int, int, str], None]
"""What a shell gives to see progress: called with ``(done, total, what)``."""

SCALE = 1000
"""Units of the whole when a phase reports into a larger job (per mille)."""


class Cancelled(Exception):  # noqa: N818 - the name a user reads: the work was cancelled
    """The work was cancelled (a page's button, Ctrl-C); nothing was written.

    ``what`` is the step the work had reached.
    """

    def __init__(self, what: str = "") -> None:
        super().__init__(what)  # args as given: the error pickles (a worker process)
        self.what = what

    def __str__(self) -> str:
        return f"cancelled during {self.what}" if self.what else "cancelled"


def _never() -> bool:
    return False


class Progress:
    """Progress reporting and cancelling, passed to engines as ``progress=``.

    Parameters
    ----------
    sink : callable, optional
        Called with ``(done, total, what)`` at each step (nothing when ``None``).
    cancel : callable or threading.Event, optional
        Checked at each step; true → :class:`Cancelled` is raised there.

    Examples
    --------
    >>> ev = threading.Event()
    >>> p = Progress(cancel=ev)
    >>> p.step(1, 2, "mc.draws")
    >>> ev.set(); p.cancelled
    True
    """

    __slots__ = ("_cancel", "_hi", "_lo", "_parent", "_sink")

    def __init__(
        self,
        sink: Sink | None = None,
        *,
        cancel: Callable[[], bool] | threading.Event | None = None,
    ) -> None:
        self._sink = sink
        if isinstance(cancel, threading.Event):
            cancel = cancel.is_set
        self._cancel: Callable[[], bool] = cancel or _never
        self._parent: Progress | None = None
        self._lo, self._hi = 0.0, 1.0

    @property
    def cancelled(self) -> bool:
        """Whether the work was asked to stop (this part's or any whole's check)."""
        p: Progress | None = self
        while p is not None:
            if p._cancel():
                return True
            p = p._parent
        return False

    def check(self, what: str = "") -> None:
        """Raise :class:`Cancelled` if the work was asked to stop."""
        if self.cancelled:
            raise Cancelled(what)

    def step(self, done: int, total: int, what: str) -> None:
        """`done` of `total` units of `what` are finished; raises :class:`Cancelled` if asked.

        Engines call it at chunk boundaries (pages, chunks of draws, template groups).
        """
        self.check(what)
        total = max(int(total), 1)
        done = min(max(int(done), 0), total)
        if self._parent is None:
            if self._sink is not None:
                self._sink(done, total, what)
            return
        frac = self._lo + (self._hi - self._lo) * done / total
        self._parent.step(round(frac * SCALE), SCALE, what)

    __call__ = step

    def part(self, lo: float, hi: float) -> Progress:
        """The slice ``lo``–``hi`` (fractions of this progress) for one phase of the work.

        A phase's ``step(done, total, what)`` reaches the sink as the whole's
        ``(round((lo + (hi - lo) · done / total) · SCALE), SCALE, what)``.
        """
        if not 0.0 <= lo <= hi <= 1.0:
            raise ValueError(f"a part is 0 <= lo <= hi <= 1, got {lo}, {hi}")
        child = Progress()
        child._parent = self
        child._lo, child._hi = lo, hi
        return child

    def counter(self, total: int, what: str) -> Callable[[int], None]:
        """A callable adding its argument to a running count: for engines that report
        how many units each chunk finished (``Portfolio.run``, ``national_sweep``).

        >>> seen = []
        >>> add = Progress(lambda d, t, w: seen.append(d)).counter(10, "sweep.chunks")
        >>> add(4); add(6); seen
        [0, 4, 10]
        """
        count = [0]
        self.step(0, total, what)

        def add(n: int) -> None:
            count[0] += int(n)
            self.step(count[0], total, what)

        return add


def as_progress(progress: Progress | None) -> Progress:
    """`progress`, or a progress that reports nothing and is never cancelled.

    >>> as_progress(None).step(1, 2, "x")
    """
    return progress if progress is not None else Progress()
