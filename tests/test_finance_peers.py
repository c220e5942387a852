"""numpy-financial's own tests, run against costshare.finance.

Ported from numpy-financial, ``numpy_financial/tests/test_financial.py`` (github.com/
numpy/numpy-financial, commit f47e8af, BSD-3-Clause) with the expected values exactly as
upstream wrote them. Deliberate differences, each marked ``# costshare:`` below:

* no ``raise_exceptions=``: costshare reports why instead (``irr(...,
  full_output=True).reason``, NaN from ``rate``), so those tests check the reason;
* rate arrays pair with rows (one rate per project) instead of numpy-financial's outer
  product of rates and rows, so ``mirr``'s broadcast table is checked cell by cell;
* where a test filters its random inputs with ``assume`` to what costshare accepts,
  Hypothesis's too-much-filtering health check is switched off;
* NaN or infinite inputs are refused with ``ValueError`` (upstream's fuzz tests only draw
  finite numbers, so they run unchanged in spirit: no crash, a finite-or-NaN answer).
"""

import math
import warnings
from decimal import Decimal

import numpy
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as npst
from numpy.testing import assert_, assert_allclose, assert_equal

from costshare import finance as npf

# upstream's numpy_financial/tests/strategies.py
nicely_behaved_doubles = npst.from_dtype(
    numpy.dtype("f8"), allow_nan=False, allow_infinity=False, allow_subnormal=False
)
cashflow_array_strategy = npst.arrays(
    dtype=npst.floating_dtypes(sizes=64),
    shape=npst.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=25),
    elements=nicely_behaved_doubles,
)
cashflow_array_like_strategy = st.one_of(
    cashflow_array_strategy, cashflow_array_strategy.map(lambda x: x.tolist())
)
short_nicely_behaved_doubles = npst.arrays(
    dtype=npst.floating_dtypes(sizes=64),
    shape=npst.array_shapes(min_dims=0, max_dims=1, min_side=0, max_side=5),
    elements=nicely_behaved_doubles,
)
when_strategy = st.sampled_from(["end", "begin", "e", "b", 0, 1, "beginning", "start", "finish"])


def assert_decimal_close(actual, expected, tol=Decimal("1e-7")):
    if hasattr(actual, "__iter__") and hasattr(expected, "__iter__"):
        for a, e in zip(actual, expected, strict=True):
            assert abs(a - e) <= tol
    else:
        assert abs(actual - expected) <= tol


class TestFinancial:
    def test_when(self):
        assert_equal(npf.rate(10, 20, -3500, 10000, 1), npf.rate(10, 20, -3500, 10000, "begin"))
        assert_equal(npf.rate(10, 20, -3500, 10000), npf.rate(10, 20, -3500, 10000, "end"))
        assert_equal(npf.rate(10, 20, -3500, 10000, 0), npf.rate(10, 20, -3500, 10000, "end"))
        assert_equal(npf.pv(0.07, 20, 12000, 0, 1), npf.pv(0.07, 20, 12000, 0, "begin"))
        assert_equal(npf.pv(0.07, 20, 12000, 0), npf.pv(0.07, 20, 12000, 0, "end"))
        assert_equal(npf.pv(0.07, 20, 12000, 0, 0), npf.pv(0.07, 20, 12000, 0, "end"))
        assert_equal(
            npf.pmt(0.08 / 12, 5 * 12, 15000.0, 0, 1),
            npf.pmt(0.08 / 12, 5 * 12, 15000.0, 0, "begin"),
        )
        assert_equal(
            npf.pmt(0.08 / 12, 5 * 12, 15000.0, 0), npf.pmt(0.08 / 12, 5 * 12, 15000.0, 0, "end")
        )
        assert_equal(
            npf.pmt(0.08 / 12, 5 * 12, 15000.0, 0, 0),
            npf.pmt(0.08 / 12, 5 * 12, 15000.0, 0, "end"),
        )
        assert_equal(
            npf.nper(0.075, -2000, 0, 100000.0, 1), npf.nper(0.075, -2000, 0, 100000.0, "begin")
        )
        assert_equal(
            npf.nper(0.075, -2000, 0, 100000.0), npf.nper(0.075, -2000, 0, 100000.0, "end")
        )
        assert_equal(
            npf.nper(0.075, -2000, 0, 100000.0, 0), npf.nper(0.075, -2000, 0, 100000.0, "end")
        )

    def test_decimal_with_when(self):
        D = Decimal
        assert_equal(
            npf.rate(D("10"), D("20"), D("-3500"), D("10000"), D("1")),
            npf.rate(D("10"), D("20"), D("-3500"), D("10000"), "begin"),
        )
        assert_equal(
            npf.rate(D("10"), D("20"), D("-3500"), D("10000")),
            npf.rate(D("10"), D("20"), D("-3500"), D("10000"), "end"),
        )
        assert_equal(
            npf.rate(D("10"), D("20"), D("-3500"), D("10000"), D("0")),
            npf.rate(D("10"), D("20"), D("-3500"), D("10000"), "end"),
        )
        assert_equal(
            npf.pv(D("0.07"), D("20"), D("12000"), D("0"), D("1")),
            npf.pv(D("0.07"), D("20"), D("12000"), D("0"), "begin"),
        )
        assert_equal(
            npf.pv(D("0.07"), D("20"), D("12000"), D("0")),
            npf.pv(D("0.07"), D("20"), D("12000"), D("0"), "end"),
        )
        assert_equal(
            npf.pv(D("0.07"), D("20"), D("12000"), D("0"), D("0")),
            npf.pv(D("0.07"), D("20"), D("12000"), D("0"), "end"),
        )


