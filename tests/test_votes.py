"""Owners' votes: Civil Code Art. 278 boundaries worked out by hand, margins, local rules
(Hebei 3 × 80%, Zhuhai/Chengdu renovation plans), bad input, opt-out recomputation, CLI."""

import json
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare import rules
from costshare.cli import app
from costshare.errors import InputError
from costshare.households import votes
from costshare.households.opt_out import opt_out_shares
from costshare.households.votes import normalise_vote

runner = CliRunner()
DAY = "2024-06-01"


def tally(units, ballots, matter, jurisdiction="national", on=DAY):
    """:func:`votes.tally` under `jurisdiction`'s rules in force on `on` (loaded here, the shell)."""
    return votes.tally(units, ballots, matter, rules=rules.load(jurisdiction, on=on))


def units_of(areas):
    """Units u0, u1, ... with the given areas."""
    return pd.DataFrame({"unit_id": [f"u{i}" for i in range(len(areas))], "area": areas})


def ballots_of(*votes):
    """Ballots for u0, u1, ... in order; None = did not take part."""
    return {f"u{i}": v for i, v in enumerate(votes) if v is not None}


def check(result, name):
    """The check called `name`."""
    return next(c for c in result.checks if c.name == name)


class TestTallyCivilCode:
    def test_exact_two_thirds_quorum_and_three_quarters_pass(self):
        """6 × 50 m², 4 take part (4/6 = 2/3 of area and owners), 3 yes 1 no (3/4): passes."""
        r = tally(units_of([50] * 6), ballots_of("yes", "yes", "yes", "no"), "raise_fund")
        assert r.quorum_met and r.approved and r.passed
        assert check(r, "quorum_area").reached == Fraction(2, 3)
        assert check(r, "quorum_owners").reached == Fraction(2, 3)
        assert check(r, "approve_area").reached == Fraction(3, 4)
        assert check(r, "approve_owners").reached == Fraction(3, 4)
        assert all(c.short_owners == 0 for c in r.checks)

    def test_one_owner_below_quorum(self):
        """9 owners, 5 take part: 5/9 < 2/3 = 6/9, one more owner must take part."""
        r = tally(units_of([100] * 9), ballots_of(*["yes"] * 5), "ordinary")
        assert not r.quorum_met and not r.passed
        assert check(r, "quorum_owners").short_owners == 1
        # area: 2/3 × 900 m² = 600 m², 500 m² took part → 100.00 m² short
        assert check(r, "quorum_area").short_centiares == 10_000
        assert str(check(r, "quorum_area").short_area) == "100.00"
        assert r.more_participants == 1
        assert "quorum not met" in r.summary()

    def test_one_square_metre_short_of_quorum_area(self):
        """Areas 101 / 99 / 100; B and C take part: 199 of 300 m² < 200, 1.00 m² short."""
        r = tally(units_of([101, 99, 100]), ballots_of(None, "yes", "yes"), "ordinary")
        q = check(r, "quorum_area")
        assert not q.met and check(r, "quorum_owners").met
        assert q.short_centiares == 100 and q.short_owners == 1
        r2 = tally(units_of([101, 99, 100]), ballots_of("yes", "yes", None), "ordinary")
        assert check(r2, "quorum_area").met  # 200 / 300 is exactly 2/3

    def test_centiare_exactness(self):
        """33.33 + 33.33 of 100.00 m² is 1 centiare below 2/3 (6666 < 6666.67); no float slip."""
        r = tally(units_of([33.33, 33.33, 33.34]), ballots_of("yes", "yes", None), "ordinary")
        q = check(r, "quorum_area")
        assert not q.met and q.short_centiares == 1 and str(q.short_area) == "0.01"
        r2 = tally(units_of([33.33, 33.33, 33.34]), ballots_of("yes", None, "yes"), "ordinary")
        assert check(r2, "quorum_area").met

    def test_exactly_half_fails_more_than_half(self):
        """过半数 is strict: 2 yes of 4 participants fails; one more yes, 0.01 m² more area."""
        r = tally(units_of([50] * 4), ballots_of("yes", "yes", "no", "abstain"), "ordinary")
        assert r.quorum_met and not r.passed
        a, o = check(r, "approve_area"), check(r, "approve_owners")
        assert a.reached == Fraction(1, 2) and not a.met and a.strict
        assert a.short_centiares == 1 and a.short_owners == 1
        assert o.short_owners == 1
        assert r.more_yes == 1
        assert a.bar_text == "> 1/2"

    def test_three_of_five_passes_ordinary(self):
        """3 yes of 5 participants (3/5 > 1/2) passes an ordinary matter."""
        r = tally(units_of([60] * 5), ballots_of("yes", "yes", "yes", "no", "no"), "use_fund")
        assert r.passed

    def test_area_majority_without_headcount(self):
        """200 m² yes vs 2 × 50 m² no: area 2/3 passes, owners 1/3 fails; one more yes needed."""
        r = tally(units_of([200, 50, 50]), ballots_of("yes", "no", "no"), "ordinary")
        assert check(r, "approve_area").met and not check(r, "approve_owners").met
        assert check(r, "approve_owners").short_owners == 1  # floor(3/2) + 1 − 1
        assert not r.passed

    def test_margin_for_three_quarters(self):
        """10 × 100 m², 7 yes 2 no 1 abstain: 3/4 needs 8 owners and 750 m² → 1 owner, 50 m²."""
        r = tally(units_of([100] * 10), ballots_of(*["yes"] * 7, "no", "no", "abstain"), "rebuild")
        a = check(r, "approve_area")
        assert a.reached == Fraction(7, 10) and a.short_centiares == 5_000 and a.short_owners == 1
        assert check(r, "approve_owners").short_owners == 1
        assert "1 more yes" in r.summary()

    def test_area_margin_counts_the_largest_switchers_first(self):
        """Need 3/4 of 400 m² = 300, have 200: one no-voter of 120 m² covers the 100 m² gap."""
        r = tally(
            units_of([100, 100, 120, 40, 40]), ballots_of("yes", "yes", "no", "no", "no"), "rebuild"
        )
        a = check(r, "approve_area")
        assert a.short_centiares == 10_000 and a.short_owners == 1
        # headcount 3/4 of 5 → 4 yes, 2 more owners; together: 2 switches
        assert check(r, "approve_owners").short_owners == 2 and r.more_yes == 2

    def test_abstain_counts_as_taking_part(self):
        """An abstention enlarges the participating base: 3 yes + 1 abstain meets 3/4 exactly."""
        r = tally(units_of([50] * 4), ballots_of("yes", "yes", "yes", "abstain"), "change_use")
        assert r.counts == {"yes": 3, "no": 0, "abstain": 1, "absent": 0}
        assert r.passed

    def test_absent_ballot_value_means_not_taking_part(self):
        """'absent' in the ballots is the same as no ballot."""
        a = tally(units_of([50] * 3), ballots_of("yes", "yes", "absent"), "ordinary")
        b = tally(units_of([50] * 3), ballots_of("yes", "yes"), "ordinary")
        assert a.counts == b.counts and a.counts["absent"] == 1

    def test_nobody_took_part(self):
        """No ballots: the quorum fails and approval has no base (reached is None)."""
        r = tally(units_of([50, 60]), {}, "ordinary")
        assert not r.quorum_met and not r.passed
        assert check(r, "approve_area").reached is None
        assert r.more_participants == 2

    def test_chinese_ballot_values(self):
        """同意 / 反对 / 弃权 / 未参与 are read."""
        r = tally(units_of([50] * 4), ballots_of("同意", "反对", "弃权", "未参与"), "ordinary")
        assert r.counts == {"yes": 1, "no": 1, "abstain": 1, "absent": 1}

    def test_integer_unit_ids_match_text_ballots(self):
        """Unit ids 101, 102 in the register match ballots keyed '101', '102'."""
        units = pd.DataFrame({"unit_id": [101, 102], "area": ["85.50", "90"]})
        r = tally(units, {"101": "yes", 102: "yes"}, "ordinary")
        assert r.passed and r.area_centiares == 17_550

    def test_ballots_as_dataframe(self):
        """A ballots table with unit_id and vote columns works like a mapping."""
        b = pd.DataFrame({"unit_id": ["u0", "u1"], "vote": ["yes", "no"]})
        assert tally(units_of([50] * 2), b, "ordinary").counts["no"] == 1

    def test_provenance_and_frame(self):
        """The result names its rule, source and confidence; the frame has one row per bar."""
        r = tally(units_of([50] * 6), ballots_of("yes", "yes", "yes", "no"), "raise_fund")
        assert r.provenance["rule"] == "civil_code.art278.special"
        assert r.provenance["article"] == "第二百七十八条" and r.provenance["confidence"] == "H"
        f = r.to_frame()
        assert f["threshold"].tolist() == [
            "quorum_area",
            "quorum_owners",
            "approve_area",
            "approve_owners",
        ]
        assert f.loc[0, "reached"] == "2/3" and f.loc[2, "bar"] == "≥ 3/4"
        json.dumps(r.to_dict())


