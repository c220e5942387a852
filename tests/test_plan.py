"""Project library and annual plan (Ningbo, seed 002 line 14): scoring and plan selection on a
small example worked out by hand, tie rule, gates, quotas, withdrawals, bad input, CLI."""

import json
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare.cli import app
from costshare.community import plan_score
from costshare.community.plan import CRITERIA_FILE, choose_plan, load_criteria, reason_text, score
from costshare.community.plan_score import exact_number
from costshare.errors import InputError

runner = CliRunner()

# Bundled weights: age 15, shortfall 25, hazards 20, support 15, self-raise 10, management 15.
#        age (minmax, lower)  gaps (÷4)   hazards (÷4)  support (0–1)  self-raise (0–0.3)  mgmt
# A 1980 → 1 → 15         4 → 25       2 → 10        0.9 → 13.5     0.15 → 5            1 → 15   = 83.5
# B 1990 → .5 → 7.5       2 → 12.5     4 → 20        0.8 → 12       0.30 → 10           .5 → 7.5 = 69.5
# C 2000 → 0              0            0             1.0 → 15       0                   0        = 15
CANDS = pd.DataFrame(
    {
        "community_id": ["C", "B", "A"],
        "district": ["Y", "X", "X"],
        "built_year": [2000, 1990, 1980],
        "facility_gaps": [0, 2, 4],
        "safety_hazards": [0, 4, 2],
        "support_share": [1.0, 0.8, 0.9],
        "self_raise_share": [0.0, 0.3, 0.15],
        "management": [0, 0.5, 1],
        "cost": ["1,000,000", "2000000", "3000000.00"],
    }
)

BUNDLED = load_criteria()

GENERIC = {
    "source": {"document": "d", "issuer": "i", "article": "a", "date": "2021-12-01"},
    "confidence": "S",
    "criteria": [{"id": "need", "label": "need", "column": "need", "method": "max", "weight": 1}],
}


class TestLoadCriteria:
    def test_bundled_sheet_cites_ningbo_and_flags_assumed_weights(self):
        """The bundled sheet rests on seed 002 line 14 and every weight is marked assumed."""
        c = load_criteria()
        assert c.source.seed == "002_8a0447c565a51b86.txt" and "第14行" in c.source.passage
        assert all(x.assumed and x.passage for x in c.criteria)
        assert sum(x.weight for x in c.criteria) == 100
        assert load_criteria(CRITERIA_FILE) == c

    def test_dated_sheet(self):
        """A plan dated before a dated sheet's source is refused; on the day it loads."""
        assert load_criteria(GENERIC, on="2021-12-01") == load_criteria(GENERIC)
        with pytest.raises(InputError, match="after the plan's date 2021-11-30"):
            load_criteria(GENERIC, on="2021-11-30")

    def test_bundled_sheet_is_undated(self):
        """The seed gives no date or publication month: none is invented (issue 22)."""
        c = load_criteria()
        assert c.source.date is None and c.source.published is None
        assert load_criteria(on="2019-06-30") == c

    def test_range_needs_bounds(self):
        """A 'range' criterion without lo < hi is refused, naming the criterion."""
        bad = {
            **GENERIC,
            "criteria": [{**GENERIC["criteria"][0], "method": "range", "lo": 1, "hi": 0}],
        }
        with pytest.raises(InputError, match="lo < hi"):
            load_criteria(bad)

    def test_unknown_key_refused(self):
        """An unknown key in a criterion (a typo) is an error."""
        bad = {**GENERIC, "criteria": [{**GENERIC["criteria"][0], "wieght": 2}]}
        with pytest.raises(InputError, match="wieght"):
            load_criteria(bad)


