"""The one file-kind dispatcher: every bundled YAML declares its kind and loads by it."""

import pytest

from costshare import kinds
from costshare.community.portfolio import Portfolio
from costshare.community.scenario import Scenario
from costshare.errors import InputError
from costshare.ppp.model import PPPProject
from costshare.yamlio import load_kind_yaml, load_yaml

EXPECTED = {
    "community": Scenario,
    "ppp": PPPProject,
    "portfolio": Portfolio,
}


@pytest.mark.parametrize("path", kinds.bundled_files(), ids=lambda p: p.name)
def test_every_bundled_file_declares_its_kind(path):
    """Each bundled file has a kind: line, and its keys say the same kind."""
    raw = load_yaml(path, keep_kind=True)
    declared = raw["kind"]
    assert kinds.kind_of(raw, path.name) == declared
    undeclared = {k: v for k, v in raw.items() if k != "kind"}
    assert kinds.kind_of(undeclared, path.name) == declared


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_load_any_gives_the_model_of_the_kind(kind):
    """load_any validates each kind with its own model."""
    files = kinds.bundled(kind)  # type: ignore[arg-type]
    assert files
    for path in files.values():
        got, obj = kinds.load_any(path)
        assert got == kind and isinstance(obj, EXPECTED[kind])


def test_lists_by_kind_are_disjoint_and_complete():
    """Every bundled file is in exactly one kind's list."""
    listed = [p for k in kinds.KINDS for p in kinds.bundled(k).values()]
    assert sorted(listed) == sorted(kinds.bundled_files())
    assert "ppp/ppp_example.yaml" in kinds.bundled("ppp")
    assert not any(name.startswith("ppp/") for name in kinds.bundled("community"))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"kind": "scenario"}, "unknown kind 'scenario'"),
        ({"colour": "blue"}, "cannot tell what kind"),
        (["a", "list"], "mapping at top level"),
    ],
)
def test_unrecognised(raw, message):
    """An unknown kind, unrecognisable keys or a non-mapping are named errors."""
    with pytest.raises(InputError, match=message):
        kinds.kind_of(raw, "x.yaml")


def test_wrong_kind_for_the_loader(tmp_path):
    """A loader expecting one kind refuses a file that declares another."""
    path = tmp_path / "p.yaml"
    path.write_text("kind: ppp\nname: x\n", encoding="utf-8")
    with pytest.raises(
        InputError, match="p.yaml, field 'kind': this is a ppp file, not a community"
    ):
        load_kind_yaml(path, "community")
    assert load_kind_yaml(path, "ppp") == {"name": "x"}


def test_kind_line_checked_even_when_stripped(tmp_path):
    """load_yaml removes a known kind line but refuses an unknown one."""
    path = tmp_path / "s.yaml"
    path.write_text("kind: communty\nname: x\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown kind 'communty'"):
        load_yaml(path)
