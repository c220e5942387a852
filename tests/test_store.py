"""The scenario store on SQLite and on a real PostgreSQL server (see conftest.py).

Save, list, show, immutable numbered versions, field-level diff, restore, tags with file
hashes, household-sheet records without personal data, concurrent saves from two
processes, schema == migrations, and the ``costshare store`` CLI with its error messages.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare.cli import app
from costshare.errors import InputError
from costshare.store import (
    FieldChange,
    Store,
    StoreError,
    canonical_hash,
    compare,
    diff,
    documents,
    get,
    history,
    resolve_url,
    restore,
    save,
    save_household_sheet,
    tag,
)
from costshare.store.engine import VERSION_TABLE
from costshare.store.models import Base, Version

ROOT = Path(__file__).parent.parent
FUJIAN = ROOT / "scenarios" / "fujian_default.yaml"
WATER = "  - {item: 供水管网改造, category: water, cost: 1250000}"
runner = CliRunner()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgresql_url")


@pytest.fixture
def store(url: str):
    with Store(url) as s:
        yield s


def fujian(cost: int = 1250000) -> str:
    text = FUJIAN.read_text(encoding="utf-8")
    assert WATER in text
    return text.replace(WATER, WATER.replace("1250000", str(cost)))


class TestSaveListShow:
    def test_save_then_read_back(self, store):
        """The stored text is the file's text, byte for byte; list and show find it."""
        saved = save(store, "community", "fujian", fujian(), "analyst", "first")
        assert not saved.unchanged
        v = saved.version
        assert (v.document, v.kind, v.number, v.author, v.comment) == (
            "fujian",
            "community",
            1,
            "analyst",
            "first",
        )
        assert v.created.tzinfo is not None
        got = get(store, "fujian")
        assert got.content == FUJIAN.read_text(encoding="utf-8")
        assert got.data["community"]["households"] == 480
        assert got.content_hash == canonical_hash(got.data)
        [doc] = documents(store)
        assert (doc.name, doc.kind, doc.versions, doc.latest) == ("fujian", "community", 1, 1)

    def test_mapping_content_is_stored_as_yaml(self, store):
        """A dict is dumped as YAML with Chinese kept readable."""
        v = save(store, "ppp", "p", {"name": "九龙坡", "start_year": 2021}, "a").version
        assert "九龙坡" in v.content
        assert v.data == {"name": "九龙坡", "start_year": 2021}


class TestVersions:
    def test_numbered_and_unchanged(self, store):
        """Each save is the next number; identical text records nothing new."""
        numbers = [save(store, "community", "d", f"x: {i}\n", "a").version.number for i in range(3)]
        assert numbers == [1, 2, 3]
        again = save(store, "community", "d", "x: 2\n", "b", "same again")
        assert again.unchanged and again.version.number == 3 and again.version.author == "a"
        assert [v.number for v in history(store, "d")] == [1, 2, 3]

    def test_comment_only_change_is_a_version_with_same_hash(self, store):
        """Layout or comments change the text (new version), not the content hash."""
        a = save(store, "community", "d", "x: 1\n", "a").version
        b = save(store, "community", "d", "# why\nx:   1\n", "a").version
        assert b.number == 2 and a.content_hash == b.content_hash
        assert diff(store, "d").changes == () and diff(store, "d").same_content

    def test_versions_are_immutable(self, store):
        """The ORM refuses to change a stored version; earlier versions keep their text."""
        save(store, "community", "d", "x: 1\n", "a")
        save(store, "community", "d", "x: 2\n", "a")
        with store.session() as s:
            v = s.query(Version).filter_by(number=1).one()
            v.content = "x: 99\n"
            with pytest.raises(TypeError, match="immutable"):
                s.commit()
        assert get(store, "d", 1).content == "x: 1\n"

    def test_kind_is_fixed_by_first_save(self, store):
        save(store, "community", "d", "x: 1\n", "a")
        with pytest.raises(InputError, match="'d' is a community document, not ppp"):
            save(store, "ppp", "d", "x: 2\n", "a")

    def test_not_a_mapping_is_refused(self, store):
        with pytest.raises(InputError, match="must be a YAML/JSON mapping"):
            save(store, "community", "d", "- 1\n- 2\n", "a")
        assert documents(store) == []