class TestTallyLocalRules:
    def test_hebei_inclusion_exactly_80_percent(self):
        """Hebei inclusion: 8 of 10 households agree (of all, absent count against) → included."""
        r = tally(units_of([70] * 10), ballots_of(*["yes"] * 8), "inclusion", jurisdiction="hebei")
        assert r.passed and r.quorum_met
        assert [c.name for c in r.checks] == ["approve_owners"]
        assert check(r, "approve_owners").reached == Fraction(4, 5)

    def test_hebei_inclusion_counts_all_households(self):
        """7 yes and 3 absent: 7/10 < 4/5 even though every participant agreed; 1 more needed."""
        r = tally(units_of([70] * 10), ballots_of(*["yes"] * 7), "inclusion", jurisdiction="hebei")
        assert not r.passed and r.more_yes == 1

    def test_hebei_plan_consultation_gate(self):
        """Plan: at least 80% consulted, whatever they say; 8 of 10 passes, 7 fails."""
        ok = tally(units_of([70] * 10), ballots_of(*["no"] * 8), "plan", jurisdiction="hebei")
        assert ok.passed
        short = tally(units_of([70] * 10), ballots_of(*["no"] * 7), "plan", jurisdiction="hebei")
        assert not short.quorum_met and short.more_participants == 1

    def test_hebei_acceptance(self):
        """Acceptance: 9 of 11 satisfied (9/11 ≥ 4/5) passes; 8 of 11 (< 8.8) fails by one."""
        assert tally(
            units_of([70] * 11), ballots_of(*["yes"] * 9), "acceptance", jurisdiction="hebei"
        ).passed
        r = tally(units_of([70] * 11), ballots_of(*["yes"] * 8), "acceptance", jurisdiction="hebei")
        assert not r.passed and r.more_yes == 1
        assert r.provenance["confidence"] == "S" and "002" in r.provenance["seed"]

    def test_hebei_still_has_national_matters(self):
        """Hebei extends national, so raise_fund uses the Civil Code rule."""
        r = tally(
            units_of([50] * 4),
            ballots_of("yes", "yes", "yes", "no"),
            "raise_fund",
            jurisdiction="hebei",
        )
        assert r.provenance["rule"] == "civil_code.art278.special"

    @pytest.mark.parametrize("city", ["zhuhai", "chengdu"])
    def test_renovation_plan_two_thirds_three_quarters(self, city):
        """Renovation plan: 6 of 9 take part (2/3), 5 of 6 agree → passes; 4 of 6 (2/3) fails."""
        units = units_of([80] * 9)
        r = tally(units, ballots_of(*["yes"] * 5, "no"), "renovation_plan", jurisdiction=city)
        assert r.passed and r.provenance["rule"] == f"{city}.renovation_plan"
        r = tally(units, ballots_of(*["yes"] * 4, "no", "no"), "renovation_plan", jurisdiction=city)
        assert not r.passed and r.more_yes == 1  # 3/4 of 6 = 4.5 → 5 yes

    def test_rule_set_dated_before_local_rule(self):
        """Zhuhai's renovation-plan rule is undated (the list reports practice, not a start):
        it applies on any date; the Civil Code rules themselves start 2021-01-01."""
        units, ballots = units_of([80] * 9), ballots_of(*["yes"] * 5, "no")
        assert tally(units, ballots, "renovation_plan", "zhuhai", on="2021-12-01").passed
        assert tally(units, ballots, "renovation_plan", "zhuhai", on="2021-06-30").passed
        with pytest.raises(InputError, match="no vote rule for matter 'elevator'"):
            tally(units, ballots, "elevator", "zhuhai", on="2020-12-31")
        with pytest.raises(InputError, match="known matters: \\[\\]"):
            tally(units, ballots, "ordinary", on="2020-12-31")

    def test_unknown_matter_names_the_known_ones(self):
        """National has no renovation_plan matter; the error lists what it has."""
        with pytest.raises(InputError, match="known matters") as exc:
            tally(units_of([50]), {}, "renovation_plan")
        assert exc.value.problems[0].field == "matter"