class TestScore:
    def test_hand_computed_scores_and_ranks(self):
        """A 83.5, B 69.5, C 15 points, ranked A, B, C (see the table above)."""
        s = score(CANDS, BUNDLED)
        assert s["community_id"].tolist() == ["A", "B", "C"]
        assert s["score"].tolist() == [83.5, 69.5, 15.0]
        assert s["rank"].tolist() == [1, 2, 3]
        assert s.loc[0, "pts_building_age"] == 15 and s.loc[1, "pts_safety_hazards"] == 20
        assert s["eligible"].all() and (s["gate"] == "").all()

    def test_ties_ranked_by_id(self):
        """Equal scores are ranked by id in ascending order, whatever the input order."""
        df = pd.DataFrame({"community_id": ["b", "c", "a"], "need": [1, 2, 1]})
        assert score(df, load_criteria(GENERIC))["community_id"].tolist() == ["c", "a", "b"]

    def test_exact_tie_that_floats_would_break(self):
        """Three equal weights: (0.1, 0.1, 0.3) and (0.1, 0.2, 0.2) both score 100·0.5/3.

        In floats the second sums to 16.66666666666667 and the first to 16.666666666666668;
        compared exactly they tie, so the id decides: a before b.
        """
        crit = {
            **GENERIC,
            "criteria": [
                {"id": k, "label": k, "column": k, "method": "range", "lo": 0, "hi": 1, "weight": 1}
                for k in ("x", "y", "z")
            ],
        }
        df = pd.DataFrame({"community_id": ["b", "a"], "x": [0.1, 0.1], "y": [0.2, 0.1],
                           "z": [0.2, 0.3]})  # fmt: skip
        s = score(df, load_criteria(crit))
        assert s["community_id"].tolist() == ["a", "b"]
        assert s["score"].tolist() == [float(Fraction(50, 3))] * 2

    def test_tiny_difference_is_not_a_tie(self):
        """0.5000000001 beats 0.5 (no rounding trim): b ranks first although a < b."""
        crit = {
            **GENERIC,
            "criteria": [{**GENERIC["criteria"][0], "method": "range", "lo": 0, "hi": 1}],
        }
        df = pd.DataFrame({"community_id": ["a", "b"], "need": [0.5, 0.5000000001]})
        assert score(df, load_criteria(crit))["community_id"].tolist() == ["b", "a"]

    def test_values_read_as_typed(self):
        """0.3 typed as text or as a float is 3/10; 0.1 + 0.2 is a different number."""
        assert exact_number("0.3") == exact_number(0.3) == Fraction(3, 10)
        assert exact_number(0.1 + 0.2) > Fraction(3, 10)
        assert exact_number(float("nan")) is None and exact_number(None) is None

    def test_engine_needs_loaded_criteria(self):
        """score() reads no file: a path or mapping is refused, a loaded sheet accepted."""
        with pytest.raises(TypeError, match="load_criteria"):
            score(CANDS, CRITERIA_FILE)  # type: ignore[arg-type]

    def test_constant_column_adds_nothing(self):
        """A minmax criterion on which all candidates are equal gives everyone 0 points."""
        crit = {**GENERIC, "criteria": [{**GENERIC["criteria"][0], "method": "minmax"}]}
        df = pd.DataFrame({"community_id": ["a", "b"], "need": [5, 5]})
        assert score(df, load_criteria(crit))["score"].tolist() == [0.0, 0.0]

    def test_gate_hebei_80_percent(self):
        """A gate support_share ≥ 0.8: exactly 0.8 passes, 0.75 fails with the gate's label."""
        crit = load_criteria().model_dump()
        crit["gates"] = [
            {
                "id": "hebei_inclusion",
                "label": "80%的小区居民同意方可纳入改造",
                "column": "support_share",
                "min": 0.8,
            }
        ]
        df = CANDS.copy()
        df.loc[df["community_id"] == "C", "support_share"] = 0.75
        s = score(df, load_criteria(crit)).set_index("community_id")
        assert s.loc["B", "eligible"] and not s.loc["C", "eligible"]
        assert "80%" in s.loc["C", "gate"] and "≥ 0.8" in s.loc["C", "gate"]

    def test_missing_and_bad_columns(self):
        """A missing criterion column, a non-number and duplicate ids are named."""
        with pytest.raises(InputError, match="safety_hazards"):
            score(CANDS.drop(columns="safety_hazards"), BUNDLED)
        bad = CANDS.astype({"facility_gaps": object})
        bad.loc[1, "facility_gaps"] = "many"
        with pytest.raises(InputError, match="'many'") as exc:
            score(bad, BUNDLED)
        assert exc.value.problems[0].where == "row 2 (B)"
        with pytest.raises(InputError, match="duplicate"):
            score(pd.concat([CANDS, CANDS.iloc[:1]]), BUNDLED)


class TestScoreProperties:
    @settings(max_examples=40, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.integers(1950, 2010),
                st.integers(0, 6),
                st.integers(0, 6),
                st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.8, 0.9, 1.0]),
                st.sampled_from([0.0, 0.05, 0.1, 0.3, 0.5]),
                st.sampled_from([0, 0.5, 1]),
            ),
            min_size=1,
            max_size=12,
        ),
        st.randoms(use_true_random=False),
    )
    def test_ranking_independent_of_row_order(self, rows, rnd):
        """Shuffling the rows gives the same ranking; scores lie in [0, 100]; ranks 1..n."""
        cols = list(CANDS.columns[2:8])
        df = pd.DataFrame(rows, columns=cols)
        df.insert(0, "community_id", [f"c{i:02d}" for i in range(len(df))])
        shuffled = df.sample(frac=1, random_state=rnd.randint(0, 2**31))
        a, b = score(df, BUNDLED), score(shuffled, BUNDLED)
        assert a["community_id"].tolist() == b["community_id"].tolist()
        assert a["rank"].tolist() == list(range(1, len(df) + 1))
        assert ((a["score"] >= 0) & (a["score"] <= 100)).all()
        assert a["score"].is_monotonic_decreasing


