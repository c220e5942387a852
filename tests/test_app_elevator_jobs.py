"""The elevator page over :class:`costshare.jobs.SheetJob` (AppTest), issue 20's bugs.

A failed roster upload stops the page with its located error (never the sample's 12
households with downloads); an uploaded roster stays after leaving the page; "no
subsidy" shares the whole cost; the stored record is the job's and recomputes to the fen
(Shanghai 40 %: 600,000 → net 360,000 over building 1, stairwell 1 of the sample).
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGE = "app_pages/elevator.py"
SAMPLE = ROOT / "costshare" / "data" / "sample_roster.xlsx"
# one stairwell, floors 1-4: floors 1-2 exempt by default, 3 and 4 pay by the floor rule
MINE = (
    "楼栋,单元,房号,楼层,面积\n".encode()
    + "".join(f"5,2,{f}01,{f},80\n" for f in (1, 2, 3, 4)).encode()
)


def _page(city: str | None = "shanghai") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page(PAGE)
    at.run()
    return _city(at, city)


def _city(at: AppTest, city: str | None = "shanghai") -> AppTest:
    """No city is preselected: the user picks the rule set (Shanghai's here)."""
    if city is not None and at.selectbox(key="elevator_city").value is None:
        at.selectbox(key="elevator_city").set_value(city).run()
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    if any(r.key == "elevator_source" for r in at.radio):  # the page once had no choice
        at.radio(key="elevator_source").set_value("upload").run()
    at.file_uploader(key="elevator_upload").set_value((name, data, "text/csv")).run()
    return at


def test_failed_upload_never_falls_back_to_the_sample():
    bad = "房号,楼层,面积\n101,1,60\n102,1,abc\n".encode()
    at = _upload(_page(), "bad.csv", bad)
    assert not at.exception
    msg = " ".join(e.value for e in at.error).replace("\\", "")
    assert "bad.csv" in msg and "row 3" in msg
    assert not at.metric and not at.get("download_button")


def test_uploaded_roster_survives_navigation():
    at = _upload(_page(), "mine.csv", MINE)
    assert not at.exception and not at.error
    assert _metrics(at)["单元住户"] == "4"
    at.switch_page("app_pages/rules.py").run()
    _city(at.switch_page(PAGE).run())  # the roster is kept; the city is picked again
    assert not at.exception and not at.error
    assert _metrics(at)["单元住户"] == "4"


def test_no_subsidy_shares_the_whole_cost():
    at = _page()
    at.selectbox(key="elevator_city").select_index(0).run()  # 不享受补贴
    assert not at.exception and not at.error
    assert _metrics(at)["政府补贴"] == "0.00 元"
    assert _metrics(at)["住户分摊净额"] == "600,000.00 元"


def test_saved_record_recomputes(tmp_path):
    from costshare import jobs
    from costshare import store as cs_store

    at = _page()
    at.button(key="elevator_store_save").click().run()
    assert any("第 1 版" in s.value for s in at.success), [e.value for e in at.error]
    with cs_store.Store(f"sqlite:///{tmp_path / 'store.db'}") as st:
        (doc,) = cs_store.documents(st)
        v = cs_store.get(st, doc.name)
    assert doc.kind == "sheet" and v.data["request"]["jurisdiction"] == "shanghai"
    sheet = jobs.recompute(v.data, files={"roster": (SAMPLE.read_bytes(), SAMPLE.name)})
    assert int(sheet.table["share_fen"].sum()) == v.results["total_fen"] == 36_000_000
    assert sheet.meta.elevator.subsidy_fen == 24_000_000