class TestElevatorVote:
    def test_two_thirds_yes_is_not_enough_by_default(self):
        """12 equal units of a stairwell, all vote, 8 yes (2/3): a majority, not 3/4 -> fails.

        The lenient simple-majority reading would pass it; item 7 needs 9 yes (3/4)."""
        units = units_of([75] * 12)
        r = tally(units, ballots_of(*["yes"] * 8, *["no"] * 4), "elevator")
        assert r.quorum_met and not r.passed and r.more_yes == 1
        assert r.rule.id == "civil_code.art278.elevator"
        assert r.provenance["counted_over"] == "stairwell" and r.provenance["confidence"] == "M"
        assert "stairwell" in r.summary()
        r9 = tally(units, ballots_of(*["yes"] * 9, *["no"] * 3), "elevator")
        assert r9.passed  # 9/12 = 3/4 exactly: 以上 includes the boundary

    def test_hangzhou_needs_no_objection(self):
        """Hangzhou (seed 002 line 72): 11 yes and 1 no pass 3/4 but one objection blocks."""
        units = units_of([75] * 12)
        r = tally(units, ballots_of(*["yes"] * 11, "no"), "elevator", "hangzhou")
        objection = check(r, "no_objection")
        assert r.approved is False and objection.met is False and objection.short_owners == 1
        assert check(r, "approve_owners").met
        r_ok = tally(units, ballots_of(*["yes"] * 11, "abstain"), "elevator", "hangzhou")
        assert r_ok.passed and r_ok.to_frame()["bar"].iloc[-1] == "no objection (0 against)"