def _reference(df: pd.DataFrame, crit) -> dict[str, Fraction]:
    """The score formula written out in Fractions, criterion by criterion (the docs' Notes)."""
    total = {i: Fraction(0) for i in df["community_id"]}
    w_sum = sum(Fraction(c.weight) for c in crit.criteria)
    for c in crit.criteria:
        x = {i: exact_number(v) for i, v in zip(df["community_id"], df[c.column], strict=True)}
        lo, hi = min(x.values()), max(x.values())
        for i, v in x.items():
            if c.method == "minmax":
                s = (v - lo) / (hi - lo) if hi > lo else None
            elif c.method == "max":
                s = v / hi if hi > 0 else Fraction(0)
            else:
                a, b = Fraction(c.lo), Fraction(c.hi)
                s = min(Fraction(1), max(Fraction(0), (v - a) / (b - a)))
            if s is None:
                s = Fraction(0)
            elif c.direction == "lower":
                s = 1 - s
            total[i] += 100 * Fraction(c.weight) * s / w_sum
    return total


class TestScoreMatchesFormula:
    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.integers(1950, 2010),
                st.integers(0, 5),
                st.integers(0, 5),
                st.decimals("0", "1", places=3).map(float),
                st.sampled_from([0.0, 0.1, 0.15, 0.2, 0.3, 0.45, 1 / 3]),
                st.sampled_from([0, 0.25, 0.5, 1]),
            ),
            min_size=1,
            max_size=10,
        )
    )
    def test_exact_order_and_nearest_float(self, rows):
        """Ranks follow the exact formula (ties by id) and each score is its nearest float."""
        df = pd.DataFrame(rows, columns=list(CANDS.columns[2:8]))
        df.insert(0, "community_id", [f"c{(7 * i) % 11:02d}" for i in range(len(df))])
        ref = _reference(df, BUNDLED)
        got = score(df, BUNDLED)
        assert got["community_id"].tolist() == sorted(ref, key=lambda i: (-ref[i], i))
        assert got["score"].tolist() == [float(ref[i]) for i in got["community_id"]]


class TestFloatColumns:
    @settings(max_examples=300, deadline=None)
    @given(
        st.lists(
            st.one_of(
                st.floats(allow_nan=False, allow_infinity=False),
                st.decimals(-(10**6), 10**6, places=4, allow_nan=False).map(float),
                st.integers(-(10**15), 10**15).map(float),
            ),
            min_size=1,
            max_size=20,
        )
    )
    def test_vectorized_reading_equals_shortest_repr(self, values):
        """The one-step reading of a float column gives each value's shortest-repr number."""
        col = plan_score._decimal_floats(np.array(values, dtype=np.float64))
        if col is not None:
            assert [Fraction(n, col.den) for n in col.num] == [exact_number(v) for v in values]

    def test_float_noise_read_as_typed(self):
        """0.1 + 0.2 is read as 0.30000000000000004 (17 decimals: cell by cell), not 0.3."""
        assert plan_score._decimal_floats(np.array([0.1 + 0.2, 0.3])) is None
        col = plan_score._decimal_floats(np.array([0.25, 0.3, 2000.0]))
        assert (col.num, col.den) == ([25, 30, 200000], 100)