class TestPV:
    def test_pv(self):
        assert_allclose(npf.pv(0.07, 20, 12000, 0), -127128.17, rtol=1e-2)

    def test_pv_decimal(self):
        assert_equal(
            npf.pv(Decimal("0.07"), Decimal("20"), Decimal("12000"), Decimal("0")),
            Decimal("-127128.1709461939327295222005"),
        )


class TestRate:
    def test_rate(self):
        assert_allclose(npf.rate(10, 0, -3500, 10000), 0.1107, rtol=1e-4)

    @pytest.mark.parametrize("number_type", [Decimal, float])
    @pytest.mark.parametrize("when", [0, 1, "end", "begin"])
    def test_rate_with_infeasible_solution(self, number_type, when):
        result = npf.rate(
            number_type(12.0),
            number_type(400.0),
            number_type(10000.0),
            number_type(5000.0),
            when=when,
        )
        is_nan = Decimal.is_nan if number_type == Decimal else numpy.isnan
        assert is_nan(result)

    def test_rate_decimal(self):
        rate = npf.rate(Decimal("10"), Decimal("0"), Decimal("-3500"), Decimal("10000"))
        assert_equal(Decimal("0.1106908537142689284704528100"), rate)

    def test_gh48(self):
        des = [-0.39920185, -0.02305873, -0.41818459, 0.26513414, numpy.nan]
        nper = 2
        pmt = 0
        pv = [-593.06, -4725.38, -662.05, -428.78, -13.65]
        fv = [214.07, 4509.97, 224.11, 686.29, -329.67]
        actual = npf.rate(nper, pmt, pv, fv)
        assert_allclose(actual, des)

    # costshare: no raise_exceptions; the rates that do not converge are NaN instead.
    def test_rate_maximum_iterations_gives_nan(self):
        assert math.isnan(
            npf.rate(Decimal(12.0), Decimal(400.0), Decimal(10000.0), Decimal(5000.0))  # noqa: RUF032
        )
        pv = [-593.06, -4725.38, -662.05, -428.78, -13.65]
        fv = [214.07, 4509.97, 224.11, 686.29, -329.67]
        assert numpy.isnan(npf.rate(2, 0, pv, fv)).sum() == 1