class TestTallyBadInput:
    def test_unknown_units_named(self):
        """Ballots for units not in the register are named."""
        with pytest.raises(InputError, match=r"\['x9', 'x8'\]|\['x8', 'x9'\]"):
            tally(units_of([50, 50]), {"u0": "yes", "x9": "yes", "x8": "no"}, "ordinary")

    def test_bad_vote_value_named(self):
        """A vote that is not yes/no/abstain/absent is named with its unit."""
        with pytest.raises(InputError, match="unit 'u1'.*'maybe'"):
            tally(units_of([50, 50]), {"u0": "yes", "u1": "maybe"}, "ordinary")

    def test_all_problems_reported_together(self):
        """An unknown unit and a bad value are both reported."""
        with pytest.raises(InputError) as exc:
            tally(units_of([50, 50]), {"zz": "yes", "u1": "?"}, "ordinary")
        assert len(exc.value.problems) == 2

    @pytest.mark.parametrize(
        ("areas", "match"),
        [
            ([50, -1], "must be positive"),
            ([50, "abc"], "not a number"),
            ([50, 85.555], "more than 2 decimals"),
        ],
    )
    def test_bad_areas(self, areas, match):
        """Non-positive, non-numeric and over-precise areas are refused with their row."""
        with pytest.raises(InputError, match=match) as exc:
            tally(units_of(areas), {}, "ordinary")
        assert exc.value.problems[0].where == "row 2 (unit 'u1')"

    def test_duplicate_unit(self):
        """A unit listed twice is an error (one unit, one owner)."""
        units = pd.DataFrame({"unit_id": ["a", "a"], "area": [50, 50]})
        with pytest.raises(InputError, match="more than once"):
            tally(units, {}, "ordinary")

    def test_duplicate_ballot_rows(self):
        """Two ballot rows for one unit are an error."""
        b = pd.DataFrame({"unit_id": ["u0", "u0"], "vote": ["yes", "no"]})
        with pytest.raises(InputError, match="more than one ballot"):
            tally(units_of([50]), b, "ordinary")

    def test_missing_column(self):
        """A register without 'area' names the missing column."""
        with pytest.raises(InputError, match="area"):
            tally(pd.DataFrame({"unit_id": ["a"]}), {}, "ordinary")


def _apply_switches(units, votes, k, pool):
    """Switch the k largest-area units in `pool` to the new value (stable by position)."""
    areas = units["area"].to_numpy()
    idx = [i for i in np.argsort(-areas, kind="stable") if pool(votes[i])][:k]
    out = list(votes)
    for i in idx:
        out[i] = "yes"
    return out


