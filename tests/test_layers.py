"""The folder layout shows the layers: nothing imports upwards, no import circles, and no
module reaches for another module's private names."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "costshare"

LAYERS: dict[str, int] = {
    # foundations
    "errors": 0, "base": 1, "yamlio": 1, "paths": 0, "i18n": 1, "text": 0, "tables": 1,
    "progress": 0,
    "money": 1, "rules": 2,
    # engines
    "finance": 3, "community": 3, "households": 3, "ppp": 3, "operation": 3,
    # around the engines
    "report": 4, "scale": 4, "store": 4, "kinds": 4,
    # the one door
    "jobs": 5,
    # shells
    "cli": 6, "api": 6, "__main__": 6, "__init__": 6,
}  # fmt: skip


def _modules() -> dict[str, Path]:
    out = {}
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every import in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "costshare":
            # `from costshare import rules` imports the module costshare.rules
            out += [(f"costshare.{a.name}", [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names]
    return [(m, n, ln) for m, n, ln in out if m.startswith("costshare")]


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else LAYERS["__init__"]


def test_every_package_has_a_layer() -> None:
    tops = {m.split(".")[1] for m in MODULES if m.count(".") >= 1}
    assert tops <= set(LAYERS), sorted(tops - set(LAYERS))


def test_nothing_imports_upwards() -> None:
    """An engine never imports the store, a report or a shell; jobs never a shell."""
    upward = []
    for mod, path in MODULES.items():
        low = _layer(mod)
        for target, _, line in _imports(path):
            high = _layer(target)
            if low is not None and high is not None and high > low:
                upward.append(f"{mod}:{line} → {target}")
    assert upward == [], "\n".join(upward)


def test_no_private_names_across_packages() -> None:
    """A module imported from outside its package is public: no ``_x`` across packages."""
    private = []
    for mod, path in MODULES.items():
        pkg = ".".join(mod.split(".")[:2])
        for target, names, line in _imports(path):
            if target.startswith(pkg + ".") or target == pkg:
                continue  # inside its own package
            hidden = [p for p in target.split(".") if p.startswith("_") and not p.endswith("__")]
            hidden += [n for n in names if n.startswith("_")]
            if hidden:
                private.append(f"{mod}:{line} → {target} {hidden}")
    assert private == [], "\n".join(private)


def test_no_import_circles_between_packages() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for mod, path in MODULES.items():
        src = ".".join(mod.split(".")[:2])
        for target, _, _ in _imports(path):
            dst = ".".join(target.split(".")[:2])
            if dst != src:
                graph[src].add(dst)

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for n in graph[todo.pop()]:
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        return seen

    circles = sorted(p for p in list(graph) if p in reach(p) and p != "costshare")
    assert circles == [], circles


@pytest.mark.parametrize("folder", ["app_pages"])
def test_pages_use_public_names(folder: str) -> None:
    private = []
    for path in sorted((ROOT / folder).glob("*.py")):
        for target, names, line in _imports(path):
            hidden = [p for p in target.split(".") if p.startswith("_")]
            hidden += [n for n in names if n.startswith("_")]
            if hidden:
                private.append(f"{path.name}:{line} → {target} {hidden}")
    assert private == [], "\n".join(private)