class TestNpv:
    def test_npv(self):
        assert_allclose(
            npf.npv(0.05, [-15000.0, 1500.0, 2500.0, 3500.0, 4500.0, 6000.0]), 122.89, rtol=1e-2
        )

    # costshare: a rate array pairs with rows, so only a single rate or one per row fits.
    @settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
    @given(rates=short_nicely_behaved_doubles, values=cashflow_array_strategy)
    def test_fuzz(self, rates, values):
        assume(rates.size == 1 or (values.ndim == 2 and rates.size == values.shape[0]))
        assume(rates.ndim <= 1)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # costshare: no warning may leak
            res = numpy.asarray(npf.npv(rates, values))
        assert res.shape == (() if values.ndim == 1 else (values.shape[0],))

    @pytest.mark.parametrize("rates", [[[1, 2, 3]], numpy.empty(shape=(1, 1, 1))])
    def test_invalid_rates_shape(self, rates):
        cashflows = [1, 2, 3]
        with pytest.raises(ValueError):
            npf.npv(rates, cashflows)

    @pytest.mark.parametrize("cf", [[[[1, 2, 3]]], numpy.empty(shape=(1, 1, 1))])
    def test_invalid_cashflows_shape(self, cf):
        rates = [1, 2, 3]
        with pytest.raises(ValueError):
            npf.npv(rates, cf)

    @pytest.mark.parametrize("rate", [-1, -1.0])
    def test_rate_of_negative_one_returns_nan(self, rate):
        cashflow = numpy.arange(5)
        assert numpy.isnan(npf.npv(rate, cashflow))


class TestPmt:
    def test_pmt_simple(self):
        assert_allclose(npf.pmt(0.08 / 12, 5 * 12, 15000), -304.145914)

    def test_pmt_zero_rate(self):
        assert_allclose(npf.pmt(0.0, 5 * 12, 15000), -250.0)

    def test_pmt_broadcast(self):
        res = npf.pmt([[0.0, 0.8], [0.3, 0.8]], [12, 3], [2000, 20000])
        tgt = numpy.array([[-166.66667, -19311.258], [-626.90814, -19311.258]])
        assert_allclose(res, tgt)

    def test_pmt_decimal_simple(self):
        res = npf.pmt(Decimal("0.08") / Decimal("12"), 5 * 12, 15000)
        assert_equal(res, Decimal("-304.1459143262052370338701494"))

    def test_pmt_decimal_zero_rate(self):
        res = npf.pmt(Decimal("0"), Decimal("60"), Decimal("15000"))
        assert_equal(res, -250)

    def test_pmt_decimal_broadcast(self):
        res = npf.pmt(
            [[Decimal("0"), Decimal("0.8")], [Decimal("0.3"), Decimal("0.8")]],
            [Decimal("12"), Decimal("3")],
            [Decimal("2000"), Decimal("20000")],
        )
        tgt = numpy.array(
            [
                [Decimal("-166.6666666666666666666666667"), Decimal("-19311.25827814569536423841060")],
                [Decimal("-626.9081401700757748402586600"), Decimal("-19311.25827814569536423841060")],
            ]
        )  # fmt: skip
        assert_equal(res[0][0], tgt[0][0])
        assert_equal(res[0][1], tgt[0][1])
        assert_equal(res[1][0], tgt[1][0])
        assert_equal(res[1][1], tgt[1][1])