class TestChoosePlan:
    def test_budget_greedy_skips_what_does_not_fit(self):
        """Budget 4.5m: A (3m) in, B (2m) over budget with 1.5m left, C (1m) in; 0.5m left."""
        p = choose_plan(score(CANDS, BUNDLED), "4500000")
        assert p.chosen == ["A", "C"] and p.reserve == ["B"]
        assert p.spent_fen == 400_000_000 and p.left_fen == 50_000_000
        t = p.table.set_index("community_id")
        assert t.loc["B", "decision"] == "over_budget"
        assert "1,500,000.00" in t.loc["B", "reason"]
        assert t["budget_left_fen"].tolist() == [150_000_000, 150_000_000, 50_000_000]

    def test_exact_budget_fits(self):
        """A budget equal to the total cost takes everyone (compared in fen)."""
        assert choose_plan(score(CANDS, BUNDLED), "6000000.00").chosen == ["A", "B", "C"]

    def test_district_quota(self):
        """Quota X=1: A in, B 'district quota full', C (district Y, no quota) in."""
        p = choose_plan(score(CANDS, BUNDLED), 6_000_000, quotas={"X": 1})
        t = p.table.set_index("community_id")
        assert p.chosen == ["A", "C"]
        assert t.loc["B", "decision"] == "quota_full" and "X" in t.loc["B", "reason"]

    def test_withdrawn_project_replaced_from_reserve(self):
        """A withdrawn: B comes in from the reserve and C, chosen before, stays chosen."""
        before = choose_plan(score(CANDS, BUNDLED), 4_500_000)
        after = choose_plan(score(CANDS, BUNDLED), 4_500_000, exclude=["A"])
        assert after.chosen == ["B", "C"]
        assert set(before.chosen) - {"A"} <= set(after.chosen)
        assert after.table.set_index("community_id").loc["A", "decision"] == "withdrawn"

    def test_not_eligible_never_chosen(self):
        """A candidate failing a gate is not chosen even with money left."""
        crit = load_criteria().model_dump()
        crit["gates"] = [{"id": "g", "label": "support", "column": "support_share", "min": 0.85}]
        p = choose_plan(score(CANDS, load_criteria(crit)), 10_000_000)
        t = p.table.set_index("community_id")
        assert t.loc["B", "decision"] == "not_eligible" and "support" in t.loc["B", "reason"]
        assert p.reserve == []

    def test_bad_input(self):
        """Negative costs, a negative budget, bad quotas and unscored tables are refused."""
        s = score(CANDS, BUNDLED)
        neg = s.copy()
        neg["cost"] = [1, -1, 1]
        with pytest.raises(InputError, match="negative"):
            choose_plan(neg, 10)
        with pytest.raises(InputError, match="budget"):
            choose_plan(s, "-5")
        with pytest.raises(InputError, match="quotas"):
            choose_plan(s, 10, quotas={"X": -1})
        with pytest.raises(InputError, match="score"):
            choose_plan(CANDS, 10)

    def test_to_frame_in_yuan(self):
        """The display frame shows costs and budget left in yuan."""
        f = choose_plan(score(CANDS, BUNDLED), 4_500_000).to_frame()
        assert str(f.loc[0, "cost"]) == "3000000.00" and str(f.loc[2, "budget_left"]) == "500000.00"


class TestPlanCli:
    def _csv(self, tmp_path):
        path = tmp_path / "cands.csv"
        CANDS.assign(cost=[1_000_000, 2_000_000, 3_000_000]).to_csv(path, index=False)
        return str(path)

    def test_table(self, tmp_path):
        """costshare plan prints the summary, each decision and the assumed-weights note."""
        out = runner.invoke(
            app, ["plan", self._csv(tmp_path), "--budget", "4500000", "--quota", "X=2"]
        )
        assert out.exit_code == 0, out.output
        assert "2 of 3 candidates chosen" in out.stdout and "over_budget" in out.stdout
        assert "assumptions" in out.stdout

    def test_json(self, tmp_path):
        """JSON output lists chosen and reserve ids."""
        out = runner.invoke(
            app, ["plan", self._csv(tmp_path), "--budget", "4500000", "--format", "json"]
        )
        assert out.exit_code == 0, out.output
        data = json.loads(out.stdout)
        assert data["chosen"] == ["A", "C"] and data["reserve"] == ["B"]

    def test_bad_quota_exit_1(self, tmp_path):
        """A malformed quota is an error on stderr with exit 1 and no traceback."""
        out = runner.invoke(app, ["plan", self._csv(tmp_path), "--budget", "1", "--quota", "X"])
        assert out.exit_code == 1 and "DISTRICT=N" in out.stderr and "Traceback" not in out.output


class TestChineseHeaders:
    def test_chinese_headers_score_like_english(self):
        """The same candidates under Chinese headers rank and choose the same."""
        zh = CANDS.rename(
            columns={
                "community_id": "小区编号",
                "cost": "投资（元）",
                "built_year": "建成年份",
                "facility_gaps": "配套设施短板",
                "safety_hazards": "安全隐患",
                "support_share": "同意比例",
                "self_raise_share": "自筹比例",
                "management": "长效管理",
            }
        )
        a = choose_plan(score(CANDS, BUNDLED), 4_500_000)
        b = choose_plan(score(zh, BUNDLED), 4_500_000)
        assert a.chosen == b.chosen and a.spent_fen == b.spent_fen

    def test_two_headers_for_one_column_refused(self):
        df = CANDS.assign(小区编号=CANDS["community_id"])
        with pytest.raises(InputError, match="community_id"):
            score(df, BUNDLED)

    def test_reason_in_both_languages(self):
        p = choose_plan(score(CANDS, BUNDLED), 4_500_000, exclude=["A"])
        row = p.table.set_index("community_id").loc["A"]
        assert row["reason"] == "withdrawn from this year's plan"
        assert reason_text(row["decision"], row["reason_args"], "zh") == "本年度退出计划"
