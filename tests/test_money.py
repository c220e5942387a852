"""Money: yuan → fen conversion, exact largest-remainder allocation, display formats."""

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costshare import allocate, to_fen
from costshare.money import allocate_groups, format_amount, to_fen_array, to_yuan


class TestToFen:
    @pytest.mark.parametrize(
        ("value", "fen"),
        [
            (1, 100),
            ("1,234.56", 123456),
            (" 12.345 ", 1235),  # half-up at the third decimal
            ("-12.345", -1235),  # half away from zero for refunds
            (Decimal("0.005"), 1),
            (0.1, 10),
            (1.005, 101),  # float read by its repr "1.005", not 1.00499999...
            ("100元", 10000),
        ],
    )
    def test_converts_yuan_to_fen_half_up(self, value, fen):
        """Each accepted input type gives the fen amount rounded half-up."""
        assert to_fen(value) == fen

    @pytest.mark.parametrize("bad", [float("nan"), float("inf"), "abc", "", "1.2.3", None, True])
    def test_rejects_non_numbers_naming_the_value(self, bad):
        """NaN, inf, text and bools raise ValueError with the value in the message."""
        with pytest.raises(ValueError, match="amount|number"):
            to_fen(bad)

    def test_array_conversion_matches_scalar(self):
        """The vectorized converter agrees with to_fen on tricky floats."""
        vals = [1.005, 2.675, 0.125, -0.015, 1e9 + 0.01]
        assert to_fen_array(vals).tolist() == [to_fen(v) for v in vals]

    def test_to_yuan_quantizes(self):
        """Fen come back as Decimal yuan with two places."""
        assert to_yuan(5) == Decimal("0.05")
        assert str(to_yuan(-123456)) == "-1234.56"


class TestAllocate:
    def test_hand_example_ties_go_to_lower_index(self):
        """100 fen over three equal weights: 33.33 each, the spare fen to the first."""
        assert allocate(100, [1, 1, 1]).tolist() == [34, 33, 33]

    def test_hand_example_largest_remainder(self):
        """1000 fen by 1:2:4 → quotas 142.86, 285.71, 571.43 → 143, 286, 571."""
        assert allocate(1000, [1, 2, 4]).tolist() == [143, 286, 571]

    def test_zero_weight_gets_nothing(self):
        """A zero weight never receives a leftover fen."""
        assert allocate(5, [0, 1, 1, 0]).tolist() == [0, 3, 2, 0]

    def test_refund_mirrors_signs(self):
        """A negative total splits as its absolute value with signs flipped."""
        assert allocate(-100, [1, 1, 1]).tolist() == [-34, -33, -33]

    @pytest.mark.parametrize("bad", [[], [0, 0], [1, -1], [1, float("nan")], [[1, 2]]])
    def test_rejects_bad_weights(self, bad):
        """Empty, all-zero, negative, NaN and 2-D weights are refused."""
        with pytest.raises(ValueError, match="weights"):
            allocate(100, bad)

    def test_returns_int64(self):
        """The result is a numpy int64 array."""
        assert allocate(7, [1.5, 2.5]).dtype == np.int64

    def test_million_weights_sum_exactly(self):
        """One million random weights still add up to the fen."""
        w = np.random.default_rng(1).uniform(20, 200, 1_000_000)
        out = allocate(123_456_789_01, w)
        assert int(out.sum()) == 123_456_789_01


weights = st.lists(
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=60,
).filter(lambda w: sum(w) > 0)


class TestAllocateProperties:
    @given(total=st.integers(-(10**12), 10**12), w=weights)
    @settings(max_examples=300, deadline=None)
    def test_exact_sum_and_within_one_fen(self, total, w):
        """Shares add up exactly and each is within one fen of its exact quota."""
        out = allocate(total, w)
        assert int(out.sum()) == total
        quota = np.asarray(w) / sum(w) * total
        assert np.all(np.abs(out - quota) < 1 + 1e-6 * abs(total) / 1e6 + 1e-9)

    @given(total=st.integers(0, 10**9), w=weights)
    @settings(max_examples=200, deadline=None)
    def test_zero_weights_get_zero(self, total, w):
        """Zero weights always get exactly zero."""
        out = allocate(total, w)
        assert (out[np.asarray(w) == 0] == 0).all()

    @given(
        total=st.integers(0, 10**9),
        w=st.lists(st.integers(0, 10**6), min_size=1, max_size=60).filter(any),
        seed=st.integers(0, 1000),
    )
    @settings(max_examples=200, deadline=None)
    def test_permutation_moves_shares_except_ties(self, total, w, seed):
        """Permuting distinct weights permutes the shares (ties may move a fen by index).

        Whole-number weights keep the float sum exact in any order; with arbitrary floats
        the sum may differ in its last bit between orders.
        """
        w = np.asarray(w, dtype=float)
        perm = np.random.default_rng(seed).permutation(len(w))
        a = allocate(total, w)[perm]
        b = allocate(total, w[perm])
        assert int(b.sum()) == total
        assert np.all(np.abs(a - b) <= 1)
        if len(set(w.tolist())) == len(w):
            assert a.tolist() == b.tolist()


class TestFormat:
    @pytest.mark.parametrize(
        ("fen", "unit", "text"),
        [
            (123456789, "元", "1,234,567.89 元"),
            (57_493_000_000, "万元", "57,493.00 万元"),
            (57_493_000_000, "亿元", "5.75 亿元"),
        ],
    )
    def test_units(self, fen, unit, text):
        """元, 万元 and 亿元 with thousands separators and half-up rounding."""
        assert format_amount(fen, unit) == text


class TestAllocateGroups:
    def test_hand_example(self):
        """100 fen over three rows → 34, 33, 33; 10 fen by 1:3 → quotas 2.5, 7.5, the tie to the lower index → 3, 7."""
        assert allocate_groups([100, 10], [0, 0, 0, 1, 1], [1, 1, 1, 1, 3]).tolist() == [
            34,
            33,
            33,
            3,
            7,
        ]

    def test_refund_group(self):
        """A negative group total is mirrored like allocate."""
        assert allocate_groups([-100], [0, 0, 0], [1, 1, 1]).tolist() == [-34, -33, -33]

    def test_group_without_weight_refused(self):
        """A group with money but no positive weight is an error."""
        with pytest.raises(ValueError, match="group 1"):
            allocate_groups([5, 5], [0, 1], [1, 0])

    @given(
        sizes=st.lists(st.integers(1, 12), min_size=1, max_size=8),
        seed=st.integers(0, 10_000),
    )
    @settings(max_examples=150, deadline=None)
    def test_each_group_sums_exactly_and_matches_allocate(self, sizes, seed):
        """Every group sums exactly and (with shuffled rows) equals allocate on that group."""
        rng = np.random.default_rng(seed)
        groups = np.repeat(np.arange(len(sizes)), sizes)
        rng.shuffle(groups)
        w = rng.integers(1, 1000, groups.size).astype(float)
        totals = rng.integers(-(10**7), 10**9, len(sizes))
        out = allocate_groups(totals, groups, w)
        for k, total in enumerate(totals):
            m = groups == k
            assert int(out[m].sum()) == int(total)
            assert out[m].tolist() == allocate(int(total), w[m]).tolist()