class TestMirr:
    @pytest.mark.parametrize(
        ("values", "finance_rate", "reinvest_rate", "expected"),
        [
            ([-4500, -800, 800, 800, 600, 600, 800, 800, 700, 3000], 0.08, 0.055, 0.0666),
            ([-120000, 39000, 30000, 21000, 37000, 46000], 0.10, 0.12, 0.126094),
            ([100, 200, -50, 300, -200], 0.05, 0.06, 0.3428),
            ([39000, 30000, 21000, 37000, 46000], 0.10, 0.12, None),
        ],
    )
    def test_mirr(self, values, finance_rate, reinvest_rate, expected):
        result = npf.mirr(values, finance_rate, reinvest_rate)
        if expected:
            decimal_part_len = len(str(expected).split(".")[1])
            difference = 10**-decimal_part_len
            assert_allclose(result, expected, atol=difference)
        else:
            assert_(numpy.isnan(result))

    # costshare: rates pair with rows, so the outer table is built one column at a time.
    def test_mirr_broadcast(self):
        values = [
            [-4500, -800, 800, 800, 600],
            [-120000, 39000, 30000, 21000, 37000],
            [100, 200, -50, 300, -200],
        ]
        finance_rate = [0.05, 0.08, 0.10]
        reinvestment_rate = [0.08, 0.10, 0.12]
        expected = numpy.array(
            [
                [-0.1784449, -0.17328716, -0.1684366],
                [0.04627293, 0.05437856, 0.06252201],
                [0.35712458, 0.40628857, 0.44435295],
            ]
        )
        actual = numpy.column_stack(
            [npf.mirr(values, f, r) for f, r in zip(finance_rate, reinvestment_rate, strict=True)]
        )
        assert_allclose(actual, expected)
        # and a 1-D series with a list of rates gives one MIRR per rate
        assert_allclose(npf.mirr(values[0], finance_rate, reinvestment_rate), expected[0])

    # costshare: NaN instead of NoRealSolutionError
    def test_mirr_no_real_solution(self):
        assert numpy.isnan(npf.mirr([39000, 30000, 21000, 37000, 46000], 0.10, 0.12))

    @settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
    @given(
        values=cashflow_array_like_strategy,
        finance_rate=short_nicely_behaved_doubles,
        reinvestment_rate=short_nicely_behaved_doubles,
    )
    def test_fuzz(self, values, finance_rate, reinvestment_rate):
        assume(finance_rate.size == reinvestment_rate.size)
        assume(finance_rate.size == 1)  # costshare: one rate per row
        assume((finance_rate > -1).all() and (reinvestment_rate > -1).all())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            npf.mirr(values, finance_rate, reinvestment_rate)

    @settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
    @given(
        values=cashflow_array_like_strategy,
        finance_rate=short_nicely_behaved_doubles,
        reinvestment_rate=short_nicely_behaved_doubles,
    )
    def test_mismatching_rates_raise(self, values, finance_rate, reinvestment_rate):
        assume(finance_rate.size != reinvestment_rate.size)
        assume(min(finance_rate.size, reinvestment_rate.size) != 1)  # costshare: 1 broadcasts
        with pytest.raises(ValueError):
            npf.mirr(values, finance_rate, reinvestment_rate)


class TestNper:
    def test_basic_values(self):
        assert_allclose(npf.nper([0, 0.075], -2000, 0, 100000), [50, 21.544944], rtol=1e-5)

    def test_gh_18(self):
        with numpy.errstate(divide="raise"):
            assert_allclose(npf.nper(0.1, 0, -500, 1500), 11.52670461)

    def test_infinite_payments(self):
        with numpy.errstate(divide="raise"):
            result = npf.nper(0, -0.0, 1000)
        assert_(result == numpy.inf)

    def test_no_interest(self):
        assert_(npf.nper(0, -100, 1000) == 10)

    def test_broadcast(self):
        assert_allclose(npf.nper(0.075, -2000, 0, 100000.0, [0, 1]), [21.5449442, 20.76156441], 4)

    # costshare: arguments broadcast (no outer product); rates <= -100 % are refused.
    @settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
    @given(
        rates=short_nicely_behaved_doubles,
        payments=short_nicely_behaved_doubles,
        present_values=short_nicely_behaved_doubles,
        future_values=short_nicely_behaved_doubles,
        whens=when_strategy,
    )
    def test_fuzz(self, rates, payments, present_values, future_values, whens):
        assume((rates > -1).all())
        try:
            numpy.broadcast_shapes(
                rates.shape, payments.shape, present_values.shape, future_values.shape
            )
        except ValueError:
            assume(False)
        npf.nper(rates, payments, present_values, future_values, whens)


