"""Path checks shared by the shells (app, CLI): is a path inside a folder?"""

from __future__ import annotations

from pathlib import Path

__all__ = ["inside"]


def inside(path: str | Path, folder: str | Path) -> bool:
    """True when `path`, with ``..`` and symbolic links resolved, lies in `folder` (or is it).

    Used to keep a file named by an upload (a portfolio's template) inside the app's own
    folders.

    Examples
    --------
    >>> inside("/srv/app/portfolios/x.yaml", "/srv/app")
    True
    >>> inside("/srv/app/portfolios/../../etc/passwd", "/srv/app")
    False
    >>> inside("/srv/application", "/srv/app")
    False
    """
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True
