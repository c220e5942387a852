"""Jobs: one typed request per job; the CLI prints, and the store keeps, what the job gives."""

from __future__ import annotations

import ast
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare import jobs
from costshare.cli import app
from costshare.community.model import Funding
from costshare.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
ROSTER = ROOT / "data" / "sample_roster.xlsx"
FUJIAN = ROOT / "scenarios" / "fujian_default.yaml"
DATA = ROOT / "costshare" / "data"


def _plain(x: object) -> object:
    return json.loads(json.dumps(x, ensure_ascii=False, default=str))


class TestOneDoor:
    def test_every_job_is_registered_once(self) -> None:
        mechanisms = ["gate", "evaluate", "transfers", "elevator_life", "suggest_mode",
                      "merge_estates", "handover", "tax_relief"]  # fmt: skip
        assert sorted(jobs.JOBS) == sorted(
            ["community", "goal_seek", "operation", "plan", "portfolio", "ppp", "sheet", "vote",
             "sweep", *mechanisms]
        )  # fmt: skip
        assert all(cls.job == name for name, cls in jobs.JOBS.items())

    @pytest.mark.parametrize("folder", ["app_pages", "costshare/cli", "costshare/api"])
    def test_shells_never_choose_rules(self, folder: str) -> None:
        """Only costshare/jobs and costshare/rules decide which rules apply."""
        offenders = []
        for path in sorted((ROOT / folder).glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "load"
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in ("rules", "rules_mod")
                ):
                    offenders.append(f"{path.name}:{node.lineno}")
        assert offenders == [], offenders

    def test_request_round_trips_through_json(self) -> None:
        job = jobs.parse(
            "community", {"scenario": {"bundled": "fujian_default.yaml"}, "on": "2024-06-30"}
        )
        again = jobs.parse("community", job.request_json())
        assert again.digest() == job.digest()
        assert again.run().gap_fen == job.run().gap_fen

    def test_unknown_job_and_bad_request_are_located(self) -> None:
        with pytest.raises(InputError, match="unknown job 'x'"):
            jobs.parse("x", {})
        with pytest.raises(InputError, match="exactly one of bundled, data or stored"):
            jobs.parse("community", {"scenario": {"bundled": "a.yaml", "stored": "b"}})
        with pytest.raises(InputError, match="no bundled community scenario 'nope.yaml'"):
            jobs.parse("community", {"scenario": {"bundled": "nope.yaml"}}).run()


class TestConsistency:
    def test_roster_of_another_community_is_refused(self) -> None:
        amount = {"kind": "scenario", "scenario": {"bundled": "ningbo_fund_topup.yaml"}}
        job = jobs.SheetJob(roster=jobs.FileInput.from_path(ROSTER), amount=amount)
        with pytest.raises(InputError, match="76 households in the roster, 360 in the scenario"):
            job.run()

    @pytest.mark.parametrize(("per", "fen"), [("household", 10_640_000), ("m2", 10_943_720)])
    def test_scenario_figure_per_household_or_m2(self, per: str, fen: int) -> None:
        """Ningbo: 504,000 yuan for 360 households on 25,200 m² = 1,400/户 = 20/m²;
        the sample has 76 households on 5,471.86 m²: 76 × 1,400 = 106,400.00 and
        5,471.86 × 20 = 109,437.20 yuan."""
        amount = {"kind": "scenario", "scenario": {"bundled": "ningbo_fund_topup.yaml"}, "per": per}
        job = jobs.SheetJob(roster=jobs.FileInput.from_path(ROSTER), amount=amount)
        sheet = job.run()
        assert sheet.meta.total_fen == fen == int(sheet.table["share_fen"].sum())

    def test_unmatched_ballot_is_listed_not_dropped(self) -> None:
        units = jobs.FileInput.from_bytes(b"unit_id,area\n1-101,60\n1-102,40\n", "u.csv")
        votes = jobs.FileInput.from_bytes(
            "unit_id,vote\n1-101,同意\n9-909,同意\n".encode(), "b.csv"
        )
        job = jobs.VoteJob(units=units, ballots=votes, matter="ordinary", on="2024-06-01")
        with pytest.raises(InputError) as err:
            job.run()
        assert "9-909" in str(err.value) and "b.csv" in str(err.value)


