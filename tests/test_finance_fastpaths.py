"""The fast paths of IRR, NPV, XIRR and sign counting give the answers of the plain paths.

Issue 24 made these faster (one grid scan per row, one BLAS thread, sign changes by bit
counts, NPV checked through its sums); nothing here is timed. Each test compares a fast
path with the slower general one, or checks that an input the fast path could miss
(NaN, infinity, zeros, overflow, roots off the grid) still gets the documented answer.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import warnings

import numpy as np
import numpy_financial as npf
import pytest
import threadpoolctl
from hypothesis import given, settings
from hypothesis import strategies as st

from costshare import finance as F  # noqa: N812 (as in test_finance.py)
from costshare.finance import _financial, _irr, _irrgrid


def _blas_threads() -> list[int]:
    return [p["num_threads"] for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]


def _mixed(rng: np.random.Generator, n: int, T: int) -> np.ndarray:
    """Conventional rows, rows with a refurbishment and a decommissioning outlay, rows
    without a sign change, and rows with zeros."""
    v = np.empty((n, T))
    v[:, 0] = -rng.uniform(50, 150, n)
    v[:, 1:] = rng.uniform(0, 20, (n, T - 1))
    multi = rng.random(n) < 0.3
    v[multi, T // 2] = -rng.uniform(20, 60, multi.sum())
    v[multi, -1] = -rng.uniform(5, 30, multi.sum())
    v[rng.random(n) < 0.05] *= -1  # outlays later: roots below 0 %
    v[rng.random(n) < 0.05, 0] *= -1  # no sign change
    v[rng.random((n, T)) < 0.03] = 0.0
    return v


class TestBlasThreads:
    def test_one_thread_inside_and_restored_after(self, monkeypatch) -> None:
        """The grid's matrix products run on one BLAS thread; the setting the caller
        had is back afterwards (also when it was already one thread)."""
        seen: list[list[int]] = []
        inner = _irrgrid.grid_values

        def spy(v, rates):
            seen.append(_blas_threads())
            return inner(v, rates)

        monkeypatch.setattr(_irrgrid, "grid_values", spy)
        v = _mixed(np.random.default_rng(1), 4_000, 30)
        before = _blas_threads()
        F.irr(v)
        assert seen and all(t == [1] * len(t) for t in seen)
        assert _blas_threads() == before
        with threadpoolctl.threadpool_limits(1, user_api="blas"):
            F.irr(v)
            assert _blas_threads() == [1] * len(before)
        assert _blas_threads() == before

    def test_small_batches_are_not_limited(self) -> None:
        """Below the size where BLAS would start threads nothing is changed."""
        before = _blas_threads()
        with _irrgrid.one_blas_thread(100):
            assert _blas_threads() == before

    def test_no_warning_from_the_sum_checks(self) -> None:
        """Overflowing and infinite rows in the sums that screen the input warn nothing."""
        v = np.ones((200, 30))
        v[3, :2] = np.inf, -np.inf
        v[4] = 1e308
        v[5, 7] = np.nan
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            F.sign_changes(v)
            F.irr(v)
            F.xirr(v, np.datetime64("2020-01-01") + np.arange(30) * 100)

    def test_import_does_not_load_threadpoolctl(self) -> None:
        code = "import sys, costshare.finance; print('threadpoolctl' in sys.modules)"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.stdout.strip() == "False", out.stderr


class TestSignChanges:
    @pytest.mark.parametrize("T", [2, 3, 17, 30, 53, 54, 80])
    def test_bit_count_equals_row_count(self, T: int) -> None:
        """The bit-count path (2 <= T <= 53, 64 rows or more) equals the per-row path,
        zeros skipped, -0.0 a zero, all-zero rows 0."""
        rng = np.random.default_rng(T)
        v = rng.normal(size=(500, T))
        v[rng.random(v.shape) < 0.25] = 0.0
        v[3] = 0.0
        v[4, ::2] = -0.0
        v[5, 1], v[6, 0], v[7, -1], v[8, 0] = np.nan, np.inf, -np.inf, 1e308
        v[8, 1:] = 1e308
        got = F.sign_changes(v)
        want = np.array([_financial._sign_changes_by_rows(v[i : i + 1])[0] for i in range(500)])
        np.testing.assert_array_equal(got, want)

    @settings(max_examples=40, deadline=None)
    @given(st.lists(st.sampled_from([-2.0, -1.0, 0.0, 1.0, 3.0]), min_size=2, max_size=53))
    def test_hand_count(self, row: list[float]) -> None:
        signs = [np.sign(x) for x in row if x != 0]
        want = sum(a != b for a, b in itertools.pairwise(signs))
        assert F.sign_changes(np.tile(row, (70, 1))).tolist() == [want] * 70


class TestNpvChecks:
    @pytest.mark.parametrize("shape", [(5,), (1, 40), (10_000, 30), (200, 600)])
    @pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
    def test_nan_and_infinity_refused_anywhere(self, shape, bad) -> None:
        """NaN or infinity anywhere in the flows is refused, with a shared rate, a rate
        per row, and at -100 % (where the answer would be NaN anyway)."""
        rng = np.random.default_rng(0)
        for where in (0, -1, shape[-1] // 2):
            v = rng.normal(size=shape)
            v[(..., where)] = bad
            for rate in (0.05, -0.5, -1.0, -2.0, np.full(v.shape[0] if v.ndim == 2 else 1, 0.1)):
                with pytest.raises(ValueError, match="NaN or infinity"):
                    F.npv(rate, v)

    def test_inf_and_minus_inf_in_one_row_refused(self) -> None:
        v = np.ones((100, 30))
        v[7, 3], v[7, 9] = np.inf, -np.inf
        with pytest.raises(ValueError, match="NaN or infinity"):
            F.npv(0.1, v)

    def test_overflowing_sum_of_finite_flows_is_a_number(self) -> None:
        """A finite row whose present value overflows gives infinity, not an error;
        factors that underflow to 0 do not hide anything."""
        assert F.npv(0.0, [1e308, 1e308]) == np.inf
        assert F.npv(1e300, [1.0, 1e308, 5.0]) == pytest.approx(1.0 + 1e8)  # 5/1e600 -> 0
        with pytest.raises(ValueError):
            F.npv(1e300, [1.0, 2.0, np.nan])

    def test_fast_path_equals_general_path(self) -> None:
        """The scalar-rate path equals numpy-financial and the one-rate-per-row path."""
        v = np.random.default_rng(3).normal(size=(300, 25))
        for r in (0.0, 0.07, -0.3, -1.5):
            got = F.npv(r, v)
            np.testing.assert_allclose(got, F.npv(np.full(300, r), v), rtol=1e-12, atol=1e-12)
            if r > -1:
                want = [npf.npv(r, x) for x in v[:20]]
                np.testing.assert_allclose(got[:20], want, rtol=1e-12, atol=1e-12)
        assert F.npv(np.float64(0.1), [-100.0, 60.0, 60.0]) == pytest.approx(4.132231405)
        assert F.npv(0.1, np.array([[-100.0, 60.0, 60.0]]).T[:, 0]) == pytest.approx(4.132231405)


class TestIrrScan:
    def test_single_change_rows_equal_newton_in_cauchy_bounds(self) -> None:
        """Rows with one sign change, now solved from the grid, have the root the
        bracketed Newton in Cauchy's bounds finds (the one root there is)."""
        rng = np.random.default_rng(5)
        v = _mixed(rng, 3_000, 30)
        one = np.flatnonzero(F.sign_changes(v) == 1)
        with np.errstate(all="ignore"):
            want = _irr._irr_single_change(v[one], 0.1)
        got = F.irr(v[one])
        np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-13)
        assert np.all(np.abs(F.npv(got, v[one])) <= 1e-9 * np.abs(v[one]).sum(axis=1))

    def test_roots_off_the_grid(self) -> None:
        """One sign change with the root beyond the grid (above +100,000 % or within
        0.01 % of -100 %) falls back to Newton in Cauchy's bounds."""
        assert F.irr([-1.0, 1e7]) == pytest.approx(1e7 - 1, rel=1e-12)
        assert F.irr([-1.0, 1e-6]) == pytest.approx(1e-6 - 1, rel=1e-9)
        assert F.irr([[-1.0, 1e7], [-100.0, 110.0]]) == pytest.approx([1e7 - 1, 0.1])

    @pytest.mark.parametrize("frac", [1.0, 0.9, 0.5])
    def test_carried_columns_equal_copied_columns(self, frac: float) -> None:
        """Newton on chosen columns gives the same bits whether the other columns are
        carried along (most asked) or the asked ones are copied out (few asked)."""
        rng = np.random.default_rng(9)
        v = _mixed(rng, 1_000, 30)
        v = v[F.sign_changes(v) == 1]
        vt = np.ascontiguousarray(v.T)
        cols = np.sort(rng.choice(v.shape[0], int(frac * v.shape[0]), replace=False))
        g = _irrgrid.GRID
        a, b = 1 / (1 + g[-1]), 1 / (1 + g[0])
        a, b = np.full(cols.size, a), np.full(cols.size, b)
        x0 = np.full(cols.size, 0.9)
        with np.errstate(all="ignore"):
            carried = _irrgrid.solve_bracketed(vt, a, b, x0, cols=cols)
            copied = _irrgrid.solve_bracketed(np.ascontiguousarray(vt[:, cols]), a, b, x0)
        np.testing.assert_array_equal(carried, copied)
        assert np.isfinite(carried).all()

    @pytest.mark.parametrize("frac", [1.0, 0.8, 0.3])
    def test_first_event_on_a_subset_of_rows(self, frac: float) -> None:
        """The first grid event of chosen rows is the same whether all rows are scanned
        once (most chosen) or the chosen rows are copied (few chosen)."""
        rng = np.random.default_rng(11)
        v = _mixed(rng, 2_000, 30)
        rows = np.sort(rng.choice(v.shape[0], int(frac * v.shape[0]), replace=False))
        seq = _irrgrid.GRID[int(np.searchsorted(_irrgrid.GRID, 0.0)) :]
        got = _irrgrid.first_event(v, seq, skip_first_zero=False, rows=rows)
        want = _irrgrid.first_event(v[rows], seq, skip_first_zero=False)
        for g_, w_ in zip(got, want, strict=True):
            np.testing.assert_array_equal(g_, w_)

    def test_agrees_with_numpy_financial_on_a_mix(self) -> None:
        """On a mix with zeros and negative roots, the rate agrees with numpy-financial
        wherever numpy-financial's root is the one the root rule picks (one sign
        change), and NPV at every rate found is zero."""
        rng = np.random.default_rng(13)
        v = _mixed(rng, 400, 20)
        got = F.irr(v)
        one = F.sign_changes(v) == 1
        want = np.array([npf.irr(x) for x in v[one]])
        np.testing.assert_allclose(got[one], want, rtol=1e-9, atol=1e-12)
        ok = ~np.isnan(got)
        assert np.all(np.abs(F.npv(got[ok], v[ok])) <= 1e-8 * np.abs(v[ok]).sum(axis=1))


def test_xirr_early_stop_keeps_the_root() -> None:
    """The early acceptance of a Newton step (quadratic convergence) leaves XIRR where
    the full iteration ends: NPV at the rate is zero to 1e-10 of the flows."""
    rng = np.random.default_rng(17)
    v = np.empty((500, 12))
    v[:, 0] = -rng.uniform(50, 150, 500)
    v[:, 1:] = rng.uniform(0, 30, (500, 11))
    days = np.sort(rng.integers(1, 365 * 10, (500, 12)), axis=1)
    days[:, 0] = 0
    d = np.datetime64("2020-01-01") + days
    r = F.xirr(v, d)
    assert not np.isnan(r).any()
    np.testing.assert_allclose(F.xnpv(r, v, d), 0.0, atol=1e-10 * np.abs(v).sum(axis=1).max())
