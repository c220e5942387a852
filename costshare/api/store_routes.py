"""The store's routes: list, read, save, restore, tag, publish, log, export, purge.

Every route acts as the caller (:mod:`costshare.api.identity`) and every check is the
store library's (:mod:`costshare.store.access`), so the API allows exactly what the app
and the CLI allow; a refusal is 403 (and an entry in the audit log), a save on a stale
base 409 naming both versions. ``publish`` rebuilds the posted file from the STORED
version (:func:`costshare.jobs.publish.publish`, as ``costshare store publish``) with the
record's input files sent again, and answers that file.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from costshare import store as cs
from costshare.jobs import FileInput
from costshare.jobs.output import to_jsonable

__all__ = ["acting_store", "router"]

router = APIRouter(prefix="/v1/store", tags=["store"])


def acting_store(request: Request) -> cs.Store:
    """The app's store acting as the request's caller (resolved by the identity check)."""
    base = request.app.state.open_store()
    user = getattr(request.state, "user", None)
    return base if user is None else base.as_user(user)


Acting = Annotated[cs.Store, Depends(acting_store)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SaveBody(_Body):
    """A new version: the document's kind, its text (YAML or JSON), and its base."""

    kind: str = Field(min_length=1, max_length=40)
    content: str = Field(max_length=5_000_000)
    comment: str = Field(default="", max_length=2000)
    base: int | None = Field(default=None, ge=0, description="0: a new document")
    results: dict[str, Any] | None = None


class RestoreBody(_Body):
    """Restore an old version as a new one (based on `base`)."""

    comment: str = Field(default="", max_length=2000)
    base: int | None = Field(default=None, ge=0)


class TagBody(_Body):
    """A tag (tags never move); a ``published`` tag with a file hash comes from publish."""

    tag: str = Field(min_length=1, max_length=100)
    note: str = Field(default="", max_length=2000)


class PublishBody(_Body):
    """The stored record's input files again (the record keeps only their sha256)."""

    files: dict[str, FileInput] = Field(default_factory=dict)
    tag: str = Field(default="published", min_length=1, max_length=100)


class PurgeBody(_Body):
    """Why the document is erased (kept in the audit log)."""

    reason: str = Field(min_length=1, max_length=2000)


def _json(obj: Any, status: int = 200) -> JSONResponse:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        obj = dataclasses.asdict(obj)
    elif isinstance(obj, list):
        obj = [dataclasses.asdict(x) if dataclasses.is_dataclass(x) else x for x in obj]
    return JSONResponse(to_jsonable(obj), status_code=status)


def _ref(ref: str) -> int | str:
    return int(ref) if ref.isdigit() else ref


@router.get("/documents")
def list_documents(store: Acting) -> JSONResponse:
    """Documents the caller may read (their office's subtree, and what offices above published)."""
    return _json(cs.documents(store))


@router.get("/documents/{name}/versions")
def list_versions(name: str, store: Acting) -> JSONResponse:
    """Versions of a document the caller may read."""
    return _json(cs.history(store, name))


@router.get("/documents/{name}/versions/{ref}")
def read_version(name: str, ref: str, store: Acting) -> JSONResponse:
    """One version (number, tag or ``latest``) with its content."""
    return _json(cs.get(store, name, _ref(ref)))


@router.post("/documents/{name}/versions", status_code=201)
def save_version(name: str, body: Annotated[SaveBody, Body()], store: Acting) -> JSONResponse:
    """Save a new version as the caller; a stale `base` is refused (409) with both versions."""
    saved = cs.save(
        store, body.kind, name, body.content, None, body.comment, body.results, base=body.base
    )
    return _json(saved, 200 if saved.unchanged else 201)


@router.post("/documents/{name}/versions/{ref}/restore", status_code=201)
def restore_version(
    name: str, ref: str, body: Annotated[RestoreBody, Body()], store: Acting
) -> JSONResponse:
    """Append a version equal to version `ref`."""
    return _json(cs.restore(store, name, _ref(ref), None, body.comment, base=body.base), 201)


@router.post("/documents/{name}/versions/{ref}/tags", status_code=201)
def tag_version(
    name: str, ref: str, body: Annotated[TagBody, Body()], store: Acting
) -> JSONResponse:
    """Tag a version (``published`` needs the publisher role); the tag records the caller."""
    return _json(cs.tag(store, name, _ref(ref), body.tag, note=body.note), 201)


@router.post(
    "/documents/{name}/versions/{ref}/publish",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def publish_version(
    name: str, ref: str, body: Annotated[PublishBody, Body()], store: Acting
) -> Response:
    """Rebuild the posted file (a sheet's notice) from the stored version, tag it with the
    file's sha256, and answer that file."""
    from costshare.jobs.publish import publish

    files = {k: (f.content(), f.name) for k, f in body.files.items()}
    done = publish(store, name, _ref(ref), files, tag_name=body.tag)
    t = done.tag
    headers = {
        "Content-Disposition": f'attachment; filename="notice-v{t.number}.pdf"',
        "X-Costshare-Sha256": t.file_hash or "",
        "X-Costshare-Version": str(t.number),
    }
    return Response(done.data, media_type="application/pdf", headers=headers)


@router.get("/log")
def audit_log(
    store: Acting,
    document: Annotated[str | None, Query(max_length=200)] = None,
    last: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> JSONResponse:
    """The audit log of the caller's offices (refusals included), oldest first."""
    return _json(cs.log(store, document, last or None))


@router.get(
    "/export", response_class=Response, responses={200: {"content": {"application/gzip": {}}}}
)
def export(
    store: Acting, document: Annotated[list[str] | None, Query(max_length=200)] = None
) -> Response:
    """The store (or the documents named) as an archive (admin of every document's office),
    as ``store export``."""
    with tempfile.TemporaryDirectory(prefix="costshare-export-") as tmp:
        path = Path(tmp) / "store.json.gz"
        cs.export_store(store, path, document or None)
        data = path.read_bytes()
    headers = {"Content-Disposition": 'attachment; filename="costshare-store.json.gz"'}
    return Response(data, media_type="application/gzip", headers=headers)


@router.post("/documents/{name}/purge")
def purge(name: str, body: Annotated[PurgeBody, Body()], store: Acting) -> JSONResponse:
    """Erase a document's content (admin); a tombstone stays in the audit log."""
    return _json({"document": name, "versions_erased": cs.purge(store, name, body.reason)})
