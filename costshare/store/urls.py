"""Database URLs: where the store is, shown only with every secret hidden.

A URL may carry a password in its user part (``user:pw@host``, even with an unescaped
``@`` or ``/`` in it), in its query (``?password=pw``, ``sslpassword=``) or, as a libpq
keyword string, as ``password=pw``. :func:`redact` hides all of them; :func:`secrets`
lists them so a driver's error message can be scrubbed too.

>>> redact("postgresql+psycopg://clerk:s3cret@db.example/costshare")
'postgresql+psycopg://clerk:***@db.example/costshare'
>>> redact("postgresql://clerk:p@ss@db/x?password=pw&sslmode=require")
'postgresql://clerk:***@db/x?password=***&sslmode=require'
>>> resolve_url("/tmp/x.db")
'sqlite:////tmp/x.db'
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote, unquote

__all__ = ["DEFAULT_PATH", "normalise", "redact", "resolve_url", "secrets"]

DEFAULT_PATH = Path("~/.costshare/costshare.db")
"""Where the store lives when neither ``--db`` nor ``$COSTSHARE_DB`` says otherwise."""

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://(.*)$", re.S)
_KEYWORD = re.compile(
    r"(?i)(\b(?:ssl)?(?:password|passwd|pwd|passphrase|secret|token)\s*=\s*)('[^']*'|[^&;\s]*)"
)


def resolve_url(db: str | None = None) -> str:
    """The store's SQLAlchemy URL: `db`, else ``$COSTSHARE_DB``, else the default SQLite file.

    A value without ``://`` is a SQLite file path (``~`` expanded, folder created).
    """
    value = db or os.environ.get("COSTSHARE_DB") or str(DEFAULT_PATH)
    if "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _split(url: str) -> tuple[str, str | None, str | None, str] | None:
    """(scheme, user, password, rest) with the user part ending at the *last* ``@``."""
    m = _SCHEME.match(url)
    if not m:
        return None
    scheme, rest = m.groups()
    masked = _KEYWORD.sub(lambda k: k.group(1) + "*" * len(k.group(2)), rest)
    at = masked.rfind("@")  # an @ inside ?password=… is not the end of the user part
    if at < 0:
        return scheme, None, None, rest
    user, sep, password = rest[:at].partition(":")
    return scheme, user, password if sep else None, rest[at + 1 :]


def redact(url: str) -> str:
    """`url` with every password (user part, query, keyword form) replaced by ``***``."""
    parts = _split(url)
    if parts is None:
        return _KEYWORD.sub(r"\1***", url)
    scheme, user, password, rest = parts
    who = "" if user is None else (f"{user}:***@" if password is not None else f"{user}@")
    return f"{scheme}://{who}" + _KEYWORD.sub(r"\1***", rest)


def secrets(url: str) -> list[str]:
    """Every secret in `url`, as written and URL-decoded (longest first, for scrubbing)."""
    found = [m.group(2).strip("'") for m in _KEYWORD.finditer(url)]
    parts = _split(url)
    if parts is not None and parts[2]:
        found.append(parts[2])
    out = {s for x in found if x for s in (x, unquote(x)) if len(s) >= 1}
    return sorted(out, key=len, reverse=True)


def normalise(url: str) -> str:
    """`url` with its user part's password percent-escaped (so an ``@`` in it connects)."""
    parts = _split(url)
    if parts is None or parts[2] is None:
        return url
    scheme, user, password, rest = parts
    return f"{scheme}://{user}:{quote(unquote(password), safe='')}@{rest}"
