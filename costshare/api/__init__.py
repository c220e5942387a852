"""The HTTP API: every job of :mod:`costshare.jobs` as a route (FastAPI).

``costshare api`` serves it (uvicorn); so does any ASGI server given ``costshare.api:app``.
``POST /v1/<job>`` takes the job's request as JSON and answers the result in the same JSON
the CLI's ``--format json`` prints, with the request's digest and its store record;
``/v1/<job>/xlsx|csv|pdf`` give files, ``/v1/trace/<job>`` and ``/v1/rules/{jurisdiction}``
the rule values and their sources, ``/v1/store/…`` the scenario store (list, read, save
with its base, restore, tag, publish from the stored version, log, export, purge),
``/healthz`` checks the store. ``/docs`` shows the OpenAPI schema, generated from the
request models. Under an access file every ``/v1`` route acts as its caller, known by a
bearer token or the proxy's header (:mod:`costshare.api.identity`); without one the API
is single-user, as the CLI.

Needs the ``api`` extra: ``pip install costshare[api]``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["app", "create_app"]


def create_app(**kwargs: Any) -> Any:
    """The FastAPI application (see :func:`costshare.api.server.create_app`)."""
    from costshare.api.server import create_app as make

    return make(**kwargs)


def __getattr__(name: str) -> Any:
    if name == "app":  # ``uvicorn costshare.api:app``: built on first use
        globals()["app"] = made = create_app()
        return made
    msg = f"module 'costshare.api' has no attribute {name!r}"
    raise AttributeError(msg)
