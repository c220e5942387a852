"""Who calls the API: a bearer token or the trusted proxy header, as the access file says.

The deployment's access file (``$COSTSHARE_ACCESS``, :mod:`costshare.store.access`) names
the API's login in its ``api:`` entry, beside the app's ``login:``::

    api: {auth: token, tokens: api-tokens.yaml}   # Authorization: Bearer <token>
    api: {auth: header}                           # the proxy's header (login.header)

Tokens are checked against the salted, peppered hashes of the tokens file
(:mod:`costshare.store.tokens`; ``costshare store token USER`` issues one). A missing,
malformed or unknown token, or a header naming no user of the access file, is answered
401 with one sentence that does not say which; the token is never logged or echoed.
Without an access file the API is single-user, as before: it acts as ``$COSTSHARE_USER``
(or the login name) and asks for nothing.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from fastapi import Request
from starlette.exceptions import HTTPException

from costshare.store.access import Access
from costshare.store.tokens import TokenEntry, check_token, load_tokens

__all__ = ["UNAUTHORIZED", "Identity"]

UNAUTHORIZED = "authentication required: no valid credentials were given"
"""The one 401 sentence (it never says whether a token was missing, malformed or unknown)."""


class Identity:
    """Resolves a request's user under `access` (None: single-user mode).

    >>> from costshare.store import parse_access
    >>> Identity(None).scheme, Identity(parse_access({"offices": {"fz": {"name": "福州市"}},
    ...     "api": {"auth": "header", "header": "X-Remote-User"}})).scheme
    ('none', 'header')
    """

    def __init__(self, access: Access | None) -> None:
        self.access = access
        self._lock = threading.Lock()
        self._seen: tuple[Path, float, int] | None = None
        self._tokens: dict[str, TokenEntry] = {}

    @property
    def scheme(self) -> str:
        """``none`` (single-user), ``token`` or ``header``."""
        return "none" if self.access is None else self.access.api.auth

    def _entries(self) -> dict[str, TokenEntry]:
        """The tokens file, read again when it changed (a deleted line revokes at once)."""
        assert self.access is not None
        path = self.access.tokens_path
        try:
            st = path.stat()
            seen = (path, st.st_mtime, st.st_size)
        except OSError:
            return {}
        with self._lock:
            if seen != self._seen:
                self._tokens, self._seen = load_tokens(path), seen
            return self._tokens

    def user(self, request: Request) -> str | None:
        """The user the request acts as (None in single-user mode); 401 when unknown."""
        acc = self.access
        if acc is None:
            return None
        name: str | None = None
        if acc.api.auth == "header":
            header = acc.api_header
            value = request.headers.get(header, "") if header else ""
            name = value.strip() or None
        else:
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            name = check_token(self._entries(), token if scheme.lower() == "bearer" else None)
        if name is None or name not in acc.users:
            raise HTTPException(401, UNAUTHORIZED, headers=self.challenge())
        return name

    def challenge(self) -> dict[str, Any]:
        """The ``WWW-Authenticate`` header of a 401."""
        return {"WWW-Authenticate": 'Bearer realm="costshare"'} if self.scheme == "token" else {}
