"""Strict YAML loading: safe types only, and a duplicate key is an error, not a silent overwrite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from costshare.errors import InputError, Problem

__all__ = ["KINDS", "dump_yaml", "load_kind_yaml", "load_yaml", "strip_kind"]

KINDS = (
    "community",
    "ppp",
    "portfolio",
    "rules",
    "plan_criteria",
    "translations",
    "operation",
    "transfers",
)
"""The kinds of YAML file the project reads (the value of their ``kind:`` key)."""


class _StrictSafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses duplicate mapping keys (as OpenFisca's loader does)."""


def _construct_mapping(loader: _StrictSafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # `<<: *anchor` merges; explicit keys may override merged ones
        key = loader.construct_object(key_node)
        if key in seen:
            msg = f"duplicate key {key!r} (line {key_node.start_mark.line + 1})"
            raise yaml.constructor.ConstructorError(None, None, msg, key_node.start_mark)
        seen.add(key)
    loader.flatten_mapping(node)
    return loader.construct_mapping(node)


def _construct_timestamp(loader: _StrictSafeLoader, node: yaml.ScalarNode) -> Any:
    # An impossible date such as 2022-13-45 stays text, so validation names its field.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_StrictSafeLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)
_StrictSafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_yaml(path: str | Path, text: str | None = None, *, keep_kind: bool = False) -> Any:
    """Read a YAML file (or `text` attributed to `path`) with safe types and unique keys.

    A top-level ``kind:`` line says what kind of file this is (see :data:`KINDS`); it is
    file metadata, not model data, so it is checked (one of :data:`KINDS`) and removed
    unless `keep_kind`. Loaders that know what they expect read through
    :func:`load_kind_yaml`, which also refuses a file of another kind.

    Raises
    ------
    InputError
        Naming the file and line when the YAML is malformed or the file is missing, and
        the field when ``kind`` is not a known kind.

    Examples
    --------
    >>> load_yaml("a.yaml", text="{kind: ppp, name: x}")
    {'name': 'x'}
    >>> load_yaml("a.yaml", text="{kind: ppp, name: x}", keep_kind=True)
    {'kind': 'ppp', 'name': 'x'}
    """
    data = _parse(path, text)
    if keep_kind or not isinstance(data, dict) or "kind" not in data:
        return data
    return strip_kind(data, data["kind"], Path(path).name)


def _parse(path: str | Path, text: str | None) -> Any:
    name = Path(path).name
    try:
        if text is None:
            text = Path(path).read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_StrictSafeLoader)  # a SafeLoader subclass: safe types only
    except RecursionError:
        raise InputError(Problem(_DEEP, file=name)) from None
    except FileNotFoundError:
        raise InputError(Problem("file not found", file=str(path))) from None
    except UnicodeDecodeError:
        raise InputError(Problem("not UTF-8 text", file=name)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(Problem(f"invalid YAML: {problem}", file=name, where=where)) from None
    if _depth(data) > MAX_DEPTH:
        raise InputError(Problem(_DEEP, file=name))
    return data


MAX_DEPTH = 32
"""Deepest nesting of mappings and lists a costshare YAML file may have."""
_DEEP = f"the YAML is nested more than {MAX_DEPTH} levels deep; costshare files are flat"


def _depth(data: Any) -> int:
    """Nesting depth of lists and mappings, without recursion (so never a RecursionError)."""
    deepest, stack, seen = 0, [(data, 1)], set()
    while stack:
        node, d = stack.pop()
        if isinstance(node, (dict, list)):
            if id(node) in seen:  # an alias: walked once (no exponential "billion laughs")
                continue
            seen.add(id(node))
        if isinstance(node, dict):
            children = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, d)
        if d > MAX_DEPTH:
            return d
        stack += [(c, d + 1) for c in children]
    return deepest


def strip_kind(raw: Any, expect: str, file: str = "<input>") -> Any:
    """`raw` without its ``kind:`` key, after checking that it says `expect`.

    A mapping without ``kind`` is returned as it is (the model then says what is wrong);
    anything but a mapping is returned unchanged for the model to refuse.

    Raises
    ------
    InputError
        When ``kind`` names another kind of file (a PPP scenario given as a community...).

    Examples
    --------
    >>> strip_kind({"kind": "ppp", "name": "x"}, "ppp")
    {'name': 'x'}
    >>> strip_kind({"kind": "ppp"}, "community", "a.yaml")
    Traceback (most recent call last):
    ...
    costshare.errors.InputError: a.yaml, field 'kind': this is a ppp file, not a community file
    """
    if not isinstance(raw, dict) or "kind" not in raw:
        return raw
    kind = raw["kind"]
    if kind != expect or kind not in KINDS:
        if kind in KINDS:
            msg = f"this is a {kind} file, not a {expect} file"
        else:
            msg = f"unknown kind {kind!r}; known kinds: {list(KINDS)}"
        raise InputError(Problem(msg, file=file, field="kind"))
    return {k: v for k, v in raw.items() if k != "kind"}


def load_kind_yaml(path: str | Path, expect: str, text: str | None = None) -> Any:
    """:func:`load_yaml`, then :func:`strip_kind`: the data a model of kind `expect` reads.

    Every loader of a YAML kind (scenario, PPP project, portfolio, rule file, plan
    criteria) reads through this, so each accepts the ``kind:`` line its files declare.

    Examples
    --------
    >>> load_kind_yaml("x.yaml", "portfolio", text="{kind: portfolio, name: n}")
    {'name': 'n'}
    """
    return strip_kind(load_yaml(path, text, keep_kind=True), expect, Path(path).name)


def dump_yaml(data: Any) -> str:
    """Dump plain data to YAML with Chinese kept readable and key order preserved."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