class TestPpmt:
    def test_float(self):
        assert_allclose(npf.ppmt(0.1 / 12, 1, 60, 55000), -710.25, rtol=1e-4)

    def test_decimal(self):
        result = npf.ppmt(
            Decimal("0.1") / Decimal("12"), Decimal("1"), Decimal("60"), Decimal("55000")
        )
        assert_equal(result, Decimal("-710.2541257864217612489830917"))

    @pytest.mark.parametrize("when", [1, "begin"])
    def test_when_is_begin(self, when):
        assert_allclose(npf.ppmt(0.1 / 12, 1, 60, 55000, 0, when), -1158.929712, rtol=1e-9)

    @pytest.mark.parametrize("when", [None, 0, "end"])
    def test_when_is_end(self, when):
        args = (0.1 / 12, 1, 60, 55000, 0)
        result = npf.ppmt(*args) if when is None else npf.ppmt(*args, when)
        assert_allclose(result, -710.254126, rtol=1e-9)

    @pytest.mark.parametrize("when", [Decimal("1"), "begin"])
    def test_when_is_begin_decimal(self, when):
        result = npf.ppmt(
            Decimal("0.08") / Decimal("12"), Decimal("1"), Decimal("60"), Decimal("15000."),
            Decimal("0"), when,
        )  # fmt: skip
        assert_decimal_close(result, Decimal("-302.131703"), tol=1e-5)

    @pytest.mark.parametrize("when", [None, Decimal("0"), "end"])
    def test_when_is_end_decimal(self, when):
        args = (
            Decimal("0.08") / Decimal("12"), Decimal("1"), Decimal("60"), Decimal("15000."),
            Decimal("0"),
        )  # fmt: skip
        result = npf.ppmt(*args) if when is None else npf.ppmt(*args, when)
        assert_decimal_close(result, Decimal("-204.145914"), tol=1e-5)

    @pytest.mark.parametrize(
        "args",
        [
            (0.1 / 12, 0, 60, 15000),
            (Decimal("0.012"), Decimal("0"), Decimal("60"), Decimal("15000")),
        ],
    )
    def test_invalid_per(self, args):
        assert math.isnan(npf.ppmt(*args))

    @pytest.mark.parametrize(
        ("when", "desired"),
        [
            (None, [-75.62318601, -76.25337923, -76.88882405, -77.52956425]),
            ([0, 1, "end", "begin"], [-75.62318601, -75.62318601, -76.88882405, -76.88882405]),
        ],
    )
    def test_broadcast(self, when, desired):
        args = (0.1 / 12, numpy.arange(1, 5), 24, 2000, 0)
        result = npf.ppmt(*args) if when is None else npf.ppmt(*args, when)
        assert_allclose(result, desired, rtol=1e-5)

    @pytest.mark.parametrize(
        ("when", "desired"),
        [
            (
                None,
                [Decimal("-75.62318601"), Decimal("-76.25337923"), Decimal("-76.88882405"),
                 Decimal("-77.52956425")],
            ),
            (
                [Decimal("0"), Decimal("1"), "end", "begin"],
                [Decimal("-75.62318601"), Decimal("-75.62318601"), Decimal("-76.88882405"),
                 Decimal("-76.88882405")],
            ),
        ],
    )  # fmt: skip
    def test_broadcast_decimal(self, when, desired):
        args = (
            Decimal("0.1") / Decimal("12"), numpy.arange(1, 5), Decimal("24"), Decimal("2000"),
            Decimal("0"),
        )  # fmt: skip
        result = npf.ppmt(*args) if when is None else npf.ppmt(*args, when)
        assert_decimal_close(result, desired, tol=1e-8)