vote_lists = st.integers(1, 12).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(1, 20_000), min_size=n, max_size=n),
        st.lists(st.sampled_from(["yes", "no", "abstain", None]), min_size=n, max_size=n),
    )
)


class TestTallyProperties:
    @settings(max_examples=150, deadline=None)
    @given(vote_lists, st.sampled_from(["raise_fund", "ordinary"]))
    def test_matches_direct_fraction_count(self, data, matter):
        """passed equals the Civil Code test written out directly with Fractions."""
        cents, votes = data
        units = units_of([c / 100 for c in cents])
        r = tally(units, ballots_of(*votes), matter)
        part = [i for i, v in enumerate(votes) if v is not None]
        yes = [i for i, v in enumerate(votes) if v == "yes"]
        a_all, a_p, a_y = sum(cents), sum(cents[i] for i in part), sum(cents[i] for i in yes)
        quorum = Fraction(a_p, a_all) >= Fraction(2, 3) and Fraction(
            len(part), len(votes)
        ) >= Fraction(2, 3)
        if matter == "raise_fund":
            ok = (
                bool(part)
                and Fraction(a_y, a_p) >= Fraction(3, 4)
                and Fraction(len(yes), len(part)) >= Fraction(3, 4)
            )
        else:
            ok = (
                bool(part)
                and Fraction(a_y, a_p) > Fraction(1, 2)
                and Fraction(len(yes), len(part)) > Fraction(1, 2)
            )
        assert r.quorum_met == quorum
        assert r.passed == (quorum and ok)

    @settings(max_examples=150, deadline=None)
    @given(vote_lists, st.sampled_from(["raise_fund", "ordinary"]))
    def test_more_yes_is_enough_and_minimal(self, data, matter):
        """Switching more_yes votes (largest first) to yes approves; one fewer cannot."""
        cents, votes = data
        units = units_of([c / 100 for c in cents])
        r = tally(units, ballots_of(*votes), matter)
        k = r.more_yes
        if k is None:
            return
        in_pool = lambda v: v in ("no", "abstain")  # noqa: E731
        assert tally(units, ballots_of(*_apply_switches(units, votes, k, in_pool)), matter).approved
        if k > 0:
            fewer = _apply_switches(units, votes, k - 1, in_pool)
            assert not tally(units, ballots_of(*fewer), matter).approved

    @settings(max_examples=100, deadline=None)
    @given(vote_lists)
    def test_more_participants_is_enough_and_minimal(self, data):
        """Bringing in more_participants absent owners (largest first) meets the quorum; one fewer cannot."""
        cents, votes = data
        units = units_of([c / 100 for c in cents])
        r = tally(units, ballots_of(*votes), "ordinary")
        k = r.more_participants
        absent = lambda v: v is None  # noqa: E731
        assert tally(
            units, ballots_of(*_apply_switches(units, votes, k, absent)), "ordinary"
        ).quorum_met
        if k > 0:
            assert not tally(
                units, ballots_of(*_apply_switches(units, votes, k - 1, absent)), "ordinary"
            ).quorum_met


class TestNormaliseVote:
    def test_unknown_marked(self):
        """Unknown texts become '?', blanks mean not taking part."""
        out = normalise_vote(pd.Series(["YES ", "", "x"]))
        assert out.iloc[0] == "yes" and pd.isna(out.iloc[1]) and out.iloc[2] == "?"


