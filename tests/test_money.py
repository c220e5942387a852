"""Money: yuan → fen conversion, exact largest-remainder allocation, display formats."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costshare import allocate, to_fen
from costshare.money import (
    MAX_FEN,
    allocate_groups,
    allocate_rows,
    format_amount,
    half_up,
    times,
    to_fen_array,
    to_yuan,
)


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

    @pytest.mark.parametrize(
        "bad", [[], [0, 0], [1, -1], [1, float("nan")], [[1, 2]], ["1", "x"], [True, False]]
    )
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

    def test_tie_rule_exact_19755(self):
        """19755 fen by 5:5:4:2:5:5:1 (sum 27): remainders 9,9,18,9,9,9,18 out of 27.

        Three fen are left over: the two remainders of 18 (index 2 and 6) and then the
        first of the equal remainders 9, index 0 (float quotas gave it to index 3).
        """
        assert allocate(19755, [5, 5, 4, 2, 5, 5, 1]).tolist() == [
            3659,
            3658,
            2927,
            1463,
            3658,
            3658,
            732,
        ]

    def test_typed_decimals_tie_exactly(self):
        """3 fen by 0.1 : 0.2 : 0.3 (= 1:2:3): quotas 0.5, 1, 1.5; the spare fen ties → index 0."""
        assert allocate(3, [0.1, 0.2, 0.3]).tolist() == [1, 1, 1]
        assert allocate(3, ["0.1", "0.2", "0.3"]).tolist() == [1, 1, 1]

    def test_refuses_beyond_max_fen(self):
        """A total beyond ±9×10^15 fen is refused with the limit named, never overflowed."""
        with pytest.raises(ValueError, match="MAX_FEN"):
            allocate(2**63 + 5, [1, 2])
        with pytest.raises(ValueError, match="MAX_FEN"):
            allocate(-(MAX_FEN + 1), [1])
        with pytest.raises(ValueError, match="MAX_FEN"):
            allocate_groups([MAX_FEN + 1], [0], [1])
        assert int(allocate(MAX_FEN, [1, 2, 3]).sum()) == MAX_FEN

    def test_max_fen_with_huge_weights_is_exact(self):
        """At the limit with weights near 2**62 the shares still match Fraction quotas."""
        w = [2**62 - 1, 2**61 + 3, 7]
        out = allocate(MAX_FEN, w)
        assert out.tolist() == _reference(MAX_FEN, w)

    def test_float_weights_of_many_digits_are_exact(self):
        """Floats with 17 significant digits are read through their repr, exactly."""
        w = np.random.default_rng(3).lognormal(0, 1, 500)
        assert allocate(10**15 + 7, w).tolist() == _reference(10**15 + 7, w.tolist())


def _ratio(v) -> Fraction:
    """The exact decimal a weight stands for (floats through their shortest repr)."""
    return Fraction(repr(v)) if isinstance(v, float) else Fraction(v)


def _reference(total: int, weights) -> list[int]:
    """Largest remainder on Fractions, ties to the lower index: the documented rule."""
    w = [_ratio(v) for v in weights]
    s = sum(w)
    sign, t = (-1 if total < 0 else 1), abs(total)
    quota = [t * x / s for x in w]
    base = [q.numerator // q.denominator for q in quota]
    left = t - sum(base)
    order = sorted(range(len(w)), key=lambda i: (-(quota[i] - base[i]), i))
    for i in order[:left]:
        base[i] += 1
    return [sign * b for b in base]


typed = st.one_of(
    st.integers(0, 10**6),
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.1, 0.2, 0.3, 0.35, 0.65, 80.5, 1 / 3, 2 / 3]),
)
weights = st.lists(typed, min_size=1, max_size=40).filter(lambda w: any(v > 0 for v in w))


class TestAllocateProperties:
    @given(total=st.integers(-MAX_FEN, MAX_FEN), w=weights)
    @settings(max_examples=300, deadline=None)
    def test_equals_fraction_reference(self, total, w):
        """Shares equal the Fraction largest-remainder reference, tie rule included."""
        assert allocate(total, w).tolist() == _reference(total, w)

    @given(total=st.integers(-(10**12), 10**12), w=weights)
    @settings(max_examples=200, deadline=None)
    def test_exact_sum_and_within_one_fen(self, total, w):
        """Shares add up exactly and each is within one fen of its exact Fraction quota."""
        out = allocate(total, w)
        assert int(out.sum()) == total
        x = [_ratio(v) for v in w]
        s = sum(x)
        assert all(abs(int(o) - total * xi / s) < 1 for o, xi in zip(out, x, strict=True))

    @given(total=st.integers(0, 10**12), w=weights)
    @settings(max_examples=150, deadline=None)
    def test_zero_weights_get_zero(self, total, w):
        """Zero weights always get exactly zero."""
        out = allocate(total, w)
        assert all(o == 0 for o, v in zip(out, w, strict=True) if v == 0)

    @given(
        total=st.integers(-(10**12), 10**12),
        w=st.lists(
            st.decimals(min_value=0, max_value=10**4, places=3, allow_nan=False),
            min_size=1,
            max_size=30,
        ).filter(any),
    )
    @settings(max_examples=200, deadline=None)
    def test_str_decimal_float_agree(self, total, w):
        """A weight as str, Decimal or float (≤ 15 digits) gives the same split."""
        a = allocate(total, w).tolist()
        assert allocate(total, [str(v) for v in w]).tolist() == a
        assert allocate(total, [float(v) for v in w]).tolist() == a
        assert allocate(total, np.array([float(v) for v in w])).tolist() == a

    @given(
        sizes=st.lists(st.integers(0, 12), min_size=1, max_size=8),
        seed=st.integers(0, 10_000),
        kind=st.sampled_from(["int", "2dp", "lognormal"]),
    )
    @settings(max_examples=150, deadline=None)
    def test_groups_equal_loop_of_allocate(self, sizes, seed, kind):
        """allocate_groups equals a loop of allocate over the groups (shuffled rows too)."""
        rng = np.random.default_rng(seed)
        groups = np.repeat(np.arange(len(sizes)), sizes)
        rng.shuffle(groups)
        w = {
            "int": lambda: rng.integers(0, 5, groups.size).astype(float),
            "2dp": lambda: np.round(rng.uniform(0, 9, groups.size), 2),
            "lognormal": lambda: rng.lognormal(0, 1, groups.size),
        }[kind]()
        totals = rng.integers(-(10**9), 10**12, len(sizes))
        totals[[not (w[groups == k] > 0).any() for k in range(len(sizes))]] = 0
        out = allocate_groups(totals, groups, w)
        for k, total in enumerate(totals):
            m = groups == k
            if total:
                assert out[m].tolist() == allocate(int(total), w[m]).tolist()
            else:
                assert not out[m].any()

    @given(
        totals=st.lists(st.integers(-MAX_FEN, MAX_FEN), min_size=1, max_size=6),
        w=weights,
    )
    @settings(max_examples=150, deadline=None)
    def test_rows_equal_loop_of_allocate(self, totals, w):
        """allocate_rows with shared weights equals allocate row by row."""
        out = allocate_rows(totals, w)
        assert out.tolist() == [allocate(t, w).tolist() for t in totals]

    def test_rows_with_own_weights(self):
        """(n, k) weights: each row uses its own weights."""
        w = [[1, 1, 1], [0, 1, 3]]
        assert allocate_rows([100, 10], w).tolist() == [[34, 33, 33], [0, 3, 7]]


class TestHalfUp:
    def test_integers_exact(self):
        """Exact integer ratios round half away from zero."""
        assert [half_up(n, 4) for n in (2, 6, -2, -6, 5)] == [1, 2, -1, -2, 1]

    def test_huge_python_ints(self):
        """Python ints of any size stay exact."""
        assert half_up(10**40 + 5, 10) == 10**39 + 1

    def test_float_numerator_rounded_as_it_stands(self):
        """A float is rounded at its exact binary value: no trimming of digits."""
        assert half_up(np.array([0.5, 1.49999999999, -2.5])).tolist() == [1, 1, -3]


class TestTimes:
    @pytest.mark.parametrize(
        ("fen", "ratio", "out"),
        [(25, 0.06, 2), (50, 0.07, 4), (1, "0.5", 1), (-1, "0.5", -1), (3, Fraction(1, 3), 1)],
    )
    def test_rounds_the_typed_product(self, fen, ratio, out):
        """fen × ratio as typed, half-up (50 × 0.07 = 3.5 → 4, not float 3.5000000000000004)."""
        assert times(fen, ratio) == out

    def test_array_with_long_ratios(self):
        """Ratios with 17 digits fall back to Python ints and stay exact."""
        r = 0.12345678901234568
        assert times([MAX_FEN], r).tolist() == [half_up(MAX_FEN * 12345678901234568, 10**17)]


class TestToFenRange:
    def test_to_fen_refuses_beyond_max_fen(self):
        """to_fen names the limit instead of returning an inexact amount."""
        with pytest.raises(ValueError, match="MAX_FEN"):
            to_fen(10**14)  # 10^16 fen
        assert to_fen(90_000_000_000_000) == MAX_FEN

    @given(st.lists(st.floats(-1e12, 1e12, allow_nan=False), min_size=1, max_size=50))
    @settings(max_examples=200, deadline=None)
    def test_to_fen_array_is_exact(self, vals):
        """to_fen_array equals to_fen on every float, long repr or short."""
        assert to_fen_array(np.array(vals)).tolist() == [to_fen(v) for v in vals]


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


class TestFloatReading:
    """Floats are read as typed (shortest repr) without a repr per element: exact bounds
    on the sum decide, and only undecidable rows read every weight."""

    @given(st.lists(st.floats(0, 1e300, allow_nan=False, allow_subnormal=True), min_size=1))
    @settings(max_examples=300, deadline=None)
    def test_sum_bounds_hold_the_typed_sum(self, xs):
        """lo <= sum of Fraction(repr(x)) <= hi; the midpoint is math.fsum's value."""
        import math

        from costshare.money._weights import float_sum_bounds

        lo, hi = float_sum_bounds(np.array(xs))
        typed = sum(Fraction(repr(x)) for x in xs)
        assert lo <= typed <= hi
        assert float((lo + hi) / 2) == math.fsum(xs)

    @given(
        st.lists(
            st.tuples(st.floats(0.5, 1, exclude_max=True), st.integers(-45, 45), st.booleans()),
            min_size=1,
            max_size=80,
        ),
        st.integers(-900, 900),
    )
    @settings(max_examples=300, deadline=None)
    def test_two_and_three_part_sums_equal_the_banded_sum(self, parts, shift):
        """Spans up to 2**10 (two parts), 2**42 (three parts) and wider (bands), zeros
        among them: every route gives the same exact bounds, holding the typed sum."""
        import math

        from costshare.money._weights import _sum_bounds_banded, float_sum_bounds

        x = np.array([0.0 if z else math.ldexp(m, e + shift) for m, e, z in parts])
        if not (x > 0).any():
            x[0] = 1.0
        lo, hi = float_sum_bounds(x)
        assert (lo, hi) == _sum_bounds_banded(x)
        assert lo <= sum(Fraction(repr(float(v))) for v in x) <= hi
        assert float((lo + hi) / 2) == math.fsum(x.tolist())

    def test_a_float_window_that_misses_the_cut_gives_way(self):
        """A window whose edge is within the near-tie pad of the cut is refused, and the
        pass over every row gives the exact answer."""
        from costshare.money._exact import EPS, Weights
        from costshare.money._floats import _pass, one_float

        x = np.random.default_rng(3).lognormal(0, 1, 70_000)
        w, total = Weights(x), 12_345_678_901
        lo, hi = w.sum_bounds(0, x.size)
        n_f = float((lo + hi) / 2)
        err = total * EPS + EPS
        full = _pass(total, w, total / n_f, n_f, err, None)
        keys = np.sort((x * (total / n_f)) % 1.0)
        left = total - int(np.floor(x * (total / n_f)).sum())
        cut = float(keys[keys.size - left])
        assert _pass(total, w, total / n_f, n_f, err, (cut - err, 1.0)) is None
        assert one_float(total, w).tolist() == full.astype(np.int64).tolist()
        assert one_float(total, w).tolist() == _reference(total, x.tolist())

    def test_wide_and_narrow_floats_equal_the_reference(self):
        """Floats spanning 2**10 (int64 path) and far more (bincount path), 5,000 each."""
        rng = np.random.default_rng(5)
        for w in (rng.uniform(20, 200, 5000) * 1.0137, rng.lognormal(0, 4, 5000)):
            for total in (10**15 + 7, 12_345_678_901, 4999):
                assert allocate(total, w).tolist() == _reference(total, w.tolist())

    def test_undecidable_bounds_fall_back_to_reading_all(self, monkeypatch):
        """With bounds too wide to decide (same midpoint), rows are read exactly: same
        shares, and the exact reading of every weight was used."""
        from costshare.money import _exact

        w = np.random.default_rng(8).lognormal(0, 1, 3000)
        want = {t: _reference(t, w.tolist()) for t in (12_345_678_901, 10**15 + 7)}
        real, exact = _exact.float_sum_bounds, _exact.Weights.exact
        used = []

        def wide(x, span=None):
            lo, hi = real(x, span)
            mid, d = (lo + hi) / 2, (hi - lo) * 10**9
            return mid - d, mid + d

        def spy(self, s, k):
            used.append(k)
            return exact(self, s, k)

        monkeypatch.setattr(_exact, "float_sum_bounds", wide)
        monkeypatch.setattr(_exact.Weights, "exact", spy)
        for t, shares in want.items():
            assert allocate(t, w).tolist() == shares
        assert used

    def test_exact_ties_of_long_floats_go_to_the_lower_index(self):
        """1/3 three times: quotas 2/3 each, the two fen to index 0 and 1."""
        assert allocate(2, [1 / 3, 1 / 3, 1 / 3]).tolist() == [1, 1, 0]
        w = np.full(200_000, 1 / 3)
        out = allocate(100_001, w)
        assert out[:100_001].tolist() == [1] * 100_001 and not out[100_001:].any()

    def test_int_weights_with_zeros_at_max_fen(self):
        """The int64 one-group path corrects its float floor for huge totals."""
        w = np.random.default_rng(2).integers(0, 10**6, 2000)
        assert allocate(MAX_FEN, w).tolist() == _reference(MAX_FEN, w.tolist())
        assert allocate(-MAX_FEN, w).tolist() == _reference(-MAX_FEN, w.tolist())
