"""``costshare api``: serve the HTTP API (FastAPI on uvicorn) until interrupted."""

from __future__ import annotations

from typing import Annotated

import typer

from costshare.errors import InputError, Problem

__all__ = ["api_command"]


def api_command(
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0: every interface).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
) -> None:
    """Serve the HTTP API: POST /v1/<job> with the job's request as JSON; docs at /docs."""
    try:
        import uvicorn

        from costshare.api import create_app
    except ModuleNotFoundError as exc:
        msg = f"the API needs {exc.name}: pip install 'costshare[api]'"
        raise InputError(Problem(msg)) from None
    typer.echo(f"costshare API on http://{host}:{port} (docs: /docs); Ctrl+C stops it")
    uvicorn.run(create_app(), host=host, port=port, log_level="info")
