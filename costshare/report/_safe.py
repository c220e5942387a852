"""Safety for every export: formula-injection escaping and atomic writes.

Shared by the CLI, the app and every exporter (xlsx, csv, PDF), so that no file is ever
left half-written and no cell starting with ``= + - @``, tab or carriage return is read
by a spreadsheet as a formula.
"""

from __future__ import annotations

import contextlib
import glob
import html
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pandas as pd

__all__ = [
    "atomic_path",
    "atomic_write_bytes",
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


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it onto `target` only on success.

    On any exception the temporary file is removed and `target` is untouched. Stale
    temporary files of `target` left by a killed run (``.<name>.*.part``) are removed
    first.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def remove_stale_parts(target: str | Path) -> list[Path]:
    """Remove the temporary files a killed write of `target` left beside it; those removed.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / ".out.csv.abc123.part").write_bytes(b"half")
    >>> [p.name for p in remove_stale_parts(d / "out.csv")], list(d.iterdir())
    (['.out.csv.abc123.part'], [])
    """
    target = Path(target)
    gone = []
    if target.parent.is_dir():
        for p in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
            with contextlib.suppress(OSError):
                p.unlink()
                gone.append(p)
    return gone


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$])")


def plain_text(text: object) -> str:
    """`text` from an uploaded file made safe to show as Markdown: shown, never rendered.

    HTML is escaped (``<`` → ``&lt;``) and every Markdown special character is
    backslash-escaped, so a link, an image or a heading in a user's file appears as the
    characters typed. Line breaks stay.

    Examples
    --------
    >>> print(plain_text("![x](http://evil/p.png) <b>hi</b> # 1."))
    \\!\\[x\\]\\(http://evil/p\\.png\\) &lt;b&gt;hi&lt;/b&gt; \\# 1\\.
    """
    s = html.escape(str(text), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", s)


def atomic_write_bytes(target: str | Path, data: bytes) -> None:
    """Write `data` to `target` atomically (temp file in the same folder, then rename)."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def atomic_write_with(target: str | Path, write: Callable[[IO[bytes]], None]) -> None:
    """Call ``write(fileobj)`` on a temporary file, then rename it onto `target`."""
    with atomic_path(target) as tmp, tmp.open("wb") as fh:
        write(fh)
