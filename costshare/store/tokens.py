"""API tokens: issued once, stored only as salted, peppered hashes, checked in constant time.

A deployment whose access file says ``api: {auth: token}`` lets the API act as whoever
presents ``Authorization: Bearer <token>``. ``costshare store token USER`` (an admin, for a
user in their scope) prints a new token once and adds its hash to the tokens file
(``api.tokens``, next to the access file)::

    tokens:
      3f2a9c01b7d4e6aa: {user: bob, hash: "hmac-sha256$<salt>$<digest>", issued: 2026-12-07}

A token is ``cs1_<id>_<secret>``: the id finds its line, the hash is
HMAC-SHA256(key = ``$COSTSHARE_TOKEN_PEPPER``, message = salt + secret), so the file alone
(a backup, a leaked copy) lets no one in when the pepper is set. Checking computes the
HMAC whether or not the id is known and compares with :func:`hmac.compare_digest`, so
neither the answer nor its timing says which part was wrong. Delete a line to revoke.

>>> token, entry = new_token("bob", pepper=b"p")
>>> token.startswith("cs1_"), entry.user, token in entry.hash
(True, 'bob', False)
>>> check_token({entry.id: entry}, token, pepper=b"p"), check_token({entry.id: entry}, token + "x", pepper=b"p")
('bob', None)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from costshare.errors import InputError, Problem
from costshare.yamlio import dump_yaml, load_yaml

__all__ = [
    "PEPPER_ENV",
    "TokenEntry",
    "add_token",
    "check_token",
    "entry_yaml",
    "issue_token",
    "load_tokens",
    "new_token",
]

PEPPER_ENV = "COSTSHARE_TOKEN_PEPPER"
"""Environment variable holding the pepper (a secret kept outside the tokens file)."""

_PREFIX = "cs1"
_SCHEME = "hmac-sha256"
_DUMMY_SALT = "0" * 32


@dataclass(frozen=True)
class TokenEntry:
    """One line of the tokens file: the token's id, the user it acts as, its hash, when."""

    id: str
    user: str
    hash: str
    issued: str


def _pepper(pepper: bytes | None) -> bytes:
    if pepper is not None:
        return pepper
    return os.environ.get(PEPPER_ENV, "").encode() or b"costshare-api-token"


def _digest(salt: str, secret: str, pepper: bytes | None) -> str:
    msg = salt.encode() + b"$" + secret.encode()
    return hmac.new(_pepper(pepper), msg, hashlib.sha256).hexdigest()


def new_token(user: str, *, pepper: bytes | None = None) -> tuple[str, TokenEntry]:
    """A fresh token for `user` and the entry (hash only) the tokens file keeps."""
    tid, secret, salt = secrets.token_hex(8), secrets.token_urlsafe(32), secrets.token_hex(16)
    entry = TokenEntry(
        tid, user, f"{_SCHEME}${salt}${_digest(salt, secret, pepper)}", dt.date.today().isoformat()
    )
    return f"{_PREFIX}_{tid}_{secret}", entry


def check_token(
    entries: dict[str, TokenEntry], token: str | None, *, pepper: bytes | None = None
) -> str | None:
    """The user `token` acts as, or None (unknown, malformed, missing: the same answer)."""
    prefix, tid, secret = "", "", ""
    if token:
        prefix, _, rest = token.strip().partition("_")
        tid, _, secret = rest.partition("_")
    entry = entries.get(tid) if prefix == _PREFIX else None
    scheme, salt, want = [*entry.hash.split("$"), "", "", ""][:3] if entry else ("", "", "")
    if scheme != _SCHEME:
        entry, salt, want = None, _DUMMY_SALT, "0" * 64  # same work for an unknown id
    got = _digest(salt, secret, pepper)
    same = hmac.compare_digest(got.encode(), want.encode())
    return entry.user if entry is not None and same and secret else None


def load_tokens(path: str | Path) -> dict[str, TokenEntry]:
    """The entries of the tokens file at `path` (none when it does not exist)."""
    p = Path(path)
    if not p.is_file():
        return {}
    raw: Any = load_yaml(p) or {}
    table = raw.get("tokens") if isinstance(raw, dict) else None
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise InputError(Problem("'tokens' must be a mapping id → entry", file=p.name))
    out = {}
    for tid, e in table.items():
        if not (isinstance(e, dict) and isinstance(e.get("user"), str) and "hash" in e):
            raise InputError(Problem("needs user and hash", file=p.name, where=str(tid)))
        out[str(tid)] = TokenEntry(str(tid), e["user"], str(e["hash"]), str(e.get("issued", "")))
    return out


def entry_yaml(entry: TokenEntry) -> str:
    """The tokens file's line for `entry` (under ``tokens:``), hash only.

    >>> entry_yaml(TokenEntry("ab12", "bob", "hmac-sha256$s$d", "2026-12-07"))
    '  ab12: {user: bob, hash: hmac-sha256$s$d, issued: 2026-12-07}'
    """
    return f"  {entry.id}: {{user: {entry.user}, hash: {entry.hash}, issued: {entry.issued}}}"


def issue_token(store: Any, user: str, *, write: bool = True) -> tuple[str, TokenEntry, Path]:
    """A new API token for `user`, issued by the store's actor (an admin of their office).

    The hash is added to the access file's tokens file (unless ``write=False``: then the
    caller prints :func:`entry_yaml` for the administrator to add). The audit log gets an
    entry naming the user, never the token.
    """
    from costshare.store import audit

    acc = store.access
    if acc is None:
        msg = "no access file ($COSTSHARE_ACCESS): a single-user API asks for no token"
        raise InputError(Problem(msg, field="user"))
    if user not in acc.users:
        raise InputError(Problem(f"user {user!r} is not in the access file", field="user"))
    office = acc.users[user].office
    token, entry = new_token(user)
    with audit.denials(store), store.errors(), store.session() as s, s.begin():
        audit.check(store, "token", office, document=None)
        if write:
            add_token(acc.tokens_path, entry)
        audit.record(s, store, "token", office, detail=f"API token issued for {user}")
    return token, entry, acc.tokens_path


def add_token(path: str | Path, entry: TokenEntry) -> None:
    """Add `entry` to the tokens file at `path` (created owner-readable only if missing)."""
    from costshare.report.safe import atomic_write_bytes

    p = Path(path)
    entries = load_tokens(p)
    entries[entry.id] = entry
    head = "# costshare API tokens: hashes only; `costshare store token USER` adds a line.\n"
    body = {
        "tokens": {
            e.id: {"user": e.user, "hash": e.hash, "issued": e.issued} for e in entries.values()
        }
    }
    new = not p.exists()
    atomic_write_bytes(p, (head + dump_yaml(body)).encode())
    if new:
        p.chmod(0o600)
