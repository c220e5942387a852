"""The CLI's progress bar and Ctrl-C: a :class:`~costshare.progress.Progress` for a command.

A bar is drawn on stderr with :mod:`rich.progress` only when stderr is a terminal; when
it is piped or redirected nothing extra is written and stdout is the same byte for byte.
The steps are worded in the chosen language (``progress.<what>`` in
``costshare/data/i18n.yaml``): ``COSTSHARE_LANG`` (``zh`` or ``en``), else Chinese when
``LANG`` is a Chinese locale, else English.

Ctrl-C asks the work to stop at its next chunk boundary (the engine raises
:class:`~costshare.progress.Cancelled`, the command writes nothing and exits 130); a
second Ctrl-C interrupts at once. Outputs are written atomically, so either way no
output file and no temporary ``.part`` file is left.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import IO, Any

from costshare.progress import Progress

__all__ = ["cli_lang", "command_progress", "step_words"]


def cli_lang() -> str:
    """The language of the CLI's progress words: ``zh`` or ``en``.

    >>> cli_lang() in ("zh", "en")
    True
    """
    lang = os.environ.get("COSTSHARE_LANG", "").lower()
    if lang in ("zh", "en"):
        return lang
    loc = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "zh" if loc.lower().startswith("zh") else "en"


def step_words(what: str, lang: str) -> str:
    """The words of step `what` (``notice.pages``) in `lang`; the key itself if unknown.

    >>> step_words("notice.pages", "en")
    'Laying out the notice pages'
    """
    from costshare import i18n

    key = f"progress.{what}"
    if key not in i18n.table():
        return what
    return i18n.t(key, "en" if lang == "en" else "zh")


def _sink(stream: IO[str], lang: str, stack: contextlib.ExitStack) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    bar = Bar(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=Console(file=stream),
        transient=stream.isatty(),  # a forced bar off a terminal leaves its last state
        redirect_stdout=False,  # stdout stays the command's, byte for byte
    )
    stack.enter_context(bar)
    task = bar.add_task(step_words("start", lang), total=None)

    def sink(done: int, total: int, what: str) -> None:
        bar.update(task, completed=done, total=total, description=step_words(what, lang))

    return sink


@contextlib.contextmanager
def command_progress(
    stream: IO[str] | None = None, *, show: bool | None = None
) -> Iterator[Progress]:
    """A progress for one command: a bar on `stream` (stderr) if it is a terminal; Ctrl-C
    cancels it.

    Parameters
    ----------
    stream : text stream, optional
        Where the bar goes (default ``sys.stderr``).
    show : bool, optional
        Force the bar on or off (default: when `stream` is a terminal).

    Examples
    --------
    >>> import io
    >>> with command_progress(io.StringIO()) as p:
    ...     p.step(1, 2, "notice.pages")
    >>> p.cancelled
    False
    """
    stream = sys.stderr if stream is None else stream
    if show is None:
        show = bool(getattr(stream, "isatty", lambda: False)())
    stop = threading.Event()

    def on_sigint(signum: int, frame: Any) -> None:
        if stop.is_set():  # the second Ctrl-C: stop now
            raise KeyboardInterrupt
        stop.set()

    with contextlib.ExitStack() as stack:
        if threading.current_thread() is threading.main_thread():
            old = signal.signal(signal.SIGINT, on_sigint)
            stack.callback(signal.signal, signal.SIGINT, old)
        sink = _sink(stream, cli_lang(), stack) if show else None
        yield Progress(sink, cancel=stop)
