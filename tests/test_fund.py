"""Maintenance-fund engine: a Ningbo case computed by hand; 165号 top-up trigger."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costshare import maintenance_fund, rules
from costshare.community.fund import below_topup_trigger
from costshare.errors import InputError

NINGBO = rules.load("ningbo", on="2024-06-30")
NINGBO_2020 = rules.load("ningbo", on="2020-06-30")  # the undated rule applies in 2020 too
NATIONAL = rules.load("national", on="2024-06-30")


class TestMaintenanceFund:
    def test_ningbo_three_households_by_hand(self):
        """Standard 80 yuan/m² × ratio 0.7 = 56 yuan/m².

        A: 82.50 m² → target 4,620.00; balance 1,000 → top-up 3,620.00; contribution
           3,000 → paid from the fund 3,000; cash 0.
        B: 60.25 m² → target 3,374.00; balance 5,000 → no top-up; contribution 2,000
           → fund 2,000.
        C: 50.00 m² → target 2,800.00; balance 0 → top-up 2,800; contribution 0.03.
        Fund used 5,000.03 → subsidy 50% = 2,500.015 → 2,500.02 (half-up) = 250,002 fen,
        split by use: quotas 150,000.3, 100,000.2, 1.50000 → floors 150,000, 100,000, 1,
        the spare fen to C (largest remainder .5).
        """
        df = maintenance_fund(
            [82.5, 60.25, 50.0],
            ["1000", 5000, 0],
            [3000, 2000, "0.03"],
            standard=80,
            ratio="0.7",
            rules=NINGBO,
        )
        assert df["target_fen"].tolist() == [462000, 337400, 280000]
        assert df["topup_fen"].tolist() == [362000, 0, 280000]
        assert df["fund_used_fen"].tolist() == [300000, 200000, 3]
        assert df["subsidy_fen"].tolist() == [150000, 100000, 2]
        assert df["cash_fen"].tolist() == [0, 0, 0]
        # subsidy refills the fund: 4,620 − 3,000 + 1,500 = 3,120
        assert df["fund_after_fen"].tolist() == [312000, 400000, 279999]
        assert df["net_outlay_fen"].tolist() == [362000, 0, 280000]

    def test_subsidy_paid_as_cash(self):
        """With subsidy_to='cash' the subsidy lowers the net outlay instead of refilling the fund."""
        df = maintenance_fund(
            [82.5], [1000], [3000], standard=80, ratio=0.7, subsidy_to="cash", subsidy_ratio=0.5
        )
        assert df["fund_after_fen"].tolist() == [162000]
        assert df["net_outlay_fen"].tolist() == [362000 - 150000]

    def test_contribution_beyond_fund_is_cash(self):
        """A contribution above the topped-up balance is paid partly in cash."""
        df = maintenance_fund([10.0], [0], [1000], standard=80, ratio=0.6, subsidy_ratio=0.5)
        # target 10 × 48 = 480 → top-up 480, fund used 480, cash 520
        assert (df["topup_fen"][0], df["fund_used_fen"][0], df["cash_fen"][0]) == (
            48000,
            48000,
            52000,
        )

    @pytest.mark.parametrize("ratio", ["0.59", "0.81", 1])
    def test_ratio_outside_ningbo_range_refused(self, ratio):
        """Ningbo allows 0.6–0.8 of the new-build standard only."""
        with pytest.raises(InputError, match="outside 宁波市's allowed 0.6–0.8"):
            maintenance_fund([50.0], [0], [100], standard=80, ratio=ratio, rules=NINGBO)

    def test_no_range_check_without_a_local_rule(self):
        """National rules have no top-up range: a 0.5 ratio is accepted."""
        national = rules.load("national", on="2020-06-30")
        df = maintenance_fund(
            [10.0], [0], [0], standard=80, ratio="0.5", subsidy_ratio=0.5, rules=national
        )
        assert df["target_fen"].tolist() == [40000]  # 10 × 80 × 0.5 = 400.00

    def test_standard_from_the_rules(self):
        """Without a standard, Ningbo's (assumed) 80 yuan/m² of the date is used."""
        df = maintenance_fund([100.0], [0], [0], ratio="0.6", rules=NINGBO)
        assert df["target_fen"][0] == 480000

    def test_no_standard_in_the_rules_names_the_field(self):
        """National rules give no standard: the error names the field."""
        national = rules.load("national", on="2020-06-30")
        with pytest.raises(InputError, match=r"field 'standard'.*none in force on 2020-06-30"):
            maintenance_fund([100.0], [0], [0], ratio="0.6", subsidy_ratio=0.5, rules=national)

    def test_ningbo_rule_is_undated(self):
        """Ningbo's range and assumed standard apply on any date (2020 too): 0.5 is refused."""
        with pytest.raises(InputError, match="0.6–0.8"):
            maintenance_fund([10.0], [0], [0], standard=80, ratio="0.5", rules=NINGBO_2020)

    def test_target_is_exact_for_any_decimal_area(self):
        """82.555 m² × 80 × 0.7 = 4,623.08 yuan exactly (not rounded to 0.01 m² first)."""
        df = maintenance_fund([82.555], [0], [0], standard=80, ratio="0.7", subsidy_ratio=0.5)
        assert df["target_fen"].tolist() == [462308]

    def test_groups_have_their_own_subsidy(self):
        """Each group rounds its own subsidy: 10,022,431 fen used → 5,011,215.5 → 5,011,216.

        Pooled with 1 fen of use elsewhere the total 5,011,216 would be split by use
        and the odd half fen could move; with one group per row each keeps its own.
        """
        df = maintenance_fund(
            [5003.71, 1.0], [0, 0], ["100224.31", "0.01"], standard=80, ratio="0.7", subsidy_ratio=0.5,
            groups=[0, 1],
        )  # fmt: skip
        assert df["subsidy_fen"].tolist() == [5011216, 1]  # 0.5 fen rounds half up to 1

    def test_bad_area(self):
        """A non-positive area is refused."""
        with pytest.raises(InputError, match="area"):
            maintenance_fund([0.0], [0], [0], standard=80, ratio=0.7, subsidy_ratio=0.5)

    @given(
        n=st.integers(1, 40),
        seed=st.integers(0, 10_000),
        sub=st.sampled_from(["0.5", "0.3", "1", "0"]),
    )
    @settings(max_examples=60, deadline=None)
    def test_invariants(self, n, seed, sub):
        """Fund used ≤ contribution and ≤ topped-up balance; subsidy total is exact."""
        rng = np.random.default_rng(seed)
        area = rng.uniform(30, 150, n).round(2)
        bal = rng.integers(0, 10_000_00, n) / 100
        contrib = rng.integers(0, 20_000_00, n) / 100
        df = maintenance_fund(area, bal, contrib, standard=80, ratio=0.7, subsidy_ratio=sub)
        assert (df["fund_used_fen"] <= df["contribution_fen"]).all()
        assert (df["fund_used_fen"] <= df["balance_fen"] + df["topup_fen"]).all()
        assert (df["cash_fen"] + df["fund_used_fen"] == df["contribution_fen"]).all()
        used = int(df["fund_used_fen"].sum())
        from decimal import ROUND_HALF_UP, Decimal

        expect = int((Decimal(used) * Decimal(sub)).quantize(Decimal(1), ROUND_HALF_UP))
        assert int(df["subsidy_fen"].sum()) == expect


class TestTopupTrigger:
    def test_boundary_is_exact(self):
        """Below 30% of the first deposit a top-up is owed; exactly 30% is not below."""
        got = below_topup_trigger(
            ["2999.99", "3000.00", "3000.01"], [10000, 10000, 10000], NATIONAL
        )
        assert got.tolist() == [True, False, False]
