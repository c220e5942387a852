"""Ballots as reproducible, publishable documents (issues 23 and 25).

The ballot forms' words (community, proposal, issuer, return place, deadline, names,
orientation) are part of the vote request (:class:`costshare.jobs.vote.BallotFields`), so
the CLI, the votes page, the API and a stored version give the same bytes for the same
request, a changed field reaches the PDF, and ``store publish`` rebuilds a saved vote's
ballots byte for byte (``store verify`` accepts exactly that file).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from streamlit.testing.v1 import AppTest
from test_notice_docs import poppler, word_boxes
from typer.testing import CliRunner

from costshare import store as cs_store
from costshare.api.server import create_app
from costshare.cli import app
from costshare.jobs import FileInput, VoteJob
from costshare.jobs.vote import BallotFields, ballot_pdf

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "costshare" / "data"
REGISTER = DATA / "sample_roster.xlsx"
BALLOTS = DATA / "sample_ballots.csv"
DAY = dt.date(2024, 6, 1)
WORDS = {
    "community": "示例小区",
    "proposal": "加装电梯一部，总造价 600,000.00 元，按楼层系数分摊",
    "issuer": "示例社区业主委员会",
    "return_to": "交至示例社区服务站投票箱",
    "deadline": "2024年6月30日",
}
FLAGS = ["--community", "--proposal", "--issuer", "--return-to", "--deadline"]


def _job(**words: object) -> VoteJob:
    return VoteJob(
        units=FileInput.from_path(REGISTER),
        ballots=FileInput.from_path(BALLOTS),
        matter="elevator",
        on=DAY,
        ballot=BallotFields(**words),
    )


def _cli_pdf(tmp_path: Path, *extra: str) -> bytes:
    out = tmp_path / "cli.pdf"
    args = ["vote", str(REGISTER), str(BALLOTS), "--matter", "elevator", "--on", DAY.isoformat()]
    res = CliRunner().invoke(app, [*args, "--ballots-pdf", str(out), *extra])
    assert res.exit_code == 0, res.output
    return out.read_bytes()


def _text(pdf: bytes, tmp_path: Path) -> str:
    f = tmp_path / "t.pdf"
    f.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(f), "-"], capture_output=True, check=True)
    return "".join(out.stdout.decode("utf-8").split())  # CJK lines wrap anywhere


def test_default_words_are_no_words() -> None:
    """Default words make no difference to the request: one request, one digest."""
    plain = VoteJob(units=FileInput.from_path(REGISTER), ballots=FileInput.from_path(BALLOTS),
                    matter="elevator", on=DAY)  # fmt: skip
    assert _job().ballot is None and _job().digest() == plain.digest()
    assert _job(**WORDS).digest() != plain.digest()
    with pytest.raises(ValueError, match="extra"):
        BallotFields(lang="en")  # extra="forbid"
    with pytest.raises(ValueError):
        BallotFields(community="区" * 201)  # a printed line is at most 200 characters


def test_same_request_same_bytes_from_cli_library_and_api(tmp_path: Path) -> None:
    job = _job(**WORDS)
    lib = ballot_pdf(job)
    assert lib == ballot_pdf(_job(**WORDS)) and lib[:5] == b"%PDF-"
    cli = _cli_pdf(
        tmp_path, *[x for f, w in zip(FLAGS, WORDS.values(), strict=True) for x in (f, w)]
    )
    assert cli == lib
    from app_pages import _cache_votes as v

    assert v.ballot_pdf(job) == lib
    body = {
        "units": {"name": REGISTER.name, "content_b64": base64.b64encode(REGISTER.read_bytes()).decode()},
        "ballots": {"name": BALLOTS.name, "content_b64": base64.b64encode(BALLOTS.read_bytes()).decode()},
        "matter": "elevator",
        "on": DAY.isoformat(),
        "ballot": WORDS,
    }  # fmt: skip
    r = TestClient(create_app()).post("/v1/vote/pdf", json=body)
    assert r.status_code == 200, r.text
    assert r.content == lib and r.headers["x-costshare-digest"] == job.digest()


@poppler
@pytest.mark.parametrize("field", sorted(WORDS))
def test_a_changed_field_reaches_the_pdf(field: str, tmp_path: Path) -> None:
    base = _text(ballot_pdf(_job(**WORDS)), tmp_path)
    new = "另一" + WORDS[field][2:]
    changed = _text(ballot_pdf(_job(**{**WORDS, field: new})), tmp_path)
    assert "".join(WORDS[field].split()) in base
    assert "".join(new.split()) in changed and "".join(WORDS[field].split()) not in changed


SHARE = {"amount": {"kind": "total", "yuan": "120000"}}


def test_share_prints_each_households_amount_as_the_sheet_computes_it(tmp_path: Path) -> None:
    """With ``share`` each form prints its household's amount: the contribution sheet's
    share_fen of the same total over the register (76 forms, summing to 120,000.00 yuan)."""
    import io
    import re

    from pypdf import PdfReader

    from costshare.jobs import SheetJob

    pdf = ballot_pdf(_job(**WORDS, share=SHARE))
    got = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        m = re.search(
            r"本户按方案应分摊([\d,]+)\.(\d\d)元", re.sub(r"\s+", "", page.extract_text())
        )
        assert m, "every form prints its amount"
        got.append(int(m.group(1).replace(",", "")) * 100 + int(m.group(2)))
    sheet = SheetJob(roster=FileInput.from_path(REGISTER), amount=SHARE["amount"], on=DAY).run()
    assert got == sheet.table["share_fen"].tolist() and sum(got) == 12_000_000
    cli = _cli_pdf(tmp_path, *[x for f, w in zip(FLAGS, WORDS.values(), strict=True) for x in (f, w)],
                   "--share-total", "120000")  # fmt: skip
    assert cli == pdf
    assert "本户按方案应分摊" not in "".join(p.extract_text() for p in PdfReader(io.BytesIO(ballot_pdf(_job(**WORDS)))).pages)  # fmt: skip


@poppler
def test_names_and_orientation_reach_the_pdf(tmp_path: Path) -> None:
    named = _text(ballot_pdf(_job()), tmp_path)
    assert "*" in named  # masked owner names, e.g. 张*三
    assert "*" not in _text(ballot_pdf(_job(names=False)), tmp_path)
    wide = word_boxes(ballot_pdf(_job(orientation="landscape")), tmp_path)
    assert wide[0][4] > wide[0][5]  # page width > height
    ids = {
        re.search(r"BJ-[0-9A-F]{12}", _text(ballot_pdf(_job(**b)), tmp_path)).group()
        for b in ({}, {"names": False}, {"orientation": "landscape"})
    }
    assert len(ids) == 3  # a different document, a different id


@poppler
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_every_word_inside_the_page(orientation: str, tmp_path: Path) -> None:
    long = "示例街道示例社区居民委员会与业主委员会联合发放" * 4
    job = _job(community=long[:200], proposal=(long * 3)[:500], issuer=long[:200],
               return_to=(long * 3)[:500], deadline=long[:200], orientation=orientation)  # fmt: skip
    boxes = word_boxes(ballot_pdf(job), tmp_path)
    assert len(boxes) > 500
    for x0, y0, x1, y1, w, h in boxes:
        assert x0 >= 0 and x1 <= w and y0 >= 0 and y1 <= h, (x0, y0, x1, y1, w, h)


@poppler
def test_old_cli_flags_still_work(tmp_path: Path) -> None:
    text = _text(_cli_pdf(tmp_path, *[x for f, w in zip(FLAGS, WORDS.values(), strict=True) for x in (f, w)]), tmp_path)  # fmt: skip
    for w in WORDS.values():
        assert "".join(w.split()) in text
    default = _text(_cli_pdf(tmp_path), tmp_path)
    assert "业主大会筹备组／业主委员会" in default and "示例小区" not in default


def test_page_saves_and_publishes_the_request_the_store_rebuilds(tmp_path: Path) -> None:
    """The page's words fill the request; the saved version's ballots equal the page's
    published file, the CLI's and the library's; ``store publish`` rebuilds them from the
    stored version and ``store verify`` accepts exactly that file."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page("app_pages/votes.py")
    at.run()
    at.selectbox(key="votes_matter").set_value("elevator").run()
    keys = {"community": "community", "proposal": "proposal", "issuer": "issuer",
            "return_to": "return", "deadline": "deadline"}  # fmt: skip
    for field, key in keys.items():
        at.text_input(key="votes_" + key).set_value(WORDS[field]).run()
    at.text_input(key="votes_share_total").set_value("120,000").run()
    assert not at.exception and not at.error
    at.button(key="votes_store_save").click().run()
    assert any("第 1 版" in s.value for s in at.success), [e.value for e in at.error]
    at.button(key="votes_pub_btn").click().run()
    assert any("已公示" in s.value for s in at.success), [e.value for e in at.error]
    db = f"sqlite:///{tmp_path / 'store.db'}"
    with cs_store.Store(db) as st:
        (doc,) = cs_store.documents(st)
        v = cs_store.get(st, doc.name, "published")
    assert v.data["request"]["ballot"]["community"] == WORDS["community"]
    page_hash = v.tags[0].file_hash
    on = v.data["request"]["on"]  # the page's date: today in Asia/Shanghai
    job = _job(**WORDS, share=SHARE).model_copy(update={"on": dt.date.fromisoformat(on)})
    assert hashlib.sha256(ballot_pdf(job)).hexdigest() == page_hash
    flags = [x for f, w in zip(FLAGS, WORDS.values(), strict=True) for x in (f, w)]
    out = tmp_path / "cli.pdf"
    args = ["vote", str(REGISTER), str(BALLOTS), "--matter", "elevator", "--on", on]
    res = CliRunner().invoke(
        app, [*args, "--ballots-pdf", str(out), *flags, "--share-total", "120000"]
    )
    assert res.exit_code == 0 and hashlib.sha256(out.read_bytes()).hexdigest() == page_hash

    run = CliRunner().invoke
    posted = tmp_path / "ballots.pdf"
    pub = ["store", "publish", doc.name, "1", "-o", str(posted), "--tag", "published-again"]
    missing = run(app, [*pub, "--db", db])
    assert missing.exit_code == 1 and "--file units=PATH" in missing.output
    res = run(app, [*pub, "--file", f"register={REGISTER}", "--db", db])
    assert res.exit_code == 0, res.output
    assert posted.read_bytes() == out.read_bytes()  # rebuilt byte for byte
    ok = run(app, ["store", "verify", doc.name, "published-again", str(posted), "--db", db])
    assert ok.exit_code == 0, ok.output
    posted.write_bytes(ballot_pdf(job.model_copy(update={"ballot": BallotFields()})))
    bad = run(app, ["store", "verify", doc.name, "published-again", str(posted), "--db", db])
    assert bad.exit_code == 1 and "does NOT match" in bad.output


def test_page_refuses_a_share_total_that_is_not_an_amount() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page("app_pages/votes.py")
    at.run()
    at.text_input(key="votes_share_total").set_value("12x").run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "方案分摊总额" in shown and "12x" in shown  # names the field and what was typed
    assert not at.get("download_button")
