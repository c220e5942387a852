"""The store on the pages (AppTest, a temp SQLite file): save, change, save, diff, reopen.

Also the goal seek on the community page and the compare page on stored versions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from costshare import store as cs_store
from tests.test_app_every_page import ALLOWED, INTERNAL, _shown

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("COSTSHARE_DB", url)
    monkeypatch.setenv("COSTSHARE_USER", "测试员")
    return url


def _k(at: AppTest, field: str, prefix: str = "community_") -> str:
    """Key of the input editing `field` of the page's open document (``{prefix}{doc}:{field}``)."""
    return f"{prefix}{at.session_state[prefix + 'doc']}:{field}"


def _app(page: str = "app.py") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if page != "app.py":
        at.switch_page(page)
    return at.run()


def _success(at: AppTest) -> list[str]:
    return [s.value for s in at.success]


def test_community_save_change_save_diff_and_reopen(db):
    at = _app()
    at.button(key="community_store_save").click().run()
    assert any("第 1 版" in s for s in _success(at))
    at.number_input(key=_k(at, "households")).set_value(500).run()
    at.text_input(key="community_store_comment").set_value("户数改为500").run()
    at.button(key="community_store_save").click().run()
    assert any("第 2 版" in s for s in _success(at)), _success(at)
    # the diff of 1 → 2 lists the changed field and the headline results side by side
    fields = {v for df in at.dataframe for v in df.value.iloc[:, 0].astype(str)}
    assert "request.scenario.data.community.households" in fields  # a community job's record
    words = {v for df in at.dataframe if "字段" in df.value for v in df.value["字段"]}
    assert "请求 › 方案 › 内容 › 小区 › 户数" in words
    keys = [k for s in _shown(at) for k in INTERNAL.findall(ALLOWED.sub("", s))]
    assert not keys, keys  # field paths only in the 代码 (code) column
    with cs_store.Store(db) as st:
        versions = cs_store.history(st, "fujian_default")
        assert [v.number for v in versions] == [1, 2]
        assert versions[1].comment == "户数改为500"
        assert versions[1].author == "测试员"
        assert versions[0].results["gap_fen"] == 7_600_000
    # a new session (a restarted app) opens version 1 from the store
    again = _app()
    again.radio(key="community_source").set_value("store").run()
    assert again.selectbox(key="community_store_doc").value == "fujian_default"
    again.selectbox(key="community_store_ver").set_value(1).run()
    assert again.number_input(key=_k(again, "households")).value == 480
    again.selectbox(key="community_store_ver").set_value(2).run()
    assert again.number_input(key=_k(again, "households")).value == 500


def test_goal_seek_on_the_page(db):
    at = _app()
    at.selectbox(key="community_solve_target").set_value("residents.per_household").run()
    at.toggle(key="community_solve_on").set_value(True).run()
    # payable to the fen: 758.34 per household, 3.20 yuan over (758.33333… exactly)
    assert any("758.34" in s and "多筹 3.20 元" in s for s in _success(at)), _success(at)
    at.number_input(key="community_solve_hi").set_value(700.0).run()
    assert any("28,000.00" in e.value.replace("\\", "") for e in at.error)


def test_compare_stored_versions(db):
    with cs_store.Store(db) as st:
        text = (ROOT / "scenarios" / "fujian_default.yaml").read_text(encoding="utf-8")
        cs_store.save(st, "community", "福建", text, "a")
        cs_store.save(
            st, "community", "福建", text.replace("households: 480", "households: 500"), "a"
        )
    at = _app("app_pages/compare.py")
    assert not at.exception
    at.multiselect(key="compare_bundled").set_value([]).run()
    at.multiselect(key="compare_stored").set_value(["福建@v1", "福建@v2"]).run()
    (table,) = [d.value for d in at.dataframe if "福建@v1" in d.value.columns]
    assert "福建@v1" in table.columns and "福建@v2" in table.columns
    assert table["differs"].any()


def test_household_save_and_publish(db):
    at = _app("app_pages/household.py")
    assert not at.exception
    at.button(key="household_store_save").click().run()
    assert any("第 1 版" in s for s in _success(at)), _success(at)
    at.button(key="household_pub_btn").click().run()
    assert any("已公示" in s for s in _success(at)), [e.value for e in at.error]
    with cs_store.Store(db) as st:
        (doc,) = cs_store.documents(st)
        assert doc.kind == "sheet"  # the job's record
        v = cs_store.get(st, doc.name, "published")
        assert v.number == 1
        assert v.tags[0].file_hash and len(v.tags[0].file_hash) == 64
        assert v.results["households"] > 0


