"""The mechanism jobs: records recompute, the CLI prints the job's summary, hand-checked figures.

gate, evaluate, transfers, elevator_life, suggest_mode, merge_estates, handover and
tax_relief are requests in :data:`costshare.jobs.JOBS` like the community job: the same
request gives the same answer and record whichever door it came through.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare import jobs
from costshare.api.trace import traced
from costshare.cli import app
from costshare.errors import InputError
from costshare.jobs.output import to_jsonable

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = ROOT / "costshare" / "data" / "sample_plan_candidates.csv"
HEBEI_VOTES = ROOT / "scenarios" / "consent" / "hebei_inclusion_votes.csv"
SURVEY = ROOT / "scenarios" / "evaluation" / "sample_survey.csv"
ROSTER = ROOT / "data" / "sample_roster.xlsx"
MERGE = ROOT / "scenarios" / "management" / "changping_merge.yaml"
FUJIAN = ROOT / "scenarios" / "fujian_default.yaml"
YANCHENG = ROOT / "scenarios" / "transfers" / "yancheng_reward_subsidy.yaml"
FILE_FIELDS = ("candidates", "votes", "survey", "roster")
runner = CliRunner()


def _file(path: Path) -> jobs.FileInput:
    return jobs.FileInput.from_path(path)


def _gate() -> jobs.GateJob:
    return jobs.GateJob(candidates=_file(CANDIDATES), votes=_file(HEBEI_VOTES),
                        matters=["inclusion"], jurisdiction="hebei", budget="40000000",
                        on="2024-06-30")  # fmt: skip


def _requests() -> list[jobs.Job]:
    return [
        _gate(),
        jobs.EvaluateJob(
            survey=_file(SURVEY),
            households=36,
            on="2024-06-30",
            scenario={"bundled": "fujian_default.yaml"},
        ),
        jobs.TransfersJob.parse({"pot": "yancheng_reward_subsidy"}),
        jobs.ElevatorLifeJob(
            roster=_file(ROSTER),
            cost="300000",
            maintenance="8000",
            operation="3000",
            compensation="2000",
            on="2024-06-01",
        ),
        jobs.SuggestModeJob(households=90, collection_rate="0.5", current="backstop"),
        jobs.MergeEstatesJob.from_document(yaml.safe_load(MERGE.read_bytes()), MERGE.name),
        jobs.HandoverJob.parse({"scenario": "fujian_default", "on": "2024-06-30"}),
        jobs.TaxReliefJob(spend="153000000", life=20, tax_rate="0.25", discount="0.05"),
    ]


def _plain(x: Any) -> Any:
    return json.loads(json.dumps(x, ensure_ascii=False, default=str))


class TestRecords:
    @pytest.mark.parametrize("job", _requests(), ids=lambda j: j.job)
    def test_record_recomputes_to_the_same_headline(self, job: jobs.Job) -> None:
        """The record alone (plus the same input files) gives the same headline to the fen."""
        record = job.record()
        assert record["job"] == job.job and job.job in jobs.JOBS
        files = {
            k: (getattr(job, k).content(), getattr(job, k).name)
            for k in FILE_FIELDS
            if isinstance(getattr(job, k, None), jobs.FileInput)
        }
        again = jobs.recompute(json.loads(json.dumps(record)), files)
        assert _plain(jobs.parse(job.job, record["request"]).headline(again)) == record["results"]
        text = json.dumps(record, ensure_ascii=False)
        assert "content_b64" not in text and "同意" not in text  # files: digest only
        for k in files:
            assert set(record["request"][k]) == {"sha256", "size"}

    def test_a_record_without_its_files_asks_for_them(self) -> None:
        record = _gate().record()
        with pytest.raises(InputError, match="give the file again"):
            jobs.recompute(record)
        other = CANDIDATES.read_bytes().replace(b"\n", b"\r\n")
        with pytest.raises(InputError, match="sha256 differs"):
            jobs.recompute(record, {"candidates": (other, "c.csv")})

    def test_documents_are_kept_inline(self) -> None:
        """A pot or a scenario named by its bundled file is kept as data in the record."""
        pot = jobs.TransfersJob.parse({"pot": "yancheng_reward_subsidy"}).record()["request"]
        assert pot["pot"]["data"]["name"] == yaml.safe_load(YANCHENG.read_bytes())["name"]
        ev = _requests()[1].record()["request"]
        assert ev["scenario"]["data"]["community"]["households"] == 480

    def test_rule_free_jobs_do_not_depend_on_the_day(self) -> None:
        """No rule decides a pot, a mode, merged estates or tax relief: no date in the request,
        so a page's cache and a stored record stay the same from one day to the next."""
        for job in _requests():
            if job.rules() is None:
                assert job.request_json()["on"] is None, job.job


