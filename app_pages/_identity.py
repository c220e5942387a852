"""Who is using the app: from a trusted proxy header or an OIDC sign-in, per the access file.

A deployment's access file (``$COSTSHARE_ACCESS``, :mod:`costshare.store.access`) names how
the app learns the user::

    login: {header: X-Remote-User}   # a reverse proxy authenticates and sets the header
    login: {oidc: true}              # st.login() with [auth] in .streamlit/secrets.toml

With a header, ``.streamlit/config.toml`` maps it into ``st.user`` with
``server.trustedUserHeaders = {"X-Remote-User" = "costshare_user"}``; the header itself
(``st.context.headers``) is read when the mapping is absent. The app then listens on
127.0.0.1 only, behind the proxy, which overwrites any such header a client sends.
Without an access file there is no sign-in: single-user mode, as today.
"""

from __future__ import annotations

import functools
import os

import streamlit as st

from costshare.store.access import Access, load_access

__all__ = ["access", "sign_in_button", "signed_in_user"]


@functools.cache
def _access(path: str) -> Access | None:
    return load_access(path) if path else None


def access() -> Access | None:
    """The deployment's access rules (None: single-user mode); read once per path."""
    return _access(os.environ.get("COSTSHARE_ACCESS", ""))


def _user_value(key: str) -> str | None:
    try:
        value = st.user.get(key)
    except Exception:  # st.user unavailable outside a session
        return None
    return str(value) if value else None


def signed_in_user(acc: Access) -> str | None:
    """The user name the deployment's login method gives (None: nobody signed in)."""
    login = acc.login
    if login is None:
        return None
    if login.header:
        name = _user_value(login.user_key)
        if name is None:
            name = st.context.headers.get(login.header)
        return name.strip() if name and name.strip() else None
    if login.oidc:
        if not _user_value("is_logged_in"):
            return None
        return _user_value(login.claim)
    return None


def sign_in_button(acc: Access, key: str) -> None:
    """Offer ``st.login`` when the deployment signs in with OIDC."""
    from app_pages._i18n import t

    login = acc.login
    if login is not None and login.oidc and st.button(t("store.sign_in"), key=key + "login"):
        if login.provider:
            st.login(login.provider)
        else:
            st.login()