class TestDiff:
    def test_one_changed_cost(self, store):
        """Changing one work item's cost gives exactly that path, old and new values."""
        save(store, "community", "f", fujian(), "a", results={"gap_fen": 7600000})
        save(store, "community", "f", fujian(1300000), "a", results={"gap_fen": 7600000 + 5})
        d = diff(store, "f", 1, 2)
        assert d.changes == (
            FieldChange("work_items[供水管网改造].cost", "changed", 1250000, 1300000),
        )
        [row] = d.results
        assert (row.key, row.old, row.new, row.delta) == ("gap_fen", 7600000, 7600005, 5)
        assert not d.same_content

    def test_added_and_removed_work_items(self, store):
        """A removed item lists each of its fields; an added funding line is one path."""
        text = fujian()
        fire = "  - {item: 消防设施, category: fire_safety, cost: 360000}\n"
        assert fire in text
        save(store, "community", "f", text, "a")
        new = text.replace(fire, "").replace("  public_income: 120000\n", "")
        new = new.replace("  district: 650000\n", "  district: 650000\n  street: 1000\n")
        save(store, "community", "f", new, "a")
        got = {(c.path, c.change, c.old, c.new) for c in diff(store, "f").changes}
        assert got == {
            ("funding.street", "added", None, 1000),
            ("work_items[消防设施].item", "removed", "消防设施", None),
            ("work_items[消防设施].category", "removed", "fire_safety", None),
            ("work_items[消防设施].cost", "removed", 360000, None),
            ("funding.public_income", "removed", 120000, None),
        }

    def test_defaults_and_tags_as_references(self, store):
        """No references: latest against the one before; a tag names a version."""
        for i in range(3):
            save(store, "community", "d", f"x: {i}\n", "a")
        tag(store, "d", 1, "published")
        assert (diff(store, "d").old, diff(store, "d").new) == (2, 3)
        d = diff(store, "d", "published", "latest")
        assert (d.old, d.new, d.changes) == (1, 3, (FieldChange("x", "changed", 0, 2),))


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.sampled_from("abcd"), st.integers(0, 3) | st.booleans(), max_size=4),
    st.dictionaries(st.sampled_from("abcd"), st.integers(0, 3) | st.booleans(), max_size=4),
)
def test_compare_finds_a_change_iff_the_hash_differs(a, b):
    """compare and canonical_hash agree on whether two (list-free) documents differ."""
    x, y = {"n": a, "k": 1}, {"n": b, "k": 1}
    assert (compare(x, y) == []) == (canonical_hash(x) == canonical_hash(y))
    assert compare(x, x) == []


class TestRestoreAndTags:
    def test_restore_appends(self, store):
        """Restoring version 1 adds version 3 with version 1's text and results."""
        save(store, "community", "f", fujian(), "a", results={"gap_fen": 1})
        save(store, "community", "f", fujian(1300000), "a")
        v = restore(store, "f", 1, "b").version
        assert v.number == 3 and v.comment == "restore of version 1" and v.results == {"gap_fen": 1}
        assert v.content == get(store, "f", 1).content
        assert get(store, "f", 2).data["work_items"][1]["cost"] == 1300000
        assert restore(store, "f", "1", "b").unchanged  # already the latest text

    def test_tag_published_with_file_hash(self, store, tmp_path):
        """The tag records the posted file's sha256 and finds its version; tags never move."""
        save(store, "household_sheet", "s", "total_fen: 1\n", "clerk")
        save(store, "household_sheet", "s", "total_fen: 2\n", "clerk")
        notice = tmp_path / "公示.pdf"
        notice.write_bytes(b"%PDF-1.4 notice")
        t = tag(store, "s", 2, "published", note="posted at gate", file=notice)
        assert t.file_hash == hashlib.sha256(b"%PDF-1.4 notice").hexdigest()
        assert (t.number, t.note) == (2, "posted at gate")
        assert get(store, "s", "published").number == 2
        assert [x.tag for x in get(store, "s", 2).tags] == ["published"]
        assert tag(store, "s", 2, "published", file=notice) == t  # same again: no-op
        with pytest.raises(InputError, match="version 2 already holds tag 'published'"):
            tag(store, "s", 1, "published")
        with pytest.raises(InputError, match="another file hash"):
            tag(store, "s", 2, "published", file=b"other bytes")
        [doc] = documents(store)
        assert [(x.tag, x.number) for x in doc.tags] == [("published", 2)]


