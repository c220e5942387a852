"""Wording an office must adapt (issue 23): the issuer, the signature lines and the
objection sentence are notice fields it can set — in the sheet request
(:class:`costshare.jobs.notice.NoticeFields`), in the CLI and on the household and
elevator pages — and a changed field reaches the PDF; the ballots' issuer likewise on the
votes page and in the CLI. Default notices keep their bytes."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_notice_docs import poppler
from typer.testing import CliRunner

from costshare import store as cs_store
from costshare.cli import app
from costshare.jobs import FileInput, SheetJob, VoteJob
from costshare.jobs.notice import NoticeFields, notice_pdf
from costshare.jobs.vote import BallotFields
from costshare.report.notice import SIGNATURES

ROOT = Path(__file__).resolve().parent.parent
ROSTER = ROOT / "costshare" / "data" / "sample_roster.xlsx"
DAY = dt.date(2024, 6, 1)
OWN = {
    "issuer": "示例街道办事处",
    "signatures": ("街道办事处（盖章）", "物业服务企业（盖章）"),
    "objection": "如有异议，请于公示期内工作日拨打示例热线反映。",
    "objection_to": "示例社区服务站",
    "what": "示例楼屋面防水工程",
}


def _text(pdf: bytes, tmp_path: Path) -> str:
    f = tmp_path / "n.pdf"
    f.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(f), "-"], capture_output=True, check=True)
    return re.sub(r"[ \t]+", " ", out.stdout.decode("utf-8"))


def _job(**notice) -> SheetJob:
    return SheetJob(roster=FileInput.from_path(ROSTER), amount={"kind": "total", "yuan": "120000"},
                    on=DAY, notice=notice or None)  # fmt: skip


def test_every_office_word_is_a_field_of_the_request():
    fields = set(NoticeFields.model_fields)
    assert {"issuer", "signatures", "objection", "objection_to", "objection_until"} <= fields
    assert {"what", "posting_from", "posting_until", "community"} <= fields
    # the default lines are the notice's own, so a default request keeps its bytes
    assert notice_pdf(_job(signatures=SIGNATURES)) == notice_pdf(_job())


@poppler
def test_a_changed_field_reaches_the_pdf(tmp_path):
    default = _text(notice_pdf(_job()), tmp_path)
    assert "社区居民委员会" in default and "书面提出" in default
    assert all(s in default for s in SIGNATURES)
    text = _text(notice_pdf(_job(**OWN)), tmp_path)
    assert OWN["issuer"] in text and OWN["what"] in text
    assert OWN["objection"] in text and "书面提出" not in text
    assert all(f"{s}：" in text for s in OWN["signatures"])
    assert not any(s in text for s in SIGNATURES)
    # only the office's place: the default sentence names it
    place = _text(notice_pdf(_job(objection_to="示例社区服务站")), tmp_path)
    assert "向 示例社区服务站 书面提出" in place


@poppler
def test_the_cli_sets_them_and_gives_the_requests_bytes(tmp_path):
    out = tmp_path / "cli.pdf"
    args = ["sheet", str(ROSTER), "--total", "120000", "--on", DAY.isoformat(), "--notice",
            str(out), "--issuer", OWN["issuer"], "--what", OWN["what"], "--objection",
            OWN["objection"], "--object-to", OWN["objection_to"]]  # fmt: skip
    for s in OWN["signatures"]:
        args += ["--signature", s]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert out.read_bytes() == notice_pdf(_job(**OWN, label_style="zh"))
    assert OWN["objection"] in _text(out.read_bytes(), tmp_path)


def _page(page: str, city: bool) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    if city:
        at.selectbox(key="elevator_city").set_value("none").run()
    return at


@poppler
@pytest.mark.parametrize(("page", "key"), [("household", "household_"), ("elevator", "elevator_")])
def test_the_pages_set_them_and_the_saved_version_rebuilds_them(page, key, tmp_path):
    at = _page(page, page == "elevator")
    at.text_input(key=key + "n_iss").set_value(OWN["issuer"]).run()
    at.text_input(key=key + "n_objection").set_value(OWN["objection"]).run()
    at.text_area(key=key + "n_signatures").set_value("\n".join(OWN["signatures"])).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    at.button(key=key + "store_save").click().run()
    assert any("第 1 版" in s.value for s in at.success), [e.value for e in at.error]
    with cs_store.Store(f"sqlite:///{tmp_path / 'store.db'}") as st:
        (doc,) = cs_store.documents(st)
        request = cs_store.get(st, doc.name, 1).data["request"]
    notice = request["notice"]
    assert notice["issuer"] == OWN["issuer"] and notice["objection"] == OWN["objection"]
    assert tuple(notice["signatures"]) == OWN["signatures"]
    job = SheetJob.parse(request)  # the stored version, given its roster again
    job = job.model_copy(update={"roster": job.roster.with_file(ROSTER.read_bytes(), ROSTER.name)})
    text = _text(notice_pdf(job), tmp_path)
    assert OWN["objection"] in text and all(s in text for s in OWN["signatures"])


@poppler
def test_ballot_issuer_on_the_page_and_in_the_cli(tmp_path):
    from app_pages import _cache_votes as v

    job = VoteJob(units=FileInput.from_path(ROSTER), ballots=v.sample_ballots(),
                  matter="elevator", on=DAY)  # fmt: skip
    default = _text(v.ballot_pdf(job), tmp_path)
    assert "业主大会筹备组／业主委员会" in default
    job = job.model_copy(update={"ballot": BallotFields(issuer=OWN["issuer"])})  # its words
    own = _text(v.ballot_pdf(job), tmp_path)
    assert f"发放单位：{OWN['issuer']}" in own and "业主大会筹备组" not in own
    out = tmp_path / "b.pdf"
    args = ["vote", str(ROSTER), str(v.SAMPLE_BALLOTS), "--matter", "elevator", "--on",
            DAY.isoformat(), "--ballots-pdf", str(out), "--issuer", OWN["issuer"]]  # fmt: skip
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert out.read_bytes() == v.ballot_pdf(job)