class TestRecords:
    def test_every_job_record_recomputes(self) -> None:
        """The record alone (plus the same input files) gives the same headline to the fen."""
        roster = jobs.FileInput.from_path(ROSTER)
        units = jobs.FileInput.from_path(DATA / "sample_roster.xlsx")
        requests = [
            jobs.CommunityJob.parse({"scenario": {"bundled": "fujian_default.yaml"}}),
            jobs.GoalSeekJob.parse(
                {"scenario": {"bundled": "fujian_default.yaml"}, "target": "municipal"}
            ),
            jobs.PortfolioJob.parse({"portfolio": {"bundled": "fujian_city_example.yaml"}}),
            jobs.PPPJob.parse({"project": {"bundled": "ppp/ppp_example.yaml"}}),
            jobs.OperationJob.parse(
                {"scenario": {"bundled": "operation/changping_closed_estate.yaml"}}
            ),
            jobs.SheetJob(
                roster=roster, amount={"kind": "total", "yuan": "120000"}, on="2024-06-01"
            ),
            jobs.PlanJob(
                candidates=jobs.FileInput.from_path(DATA / "sample_plan_candidates.csv"),
                budget=Decimal("30000000"),
            ),
        ]
        for job in requests:
            record = job.record()
            files = {
                k: (getattr(job, k).content(), getattr(job, k).name)
                for k in ("roster", "candidates", "units", "ballots")
                if isinstance(getattr(job, k, None), jobs.FileInput)
            }
            again = jobs.parse(record["job"], record["request"])
            if files:
                again = again.model_copy(
                    update={k: getattr(again, k).with_file(*v) for k, v in files.items()}
                )
            assert _plain(again.headline(again.run())) == record["results"], job.job
            assert "content_b64" not in json.dumps(record) and "data" not in record["request"].get(
                "roster", {}
            )
        assert units.size > 0

    def test_record_of_a_bundled_scenario_holds_its_data(self) -> None:
        """A record recomputes even after the bundled file changes: the data is inline."""
        job = jobs.CommunityJob.parse({"scenario": {"bundled": "fujian_default.yaml"}})
        request = job.record()["request"]
        assert request["scenario"]["data"]["community"]["households"] == 480
        assert "bundled" not in request["scenario"] or request["scenario"]["bundled"] is None


class TestCliIsTheJob:
    @settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        households=st.integers(min_value=1, max_value=5000),
        municipal=st.integers(min_value=0, max_value=5_000_000),
    )
    def test_cli_json_equals_the_jobs_summary(
        self, tmp_path_factory: pytest.TempPathFactory, households: int, municipal: int
    ) -> None:
        patch = {"community": {"households": households}, "funding": {"municipal": municipal}}
        job = jobs.CommunityJob.parse(
            {"scenario": {"bundled": "fujian_default.yaml", "patch": patch}}
        )
        folder = tmp_path_factory.mktemp("s")
        path = folder / "s.yaml"
        path.write_text(
            json.dumps(job.scenario.resolve("community"), default=str), encoding="utf-8"
        )
        res = CliRunner().invoke(app, ["run", str(path), "--format", "json"])
        assert res.exit_code == 0, res.output
        assert json.loads(res.stdout) == _plain(job.summary(job.run()))


class TestMoneyConservation:
    @pytest.mark.parametrize(
        "channel",
        [
            k
            for k, f in Funding.model_fields.items()
            if f.annotation == Decimal or "Amount" in str(f.annotation)
        ],
    )
    def test_every_funding_field_reaches_the_sources(self, channel: str) -> None:
        """1,000 yuan more on any amount field of the funding plan is 1,000 yuan more in
        the sources: a field the engine forgot would vanish and fail here."""
        base = jobs.CommunityJob.parse({"scenario": {"bundled": "fujian_default.yaml"}})
        data = base.scenario.resolve("community")
        now = Decimal(str(data.get("funding", {}).get(channel, 0)))
        patch = {"funding": {channel: str(now + 1000)}}
        more = jobs.CommunityJob.parse(
            {"scenario": {"bundled": "fujian_default.yaml", "patch": patch}}
        )
        assert more.run().sources_fen - base.run().sources_fen == 100_000


class TestExemptHouseholdsArePrivate:
    def test_record_keeps_keyed_digests_and_recomputes(self) -> None:
        """Exempt rooms (often low-income households) are never stored as room ids: the
        record holds HMACs keyed by the roster's bytes, matched again from the same roster."""
        roster = jobs.FileInput.from_path(ROSTER)
        job = jobs.SheetJob(
            roster=roster,
            amount={"kind": "total", "yuan": "120000"},
            exempt=("1-1-101", "1-2-202"),
            on="2024-06-01",
        )
        sheet = job.run()
        record = job.record(sheet)
        text = json.dumps(record, ensure_ascii=False)
        assert "101" not in json.dumps(record["request"]["exempt_digests"])
        assert "1-1-101" not in text and "1-2-202" not in text
        assert record["request"]["exempt"] == [] and len(record["request"]["exempt_digests"]) == 2
        again = jobs.recompute(record, files={"roster": (roster.content(), ROSTER.name)})
        assert again.table["share_fen"].tolist() == sheet.table["share_fen"].tolist()
        assert int(again.table["exempt"].sum()) == 2