def test_user_text_is_escaped_and_description_follows_the_language(db):
    """A scenario's own name is shown literally (no Markdown/HTML); descriptions per language."""
    at = _app()
    assert at.text[0].value.startswith("福州市一个建于20世纪90年代的小区")
    at.radio(key="lang").set_value("English").run()
    assert (
        at.subheader[0].value.replace("\\", "")
        == "Fujian demonstration community (default scenario)"
    )
    assert at.text[0].value.startswith("A 1990s community in Fuzhou")
    text = (ROOT / "scenarios" / "fujian_default.yaml").read_text(encoding="utf-8")
    text = text.replace("name: 福建示范小区（默认方案）", "name: '**粗体** <b>x</b>'")
    fresh = _app()
    fresh.radio(key="community_source").set_value("upload").run()
    fresh.file_uploader(key="community_upload").set_value(("x.yaml", text.encode(), "text/yaml"))
    fresh.run()
    assert not fresh.exception
    assert fresh.subheader[0].value == "\\*\\*粗体\\*\\* &lt;b&gt;x&lt;/b&gt;"  # report.plain_text


ACCESS_YAML = """\
offices:
  fz: {name: 福州市}
  gl: {name: 鼓楼区, parent: fz}
users:
  ana: {office: gl, roles: [analyst]}
  vic: {office: gl, roles: [viewer]}
login: {header: X-Remote-User}
"""


@pytest.fixture
def deployed(db, tmp_path, monkeypatch) -> str:
    """An access file with proxy-header login, and a store upgraded by its administrator."""
    acc = tmp_path / "access.yaml"
    acc.write_text(ACCESS_YAML, encoding="utf-8")
    cs_store.Store(db, access=False, migrate=True).close()
    monkeypatch.setenv("COSTSHARE_ACCESS", str(acc))
    return db


