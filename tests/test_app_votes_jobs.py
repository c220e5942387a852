"""The votes page over :class:`costshare.jobs.VoteJob` (AppTest), issue 20's bug.

A register whose units are written ``1号楼、1单元、101`` (keyed ``1-1-101``) (90 units: 3 stairwells × 15 floors × 2)
and 83 ballots with 楼栋/单元/房号 columns (60 同意, 23 反对) gave "0 同意, 0/90 参与"
with no warning. Now the ballots are matched to the register; a ballot for a unit the
register lacks is refused, every such ballot listed (here 25, more than the library's
message names). A save stores the job's record (kind ``vote``), which recomputes.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
DATA = ROOT / "costshare" / "data"
UNITS = [(s, f"{f}{r:02d}") for s in (1, 2, 3) for f in range(1, 16) for r in (1, 2)]
REGISTER = (
    "楼栋,单元,房号,面积\n" + "".join(f"1号楼,{s}单元,{room},80\n" for s, room in UNITS)
).encode()

COUNTS = ("yes", "no", "abstain", "absent")  # the headline also keeps areas


def _ballots(rows: list[tuple[str, str, str, str]]) -> bytes:
    return ("楼栋,单元,房号,表决意见\n" + "".join(",".join(r) + "\n" for r in rows)).encode()


VOTED = [("1号楼", f"{s}单元", room, "同意" if i < 60 else "反对") for i, (s, room) in
         enumerate(UNITS[:83])]  # fmt: skip


def _page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("app_pages/votes.py")
    return at.run()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _upload(ballots: bytes) -> AppTest:
    at = _page()
    at.radio(key="votes_source").set_value("upload").run()
    at.file_uploader(key="votes_register_up").set_value(("名册.csv", REGISTER, "text/csv")).run()
    at.file_uploader(key="votes_ballots_up").set_value(("票.csv", ballots, "text/csv")).run()
    at.selectbox(key="votes_matter").set_value("ordinary").run()
    return at


def test_ballots_with_building_columns_are_counted():
    at = _upload(_ballots(VOTED))
    assert not at.exception and not at.error
    m = _metrics(at)
    assert m["同意（户 · 面积）"] == "60 · 4,800.00 m²"  # 60 × 80 m²
    assert m["表决结果"] == "通过"


def test_unknown_ballots_are_refused_every_one_listed():
    stray = [("9号楼", "1单元", f"{100 + i}", "同意") for i in range(25)]
    at = _upload(_ballots(VOTED + stray))
    assert not at.exception
    msg = " ".join(e.value for e in at.error).replace("\\", "")  # as shown, unescaped
    assert "25 unit(s) not in the register" in msg and "票.csv" in msg
    listed = at.dataframe[0].value.iloc[:, 0].tolist()
    assert listed == [f"9-1-{100 + i}" for i in range(25)]  # keyed as the register: 9-1-100
    assert not at.metric and not at.get("download_button")


def test_saved_record_recomputes(tmp_path):
    from costshare import jobs
    from costshare import store as cs_store

    at = _upload(_ballots(VOTED))
    at.button(key="votes_store_save").click().run()
    assert any("第 1 版" in s.value for s in at.success), [e.value for e in at.error]
    with cs_store.Store(f"sqlite:///{tmp_path / 'store.db'}") as st:
        (doc,) = cs_store.documents(st)
        v = cs_store.get(st, doc.name)
    assert doc.kind == "vote" and v.data["job"] == "vote"
    assert {k: v.results[k] for k in ("passed", *COUNTS)} == {
        "passed": True,
        "yes": 60,
        "no": 23,
        "abstain": 0,
        "absent": 7,
    }
    files = {"units": (REGISTER, "名册.csv"), "ballots": (_ballots(VOTED), "票.csv")}
    again = jobs.recompute(v.data, files=files)
    assert again.counts == {"yes": 60, "no": 23, "abstain": 0, "absent": 7}


def test_uploads_survive_navigation():
    """The uploaded register and ballots stay when the user leaves the page and comes back."""
    at = _upload(_ballots(VOTED))
    at.switch_page("app_pages/rules.py").run()
    at.switch_page("app_pages/votes.py").run()
    assert not at.exception and not at.error
    assert at.radio(key="votes_source").value == "upload"
    assert _metrics(at)["同意（户 · 面积）"].startswith("60 ·")


def test_edited_ballots_are_counted_and_saved_as_a_file(tmp_path):
    """A vote changed in the editor is counted; the record's ballots are the edited file,
    offered for download, and recompute the saved counts."""
    from costshare import jobs
    from costshare import store as cs_store

    at = _upload(_ballots(VOTED))
    at.session_state["votes_ballots"] = {
        "edited_rows": {83: {"vote": "yes"}, 84: {"vote": "no"}},  # two who had not voted
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception and not at.error
    assert _metrics(at)["同意（户 · 面积）"].startswith("61 ·")
    at.button(key="votes_store_save").click().run()
    with cs_store.Store(f"sqlite:///{tmp_path / 'store.db'}") as st:
        v = cs_store.get(st, cs_store.documents(st)[0].name)
    assert {k: v.results[k] for k in ("passed", *COUNTS)} == {
        "passed": True,
        "yes": 61,
        "no": 24,
        "abstain": 0,
        "absent": 5,
    }
    (counted,) = [d for d in at.get("download_button") if d.key == "votes_dl_counted"]
    assert counted.proto.label == "下载计票所用表决票（CSV）"
    from app_pages import _cache_votes as _v

    edited = at.session_state["votes_ballots__current"]
    data = _v.edited_ballots(edited).content()
    again = jobs.recompute(
        v.data, files={"units": (REGISTER, "名册.csv"), "ballots": (data, "b.csv")}
    )
    assert again.counts == {"yes": 61, "no": 24, "abstain": 0, "absent": 5}
