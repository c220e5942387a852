"""Stored votes gate the plan: a saved vote's counts, named DOC@V, read from the store.

The conftest gives every test a temp SQLite store (``COSTSHARE_DB``). Votes are saved as
the votes page and ``costshare vote --save`` save them (the vote job's record: counts
and verdict, the files' digests, never a ballot) or as an older ``owners_vote`` record;
the gate (CLI, job, API, consent page) reads them, checks matter, community and
jurisdiction, and says which stored vote each candidate used.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from costshare import store
from costshare.api import create_app
from costshare.cli import app as cli_app
from costshare.community.stored_votes import (
    StoredVote,
    check_votes,
    merge_counts,
    parse_ref,
    stored_vote,
)
from costshare.errors import InputError
from costshare.jobs import FileInput, GateJob, VoteJob
from costshare.store.content import owners_vote_content

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = ROOT / "costshare" / "data" / "sample_plan_candidates.csv"
HEBEI = ROOT / "scenarios" / "consent" / "hebei_inclusion_votes.csv"
DONG = "鼓楼区·东街小区"
KEYS = ("yes", "no", "abstain", "absent")


def _units(n: int) -> bytes:
    return ("unit_id,area\n" + "".join(f"{i},50\n" for i in range(1, n + 1))).encode()


def _ballots(votes: list[str]) -> bytes:
    return ("unit_id,vote\n" + "".join(f"{i},{v}\n" for i, v in enumerate(votes, 1))).encode()


def _save_vote(doc: str, community: str | None, votes: list[str], matter="inclusion") -> str:
    """Count a vote and save its record as the votes page does; return DOC@V."""
    job = VoteJob(
        units=FileInput.from_bytes(_units(len(votes)), "u.csv"),
        ballots=FileInput.from_bytes(_ballots(votes), "b.csv"),
        matter=matter,
        jurisdiction="hebei",
        community=community,
        on="2024-06-30",
    )
    rec = job.record(job.run())
    with store.Store() as s:
        saved = store.save(s, "vote", doc, rec, results=rec["results"], base=None)
    return f"{doc}@{saved.version.number}"


def _gate(*refs: str, votes: Path | None = None, matters=("inclusion",)) -> GateJob:
    return GateJob(
        candidates=FileInput.from_path(CANDIDATES),
        votes=None if votes is None else FileInput.from_path(votes),
        stored_votes=refs,
        matters=matters,
        jurisdiction="hebei",
        budget="40000000",
        on="2024-06-30",
    )


def _hebei_without(community: str, tmp_path: Path) -> Path:
    df = pd.read_csv(HEBEI)
    path = tmp_path / "votes.csv"
    df[df["community_id"] != community].to_csv(path, index=False)
    return path


class TestRecords:
    def test_a_vote_record_becomes_counts_and_areas(self):
        # 10 units of 50 m²: 8 yes, 1 no, 1 absent → owners 10, took part 9, yes 8;
        # areas 500 m², 450 m² took part, 400 m² yes
        ref = _save_vote("v", "A", ["yes"] * 8 + ["no", "absent"])
        with store.Store() as s:
            v = store.get(s, "v", 1)
        assert "ballots" not in json.dumps(v.results) and "unit_id" not in v.content
        sv = stored_vote(ref, v.kind, v.data)
        row = sv.row()
        assert (row["owners"], row["took_part"], row["yes"]) == (10, 9, 8)
        assert (row["area_m2"], row["area_took_part"], row["area_yes"]) == (500, 450, 400)
        assert sv.passed is True and sv.community == "A" and sv.jurisdiction == "hebei"

    def test_an_owners_vote_record_is_read_too(self):
        rec = owners_vote_content(
            b"reg", {"1": "yes"}, {"matter": "inclusion", "community": "B"},
            {"yes": 4, "no": 1, "abstain": 0, "absent": 0, "passed": True},
        )  # fmt: skip
        sv = stored_vote("old@3", "owners_vote", rec)
        assert sv.row() == {
            "community_id": "B", "matter": "inclusion", "owners": 5, "took_part": 5, "yes": 4,
        }  # fmt: skip
        assert sv.areas_m2 is None

    def test_refusals_name_the_stored_vote(self):
        ref = _save_vote("nameless", None, ["yes"] * 3)
        with store.Store() as s:
            v = store.get(s, "nameless", 1)
        with pytest.raises(InputError, match=r"store:nameless@1, field 'community'"):
            stored_vote(ref, v.kind, v.data)
        with pytest.raises(InputError, match="this one is community"):
            stored_vote("c@1", "community", {})
        with pytest.raises(InputError, match="DOC@V"):
            parse_ref("votes")  # a version must be named: DOC alone would drift
        v = StoredVote("x@1", "A", "inclusion", "yichang", True, dict.fromkeys(KEYS, 1))
        with pytest.raises(InputError) as e:
            check_votes([v, v], ["acceptance"], ["B"], "hebei")
        text = str(e.value)
        assert "is on 'inclusion'" in text and "'A' is not a candidate" in text
        assert "under yichang's rules" in text and "already the vote of 'A'" in text

    def test_a_community_in_the_file_and_the_store_is_refused(self):
        f = pd.DataFrame({"community_id": ["A"], "matter": ["inclusion"], "owners": [1],
                          "took_part": [1], "yes": [1]})  # fmt: skip
        v = StoredVote("x@1", "A", "inclusion", "hebei", True, dict.fromkeys(KEYS, 1))
        with pytest.raises(InputError, match="v.csv also gives 'A' on 'inclusion'"):
            merge_counts(f, "v.csv", [v])


class TestGate:
    def test_a_stored_vote_gates_its_candidate_and_is_named(self, tmp_path):
        # 东街小区 in the file: 212 yes of 240 owners passes; stored: 7 yes of 10 owners
        # under Hebei's 80 % (of all owners) fails: 7/10 < 4/5
        ref = _save_vote("东街_纳入", DONG, ["yes"] * 7 + ["no"] * 3)
        r = _gate(ref, votes=_hebei_without(DONG, tmp_path)).run()
        row = r.consent.set_index("community_id").loc[DONG]
        assert row["vote"] == f"store:{ref}" and not row["passed"]
        assert row["failed"] == "同意人数 7/10 < 4/5"
        t = r.table.set_index("community_id")
        assert t.loc[DONG, "vote"] == f"store:{ref}" and t.loc[DONG, "decision"] == "not_eligible"
        assert t.loc["仓山区·对湖小区", "vote"] == "votes.csv"
        # with the file's own row for 东街小区 the plan chose it (rank 1)
        with_file = _gate(votes=HEBEI).run().table.set_index("community_id")
        assert with_file.loc[DONG, "decision"] == "chosen"

    def test_stored_votes_alone_and_the_latest_version_is_not_assumed(self):
        _save_vote("东街_纳入", DONG, ["yes"] * 7 + ["no"] * 3)
        ref2 = _save_vote("东街_纳入", DONG, ["yes"] * 9 + ["no"])  # a second version
        assert ref2 == "东街_纳入@2"
        r = _gate(ref2).run()
        t = r.table.set_index("community_id")
        assert t.loc[DONG, "decision"] == "chosen" and t.loc[DONG, "vote"] == "store:东街_纳入@2"
        assert (t.drop(index=DONG)["consent"] == "无表决记录 no vote").all()
        assert (
            _gate("东街_纳入@1").run().table.set_index("community_id").loc[DONG, "decision"]
            == "not_eligible"
        )

    def test_a_request_needs_some_votes(self):
        with pytest.raises(ValueError, match="give a vote-count file"):
            _gate()

    def test_cli_save_then_gate(self, tmp_path):
        run = CliRunner().invoke
        units, ballots = tmp_path / "u.csv", tmp_path / "b.csv"
        units.write_bytes(_units(10))
        ballots.write_bytes(_ballots(["yes"] * 9 + ["absent"]))
        out = run(cli_app, ["vote", str(units), str(ballots), "--matter", "inclusion",
                            "--jurisdiction", "hebei", "--community", DONG,
                            "--save", "东街_纳入", "--on", "2024-06-30"])  # fmt: skip
        assert out.exit_code == 0, out.output
        assert "saved 东街_纳入@1 (vote)" in out.output
        args = ["gate", str(CANDIDATES), "--matter", "inclusion", "--jurisdiction", "hebei",
                "--budget", "40000000", "--on", "2024-06-30", "--format", "json"]  # fmt: skip
        out = run(cli_app, [*args, "--stored-vote", "东街_纳入@1"])
        assert out.exit_code == 0, out.output
        cands = {c["community_id"]: c for c in json.loads(out.output)["candidates"]}
        assert cands[DONG]["vote"] == "store:东街_纳入@1" and cands[DONG]["decision"] == "chosen"
        out = run(cli_app, [*args, str(HEBEI), "--stored-vote", "东街_纳入@1"])
        assert out.exit_code != 0 and "also gives '鼓楼区·东街小区'" in out.output

    def test_api_field(self):
        ref = _save_vote("东街_纳入", DONG, ["yes"] * 9 + ["no"])
        import base64

        body = {
            "candidates": {"name": "c.csv", "content_b64": base64.b64encode(
                CANDIDATES.read_bytes()).decode()},
            "stored_votes": [ref], "matters": ["inclusion"], "jurisdiction": "hebei",
            "budget": "40000000", "on": "2024-06-30",
        }  # fmt: skip
        r = TestClient(create_app(), raise_server_exceptions=False).post("/v1/gate", json=body)
        assert r.status_code == 200, r.text
        res = r.json()["result"]
        rows = {c["community_id"]: c for c in res["candidates"]}
        assert rows[DONG]["vote"] == f"store:{ref}"
        assert r.json()["record"]["request"]["stored_votes"] == [ref]


def test_consent_page_picks_stored_votes():
    ref = _save_vote("东街_纳入", DONG, ["yes"] * 7 + ["no"] * 3)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page("app_pages/consent.py")
    at.run()
    assert not at.exception, at.exception[0].stack_trace
    assert at.multiselect(key="cg_stored").options == [ref]
    at.selectbox(key="cg_matter").set_value("inclusion")
    at.toggle(key="cg_file").set_value(False)
    at.multiselect(key="cg_stored").set_value([ref]).run()
    assert not at.exception and not at.error
    consent = next(d.value for d in at.dataframe if {"rule", "vote"} <= set(d.value.columns))
    assert consent["vote"].tolist() == [f"store:{ref}"]
    assert consent["failed"].tolist() == ["同意人数 7/10 < 4/5"]
    at.toggle(key="cg_file").set_value(True).run()  # the sample also has 东街小区: refused
    assert at.error and "name one vote" in at.error[0].value
