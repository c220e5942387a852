"""Safety for every export: formula-injection escaping and atomic writes.

Shared by the CLI, the app and every exporter (xlsx, csv, PDF), so that no file is ever
left half-written and no cell starting with ``= + - @``, tab or carriage return is read
by a spreadsheet as a formula.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import pandas as pd

from costshare.text import escape_markdown

__all__ = [
    "atomic_path",
    "atomic_paths",
    "atomic_write_bytes",
    "check_targets",
    "escape_cell",
    "escape_frame",
    "plain_text",
    "remove_stale_parts",
]

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would run as a formula with ``'``.

    Numbers are left alone (a negative amount is a number, not a formula).

    Examples
    --------
    >>> escape_cell("=HYPERLINK(1)"), escape_cell("-5"), escape_cell(-5), escape_cell("张三")
    ("'=HYPERLINK(1)", "'-5", -5, '张三')
    """
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def escape_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` with every text cell (and header) escaped by :func:`escape_cell`."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(escape_cell)
    out.columns = [escape_cell(str(c)) for c in out.columns]
    return out


def check_targets(targets: Sequence[str | Path]) -> list[Path]:
    """Every output path checked before anything is written; the paths, resolved.

    Refused, naming the file: two outputs to one file (however written: ``a.pdf`` and
    ``./a.pdf``), a target that is a directory, a folder on the way that is a file,
    and an existing folder that cannot be written to.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> [p.name for p in check_targets([d / "a.xlsx", d / "a.pdf"])]
    ['a.xlsx', 'a.pdf']
    >>> check_targets([d / "a.xlsx", d / "." / "a.xlsx"])
    Traceback (most recent call last):
    ...
    costshare.errors.InputError: a.xlsx: two outputs would be written to this one file; give each its own name
    >>> check_targets([d])
    Traceback (most recent call last):
    ...
    costshare.errors.InputError: ...: is a folder, not a file: name a file inside it
    """
    from costshare.errors import InputError, Problem

    problems: list[Problem] = []
    seen: set[Path] = set()
    out: list[Path] = []
    for t in targets:
        p = Path(t).expanduser().resolve()
        shown = Path(t).name or str(t)
        if p in seen:
            msg = "two outputs would be written to this one file; give each its own name"
            problems.append(Problem(msg, shown))
        seen.add(p)
        if p.is_dir():
            problems.append(Problem("is a folder, not a file: name a file inside it", str(t)))
        up = next((q for q in p.parents if q.exists()), None)
        if up is not None and not up.is_dir():
            problems.append(Problem(f"{up.name!r} on the way is a file, not a folder", str(t)))
        elif up is not None and not os.access(up, os.W_OK | os.X_OK):
            problems.append(Problem("the folder cannot be written to", str(t)))
        out.append(p)
    if problems:
        raise InputError(problems)
    return out


def _mode(target: Path) -> int:
    """The mode of a new output: the existing file's, else the user's umask applied."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


@contextlib.contextmanager
def atomic_paths(targets: Sequence[str | Path]) -> Iterator[dict[Any, Path]]:
    """Temporary paths for several outputs, renamed onto them only when all are made.

    All targets are checked first (:func:`check_targets`); stale temporary files of
    each are removed (:func:`remove_stale_parts`). On any exception no target is
    touched; if a rename fails, the targets already renamed are put back as they were,
    so the outputs are all written or none is. Files get the user's umask (or keep the
    mode of the file they replace).

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> with atomic_paths([d / "a.csv", d / "b.csv"]) as tmp:
    ...     for p in tmp.values():
    ...         _ = p.write_text("x")
    >>> sorted(p.name for p in d.iterdir())
    ['a.csv', 'b.csv']
    """
    paths = check_targets(targets)
    tmps: dict[Path, Path] = {}
    try:
        for p in paths:  # all stale files first: "a" must not remove "a.csv"'s new one
            p.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_parts(p)
        for p in paths:
            fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".part", dir=p.parent)
            os.close(fd)
            tmps[p] = Path(tmp)
        yield {t: tmps[p] for t, p in zip(targets, paths, strict=True)}
        _commit(tmps)
    finally:
        for tmp in tmps.values():
            tmp.unlink(missing_ok=True)


def _commit(tmps: dict[Path, Path]) -> None:
    """Rename every temporary file onto its target, or put every target back."""
    done: list[tuple[Path, Path | None]] = []
    try:
        for target, tmp in tmps.items():
            os.chmod(tmp, _mode(target))
            backup = None
            if len(tmps) > 1 and target.exists():  # one target: os.replace is atomic
                fd, name = tempfile.mkstemp(
                    prefix=f".{target.name}.", suffix=".part", dir=target.parent
                )
                os.close(fd)
                backup = Path(name)
                os.replace(target, backup)
            done.append((target, backup))
            os.replace(tmp, target)
    except BaseException:
        for target, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                else:
                    target.unlink(missing_ok=True)
        raise
    for _, backup in done:
        if backup is not None:
            backup.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it onto `target` only on success.

    On any exception the temporary file is removed and `target` is untouched. The
    target is checked first and stale temporary files of it left by a killed run are
    removed (:func:`atomic_paths` with one target).
    """
    with atomic_paths([target]) as tmp:
        yield tmp[target]


def remove_stale_parts(target: str | Path) -> list[Path]:
    """Remove the temporary files a killed write of `target` left beside it; those removed.

    Of any depth: ``.out.csv.k2j3.part`` and a temporary file of one,
    ``..out.csv.k2j3.part.x8f1.part``.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / ".out.csv.abc123.part").write_bytes(b"half")
    >>> _ = (d / "..out.csv.abc123.part.x1.part").write_bytes(b"half")
    >>> sorted(p.name for p in remove_stale_parts(d / "out.csv")), list(d.iterdir())
    (['..out.csv.abc123.part.x1.part', '.out.csv.abc123.part'], [])
    """
    target = Path(target)
    gone = []
    if target.parent.is_dir():
        stem = target.name + "."
        for p in target.parent.glob(f".*{glob.escape(target.name)}.*.part"):
            if p.name.lstrip(".").startswith(stem) and p.is_file():
                with contextlib.suppress(OSError):
                    p.unlink()
                    gone.append(p)
    return gone


def plain_text(text: object) -> str:
    """`text` from an uploaded file made safe to show as Markdown: shown, never rendered.

    HTML is escaped (``<`` → ``&lt;``), every Markdown special character is
    backslash-escaped and control characters (ESC, BEL, CR, bidi overrides, zero-width)
    are shown as escapes, so a link, an image, a heading or a terminal sequence in a
    user's file appears as the characters typed. Line breaks stay. The same escaper as
    :func:`costshare.text.escape_markdown` (one escaper for every page).

    Examples
    --------
    >>> print(plain_text("![x](http://evil/p.png) <b>hi</b> # 1."))
    \\!\\[x\\]\\(http://evil/p\\.png\\) &lt;b&gt;hi&lt;/b&gt; \\# 1\\.
    >>> print(plain_text("a\\x1b[2Jb\\x07.csv"))
    a\\\\x1b\\[2Jb\\\\x07\\.csv
    """
    return escape_markdown(text)


def atomic_write_bytes(target: str | Path, data: bytes) -> None:
    """Write `data` to `target` atomically (temp file in the same folder, then rename)."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def atomic_write_with(target: str | Path, write: Callable[[IO[bytes]], None]) -> None:
    """Call ``write(fileobj)`` on a temporary file, then rename it onto `target`."""
    with atomic_path(target) as tmp, tmp.open("wb") as fh:
        write(fh)