class TestIpmt:
    def test_float(self):
        assert_allclose(npf.ipmt(0.1 / 12, 1, 24, 2000), -16.666667, rtol=1e-6)

    def test_decimal(self):
        result = npf.ipmt(Decimal("0.1") / Decimal("12"), 1, 24, 2000)
        assert result == Decimal("-16.66666666666666666666666667")

    @pytest.mark.parametrize("when", [1, "begin"])
    def test_when_is_begin(self, when):
        assert npf.ipmt(0.1 / 12, 1, 24, 2000, 0, when) == 0

    @pytest.mark.parametrize("when", [None, 0, "end"])
    def test_when_is_end(self, when):
        if when is None:
            result = npf.ipmt(0.1 / 12, 1, 24, 2000)
        else:
            result = npf.ipmt(0.1 / 12, 1, 24, 2000, 0, when)
        assert_allclose(result, -16.666667, rtol=1e-6)

    @pytest.mark.parametrize("when", [Decimal("1"), "begin"])
    def test_when_is_begin_decimal(self, when):
        result = npf.ipmt(
            Decimal("0.1") / Decimal("12"), Decimal("1"), Decimal("24"), Decimal("2000"),
            Decimal("0"), when,
        )  # fmt: skip
        assert result == 0

    @pytest.mark.parametrize("when", [None, Decimal("0"), "end"])
    def test_when_is_end_decimal(self, when):
        desired = Decimal("-16.666667")
        args = (
            Decimal("0.1") / Decimal("12"), Decimal("1"), Decimal("24"), Decimal("2000"),
            Decimal("0"),
        )  # fmt: skip
        result = npf.ipmt(*args) if when is None else npf.ipmt(*args, when)
        assert_decimal_close(result, desired, tol=1e-5)

    @pytest.mark.parametrize(
        ("per", "desired"), [(0, numpy.nan), (1, 0), (2, -594.107158), (3, -592.971592)]
    )
    def test_gh_17(self, per, desired):
        rate = 0.001988079518355057
        result = npf.ipmt(rate, per, 360, 300000, when="begin")
        if numpy.isnan(desired):
            assert numpy.isnan(result)
        else:
            assert_allclose(result, desired, rtol=1e-6)

    def test_broadcasting(self):
        desired = [numpy.nan, -16.66666667, -16.03647345, -15.40102862, -14.76028842]
        assert_allclose(npf.ipmt(0.1 / 12, numpy.arange(5), 24, 2000), desired, rtol=1e-6)

    def test_decimal_broadcasting(self):
        desired = [
            Decimal("-16.66666667"),
            Decimal("-16.03647345"),
            Decimal("-15.40102862"),
            Decimal("-14.76028842"),
        ]
        result = npf.ipmt(
            Decimal("0.1") / Decimal("12"), list(range(1, 5)), Decimal("24"), Decimal("2000")
        )
        assert_decimal_close(result, desired, tol=1e-4)

    def test_0d_inputs(self):
        args = (0.1 / 12, 1, 24, 2000)
        assert numpy.isscalar(npf.ipmt(*args))
        args = (numpy.array(args[0]), *args[1:])
        assert numpy.isscalar(npf.ipmt(*args))


class TestFv:
    def test_float(self):
        assert_allclose(npf.fv(0.075, 20, -2000, 0, 0), 86609.362673042924, rtol=1e-10)

    def test_decimal(self):
        assert_decimal_close(
            npf.fv(Decimal("0.075"), Decimal("20"), Decimal("-2000"), 0, 0),
            Decimal("86609.36267304300040536731624"),
            tol=1e-10,
        )

    @pytest.mark.parametrize("when", [1, "begin"])
    def test_when_is_begin_float(self, when):
        assert_allclose(npf.fv(0.075, 20, -2000, 0, when), 93105.064874, rtol=1e-10)

    @pytest.mark.parametrize("when", [Decimal("1"), "begin"])
    def test_when_is_begin_decimal(self, when):
        result = npf.fv(Decimal("0.075"), Decimal("20"), Decimal("-2000"), Decimal("0"), when)
        assert_decimal_close(result, Decimal("93105.064874"), tol=5)

    @pytest.mark.parametrize("when", [None, 0, "end"])
    def test_when_is_end_float(self, when):
        args = (0.075, 20, -2000, 0)
        result = npf.fv(*args) if when is None else npf.fv(*args, when)
        assert_allclose(result, 86609.362673, rtol=1e-10)

    @pytest.mark.parametrize("when", [None, Decimal("0"), "end"])
    def test_when_is_end_decimal(self, when):
        args = (Decimal("0.075"), Decimal("20"), Decimal("-2000"), Decimal("0"))
        result = npf.fv(*args) if when is None else npf.fv(*args, when)
        assert_decimal_close(result, Decimal("86609.362673"), tol=5)

    def test_broadcast(self):
        result = npf.fv([[0.1], [0.2]], 5, 100, 0, [0, 1])
        desired = [[-610.510000, -671.561000], [-744.160000, -892.992000]]
        assert_allclose(result, desired, rtol=1e-10)

    def test_some_rates_zero(self):
        assert_allclose(npf.fv([0, 0.1], 5, 100, 0), [-500, -610.51], rtol=1e-10)


