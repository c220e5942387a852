"""Strict YAML loading: YAML 1.2 safe types (ruamel.yaml), duplicate keys and alias bombs refused.

Every YAML the project reads (scenarios, rule files, the store's stored content) goes
through :func:`load_yaml`: ``12:30`` and ``0460`` are text, never 750 or 304 (YAML 1.1);
a duplicate key is an error, not a silent overwrite; a document that would expand past
:data:`MAX_NODES` values through aliases, or nest past :data:`MAX_DEPTH`, is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.nodes import MappingNode, SequenceNode

from costshare.errors import InputError, Problem
from costshare.limits import MAX_YAML_DEPTH, MAX_YAML_NODES

__all__ = ["KINDS", "Kind", "dump_yaml", "load_kind_yaml", "load_yaml", "strip_kind"]

Kind = Literal[
    "community",
    "ppp",
    "portfolio",
    "rules",
    "plan_criteria",
    "translations",
    "operation",
    "transfers",
]
"""The kinds of YAML file the project reads (the value of their ``kind:`` key)."""

KINDS: tuple[str, ...] = get_args(Kind)
"""The same kinds as a tuple, for checks at run time."""


class _YamlLimitError(Exception):
    """A composed document over a limit (nesting, alias expansion) or a duplicate key."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line = message, line


class _StrictConstructor(SafeConstructor):
    """YAML 1.2 safe types; a duplicate key is an error; ``0460`` stays text."""

    def check_mapping_key(
        self, node: Any, key_node: Any, mapping: Any, key: Any, value: Any
    ) -> bool:
        if key in mapping:
            raise _YamlLimitError(f"duplicate key {key!r}", key_node.start_mark.line + 1)
        return True

    def construct_yaml_int(self, node: Any) -> Any:
        # YAML 1.1 read 0460 as octal 304 and 12:30 as 750; 1.2 has neither: a number
        # written with a leading zero is text (an id such as 007 keeps its zeros)
        text = str(node.value).lstrip("+-")
        if len(text) > 1 and text[0] == "0" and text[1].isdigit():
            return self.construct_scalar(node)
        return SafeConstructor.construct_yaml_int(self, node)

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        # an impossible date such as 2022-13-45 stays text, so validation names its field
        try:
            return SafeConstructor.construct_yaml_timestamp(self, node, values)
        except ValueError:
            return self.construct_scalar(node)


_StrictConstructor.add_constructor("tag:yaml.org,2002:int", _StrictConstructor.construct_yaml_int)
_StrictConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", _StrictConstructor.construct_yaml_timestamp
)

MAX_NODES = MAX_YAML_NODES
"""Most values a YAML document may expand to, aliases counted at every use (an alias
bomb of a few lines that would expand to billions is refused before it is built)."""


def _check_nodes(root: Any) -> None:
    """Refuse a composed document nested too deep or expanding to too many values.

    Walks the node graph once per distinct node (an alias is a shared node), so a
    billion-laughs document is measured in microseconds, never expanded.
    """
    order: list[tuple[Any, int]] = []
    stack, seen = [(root, 1)], set()
    while stack:
        node, d = stack.pop()
        if d > MAX_DEPTH:
            raise _YamlLimitError(_DEEP, node.start_mark.line + 1)
        if id(node) in seen:
            continue
        seen.add(id(node))
        order.append((node, d))
        if isinstance(node, MappingNode):
            stack += [(n, d + 1) for kv in node.value for n in kv]
        elif isinstance(node, SequenceNode):
            stack += [(n, d + 1) for n in node.value]
    size: dict[int, int] = {}
    for node, _ in reversed(order):  # children are sized before their parents
        if isinstance(node, MappingNode):
            kids = [n for kv in node.value for n in kv]
        elif isinstance(node, SequenceNode):
            kids = list(node.value)
        else:
            kids = []
        size[id(node)] = 1 + sum(size.get(id(k), 1) for k in kids)
        if size[id(node)] > MAX_NODES:
            msg = (
                f"the YAML expands to more than {MAX_NODES:,} values (aliases such as *a "
                "counted at every use); costshare files are small"
            )
            raise _YamlLimitError(msg, node.start_mark.line + 1)


def _load_text(text: str) -> Any:
    """Parse `text` as YAML 1.2 with safe types, after checking its size when expanded."""
    depth = 0  # nesting measured on the parser's events first: the composer recurses
    for event in YAML(typ="safe", pure=True).parse(text):
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _YamlLimitError(_DEEP, event.start_mark.line + 1)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
    y = YAML(typ="safe", pure=True)
    y.version = (1, 2)
    y.Constructor = _StrictConstructor
    constructor, parser = y.get_constructor_parser(text)
    try:
        node = constructor.composer.get_single_node()
        if node is None:
            return None
        _check_nodes(node)
        return constructor.construct_document(node)
    finally:
        parser.dispose()


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
        data = _load_text(text)  # YAML 1.2, safe types only, aliases bounded
    except RecursionError:
        raise InputError(Problem(_DEEP, file=name)) from None
    except FileNotFoundError:
        raise InputError(Problem("file not found", file=str(path))) from None
    except UnicodeDecodeError:
        raise InputError(Problem("not UTF-8 text", file=name)) from None
    except _YamlLimitError as exc:
        where = f"line {exc.line}" if exc.line else None
        raise InputError(Problem(exc.message, file=name, where=where)) from None
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise InputError(Problem(f"invalid YAML: {problem}", file=name, where=where)) from None
    return data


MAX_DEPTH = MAX_YAML_DEPTH
"""Deepest nesting of mappings and lists a costshare YAML file may have."""
_DEEP = f"the YAML is nested more than {MAX_DEPTH} levels deep; costshare files are flat"


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
