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
    "errors": 0, "base": 1, "yamlio": 1, "limits": 1, "paths": 0, "i18n": 1, "text": 0, "tables": 1,
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


# -- one YAML loader ------------------------------------------------------------------
_YAML_READERS = {
    "load", "safe_load", "full_load", "unsafe_load", "load_all", "safe_load_all",
    "full_load_all", "unsafe_load_all", "compose", "compose_all", "parse", "scan",
    "Loader", "SafeLoader", "FullLoader", "UnsafeLoader", "BaseLoader", "CLoader",
    "CSafeLoader", "CFullLoader", "CUnsafeLoader", "CBaseLoader",
}  # fmt: skip


def _yaml_readers(source: str) -> list[str]:
    """Every place in `source` that reads YAML without :mod:`costshare.yamlio`.

    PyYAML's loaders (``yaml.safe_load``, ``from yaml import load``, ``yaml.SafeLoader``,
    an alias such as ``import yaml as y; y.load``) and any import of ruamel.yaml count;
    ``yaml.safe_dump`` (writing) does not.
    """
    tree = ast.parse(source)
    aliases, found = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "yaml":
                    aliases.add(a.asname or "yaml")
                elif a.name.startswith("ruamel"):
                    found.append(f"{node.lineno}: import {a.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("ruamel"):
                found.append(f"{node.lineno}: from {node.module} import ...")
            elif node.module.split(".")[0] == "yaml":
                bad = [a.name for a in node.names if a.name in _YAML_READERS or a.name == "*"]
                found += [f"{node.lineno}: from yaml import {n}" for n in bad]
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr in _YAML_READERS
        ):
            found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_the_yaml_reader_scan_finds_every_spelling() -> None:
    src = (
        "import yaml\nimport yaml as y\nfrom yaml import safe_load\nfrom yaml import CLoader\n"
        "import ruamel.yaml\nfrom ruamel.yaml import YAML\n"
        "a = yaml.safe_load('x')\nb = y.load('x', Loader=y.SafeLoader)\nc = yaml.full_load('')\n"
        "d = yaml.safe_dump({})\n"
    )
    found = _yaml_readers(src)
    assert len(found) == 8, found  # 2 from-imports, 2 ruamel imports, 4 loader attributes
    assert not any("safe_dump" in f for f in found)


def test_every_yaml_is_read_by_the_one_loader() -> None:
    """Only costshare.yamlio parses YAML (YAML 1.2, bounded aliases, located errors)."""
    files = [p for p in PKG.rglob("*.py") if p != PKG / "yamlio.py"]
    files += [*sorted((ROOT / "app_pages").glob("*.py")), ROOT / "app.py"]
    found = [
        f"{p.relative_to(ROOT)}:{hit}"
        for p in files
        for hit in _yaml_readers(p.read_text(encoding="utf-8"))
    ]
    assert found == [], "\n".join(found)
    # the loader itself parses with ruamel.yaml only, never PyYAML's 1.1 loaders
    own = [h for h in _yaml_readers((PKG / "yamlio.py").read_text("utf-8")) if "ruamel" not in h]
    assert own == [], own


def test_files_stay_short() -> None:
    """Library modules stay within 400 lines and app pages within 300 (the brief's limits):
    a longer file is split by concern, not let grow."""
    lib = dict.fromkeys((ROOT / "costshare").rglob("*.py"), 400)
    pages = dict.fromkeys([ROOT / "app.py", *(ROOT / "app_pages").glob("*.py")], 300)
    long = {
        str(p.relative_to(ROOT)): n
        for p, limit in {**lib, **pages}.items()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > limit
    }
    assert long == {}, long
