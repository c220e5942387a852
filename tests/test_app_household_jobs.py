"""The household page over :class:`costshare.jobs.SheetJob` (AppTest), issue 20's bugs.

- an uploaded roster stays for the session, also after navigating away and back;
- a failed upload (or none yet) shows its located error and never the sample; the sample
  is used only when chosen, and labelled as the fictional sample;
- "取内置方案的居民自筹" checks the roster against the scenario: Ningbo's 504,000 yuan for
  360 households (25,200 m²) over the 76-household sample (5,471.86 m²) is refused as a
  whole amount; per household it is 1,400 × 76 = 106,400.00, per m² 20 × 5,471.86 =
  109,437.20;
- a save stores the job's record (kind ``sheet``), which recomputes to the fen.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from costshare.report.safe import plain_text as md_escape

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGE = "app_pages/household.py"
# three households, 60 + 80 + 100 = 240 m²
MINE = "楼栋,单元,房号,楼层,面积\n1,1,101,1,60\n1,1,201,2,80\n1,1,301,3,100\n".encode()


def _page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page(PAGE)
    return at.run()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.radio(key="household_source").set_value("upload").run()
    at.file_uploader(key="household_upload").set_value((name, data, "text/csv")).run()
    return at


def _texts(at: AppTest) -> str:
    return " ".join(x.value for x in [*at.caption, *at.info, *at.warning])


def test_uploaded_roster_survives_navigation():
    """Upload, go to another page and back: the same roster, not the sample."""
    at = _upload(_page(), "mine.csv", MINE)
    assert not at.exception and not at.error
    assert _metrics(at)["户数 / 出资户数"] == "3 / 3"
    at.switch_page("app_pages/rules.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception and not at.error
    assert _metrics(at)["户数 / 出资户数"] == "3 / 3"
    assert md_escape("mine.csv") in _texts(at)  # the file's name, escaped for Markdown
    assert at.radio(key="household_source").value == "upload"


def test_failed_upload_never_falls_back_to_the_sample():
    """A bad roster: its file, row and field are shown; no sample figures, no downloads."""
    bad = "房号,楼层,面积\n101,1,60\n102,1,abc\n".encode()
    at = _upload(_page(), "bad.csv", bad)
    assert not at.exception
    msg = " ".join(e.value for e in at.error).replace("\\", "")
    assert "bad.csv" in msg and "row 3" in msg and "area_m2" in msg
    assert not at.metric
    assert not at.get("download_button")
    assert not any(b.key == "household_store_save" for b in at.button)  # nothing to save


def test_upload_chosen_but_missing_shows_no_sample():
    """Upload chosen, nothing uploaded yet: a hint, and nothing computed from the sample."""
    at = _page()
    at.radio(key="household_source").set_value("upload").run()
    assert not at.exception
    assert not at.metric
    assert not at.get("download_button")


def test_sample_is_labelled_fictional():
    at = _page()
    assert _metrics(at)["户数 / 出资户数"] == "76 / 76"
    assert "虚构" in " ".join(x.value for x in [*at.info, *at.warning])


def _scenario(at: AppTest, per: str | None = None) -> AppTest:
    at.radio(key="household_amount").set_value("scenario").run()
    at.selectbox(key="household_scenario").set_value("ningbo_fund_topup.yaml").run()
    if per is not None:
        at.radio(key="household_per").set_value(per).run()
    return at


def test_scenario_whole_amount_refuses_another_community():
    """Ningbo's 504,000 yuan over the 76-household sample: refused, not 92.11 yuan/m²."""
    at = _scenario(_page())
    assert not at.exception
    msg = " ".join(e.value for e in at.error)
    assert "360" in msg and "76" in msg
    assert not at.metric
    assert not at.get("download_button")


def test_scenario_per_household_and_per_m2():
    at = _scenario(_page(), "household")
    assert not at.exception and not at.error
    assert _metrics(at)["分摊总额"] == "106,400.00 元"  # 1,400 × 76
    at.radio(key="household_per").set_value("m2").run()
    assert _metrics(at)["分摊总额"] == "109,437.20 元"  # 20 × 5,471.86 m²


def test_save_stores_the_job_record_and_it_recomputes(tmp_path):
    """The stored record is the job's; given the roster again it recomputes to the fen."""
    from costshare import jobs
    from costshare import store as cs_store

    at = _upload(_page(), "mine.csv", MINE)
    at.number_input(key="household_total").set_value(12_345.67).run()
    at.button(key="household_store_save").click().run()
    assert any("第 1 版" in s.value for s in at.success), [e.value for e in at.error]
    with cs_store.Store(f"sqlite:///{tmp_path / 'store.db'}") as st:
        (doc,) = cs_store.documents(st)
        v = cs_store.get(st, doc.name)
    assert doc.kind == "sheet"
    assert v.data["job"] == "sheet" and v.results["total_fen"] == 1_234_567
    assert "mine.csv" not in v.content and "面积" not in v.content  # a digest, never rows
    # the same request built outside the app (as the CLI or the API does) has this record
    job = jobs.SheetJob(
        roster=jobs.FileInput.from_bytes(MINE, "other_name.csv"),
        amount={"kind": "total", "yuan": "12345.67"},
        on=v.data["request"]["on"],
        notice=v.data["request"]["notice"],  # the notice's words, as the page's fields gave them
    )
    assert v.data == job.record()
    assert v.data["request"]["notice"]["issuer"] == "社区居民委员会"
    sheet = jobs.recompute(v.data, files={"roster": (MINE, "mine.csv")})
    assert sheet.table["share_fen"].tolist() == [308_642, 411_522, 514_403]  # by area 60:80:100


def test_these_pages_leave_the_rules_decision_to_the_jobs():
    """No page or cache of the household, elevator and vote pages loads rules itself or
    passes its input around as JSON text: they build a job request and cache on it."""
    files = ["household", "_cache_household", "elevator", "votes", "_cache_votes"]
    files += ["_operation_vote", "_roster_input"]
    for f in files:
        text = (ROOT / "app_pages" / f"{f}.py").read_text(encoding="utf-8")
        assert "rules.load" not in text and "import rules" not in text, f
        assert "json.loads" not in text and "spec_json" not in text, f


def test_reader_notes_are_shown():
    """A hidden row is left out of the sheet and the page says so (nothing left out silently)."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["楼栋", "单元", "房号", "楼层", "面积"])
    for i in range(1, 6):
        ws.append(["1", "1", f"{i}01", i, 80])
    ws.row_dimensions[3].hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("app_pages/household.py").run()
    at.radio(key="household_source").set_value("upload").run()
    at.file_uploader(key="household_upload").set_value(
        (
            "hidden.xlsx",
            buf.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    ).run()
    assert not at.exception
    notes = [c.value for c in at.caption if c.value.startswith("读取说明")]
    assert notes and any("hidden" in n or "隐藏" in n for n in notes), notes
