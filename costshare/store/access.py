"""Who may do what in the store: offices in a hierarchy, users with roles, one rule table.

A deployment names an *access file* (YAML, path in ``$COSTSHARE_ACCESS``)::

    offices:
      fz: {name: 福州市}
      gl: {name: 鼓楼区, parent: fz}
      dj: {name: 东街街道, parent: gl}
    users:
      alice: {office: dj, roles: [clerk]}
      bob: {office: gl, roles: [analyst, publisher]}
      carol: {office: fz, roles: [viewer]}
    login: {header: X-Remote-User}   # or: login: {oidc: true}; how the app learns the user
    api: {auth: token, tokens: api-tokens.yaml}   # or: api: {auth: header}; the API's

Every document belongs to one office. A user's *scope* is their office and every office
below it; they read every document in scope and, of documents owned by an office above
them, only versions tagged ``published``. Roles (a user may hold several):

- ``viewer``: read only;
- ``clerk``: save, restore and tag household sheets, owners' votes and elevator records
  (:data:`CLERK_KINDS`) in scope;
- ``analyst``: save, restore and tag every other kind (scenarios, portfolios, PPP,
  operation, plans …) in scope;
- ``publisher``: tag a version ``published`` (and other tags) in scope;
- ``admin``: export, import, purge, upgrade the schema, issue API tokens, in scope.

Without an access file the store runs in *single-user mode* (a laptop): one actor, named
by ``$COSTSHARE_USER`` or the login name, who may do everything.

>>> acc = parse_access({"offices": {"fz": {"name": "福州市"}, "gl": {"name": "鼓楼区",
...     "parent": "fz"}}, "users": {"bob": {"office": "gl", "roles": ["analyst"]}}})
>>> bob = acc.actor("bob")
>>> allowed(bob, "save", "gl", kind="community"), allowed(bob, "save", "fz", kind="community")
(True, False)
>>> allowed(bob, "read", "fz"), allowed(bob, "read", "fz", published=True)
(False, True)
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from costshare.errors import InputError, Problem
from costshare.yamlio import load_yaml

__all__ = [
    "ACTIONS",
    "CLERK_KINDS",
    "NOBODY",
    "ROLES",
    "Access",
    "Actor",
    "PermissionDeniedError",
    "allowed",
    "load_access",
    "parse_access",
    "single_user",
]

ROLES = ("viewer", "clerk", "analyst", "publisher", "admin")
"""Every role an access file may give."""

ACTIONS = (
    "read",
    "save",
    "restore",
    "tag",
    "publish",
    "export",
    "import",
    "purge",
    "upgrade",
    "token",
)
"""Every action the store checks."""

CLERK_KINDS = frozenset(
    {
        "sheet",
        "vote",
        "household_sheet",
        "owners_vote",
        "elevator",
        "elevator_sheet",
        "elevator_life",
    }
)
"""Document kinds a clerk saves (the sheet and vote jobs, and the older record kinds);
an analyst saves every other kind."""

Role = Literal["viewer", "clerk", "analyst", "publisher", "admin"]


class PermissionDeniedError(InputError):
    """The actor may not do this; the store has written a ``denied`` entry in its log."""

    def __init__(self, problem: Problem, *, action: str, office: str, document: str | None):
        super().__init__(problem)
        self.action, self.office, self.document = action, office, document


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Office(_Model):
    """One office: its display name and the office above it (none for the top)."""

    name: str = Field(min_length=1, max_length=100)
    parent: str | None = None


class UserEntry(_Model):
    """One user: the office they work for and their roles."""

    office: str
    roles: tuple[Role, ...] = Field(min_length=1)


class Login(_Model):
    """How the app learns who is there: a trusted proxy header, or OIDC (``st.login``).

    ``header``: the proxy's header naming the user, which ``.streamlit/config.toml`` maps
    into ``st.user`` under ``user_key`` (``server.trustedUserHeaders``). ``oidc``: the
    user signs in with ``st.login(provider)``; ``claim`` of ``st.user`` is the user name.
    """

    header: str | None = Field(default=None, min_length=1, max_length=100)
    user_key: str = "costshare_user"
    oidc: bool = False
    provider: str | None = None
    claim: str = "email"


@dataclass(frozen=True)
class Actor:
    """Who acts: name, office (None in single-user mode), roles, and the offices in scope."""

    name: str
    office: str | None
    roles: frozenset[str]
    scope: frozenset[str] | None  # None: every office (single-user mode)
    above: tuple[str, ...] = ()  # the offices above `office`, nearest first

    @property
    def single(self) -> bool:
        """True in single-user mode (no access file)."""
        return self.scope is None


NOBODY = Actor("(nobody)", None, frozenset(), frozenset())
"""No one in particular (a server before it knows who calls): may do nothing."""


def single_user(name: str | None = None) -> Actor:
    """The one actor of single-user mode: `name`, else ``$COSTSHARE_USER``, else the login.

    (``$COSTSHARE_AUTHOR``, the old name of the variable, is still read after
    ``$COSTSHARE_USER``.)
    """
    if not name:
        try:
            env = os.environ.get("COSTSHARE_USER") or os.environ.get("COSTSHARE_AUTHOR")
            name = env or getpass.getuser()
        except (KeyError, OSError):
            name = "unknown"
    return Actor(name, None, frozenset(ROLES), None)


class ApiLogin(_Model):
    """How the API learns who calls: a bearer token, or the trusted proxy header.

    ``auth: token``: ``Authorization: Bearer <token>``, checked against the hashes in the
    tokens file (``tokens``, relative to the access file; :mod:`costshare.store.tokens`).
    ``auth: header``: the proxy's header (``header``, default the app's ``login.header``)
    names the user; the API must then be reachable only through that proxy.
    """

    auth: Literal["token", "header"] = "token"
    tokens: str = Field(default="api-tokens.yaml", min_length=1, max_length=1000)
    header: str | None = Field(default=None, min_length=1, max_length=100)


class Access(_Model):
    """A parsed access file: offices (a forest), users, the app's and the API's login."""

    offices: dict[str, Office] = Field(min_length=1)
    users: dict[str, UserEntry] = Field(default_factory=dict)
    login: Login | None = None
    api: ApiLogin = Field(default_factory=ApiLogin)
    _path: str | None = PrivateAttr(default=None)  # the file read (set by load_access)

    @property
    def api_header(self) -> str | None:
        """The header naming the API's caller (``auth: header``), else None."""
        if self.api.auth != "header":
            return None
        return self.api.header or (self.login.header if self.login else None)

    @property
    def tokens_path(self) -> Path:
        """The tokens file: ``api.tokens``, relative to the access file's folder."""
        p = Path(self.api.tokens).expanduser()
        if p.is_absolute() or self._path is None:
            return p
        return Path(self._path).parent / p

    def chain(self, office: str) -> tuple[str, ...]:
        """`office` and every office above it, nearest first."""
        out = [office]
        while (parent := self.offices[out[-1]].parent) is not None:
            out.append(parent)
        return tuple(out)

    def subtree(self, office: str) -> frozenset[str]:
        """`office` and every office below it."""
        return frozenset(o for o in self.offices if office in self.chain(o))

    @property
    def root(self) -> str:
        """The first top office listed: owner of documents saved without an office."""
        return next(o for o, x in self.offices.items() if x.parent is None)

    def actor(self, user: str | None) -> Actor:
        """The actor for `user`; an unknown or missing user is refused."""
        if not user or user not in self.users:
            msg = (
                f"user {user!r} is not in the access file"
                if user
                else "nobody is signed in (the CLI acts as $COSTSHARE_USER)"
            )
            raise InputError(Problem(msg, field="user"))
        u = self.users[user]
        return Actor(
            user, u.office, frozenset(u.roles), self.subtree(u.office), self.chain(u.office)[1:]
        )


