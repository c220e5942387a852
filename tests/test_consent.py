"""Consent gates: vote rules per jurisdiction, and votes gating the annual plan."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare import rules
from costshare.cli import app
from costshare.community.consent import consent_table, gate_candidates
from costshare.community.plan import choose_plan, load_criteria, score
from costshare.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
runner = CliRunner()


@pytest.mark.parametrize(
    ("key", "matter", "line"),
    [
        ("beijing", "inclusion", 19),
        ("hebei", "inclusion", 60),
        ("hebei", "acceptance", 60),
        ("yichang", "renovation_plan", 50),
        ("changping", "property_service", 102),
        ("zhuhai", "renovation_plan", 55),
        ("chengdu", "renovation_plan", 55),
    ],
)
def test_vote_rules_cite_their_seed_line(key, matter, line):
    rule = rules.load(key, on="2024-06-30").vote_rule(matter)
    assert rule.source.passage.startswith(f"第{line}行")
    if SEEDS.exists():
        text = (SEEDS / rule.source.seed).read_text(encoding="utf-8").splitlines()[line - 1]
        quoted = rule.source.passage.split("：", 1)[1].split("……")
        assert all(q in text for q in quoted)


def test_beijing_consensus_share_is_an_assumption():
    rule = rules.load("beijing", on="2024-06-30").vote_rule("inclusion")
    assert rule.confidence == "A" and "民法典" in rule.reason


def test_vote_cli_yichang_renovation_plan(tmp_path):
    (tmp_path / "u.csv").write_text("unit_id,area\nA,50\nB,60\nC,70\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("unit_id,vote\nA,yes\nB,yes\nC,no\n", encoding="utf-8")
    args = ["vote", str(tmp_path / "u.csv"), str(tmp_path / "b.csv"), "--matter"]
    res = runner.invoke(app, [*args, "renovation_plan", "--jurisdiction", "yichang",
                              "--on", "2024-06-30", "--format", "json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["passed"] is False  # 2 of 3 is not 100 %


def test_candidate_without_votes_fails_the_gate():
    rs = rules.load("hebei", on="2024-06-30")
    counts = pd.DataFrame({"community_id": ["A"], "matter": ["inclusion"], "owners": [10],
                           "took_part": [10], "yes": [8]})  # fmt: skip
    cands = pd.DataFrame({
        "community_id": ["A", "B"], "built_year": [1985, 1980], "facility_gaps": [4, 6],
        "safety_hazards": [3, 5], "support_share": [0.9, 0.95], "self_raise_share": [0.1, 0.1],
        "management": [1, 1], "cost": [1_000_000, 1_000_000],
    })  # fmt: skip
    gated, crit = gate_candidates(cands, consent_table(counts, rs, ["inclusion"]),
                                  load_criteria(), rs)  # fmt: skip
    plan = choose_plan(score(gated, crit), "5000000")
    assert plan.chosen == ["A"]  # B scores higher but has no vote
    t = plan.table.set_index("community_id")
    assert t.loc["B", "decision"] == "not_eligible"


def test_duplicate_vote_row_is_refused():
    rs = rules.load("hebei", on="2024-06-30")
    counts = pd.DataFrame({"community_id": ["A", "A"], "matter": ["inclusion"] * 2,
                           "owners": [10, 10], "took_part": [10, 10], "yes": [8, 8]})  # fmt: skip
    with pytest.raises(InputError, match="two rows"):
        consent_table(counts, rs, ["inclusion"])


def test_gate_cli_names_the_failed_gate():
    res = runner.invoke(app, [
        "gate", str(ROOT / "costshare/data/sample_plan_candidates.csv"),
        str(ROOT / "scenarios/consent/hebei_inclusion_votes.csv"), "--jurisdiction", "hebei",
        "--matter", "inclusion", "--budget", "40000000", "--on", "2024-06-30", "--format", "json",
    ])  # fmt: skip
    assert res.exit_code == 0, res.output
    rows = {r["community_id"]: r for r in json.loads(res.stdout)["candidates"]}
    # 洋中: 60 of 90 households agree = 2/3 < 4/5; 程埔 has no vote at all
    assert rows["台江区·洋中小区"]["decision"] == "not_eligible"
    assert rows["台江区·洋中小区"]["consent"] == "同意人数 2/3 < 4/5"
    assert rows["仓山区·程埔小区"]["consent"] == "无表决记录 no vote"
    assert rows["鼓楼区·东街小区"]["decision"] == "chosen"


@given(st.integers(1, 500), st.data())
def test_more_yes_never_fails_where_fewer_passed(owners, data):
    """Monotone: adding a yes vote (within the same turnout) never turns a pass into a fail."""
    took = data.draw(st.integers(0, owners))
    yes = data.draw(st.integers(0, took))
    rs = rules.load("hebei", on="2024-06-30")

    def passed(y: int) -> bool:
        c = pd.DataFrame({"community_id": ["A"], "matter": ["inclusion"], "owners": [owners],
                          "took_part": [took], "yes": [y]})  # fmt: skip
        return bool(consent_table(c, rs, ["inclusion"])["passed"].iloc[0])

    if yes < took and passed(yes):
        assert passed(yes + 1)
    assert passed(yes) == (5 * yes >= 4 * owners)  # Hebei: 4/5 of all households


def test_beijing_consensus_needs_the_area_counts():
    rs = rules.load("beijing", on="2024-06-30")
    c = pd.DataFrame({"community_id": ["A"], "matter": ["inclusion"], "owners": [100],
                      "took_part": [90], "yes": [80]})  # fmt: skip
    t = consent_table(c, rs, ["inclusion"])
    assert not t["passed"].iloc[0] and "未给出" in t["failed"].iloc[0]