class TestCliIsTheJob:
    def _json(self, args: list[str]) -> Any:
        res = runner.invoke(app, [*args, "--format", "json"])
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)

    def test_gate(self) -> None:
        args = ["gate", str(CANDIDATES), str(HEBEI_VOTES), "--matter", "inclusion",
                "--jurisdiction", "hebei", "--budget", "40000000", "--on", "2024-06-30"]  # fmt: skip
        job = _gate()
        assert self._json(args) == to_jsonable(job.summary(job.run()))

    def test_evaluate_with_a_scenario(self) -> None:
        args = ["evaluate", str(SURVEY), "--households", "36", "--on", "2024-06-30",
                "--scenario", str(FUJIAN)]  # fmt: skip
        job = _requests()[1]
        out = self._json(args)
        assert out == to_jsonable(job.summary(job.run()))
        assert out["indicators"]["total_uses"] == "10000000.00"  # the Fujian default's uses

    def test_transfers_and_tax_relief_and_suggest_mode(self) -> None:
        job = jobs.TransfersJob.parse({"pot": "yancheng_reward_subsidy"})
        assert self._json(["transfers", str(YANCHENG)]) == to_jsonable(job.summary(job.run()))
        tax = jobs.TaxReliefJob(spend="153000000", life=20, tax_rate="0.25", discount="0.05")
        args = ["tax-relief", "--spend", "153000000", "--life", "20", "--tax-rate", "0.25",
                "--discount", "0.05"]  # fmt: skip
        assert self._json(args) == to_jsonable(tax.summary(tax.run()))
        mode = jobs.SuggestModeJob(households=90, collection_rate="0.5", current="backstop")
        args = ["suggest-mode", "--households", "90", "--collection-rate", "0.5",
                "--current", "backstop"]  # fmt: skip
        assert self._json(args) == to_jsonable(mode.summary(mode.run()))

    def test_merge_estates_and_handover(self) -> None:
        merge = _requests()[5]
        assert self._json(["merge-estates", str(MERGE)]) == to_jsonable(merge.summary(merge.run()))
        ho = jobs.HandoverJob.parse({"scenario": {"bundled": "fujian_default.yaml"}})
        out = self._json(["handover", str(FUJIAN)])
        assert out == to_jsonable(ho.summary(ho.run()))
        assert out["utility_asset_fen"] == 111_000_000  # 1,110,000 yuan, as the table prints


class TestHandChecked:
    def test_gate_names_the_failed_gate(self) -> None:
        r = _gate().run()
        t = r.table.set_index("community_id")
        # 洋中: 60 of 90 households agree = 2/3 < 4/5 (Hebei); 程埔 has no vote at all
        assert t.loc["台江区·洋中小区", "consent"] == "同意人数 2/3 < 4/5"
        assert t.loc["台江区·洋中小区", "decision"] == "not_eligible"
        assert t.loc["仓山区·程埔小区", "consent"] == "无表决记录 no vote"

    def test_tax_relief_to_the_fen(self) -> None:
        """1,000,000 yuan over 5 years at 25 %: 200,000 a year depreciated, 50,000 saved a
        year straight-line; at 5 % the present values are 47,619.05 + 45,351.47 + 43,191.88
        + 41,135.12 + 39,176.31 = 216,473.83 yuan."""
        job = jobs.TaxReliefJob(spend="1000000", life=5, tax_rate="0.25", discount="0.05")
        h = job.headline(job.run())
        assert h["saving_sl_fen"] == h["saving_ddb_fen"] == 25_000_000
        assert h["pv_sl_fen"] == 21_647_383
        assert h["pv_ddb_fen"] > h["pv_sl_fen"]  # earlier deductions are worth more

    def test_the_requests_thresholds_decide_the_mode(self) -> None:
        """500 households collecting 90 % are 'large' at the assumed 300 (professional), not
        at 600 (custody): the A thresholds are the request's, and so part of its record."""
        big = jobs.SuggestModeJob(households=500, collection_rate="0.9")
        assert big.run().mode == "professional"
        small = big.model_copy(update={"large_from": 600})
        assert small.run().mode == "community_custody"
        assert small.digest() != big.digest()
        rows = traced(small)[1]
        assert "600" in rows["value"].tolist() and set(rows["confidence"]) == {"A"}

    def test_merging_two_courtyards(self) -> None:
        """Each courtyard: 60,000 fixed + 4,000 m² × 2 = 68,000 yuan for 50 households =
        1,360 yuan each; merged: 80,000 + 16,000 = 96,000 yuan for 100 = 960 yuan each."""
        job = jobs.MergeEstatesJob(estates=[{"name": "院", "count": 2, "households": 50,
            "area_m2": 4000, "fixed_cost": 60000, "cost_per_m2": 2, "collection_rate": "0.8"}],
            merged={"fixed_cost": 80000})  # fmt: skip
        h = job.headline(job.run())
        assert (h["estates"], h["before_per_household_fen"], h["after_per_household_fen"]) == (
            2,
            136_000,
            96_000,
        )

    def test_elevator_life_adds_up_and_compensation_nets_to_zero(self) -> None:
        """300,000 + 15 × (8,000 + 3,000) = 465,000 yuan in all; the compensation the upper
        floors pay is what the first floor receives."""
        job = _requests()[3]
        t = job.run()
        assert int(t["net_fen"].sum()) == 46_500_000
        low = t["floor"] == 1
        assert int(t["comp_paid_fen"].sum()) == 200_000 * int(low.sum())
        assert (t.loc[low, "cost_fen"] == 0).all()  # exempt from the building cost

    def test_evaluation_without_acceptance_rule_is_refused(self) -> None:
        job = jobs.EvaluateJob(survey=_file(SURVEY), jurisdiction="national", on="2024-06-30")
        with pytest.raises(InputError, match="no acceptance rule"):
            job.run()

    def test_bad_requests_are_located(self) -> None:
        with pytest.raises(InputError, match="collection_rate"):
            jobs.parse("suggest_mode", {"households": 9, "collection_rate": "1.5"})
        with pytest.raises(InputError, match="matters"):
            jobs.parse("gate", {**_gate().request_json(), "matters": []})
        bad = {"estates": [{"name": "x"}], "merged": {"fixed_cost": 1}}
        with pytest.raises(InputError, match="households"):
            jobs.MergeEstatesJob.from_document(bad, "m.yaml")


