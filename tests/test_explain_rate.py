"""Printed operands of a sheet's explanation: the decimals shown and the rate that
reproduces each share. The fast routes (no Decimal per value, Python-int arrays in the
one rounding) give exactly what the value-by-value route gives."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from costshare.households.explain_rate import decimal_text, decimal_texts, printed_rate
from costshare.money import half_up


def _decimal_route(value: float, places: int) -> str:
    """decimal_text as first written: the repr of the value at 6 decimals, normalised
    (and -0 worded as 0)."""
    d = Decimal(repr(round(float(value), 6) + 0.0)).normalize()
    return format(d, f".{max(places, -int(d.as_tuple().exponent))}f")


VALUES = st.one_of(
    st.floats(-2e9, 2e9, allow_nan=False),
    st.integers(-(10**9), 10**9).map(lambda k: k / 100),
    st.integers(0, 10**8).map(lambda k: k / 10**6),
    st.sampled_from([0.0, -0.0, 5e-7, 4.9999999e-7, 52.355, 2.0**30, 2.0**30 - 0.5, 1e-300]),
)


@given(VALUES, st.sampled_from([0, 1, 2, 4, 6, 8]))
@settings(max_examples=500, deadline=None)
def test_decimal_text_equals_the_decimal_route(value, places):
    assert decimal_text(value, places) == _decimal_route(value, places)


@given(st.lists(VALUES, max_size=40), st.sampled_from([0, 2, 4, 6, 8]))
@settings(max_examples=300, deadline=None)
def test_decimal_texts_equal_decimal_text_per_value(values, places):
    """Value by value the same words."""
    want = [_decimal_route(v, places) for v in values]
    assert decimal_texts(values, places) == want


@given(
    st.lists(st.integers(-(10**30), 10**30), min_size=1, max_size=20),
    st.integers(1, 10**20) | st.integers(-(10**20), -1),
)
@settings(max_examples=300, deadline=None)
def test_half_up_on_python_int_arrays_equals_the_scalar_rounding(nums, den):
    got = half_up(np.array(nums, dtype=object), den).tolist()
    assert got == [half_up(n, den) for n in nums]
    assert got == [
        (1 if (n >= 0) == (den > 0) else -1) * int(Fraction(abs(n), abs(den)) + Fraction(1, 2))
        for n in nums
    ]


def test_printed_rate_recomputes_the_lines_it_marks():
    """Areas of 3,000 households: each line marked ok recomputes exactly to its fen."""
    rng = np.random.default_rng(2)
    areas = np.round(rng.uniform(40, 120, 3000), 2)
    from costshare.money import allocate

    fen = allocate(123_456_789, areas)
    texts = [f"{a:.2f}" for a in areas]
    rate, ok = printed_rate(123_456_789, texts, fen)
    r = Fraction(Decimal(rate))
    exact = [Fraction(Decimal(t)) * r * 100 for t in texts]  # weight × printed rate, fen
    again = [half_up(p.numerator, p.denominator) for p in exact]
    assert ok.sum() > 2900
    assert all((a == int(f)) == bool(k) for a, f, k in zip(again, fen, ok, strict=True))
