"""The allocator's fast paths give exactly the slow exact answer (issue 24, no speed cliffs).

Large columns (more than 65,536 rows) take a blocked path: a sampled window around the
cut, exact integer remainders for integers and floats typed with few decimals, exact
decisions of near-ties for full-precision floats;
many groups of integer weights rank only the remainders in the bucket of each
group's cut. Each is compared
here with a plain exact reference on Python integers and Fractions: floor of the exact
quota, leftover fen to the largest remainders, ties to the lower index.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from costshare.money import MAX_FEN, allocate, allocate_groups

BIG = 70_000  # above the 65,536 rows from which allocate samples a window around the cut


def _typed(v) -> Fraction:
    """The exact number a weight stands for: a float through its shortest repr."""
    return Fraction(repr(float(v))) if isinstance(v, float | np.floating) else Fraction(int(v))


def reference(total: int, weights) -> list[int]:
    """Exact largest remainder on Python integers, ties to the lower index."""
    x = [_typed(v) for v in np.asarray(weights).tolist()]
    den = math.lcm(*(v.denominator for v in x))
    n = [int(v * den) for v in x]
    big_n, t = sum(n), abs(total)
    floors = [t * v // big_n for v in n]
    rem = [t * v % big_n for v in n]
    left = t - sum(floors)
    for i in sorted(range(len(n)), key=lambda i: (-rem[i], i))[:left]:
        floors[i] += 1
    return [-f if total < 0 else f for f in floors]


def _column(kind: str, size: int, rng: np.random.Generator) -> np.ndarray:
    """A weight column of one of the shapes the fast paths meet (ties included)."""
    if kind == "few ints":  # many exact ties
        return rng.integers(0, 4, size)
    if kind == "all equal":
        return np.full(size, 7)
    if kind == "wide ints":
        return rng.integers(1, 2**30, size)
    if kind == "two decimals":
        return np.round(rng.uniform(40, 120, size), 2)
    if kind == "few two-decimal values":  # ties among floats
        return rng.choice([0.0, 0.35, 0.65, 80.5, 99.99], size)
    if kind == "one dominant":
        w = rng.integers(0, 3, size)
        w[size // 2] = 10**9
        return w
    if kind == "sampled rows differ":  # the rows the window is placed from are atypical
        w = np.full(size, 3)
        w[:: max(1, size // 16384)] = 1
        return w
    if kind == "full precision":  # area × a coefficient: 16-17 significant digits
        return rng.uniform(40, 120, size) * 1.0137
    if kind == "full precision with zeros":
        return np.where(rng.random(size) < 0.3, 0.0, rng.lognormal(0, 2, size))
    if kind == "full precision, sampled rows differ":
        w = rng.lognormal(0, 0.5, size)
        w[:: max(1, size // 16384)] *= 1000
        return w
    # weights with zeros in half the rows and a few decimals
    return np.where(rng.random(size) < 0.5, 0.0, np.round(rng.uniform(0, 5, size), 3))


KINDS = [
    "few ints",
    "all equal",
    "wide ints",
    "two decimals",
    "few two-decimal values",
    "one dominant",
    "sampled rows differ",
    "half zeros, three decimals",
    "full precision",
    "full precision with zeros",
    "full precision, sampled rows differ",
]
TOTALS = st.one_of(
    st.sampled_from([0, 1, 7, 69_999, 70_001, 10**6 + 3, 12_345_678_901, MAX_FEN, -MAX_FEN]),
    st.integers(-(10**13), 10**13),
)


class TestLargeColumns:
    @given(kind=st.sampled_from(KINDS), total=TOTALS, seed=st.integers(0, 2**16))
    @settings(max_examples=30, deadline=None)
    def test_blocked_path_equals_exact_reference(self, kind, total, seed):
        """Every share equals the exact reference: floors, leftovers and the tie rule."""
        w = _column(kind, BIG, np.random.default_rng(seed))
        if not w.any():
            w[0] = 1
        out = allocate(total, w)
        assert int(out.sum()) == total
        assert out.tolist() == reference(total, w)

    def test_a_missed_window_still_gives_the_exact_answer(self):
        """The sampled rows all weigh 1, the others 3: the sample places its window at
        the wrong remainders, and the full ranking takes over with the same answer."""
        w = _column("sampled rows differ", 100_000, np.random.default_rng(0))
        for total in (99_999, 123_457, 10**9 + 7):
            assert allocate(total, w).tolist() == reference(total, w)

    def test_typed_forms_agree_on_a_large_column(self):
        """Two-decimal floats, their integer cents and their strings split alike."""
        cents = np.random.default_rng(4).integers(0, 20_000, BIG)
        floats = cents / 100
        a = allocate(10**11 + 1, floats).tolist()
        assert a == allocate(10**11 + 1, cents).tolist()
        assert a == allocate(10**11 + 1, [f"{v:.2f}" for v in floats]).tolist()


SPECIAL = st.one_of(
    st.sampled_from([0.0, -0.0, 5e-324, 2.2e-308, 1e-300, 1e300, 0.1 + 0.2, 0.3, 1 / 3]),
    st.floats(0, 1e6, allow_nan=False, allow_subnormal=True),
    st.integers(0, 10**6).map(lambda k: k / 100),  # two decimals
    st.integers(0, 10**6).map(lambda k: k / 100 + 1e-9),  # nearly two decimals
)


class TestSpecialFloats:
    @given(
        w=st.lists(SPECIAL, min_size=1, max_size=30).filter(lambda w: any(v > 0 for v in w)),
        total=TOTALS,
    )
    @settings(max_examples=300, deadline=None)
    def test_special_floats_equal_exact_reference(self, w, total):
        """Negative zero, subnormals, huge and tiny magnitudes and floats that only look
        like two decimals (0.1 + 0.2) are read as typed and split exactly."""
        assert allocate(total, np.array(w)).tolist() == reference(total, w)

    @given(k=st.lists(st.integers(0, 10**7), min_size=2, max_size=30).filter(any), total=TOTALS)
    @settings(max_examples=200, deadline=None)
    def test_not_quite_two_decimals(self, k, total):
        """A column with one 0.1 + 0.2 among two-decimal floats is read as typed:
        0.30000000000000004 is not 0.3, so the split differs from the cents' one only
        as the exact numbers do."""
        w = [v / 100 for v in k]
        w[0] = 0.1 + 0.2
        assert allocate(total, np.array(w)).tolist() == reference(total, w)


class TestManyGroups:
    @given(
        sizes=st.lists(st.integers(0, 300), min_size=1, max_size=40),
        top=st.sampled_from([1, 3, 1000, 2**20, 2**40, 2**52]),
        seed=st.integers(0, 2**16),
    )
    @settings(max_examples=80, deadline=None)
    def test_groups_of_integers_equal_reference(self, sizes, top, seed):
        """Integer weights in many groups (ties, zeros, empty groups, and weights so wide
        that the general exact core is used) equal the reference group by group: the
        bucketed ranking of remainders keeps the tie rule."""
        rng = np.random.default_rng(seed)
        groups = np.repeat(np.arange(len(sizes)), sizes)
        w = rng.integers(0, top + 1, groups.size)
        totals = rng.integers(-(10**12), 10**12, len(sizes))
        for k in range(len(sizes)):
            if not w[groups == k].any():
                totals[k] = 0
        out = allocate_groups(totals, groups, w)
        for k, total in enumerate(totals.tolist()):
            m = groups == k
            want = reference(total, w[m]) if total else [0] * int(m.sum())
            assert out[m].tolist() == want


class TestFewDistinctValues:
    """Columns with few distinct numerators (two-decimal areas, counts) are split once per
    value and looked up per row; the answer is the reference's, row for row."""

    @given(
        size=st.integers(64, 3000),
        span=st.integers(1, 7),
        offset=st.sampled_from([0, 1, 10**6, 2**40]),
        total=TOTALS,
        seed=st.integers(0, 2**16),
    )
    @settings(max_examples=150, deadline=None)
    def test_counted_path_equals_reference(self, size, span, offset, total, seed):
        """Any size, values far from zero (the table then starts at the smallest)."""
        w = offset + np.random.default_rng(seed).integers(0, span + 1, size)
        if not w.any():
            w[0] = 1
        assert allocate(total, w).tolist() == reference(total, w)

    def test_equal_remainders_of_different_values_go_by_index(self):
        """Weights 1 and 3 with 2T a multiple of N: every row's remainder is N/2 or 0,
        whichever value it has, so the leftover fen go to the lowest rows of both."""
        w = np.random.default_rng(7).choice([1, 3], 4000)
        w[0] += int(w.sum()) % 2  # N even (1 -> 2 if N is odd), so 2T can be a multiple
        N = int(w.sum())
        total = N * 5 + N // 2  # T w mod N is N/2 for odd w, 0 for even: a tie of values
        out = allocate(total, w)
        assert out.tolist() == reference(total, w)
        odd = np.flatnonzero(w % 2 == 1)  # both 1 and 3 leave N/2 over
        extra = np.flatnonzero(out - total * w // N)
        assert extra.tolist() == odd[: odd.size // 2].tolist()

    def test_exact_quotas_leave_nothing_over(self):
        w = np.tile([2, 4, 6], 1000)
        total = int(w.sum()) * 37  # every quota is whole
        assert allocate(total, w).tolist() == (w * 37).tolist()

    def test_the_callers_arrays_are_not_touched(self):
        """Shares are written over allocate's own scratch numerators, never the input."""
        ints = np.random.default_rng(1).integers(40, 120, 200_000)
        floats = np.round(np.random.default_rng(2).uniform(40, 120, 200_000), 2)
        keep_i, keep_f = ints.copy(), floats.copy()
        a, b = allocate(10**10 + 7, ints), allocate(-(10**10) - 7, floats)
        assert np.array_equal(ints, keep_i) and np.array_equal(floats, keep_f)
        assert int(a.sum()) == 10**10 + 7 and int(b.sum()) == -(10**10) - 7
        assert b.tolist() == reference(-(10**10) - 7, floats)

    def test_totals_near_the_limit_where_the_float_estimate_misses(self):
        """Above 2**52 fen the float estimate of a floor can be off by one; the exact
        remainder corrects it (2 of these 40 totals reach that branch)."""
        rng = np.random.default_rng(22)
        for _ in range(40):
            w = rng.integers(1, 50, 400)
            total = int(rng.integers(2**52, MAX_FEN))
            assert allocate(total, w).tolist() == reference(total, w)