class TestIrr:
    def test_npv_irr_congruence(self):
        cashflows = numpy.array([-40000, 5000, 8000, 12000, 30000])
        assert_allclose(npf.npv(npf.irr(cashflows), cashflows), 0, atol=1e-9, rtol=0)

    @pytest.mark.parametrize(
        ("v", "desired"),
        [
            ([-150000, 15000, 25000, 35000, 45000, 60000], 0.0524),
            ([-100, 0, 0, 74], -0.0955),
            ([-100, 39, 59, 55, 20], 0.28095),
            ([-100, 100, 0, -7], -0.0833),
            ([-100, 100, 0, 7], 0.06206),
            ([-5, 10.5, 1, -8, 1], 0.0886),
        ],
    )
    def test_basic_values(self, v, desired):
        assert_allclose(npf.irr(v), desired, rtol=1e-2)

    def test_trailing_zeros(self):
        assert_allclose(npf.irr([-5, 10.5, 1, -8, 1, 0, 0, 0]), 0.0886, rtol=1e-2)

    @pytest.mark.parametrize("v", [(1, 2, 3), (-1, -2, -3)])
    def test_numpy_gh_6744(self, v):
        assert numpy.isnan(npf.irr(v))

    def test_gh_15(self):
        v = [
            -3000.0, 2.3926932267015667e-07, 4.1672087103345505e-16, 5.3965110036378706e-25,
            5.1962551071806174e-34, 3.7202955645436402e-43, 1.9804961711632469e-52,
            7.8393517651814181e-62, 2.3072565113911438e-71, 5.0491839233308912e-81,
            8.2159177668499263e-91, 9.9403244366963527e-101, 8.942410813633967e-111,
            5.9816122646481191e-121, 2.9750309031844241e-131, 1.1002067043497954e-141,
            3.0252876563518021e-152, 6.1854121948207909e-163, 9.4032980015353301e-174,
            1.0629218520017728e-184, 8.9337141847171845e-196, 5.5830607698467935e-207,
            2.5943122036622652e-218, 8.9635842466507006e-230, 2.3027710094332358e-241,
            4.3987510596745562e-253, 6.2476630372575209e-265, 6.598046841695288e-277,
            5.1811095266842017e-289, 3.0250999925830644e-301, 1.3133070599585015e-313,
        ]  # fmt: skip
        result = npf.irr(v)
        assert numpy.isfinite(result)
        desired = -0.9999999990596069
        assert_allclose(result, desired, rtol=1e-9)

    def test_gh_39(self):
        cashflows = numpy.array(
            [
                -217500.0, -217500.0, 108466.80462450592, 101129.96439328062,
                93793.12416205535, 86456.28393083003, 79119.44369960476, 71782.60346837944,
                64445.76323715414, 57108.92300592884, 49772.08277470355, 42435.24254347826,
                35098.40231225296, 27761.56208102766, 20424.721849802358, 13087.88161857707,
                5751.041387351768, -1585.7988438735192, -8922.639075098821,
                -16259.479306324123, -23596.31953754941, -30933.159768774713, -38270.0,
                -45606.8402312253, -52943.680462450604, -60280.520693675906,
                -67617.36092490121,
            ]
        )  # fmt: skip
        assert_allclose(npf.irr(cashflows), 0.12)

    def test_gh_44(self):
        cf = [-1678.87, 771.96, 1814.05, 3520.30, 3552.95, 3584.99, 4789.91, -1]
        assert_allclose(npf.irr(cf), 1.00426, rtol=1e-4)

    # costshare: the reason instead of NoRealSolutionError
    def test_irr_no_real_solution(self):
        cashflows = numpy.array([40000, 5000, 8000, 12000, 30000])
        res = npf.irr(cashflows, full_output=True)
        assert numpy.isnan(res.rate) and res.reason == "no_sign_change"