def _as(user: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if user is not None:
        at.user = {"costshare_user": user}  # what server.trustedUserHeaders puts in st.user
    return at.run()


def test_signed_in_user_is_the_author_and_roles_hold(deployed):
    """No author box; the proxy's user saves as itself; a viewer is refused by the store."""
    at = _as("ana")
    assert not at.exception
    assert all(not k.key.endswith("store_author") for k in at.text_input)
    assert any("ana（gl）" in c.value for c in at.caption)
    at.button(key="community_store_save").click().run()
    assert any("第 1 版" in s for s in _success(at)), [e.value for e in at.error]
    vic = _as("vic")
    vic.button(key="community_store_save").click().run()
    assert any("may not save" in e.value for e in vic.error)
    nobody = _as(None)
    assert any("nobody is signed in" in w.value.replace("\\", "") for w in nobody.warning)
    with cs_store.Store(deployed, user="ana") as st:
        (v,) = cs_store.history(st, "fujian_default")
        assert v.author == "ana"
        actions = [(e.actor, e.action, e.outcome) for e in cs_store.log(st)]
    assert actions == [("ana", "save", "ok"), ("vic", "save", "denied")]


def test_two_sessions_edit_one_document(db):
    """Both pages based on version 1: the second save is refused, shows the difference,
    and goes through only after the user accepts version 2 as the new base."""
    first, second = _app(), _app()
    first.button(key="community_store_save").click().run()
    second.number_input(key=_k(second, "households")).set_value(600).run()
    first.number_input(key=_k(first, "households")).set_value(500).run()
    first.button(key="community_store_save").click().run()
    assert any("第 2 版" in s for s in _success(first))
    second.button(key="community_store_save").click().run()
    assert any("未保存" in e.value and "第 2 版" in e.value for e in second.error), second.error
    second.button(key="community_store_rebase").click().run()
    second.button(key="community_store_save").click().run()
    assert any("第 3 版" in s for s in _success(second)), [e.value for e in second.error]
    with cs_store.Store(db) as st:
        versions = cs_store.history(st, "fujian_default")
    households = [
        v.data["request"]["scenario"]["data"]["community"]["households"] for v in versions
    ]
    assert households == [480, 500, 600]  # job records: the scenario inline


def test_oidc_sign_in(db, tmp_path, monkeypatch):
    """login: {oidc: true}: signed out → a Sign-in button; signed in → the email claim acts."""
    acc = tmp_path / "access.yaml"
    acc.write_text(
        "offices: {gl: {name: 鼓楼区}}\n"
        "users: {'ana@example.org': {office: gl, roles: [analyst]}}\n"
        "login: {oidc: true}\n",
        encoding="utf-8",
    )
    cs_store.Store(db, access=False, migrate=True).close()
    monkeypatch.setenv("COSTSHARE_ACCESS", str(acc))
    out = AppTest.from_file(APP, default_timeout=90)
    out.user = {"is_logged_in": False}
    out.run()
    assert out.button(key="community_login").label == "登录"
    at = AppTest.from_file(APP, default_timeout=90)
    at.user = {"is_logged_in": True, "email": "ana@example.org"}
    at.run()
    at.button(key="community_store_save").click().run()
    assert any("第 1 版" in s for s in _success(at)), [e.value for e in at.error]
    with cs_store.Store(db, access=False) as st:
        assert cs_store.get(st, "fujian_default").author == "ana@example.org"


def test_old_schema_is_refused_with_one_sentence(db):
    """A store at an older schema: the panel says so (no traceback) and nothing migrates."""
    from tests.test_store_ops import _stamp_0001

    _stamp_0001(db)
    at = _app()
    assert not at.exception
    said = [w.value.replace("\\", "") for w in at.warning]
    assert any("is at schema 0001 but this costshare needs 0002" in w for w in said), said
    from sqlalchemy import create_engine

    from costshare.store.engine import current_revision

    engine = create_engine(db)
    assert current_revision(engine) == "0001"  # the app did not migrate
    engine.dispose()


def test_goal_seek_applies_to_the_page_and_saves(db):
    """ "Use it" opens the solved scenario on the page (gap closed) and saves as a version."""
    at = _app()
    at.selectbox(key="community_solve_target").set_value("municipal").run()
    at.toggle(key="community_solve_on").set_value(True).run()
    at.button(key="community_solve_use").click().run()
    assert not at.exception
    assert at.radio(key="community_source").value == "solved"  # shown as 求解结果
    at.button(key="community_store_save").click().run()
    assert any("第 1 版" in s for s in _success(at)), _success(at)
    with cs_store.Store(db) as st:
        (doc,) = cs_store.documents(st)
        v = cs_store.get(st, doc.name)
    assert v.results["gap_fen"] == 0  # the solved municipal finance closes the gap to the fen
    assert v.data["request"]["scenario"]["data"]["funding"]["municipal"] == 876000


def test_publish_rebuilds_the_stored_version_not_the_page(db, tmp_path):
    """Version 1 saved at 100,000, the page changed to 200,000 and not saved, version 1
    published: the tag's sha256 is the 100,000 notice's (rebuilt from the stored record),
    not the page's, and ``store verify`` accepts exactly that file."""
    import hashlib

    from typer.testing import CliRunner

    from costshare import jobs
    from costshare.cli import app as cli_app
    from costshare.jobs.notice import notice_pdf

    at = _app("app_pages/household.py")
    assert at.number_input(key="household_total").value == 100_000.0
    at.button(key="household_store_save").click().run()
    assert any("第 1 版" in s for s in _success(at)), _success(at)
    at.number_input(key="household_total").set_value(200_000.0).run()
    assert not at.exception
    assert at.selectbox(key="household_pub_version").value == 1
    at.button(key="household_pub_btn").click().run()
    assert any("已公示" in s for s in _success(at)), [e.value for e in at.error]
    with cs_store.Store(db) as st:
        (doc,) = cs_store.documents(st)
        v = cs_store.get(st, doc.name, "published")
        assert v.number == 1 and len(cs_store.history(st, doc.name)) == 1
    stored = jobs.parse("sheet", v.data["request"])
    assert str(stored.amount.yuan) == "100000.00"  # what version 1 holds
    roster = (ROOT / "data" / "sample_roster.xlsx").read_bytes()
    job100 = stored.model_copy(update={"roster": stored.roster.with_file(roster, "r.xlsx")})
    pdf100 = notice_pdf(job100)
    amount200 = job100.amount.model_copy(update={"yuan": job100.amount.yuan * 2})
    pdf200 = notice_pdf(job100.model_copy(update={"amount": amount200}))
    sha = v.tags[0].file_hash
    assert sha == hashlib.sha256(pdf100).hexdigest() != hashlib.sha256(pdf200).hexdigest()
    number, offered = at.session_state["household_pub_file"]
    assert number == 1 and offered == pdf100  # the page offers the published bytes
    posted = tmp_path / "公示.pdf"
    posted.write_bytes(pdf100)
    ok = CliRunner().invoke(cli_app, ["store", "verify", doc.name, "1", str(posted)])
    assert ok.exit_code == 0, ok.output
    posted.write_bytes(pdf200)
    assert (
        CliRunner().invoke(cli_app, ["store", "verify", doc.name, "1", str(posted)]).exit_code == 1
    )
