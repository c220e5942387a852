"""Excel's depreciation and rate functions: hand-computed cases, broadcasting, errors as
NaN with a reason, and properties (the Calc parity cases are in test_finance_parity)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import costshare.finance as fin


def test_exported() -> None:
    """Every new function is in costshare.finance.__all__."""
    new = [
        "sln",
        "syd",
        "db",
        "ddb",
        "vdb",
        "effect",
        "nominal",
        "ispmt",
        "pduration",
        "rri",
        "fvschedule",
    ]
    assert set(new) <= set(fin.__all__)
    assert "ExcelErrorWarning" in fin.__all__


class TestHand:
    def test_straight_line_and_sum_of_years(self) -> None:
        """SLN 27000/10; SYD year 1 = 22500 x 10/55, year 10 = 22500 x 1/55."""
        assert fin.sln(30000, 3000, 10) == 2700.0
        assert fin.syd(30000, 7500, 10, 1) == pytest.approx(22500 * 10 / 55, rel=1e-15)
        assert fin.syd(30000, 7500, 10, 10) == pytest.approx(22500 / 55, rel=1e-15)

    def test_db_rounds_the_rate_and_splits_the_first_year(self) -> None:
        """1,000,000 to 100,000 over 6 years: rate 1 - 0.1**(1/6) = 0.3187 -> 0.319;
        year 1 of 7 months = 1e6 x 0.319 x 7/12; year 2 = (1e6 - that) x 0.319."""
        first = 1e6 * 0.319 * 7 / 12
        assert fin.db(1e6, 1e5, 6, 1, 7) == pytest.approx(first, rel=1e-15)
        assert fin.db(1e6, 1e5, 6, 2, 7) == pytest.approx((1e6 - first) * 0.319, rel=1e-14)
        book6 = (1e6 - first) * (1 - 0.319) ** 5  # after period 6: the last 5 months follow
        assert fin.db(1e6, 1e5, 6, 7, 7) == pytest.approx(book6 * 0.319 * 5 / 12, rel=1e-12)

    def test_ddb_and_factor(self) -> None:
        """2400 over 10 years: 480, then 384 (20 % of 1920); factor 1.5: 360."""
        assert fin.ddb(2400, 300, 10, 1) == 480.0
        assert fin.ddb(2400, 300, 10, 2) == pytest.approx(384.0, rel=1e-15)
        assert fin.ddb(2400, 300, 10, 1, 1.5) == pytest.approx(360.0, rel=1e-15)

    def test_vdb_switch_and_no_switch(self) -> None:
        """Whole life with the switch depreciates exactly cost - salvage; without it the
        declining balance leaves more; a fraction of period 1 is that share of it."""
        assert fin.vdb(2400, 300, 10, 0, 10) == pytest.approx(2100, rel=1e-12)
        slow = 2400 * (1 - 0.9**10)  # factor 1 never reaches the salvage by itself
        assert fin.vdb(2400, 300, 10, 0, 10, 1, True) == pytest.approx(slow, rel=1e-12)
        assert fin.vdb(2400, 300, 10, 0, 10, 1) == pytest.approx(2100, rel=1e-12)
        assert fin.vdb(2400, 300, 10, 0, 0.5) == pytest.approx(240.0, rel=1e-12)
        assert fin.vdb(2400, 300, 10, 0, 1) == pytest.approx(fin.ddb(2400, 300, 10, 1))

    def test_rates(self) -> None:
        """4.9 % a year monthly: (1 + 0.049/12)**12 - 1; nominal inverts it; ISPMT, RRI,
        PDURATION and FVSCHEDULE by their formulas."""
        e = (1 + 0.049 / 12) ** 12 - 1
        assert fin.effect(0.049, 12) == pytest.approx(e, rel=1e-14)
        assert fin.effect(0.049, 12.9) == fin.effect(0.049, 12)  # npery cut to whole
        assert fin.nominal(e, 12) == pytest.approx(0.049, rel=1e-13)
        assert fin.ispmt(0.1, 0, 4, 1000) == -100.0  # period 0: interest on all of it
        assert fin.rri(2, 100, 121) == pytest.approx(0.1, rel=1e-14)
        assert fin.pduration(0.1, 100, 121) == pytest.approx(2.0, rel=1e-14)
        assert fin.fvschedule(100, [0.1, 0.1]) == pytest.approx(121.0, rel=1e-15)


class TestConventions:
    def test_scalar_in_scalar_out_and_broadcasting(self) -> None:
        """Scalars give floats; arrays broadcast as numpy-financial's arguments do."""
        for v in (fin.sln(1, 0, 1), fin.db(100, 10, 5, 1), fin.vdb(100, 10, 5, 0, 1)):
            assert type(v) is float
        out = fin.ddb(2400, 300, 10, np.arange(1, 11)[:, None], [1.5, 2.0])
        assert out.shape == (10, 2)
        assert out[:, 1].sum() <= 2100 + 1e-9
        assert fin.effect([0.05, 0.06], [[1], [12]]).shape == (2, 2)

    @pytest.mark.parametrize(
        ("call", "code"),
        [
            (lambda: fin.sln(100, 10, 0), "#DIV/0!"),
            (lambda: fin.syd(100, 10, 5, 6), "#NUM!"),
            (lambda: fin.db(100, 110, 5, 1), "#NUM!"),
            (lambda: fin.ddb(100, 10, 5, 6), "#NUM!"),
            (lambda: fin.vdb(100, 10, 5, 3, 2), "#NUM!"),
            (lambda: fin.effect(-0.01, 12), "#NUM!"),
            (lambda: fin.nominal(0.05, 0.5), "#NUM!"),
            (lambda: fin.ispmt(0.1, 1, 0, 100), "#DIV/0!"),
            (lambda: fin.pduration(0, 100, 121), "#NUM!"),
            (lambda: fin.rri(2, 100, -121), "#NUM!"),
        ],
    )
    def test_excel_errors_are_nan_with_a_reason(self, call, code) -> None:
        """Where Excel answers #NUM!/#DIV/0! the result is NaN and the warning says why."""
        with pytest.warns(fin.ExcelErrorWarning, match=code):
            assert math.isnan(call())

    def test_only_the_bad_inputs_are_nan(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = fin.sln(100, 10, [0, 3])
        assert math.isnan(out[0]) and out[1] == 30.0


money = st.floats(100, 1e7, allow_nan=False)


class TestProperties:
    @given(cost=money, frac=st.floats(0, 0.9), life=st.integers(1, 40))
    @settings(max_examples=150, deadline=None)
    def test_sln_syd_vdb_depreciate_the_whole_base(self, cost, frac, life) -> None:
        """Over the whole life SLN, SYD and VDB (with the switch) sum to cost - salvage."""
        salvage = cost * frac
        base = cost - salvage
        per = np.arange(1, life + 1)
        assert fin.sln(cost, salvage, life) * life == pytest.approx(base, rel=1e-12)
        assert fin.syd(cost, salvage, life, per).sum() == pytest.approx(base, rel=1e-12)
        assert fin.vdb(cost, salvage, life, 0, life) == pytest.approx(base, rel=1e-9, abs=1e-6)
        steps = fin.vdb(cost, salvage, life, per - 1, per)
        assert steps.sum() == pytest.approx(base, rel=1e-9, abs=1e-6)
        assert (fin.ddb(cost, salvage, life, per) >= 0).all()
        assert fin.ddb(cost, salvage, life, per).sum() <= base * (1 + 1e-12) + 1e-9

    @given(rate=st.floats(1e-4, 1.0), k=st.integers(1, 365))
    @settings(max_examples=200, deadline=None)
    def test_nominal_inverts_effect(self, rate, k) -> None:
        assert fin.nominal(fin.effect(rate, k), k) == pytest.approx(rate, rel=1e-9)

    @given(r=st.floats(1e-4, 0.5), n=st.integers(1, 60), pv=money)
    @settings(max_examples=200, deadline=None)
    def test_growth_functions_agree(self, r, n, pv) -> None:
        """fvschedule of a flat schedule is fv; pduration and rri invert it."""
        fv = fin.fvschedule(pv, [r] * n)
        assert fv == pytest.approx(-fin.fv(r, n, 0, pv), rel=1e-12)
        assert fin.pduration(r, pv, fv) == pytest.approx(n, rel=1e-9)
        assert fin.rri(n, pv, fv) == pytest.approx(r, rel=1e-9)