class TestOptOutShares:
    def test_hand_example(self):
        """1,000.00 yuan over weights 0.7×80, 0.8×80, 0.9×90 with the 4F household out.

        Weights 56 and 81 remain (sum 137): 100000 × 56/137 = 40875.9…, × 81/137 = 59124.08…;
        floors 40875 + 59124 = 99999, the spare fen goes to the larger remainder (0.91 → first).
        """
        s = opt_out_shares(100_000, [0.7 * 80, 0.8 * 80, 0.9 * 90], [False, True, False])
        assert s.tolist() == [40_876, 0, 59_124]

    def test_series_keeps_index(self):
        """A Series of weights gives a Series of shares on the same index."""
        w = pd.Series([1.0, 1.0, 2.0], index=["301", "401", "501"])
        s = opt_out_shares(400, w, pd.Series([False, False, True], index=w.index))
        assert s.to_dict() == {"301": 200, "401": 200, "501": 0}

    def test_everyone_out(self):
        """Nobody left to pay is an input error."""
        with pytest.raises(InputError, match="nobody"):
            opt_out_shares(100, [1, 1], [True, True])

    def test_remaining_zero_weight(self):
        """Those left have zero weight (floors 1–2 pay nothing): error."""
        with pytest.raises(InputError, match="zero"):
            opt_out_shares(100, [0, 0, 1], [False, False, True])

    @settings(max_examples=200, deadline=None)
    @given(
        st.integers(0, 10**11),
        st.lists(
            st.tuples(st.floats(0, 500, allow_nan=False), st.booleans()), min_size=1, max_size=40
        ),
    )
    def test_sums_exactly_and_opted_out_pay_nothing(self, total, rows):
        """Shares add up to the total to the fen; opted-out households pay 0."""
        w = np.array([r[0] for r in rows])
        out = np.array([r[1] for r in rows])
        if out.all() or w[~out].sum() == 0:
            return
        s = opt_out_shares(total, w, out)
        assert int(s.sum()) == total
        assert (s[out] == 0).all()
        assert (s >= 0).all()
        exact = total * (w[~out] / math.fsum(w[~out]))
        assert (np.abs(s[~out] - exact) < 1 + 1e-6 * total).all()


class TestVoteCli:
    def test_table(self, tmp_path):
        """costshare vote prints the verdict, the rule's source and the thresholds."""
        (tmp_path / "u.csv").write_text(
            "unit_id,area\n101,85.50\n102,85.50\n201,90.25\n", encoding="utf-8"
        )
        (tmp_path / "b.csv").write_text(
            "unit_id,vote\n101,yes\n102,yes\n201,no\n", encoding="utf-8"
        )
        out = runner.invoke(
            app,
            ["vote", str(tmp_path / "u.csv"), str(tmp_path / "b.csv"), "--matter", "raise_fund"],
        )
        assert out.exit_code == 0, out.output
        assert (
            "FAILED" in out.stdout
            and "第二百七十八条" in out.stdout
            and "approve_area" in out.stdout
        )

    def test_json_zhuhai(self, tmp_path):
        """JSON output for a Zhuhai renovation plan carries the exact fractions."""
        (tmp_path / "u.csv").write_text("unit_id,area\na,60\nb,60\nc,60\nd,60\n", encoding="utf-8")
        (tmp_path / "b.csv").write_text("unit_id,vote\na,yes\nb,yes\nc,yes\n", encoding="utf-8-sig")
        out = runner.invoke(
            app,
            ["vote", str(tmp_path / "u.csv"), str(tmp_path / "b.csv"), "--matter", "renovation_plan",
             "--jurisdiction", "zhuhai", "--format", "json"],
        )  # fmt: skip
        assert out.exit_code == 0, out.output
        data = json.loads(out.stdout)
        assert data["passed"] is True and data["checks"][0]["reached"] == "3/4"

    def test_on_date_before_rule(self, tmp_path):
        """--on loads the rules of that day: before the Civil Code the elevator matter is unknown."""
        (tmp_path / "u.csv").write_text("unit_id,area\na,60\nb,60\n", encoding="utf-8")
        (tmp_path / "b.csv").write_text("unit_id,vote\na,yes\n", encoding="utf-8")
        args = ["vote", str(tmp_path / "u.csv"), str(tmp_path / "b.csv"), "--matter"]
        args += ["elevator", "--jurisdiction", "zhuhai", "--on", "2020-12-31"]
        out = runner.invoke(app, args)
        assert out.exit_code == 1 and "elevator" in out.stderr

    def test_bad_ballot_exit_1_no_traceback(self, tmp_path):
        """An unknown unit in the ballots: message naming the file and unit on stderr, exit 1."""
        (tmp_path / "u.csv").write_text("unit_id,area\na,60\n", encoding="utf-8")
        (tmp_path / "b.csv").write_text("unit_id,vote\nzz,yes\n", encoding="utf-8")
        out = runner.invoke(
            app, ["vote", str(tmp_path / "u.csv"), str(tmp_path / "b.csv"), "--matter", "ordinary"]
        )
        assert out.exit_code == 1
        assert "b.csv" in out.stderr and "'zz'" in out.stderr
        assert "Traceback" not in out.output
