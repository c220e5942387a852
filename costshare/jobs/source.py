"""Where a request's scenario comes from: bundled, inline or stored, plus a what-if patch.

A :class:`DocumentSource` names exactly one origin — a bundled file (``fujian_default.yaml``,
``ppp/chongqing_jiulongpo.yaml``), the document itself as plain data, or a stored version
(``DOC`` or ``DOC@3``) — and optionally a JSON merge patch (RFC 7386) of what-if changes.
:meth:`DocumentSource.resolve` gives the plain data the engines validate; a request's
canonical form (what the store keeps) holds that data inline, so a record recomputes even
after the bundled file or the stored document changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from costshare.base import StrictModel
from costshare.errors import InputError, Problem

__all__ = ["DocumentSource", "merge_patch"]


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply a JSON merge patch (RFC 7386): mappings merge, ``null`` deletes, else replace.

    Examples
    --------
    >>> merge_patch({"a": 1, "b": {"c": 2, "d": 3}}, {"b": {"c": None, "e": 4}, "f": [1]})
    {'a': 1, 'b': {'d': 3, 'e': 4}, 'f': [1]}
    """
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


class DocumentSource(StrictModel):
    """One scenario document: ``bundled``, ``data`` or ``stored`` (exactly one) + ``patch``.

    A plain string is short for a bundled file: ``"fujian_default"`` is
    ``{"bundled": "fujian_default"}`` (the ``.yaml`` suffix and the kind's folder may be
    left out).

    Examples
    --------
    >>> s = DocumentSource(bundled="fujian_default.yaml", patch={"community": {"households": 500}})
    >>> s.resolve("community")["community"]["households"]
    500
    >>> DocumentSource.model_validate("fujian_default").bundled
    'fujian_default'
    """

    bundled: str | None = Field(
        default=None, description="A bundled file, e.g. fujian_default.yaml"
    )
    data: dict[str, Any] | None = Field(default=None, description="The document as plain data")
    stored: str | None = Field(default=None, description="A stored document: DOC or DOC@VERSION")
    patch: dict[str, Any] | None = Field(default=None, description="JSON merge patch (what-if)")
    file: str | None = Field(
        default=None, exclude=True, max_length=255, description="File name, for messages only"
    )
    folder: str | None = Field(
        default=None, exclude=True, description="Folder its relative paths are read from"
    )

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, raw: Any) -> Any:
        return {"bundled": raw} if isinstance(raw, str) else raw

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        schema = handler(core_schema)
        short = {"type": "string", "description": "A bundled file's name (short form)"}
        return {"anyOf": [schema, short]}

    @model_validator(mode="after")
    def _one_origin(self) -> DocumentSource:
        given = [k for k in ("bundled", "data", "stored") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of bundled, data or stored")
        return self

    @property
    def label(self) -> str:
        """A short name of the origin for messages (never the document's content)."""
        if self.file is not None:
            return self.file
        if self.bundled is not None:
            return self.bundled
        if self.stored is not None:
            return f"store:{self.stored}"
        return str((self.data or {}).get("name") or "<scenario>")

    def resolve(self, kind: str) -> dict[str, Any]:
        """The document's plain data with the patch applied (``kind:`` key removed)."""
        if self.data is not None:
            raw = self.data
        elif self.bundled is not None:
            raw = _bundled(kind, self.bundled)
        else:
            raw = _stored(kind, str(self.stored))
        raw = {k: v for k, v in raw.items() if k != "kind"}
        return merge_patch(raw, self.patch) if self.patch else raw

    def inline(self, kind: str) -> DocumentSource:
        """This source as inline data (the form a store record keeps)."""
        if self.data is not None and self.patch is None:
            return self
        return DocumentSource(data=self.resolve(kind), file=self.label)

    def base_dir(self, kind: str) -> Path:
        """Folder that relative paths inside the document are read from."""
        if self.bundled is not None:
            return _bundled_path(kind, self.bundled).parent
        return Path(self.folder) if self.folder else Path.cwd()


def _bundled_path(kind: str, name: str) -> Path:
    from costshare.kinds import bundled

    files = bundled(kind)  # type: ignore[arg-type]
    hit = files.get(name) or files.get(f"{name}.yaml") or files.get(f"{kind}/{name}.yaml")
    if hit is None:
        known = ", ".join(sorted(files)) or "none"
        msg = f"no bundled {kind} scenario {name!r}; bundled: {known}"
        raise InputError(Problem(msg, field="bundled"))
    return hit


def _bundled(kind: str, name: str) -> dict[str, Any]:
    from costshare.yamlio import load_yaml

    data = load_yaml(_bundled_path(kind, name))
    if not isinstance(data, dict):
        raise InputError(Problem("not a mapping", file=name))
    return data


def _stored(kind: str, ref: str) -> dict[str, Any]:
    from costshare import store
    from costshare.store.current import reading

    name, _, number = ref.partition("@")
    if number and not number.isdigit():
        raise InputError(Problem("write a stored version as DOC@N", field="stored"))
    with reading() as s:  # the shell's store, acting as its caller
        v = store.get(s, name, int(number) if number else None)
    if v.kind != kind:
        msg = f"stored document {name!r} is a {v.kind} document, not {kind}"
        raise InputError(Problem(msg, field="stored"))
    data = v.data
    if isinstance(data, dict) and "request" in data and "job" in data:  # a job record
        data = (data["request"].get("scenario") or {}).get("data") or {}
    if not isinstance(data, dict):
        raise InputError(Problem("stored document is not a mapping", field="stored"))
    return data