_POT = yaml.safe_load(YANCHENG.read_bytes())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pot=st.integers(50_000_000, 900_000_000),
    households=st.lists(st.integers(1_000, 400_000), min_size=9, max_size=9),
)
def test_any_pot_is_divided_to_the_fen_and_recomputes(pot: int, households: list[int]) -> None:
    """A what-if patch on the bundled pot: the grants add up to the pot exactly, and the
    record (the patched pot inline) gives the same grants again."""
    areas = [{**a, "households": h} for a, h in zip(_POT["areas"], households, strict=True)]
    job = jobs.TransfersJob.parse(
        {"pot": {"bundled": "yancheng_reward_subsidy", "patch": {"pot": pot, "areas": areas}}}
    )
    if pot < len(areas) * _POT["min_grant"]:  # 9 floors of 25 M yuan take more than the pot
        with pytest.raises(InputError, match="floors add up"):
            job.run()
        return
    result = job.run()  # cap_share 0.15 × 9 areas ≥ 1: the caps always take the pot
    h = job.headline(result)
    assert sum(h["grants_fen"].values()) == h["pot_fen"] == pot * 100
    again = jobs.recompute(job.record(result))
    assert job.headline(again) == h


def test_trace_lists_the_assumptions_of_a_job_no_rule_decides() -> None:
    """A pot rests on weights the seeds do not give: the audit lists each, confidence A."""
    frame = traced(jobs.TransfersJob.parse({"pot": "yancheng_reward_subsidy"}))[1]
    weights = frame[frame["parameter"].str.startswith("weight ")]
    assert len(weights) == len(_POT["weights"])
    assert (weights["confidence"] == "A").all() and (weights["reason"] != "").all()
    assert Decimal(weights["value"].iloc[0]) == Decimal(str(_POT["weights"][0]["weight"]))


def test_the_api_serves_the_mechanism_jobs() -> None:
    """POST /v1/<job> answers the job's own summary; the Yancheng pot is 310 M yuan."""
    from fastapi.testclient import TestClient

    from costshare.api import create_app

    client = TestClient(create_app())
    body = client.post("/v1/transfers", json={"pot": "yancheng_reward_subsidy"}).json()
    assert sum(a["grant_fen"] for a in body["result"]["areas"]) == 31_000_000_000
    mode = {"households": 90, "collection_rate": "0.5", "current": "backstop"}
    body = client.post("/v1/suggest_mode", json=mode).json()
    assert body["result"]["mode"] == "community_custody"
    assert body["record"]["request"]["on"] is None
    bad = client.post("/v1/tax_relief", json={"spend": "1", "life": 0, "tax_rate": "0.25"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "life"
