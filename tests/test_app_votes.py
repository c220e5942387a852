"""The owners' vote page (AppTest) and the vote readers' Chinese headers (房号/面积/表决意见).

The sample register has 76 units; the sample ballots have 68 votes, 42 of them yes.
Under 筹集维修资金 (2/3 take part, 3/4 of them agree) 68/76 take part, and 3/4 × 68 = 51
yes votes are needed: 9 more. Under an ordinary matter (more than half) 42/68 passes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from costshare import rules
from costshare.cli import app
from costshare.households.tally_rules import canonical_headers
from costshare.households.votes import tally

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")

COUNTS = ("yes", "no", "abstain", "absent")  # the headline also keeps areas


def _page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("app_pages/votes.py")
    return at.run()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_vote_page_tally_and_margins():
    at = _page()
    assert not at.exception
    assert at.selectbox(key="votes_matter").value == "raise_fund"
    m = _metrics(at)
    assert m["表决结果"] == "未通过"
    assert m["同意（户 · 面积）"].startswith("42 ·")
    assert m["还需参与表决的户数"] == "0"
    assert m["还需同意的户数"] == "9"
    assert any("第二百七十八条" in x.value for x in at.text)
    at.selectbox(key="votes_matter").set_value("ordinary").run()
    assert _metrics(at)["表决结果"] == "通过"
    assert _metrics(at)["还需同意的户数"] == "0"


def test_vote_page_in_english_has_no_internal_keys():
    at = _page()
    at.radio(key="lang").set_value("English").run()
    m = _metrics(at)
    assert m["Result"] == "failed"
    table = at.dataframe[-1].value
    assert "quorum_area" not in table.to_string()
    assert "Area taking part" in set(table.iloc[:, 0])
    assert "None" not in table.to_string()


def test_chinese_headers_in_the_library():
    units = pd.DataFrame({"房号": ["101", "102", "201"], "专有部分面积（m²）": [80, 80, 90]})
    ballots = pd.DataFrame({"房号": ["101", "102", "201"], "表决意见": ["同意", "同意", "反对"]})
    r = tally(units, ballots, "ordinary", rules=rules.load("national", on="2024-06-01"))
    assert r.passed
    assert r.counts["yes"] == 2
    # an English column wins over an alias, and the first alias wins
    df = canonical_headers(pd.DataFrame(columns=["unit_id", "房号", "建筑面积", "面积"]))
    assert df.columns.tolist() == ["unit_id", "房号", "area", "面积"]


def test_vote_cli_reads_chinese_headers(tmp_path):
    units = tmp_path / "名册.csv"
    units.write_text("房号,面积\n101,80\n102,80\n201,90\n", encoding="utf-8-sig")
    ballots = tmp_path / "表决票.csv"
    ballots.write_text("房号,表决意见\n101,同意\n102,反对\n", encoding="utf-8-sig")
    r = CliRunner().invoke(
        app, ["vote", str(units), str(ballots), "--matter", "ordinary", "--on", "2024-06-01"]
    )
    assert r.exit_code == 0, r.output
    # 2 of 3 owners take part but only 160 of 250 m² = 64% < 2/3: one more owner needed
    assert "ordinary: FAILED" in r.output
    assert "at least 1 more owner(s) must take part" in r.output


def test_vote_save_publish_and_history(tmp_path):
    """Save the vote, tag it published: the tag keeps the ballot PDF's sha256; history shows it."""
    import hashlib

    from costshare import store as cs_store

    at = _page()
    at.button(key="votes_store_save").click().run()
    assert any("第 1 版" in s.value for s in at.success), [e.value for e in at.error]
    at.button(key="votes_pub_btn").click().run()
    assert any("已公示" in s.value for s in at.success), [e.value for e in at.error]
    at.run()  # the history is drawn above the button: the next run shows the tag
    history = at.dataframe[-1].value
    assert "published" in history["标记"].tolist()
    assert history["同意（户）"].tolist() == ["42"]  # the sample ballots' 42 yes votes
    with cs_store.Store(f"sqlite:///{tmp_path / 'store.db'}") as st:
        (doc,) = cs_store.documents(st)
        assert doc.kind == "vote"  # the job's record
        v = cs_store.get(st, doc.name, "published")
        # sample_ballots.csv: 42 同意, 17 反对, 9 弃权 of 68 ballots; 76 - 68 = 8 did not vote
        assert {k: v.results[k] for k in ("passed", *COUNTS)} == {
            "passed": False,
            "yes": 42,
            "no": 17,
            "abstain": 9,
            "absent": 8,
        }
        from app_pages import _cache_votes as _v
        from costshare.jobs import VoteJob

        job = VoteJob.parse(v.data["request"])  # the record names the files by digest only
        roster = ROOT / "costshare" / "data" / "sample_roster.xlsx"
        job = job.model_copy(
            update={
                "units": job.units.with_file(roster.read_bytes(), roster.name),
                "ballots": job.ballots.with_file(_v.SAMPLE_BALLOTS.read_bytes()),
            }
        )
        pdf = _v.ballot_pdf(job)
        assert v.tags[0].file_hash == hashlib.sha256(pdf).hexdigest()
