"""Small widgets shared by the pages."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

_MIME = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".pdf": "application/pdf",
    ".yaml": "application/x-yaml",
    ".json": "application/json",
}


def download(where: Any, label: str, data: Any, file_name: str, key: str) -> None:
    """A download button that does not rerun the page (``on_click="ignore"``).

    `data` may be bytes/str or a callable that builds them when clicked; the MIME type
    follows the file name's suffix.
    """
    where.download_button(
        label,
        data=data,
        file_name=file_name,
        mime=_MIME.get(PurePath(file_name).suffix, "application/octet-stream"),
        on_click="ignore",
        key=key,
    )