def test_household_sheet_keeps_no_personal_data(store, tmp_path):
    """Only the roster's digest and size, the parameters and the totals are stored."""
    roster = "楼栋,单元,房号,面积,业主姓名\n1,1,101,80.5,张三\n".encode()
    v = save_household_sheet(
        store, "sheet", roster, {"basis": "area"}, {"total_fen": 100, "households": 1}, "c"
    ).version
    assert v.kind == "household_sheet" and "张三" not in v.content and "101" not in v.content
    assert v.data["roster"] == {"sha256": hashlib.sha256(roster).hexdigest(), "bytes": len(roster)}
    assert v.results == {"total_fen": 100, "households": 1}


class TestErrors:
    def test_unknown_names(self, store):
        save(store, "community", "d", "x: 1\n", "a")
        with pytest.raises(InputError, match="no document named 'nope'"):
            get(store, "nope")
        with pytest.raises(InputError, match="'d' has no version 7"):
            get(store, "d", 7)
        with pytest.raises(InputError, match="'d' has no tag final"):
            diff(store, "d", "final")

    def test_password_never_shown(self):
        """A failed connection names the server with the password hidden."""
        with pytest.raises(StoreError) as exc:
            Store("postgresql+psycopg://clerk:s3cret-pw@127.0.0.1:1/costshare")
        assert "s3cret-pw" not in str(exc.value) and "clerk:***@127.0.0.1" in str(exc.value)