def parse_access(raw: Any, file: str = "<access>") -> Access:
    """Validate an access file's data: known parents, no cycles, users in known offices."""
    try:
        acc = Access.model_validate(raw)
    except ValidationError as exc:
        problems = [
            Problem(e["msg"], file=file, field=".".join(str(x) for x in e["loc"]))
            for e in exc.errors()
        ]
        raise InputError(problems) from None
    problems = []
    for oid, office in acc.offices.items():
        if office.parent is not None and office.parent not in acc.offices:
            problems.append(Problem(f"unknown parent {office.parent!r}", file, oid, "parent"))
            continue
        seen, cur = {oid}, office.parent
        while cur is not None and cur in acc.offices:
            if cur in seen:
                problems.append(Problem("offices form a cycle", file, oid, "parent"))
                break
            seen.add(cur)
            cur = acc.offices[cur].parent
    for name, user in acc.users.items():
        if user.office not in acc.offices:
            problems.append(Problem(f"unknown office {user.office!r}", file, name, "office"))
    if problems:
        raise InputError(problems)
    return acc


def load_access(path: str | Path | None = None) -> Access | None:
    """The access file at `path`, else at ``$COSTSHARE_ACCESS``; None when neither is set."""
    path = path or os.environ.get("COSTSHARE_ACCESS")
    if not path:
        return None
    if not Path(path).is_file():
        raise InputError(Problem("the access file does not exist", file=str(path)))
    acc = parse_access(load_yaml(path), str(path))
    acc._path = str(path)
    return acc


def allowed(
    actor: Actor, action: str, office: str, *, kind: str | None = None, published: bool = False
) -> bool:
    """Whether `actor` may do `action` on a document of `kind` owned by `office`.

    `published` says whether the version concerned carries a ``published`` tag (reading
    an office above one's own is allowed only then).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if actor.scope is None:
        return True
    roles, mine = actor.roles, office in actor.scope
    if action == "read":
        return mine or (published and office in actor.above)
    if not mine:
        return False
    if action in ("save", "restore"):
        return _writer(roles, kind)
    if action == "tag":
        return _writer(roles, kind) or "publisher" in roles
    if action == "publish":
        return "publisher" in roles
    return "admin" in roles  # export, import, purge, upgrade


def _writer(roles: frozenset[str], kind: str | None) -> bool:
    return ("clerk" in roles) if kind in CLERK_KINDS else ("analyst" in roles)