def test_schema_equals_migrations(store):
    """The Alembic migrations build exactly the tables the models describe."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        assert compare_metadata(ctx, Base.metadata) == []


def test_default_location(tmp_path, monkeypatch):
    """No --db and no COSTSHARE_DB: ~/.costshare/costshare.db, folder created."""
    monkeypatch.delenv("COSTSHARE_DB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_url() == f"sqlite:///{tmp_path / '.costshare' / 'costshare.db'}"
    assert (tmp_path / ".costshare").is_dir()
    monkeypatch.setenv("COSTSHARE_DB", "sqlite:///elsewhere.db")
    assert resolve_url() == "sqlite:///elsewhere.db" and resolve_url("x://y") == "x://y"


def _saver(url: str, who: str, n: int, go) -> None:  # type: ignore[no-untyped-def]
    go.wait(30)
    with Store(url) as s:  # both processes also race to create the schema
        for i in range(n):
            save(s, "community", "race", f"who: {who}\ni: {i}\n", who, f"{who} {i}")


def test_concurrent_saves_lose_nothing(url):
    """2 processes × 20 saves on a fresh database → versions 1..40, every save present once."""
    ctx = multiprocessing.get_context("fork")
    go = ctx.Event()
    procs = [ctx.Process(target=_saver, args=(url, w, 20, go)) for w in ("p1", "p2")]
    for p in procs:
        p.start()
    go.set()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    with Store(url) as s:
        versions = history(s, "race")
    assert [v.number for v in versions] == list(range(1, 41))
    assert sorted(v.comment for v in versions) == sorted(
        f"{w} {i}" for w in ("p1", "p2") for i in range(20)
    )
    for w in ("p1", "p2"):  # each process's saves keep their order
        mine = [v.data["i"] for v in versions if v.author == w]
        assert mine == list(range(20))


class TestCli:
    def run(self, url: str, *args: str):
        return runner.invoke(app, ["store", *args, "--db", url])

    def test_save_change_diff_tag_restore(self, url, tmp_path, monkeypatch):
        """The analyst's round: save, change, save, diff, publish, restore, list, show."""
        f = tmp_path / "fujian_default.yaml"
        f.write_text(fujian(), encoding="utf-8")
        monkeypatch.setenv("COSTSHARE_USER", "analyst")
        out = self.run(url, "save", str(f), "-m", "first")
        assert out.exit_code == 0, out.output
        assert "saved fujian_default version 1 (community" in out.stdout
        monkeypatch.setenv("COSTSHARE_USER", "reviewer")
        f.write_text(fujian(1300000), encoding="utf-8")
        out = self.run(url, "save", str(f))  # no --base: "a new document", but it exists
        assert out.exit_code == 1 and "based on a new document but version 1" in out.output
        assert "version 2" in self.run(url, "save", str(f), "--base", "1").stdout
        assert "unchanged" in self.run(url, "save", str(f), "--base", "1").stdout
        out = self.run(url, "diff", "fujian_default")
        assert out.exit_code == 0, out.output
        assert "work_items[供水管网改造].cost" in out.stdout and "1300000" in out.stdout
        assert "gap_fen" in out.stdout and "uses_fen" in out.stdout
        assert "50,000.00 元" in out.stdout  # uses grew by the 50,000 yuan of the change
        d = json.loads(self.run(url, "diff", "fujian_default", "1", "2", "--json").stdout)
        assert d["changes"] == [
            {
                "path": "work_items[供水管网改造].cost",
                "change": "changed",
                "old": 1250000,
                "new": 1300000,
            }
        ]
        assert {r["key"]: r["delta"] for r in d["results"]}["uses_fen"] == 5_000_000
        notice = tmp_path / "notice.pdf"
        notice.write_bytes(b"notice")
        out = self.run(url, "tag", "fujian_default", "2", "published", "--file", str(notice))
        assert hashlib.sha256(b"notice").hexdigest() in out.stdout
        assert "as version 3" in self.run(url, "restore", "fujian_default", "1").stdout
        out = self.run(url, "list")
        assert "fujian_default" in out.stdout and "published@2" in out.stdout
        assert "restore of version 1" in self.run(url, "list", "fujian_default").stdout
        assert self.run(url, "show", "fujian_default", "published").stdout == fujian(1300000)
        out = self.run(url, "show", "fujian_default", "--meta")
        assert "version 3" in out.stdout and "analyst" not in out.stdout

    @pytest.mark.parametrize(
        ("path", "kind"),
        [
            ("scenarios/ppp/chongqing_jiulongpo.yaml", "ppp"),
            ("portfolios/fujian_city_example.yaml", "portfolio"),
            ("costshare/rules/fujian.yaml", "rules"),
        ],
    )
    def test_kinds_of_bundled_files(self, tmp_path, path, kind):
        out = self.run(f"sqlite:///{tmp_path / 's.db'}", "save", str(ROOT / path))
        assert out.exit_code == 0, out.output
        assert f"({kind}," in out.stdout

    def test_roster_saves_digest_not_names(self, tmp_path):
        """A roster saves as a household sheet: digest, parameters, totals (76 households)."""
        url = f"sqlite:///{tmp_path / 's.db'}"
        roster = ROOT / "data" / "sample_roster.xlsx"
        out = self.run(url, "save", str(roster), "--name", "sheet", "--param", "total=120000")
        assert out.exit_code == 0, out.output
        with Store(url) as s:
            v = get(s, "sheet")
        request = v.data["request"]
        assert request["roster"] == {
            "sha256": hashlib.sha256(roster.read_bytes()).hexdigest(),
            "size": roster.stat().st_size,
        }  # the digest only: no file name, no names of owners
        assert v.kind == "sheet" and v.data["job"] == "sheet"
        assert v.results == {"households": 76, "exempt": 0, "total_fen": 12_000_000}
        # the record recomputes to the fen once the same roster is handed in again
        from costshare import jobs

        again = jobs.recompute(v.data, files={"roster": (roster.read_bytes(), roster.name)})
        assert again.table["share_fen"].sum() == 12_000_000 and len(again) == 76
        with pytest.raises(jobs.InputError, match="not the file the record"):
            jobs.recompute(v.data, files={"roster": (b"other", "x.csv")})

    def test_errors_exit_1_without_traceback(self, tmp_path):
        url = f"sqlite:///{tmp_path / 's.db'}"
        out = self.run(url, "show", "nope")
        assert out.exit_code == 1 and "no document named 'nope'" in out.output
        assert "Traceback" not in out.output and isinstance(out.exception, SystemExit)
        self.run(url, "save", str(FUJIAN))
        out = self.run(url, "diff", "fujian_default", "1", "5")
        assert out.exit_code == 1 and "'fujian_default' has no version 5" in out.output
        odd = tmp_path / "odd.yaml"
        odd.write_text("hello: 1\n", encoding="utf-8")
        out = self.run(url, "save", str(odd))
        assert out.exit_code == 1 and "cannot tell what kind of file" in out.output

    @pytest.mark.parametrize(
        "bad",
        [
            "postgresql+psycopg://clerk:s3cret-pw@127.0.0.1:1/costshare",
            "mysql+nosuchdriver://clerk:s3cret-pw@db.example/costshare",
        ],
    )
    def test_password_never_printed(self, bad):
        out = runner.invoke(app, ["store", "list", "--db", bad])
        assert out.exit_code == 1 and "s3cret-pw" not in out.output
        assert "Traceback" not in out.output and "error:" in out.output
