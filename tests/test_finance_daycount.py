"""Day-count conventions of xnpv/xirr: hand-computed year fractions and pyxirr agreement."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import pyxirr

import costshare.finance as fin

D0 = dt.date(1970, 1, 1)


def _days(*iso: str) -> np.ndarray:
    return np.array(iso, dtype="datetime64[D]").astype(np.int64)


@pytest.mark.parametrize(
    ("name", "days"),
    [
        ("ACT_365F", 63 / 365),
        ("ACT_360", 63 / 360),
        ("ACT_ACT_ISDA", 4 / 365 + 59 / 366),  # 4 days of 2007, 59 of leap 2008
        ("THIRTY_U_360", 61 / 360),  # 30/360 US: 28 Dec -> 29 Feb is 2 months 1 day
        ("THIRTY_E_360", 61 / 360),
        ("THIRTY_E_360_ISDA", 62 / 360),  # last day of February counts as the 30th
        ("NL_365", 62 / 365),  # 29 February skipped
    ],
)
def test_hand_computed_year_fractions(name: str, days: float) -> None:
    """2007-12-28 to 2008-02-29 under each convention (ISDA 2006, 4.16)."""
    a, b = _days("2007-12-28", "2008-02-29")
    assert float(fin.year_fraction(a, b, name)) == pytest.approx(days, rel=1e-15)


def test_names_and_aliases() -> None:
    """pyxirr's enum names, its spellings and its DayCount values all select a convention."""
    a, b = _days("2007-01-31", "2007-03-31")
    assert fin.year_fraction(a, b, "30/360 US") == fin.year_fraction(a, b, "THIRTY_U_360")
    assert fin.year_fraction(a, b, pyxirr.DayCount.ACT_360) == (b - a) / 360
    assert fin.year_fraction(a, b, "act/act") == fin.year_fraction(a, b, "ACT_ACT_ISDA")
    with pytest.raises(ValueError, match="unknown day count"):
        fin.year_fraction(a, b, "30/365")


@pytest.mark.parametrize("name", fin.DAY_COUNTS)
def test_year_fraction_equals_pyxirr(name: str) -> None:
    """1,000 random pairs and every pair of awkward month ends, as pyxirr computes."""
    rng = np.random.default_rng(7)
    d1 = rng.integers(-20_000, 30_000, 1000)
    d2 = d1 + rng.integers(0, 3000, 1000)
    ends = _days(
        *[
            "2007-02-28",
            "2008-02-29",
            "2008-02-28",
            "2007-01-31",
            "2007-03-31",
            "2008-12-31",
            "2000-02-29",
            "1900-02-28",
            "2007-08-31",
            "2007-09-30",
            "2008-01-01",
            "2007-12-31",
        ]
    )
    pairs = [(x, y) for x in ends for y in ends if y >= x]
    d1 = np.r_[d1, [p[0] for p in pairs]]
    d2 = np.r_[d2, [p[1] for p in pairs]]
    ours = fin.year_fraction(d1, d2, name)
    dc = getattr(pyxirr.DayCount, name)
    ref = [
        pyxirr.year_fraction(D0 + dt.timedelta(int(x)), D0 + dt.timedelta(int(y)), dc)
        for x, y in zip(d1, d2, strict=True)
    ]
    np.testing.assert_allclose(ours, ref, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", ["ACT_365F", "ACT_360", "THIRTY_U_360", "THIRTY_E_360",
                                  "ACT_ACT_ISDA"])  # fmt: skip
def test_xnpv_xirr_equal_pyxirr(name: str) -> None:
    """xnpv to 1e-9 relative and xirr to 1e-8 (pyxirr's own tolerance) on 50 series,
    the rows computed at once."""
    rng = np.random.default_rng(3)
    dates = np.cumsum(rng.integers(1, 400, (50, 8)), axis=1) + 18_000
    flows = rng.uniform(10, 100, (50, 8)).round(2)
    flows[:, 0] = -flows[:, 1:].sum(axis=1) * rng.uniform(0.6, 0.95, 50)
    dc = getattr(pyxirr.DayCount, name)
    npv = fin.xnpv(0.08, flows, dates, day_count=name)
    irr = fin.xirr(flows, dates, day_count=name)
    for i in range(50):
        ds = [D0 + dt.timedelta(int(x)) for x in dates[i]]
        assert npv[i] == pytest.approx(pyxirr.xnpv(0.08, ds, flows[i], day_count=dc), rel=1e-9)
        assert irr[i] == pytest.approx(pyxirr.xirr(ds, flows[i], day_count=dc), abs=1e-8)


def test_default_is_actual_365() -> None:
    """No day count given: actual/365 fixed, as before and as Excel."""
    v, d = [-100, 60, 60], ["2020-01-01", "2021-01-01", "2022-01-01"]
    assert fin.xnpv(0.1, v, d) == fin.xnpv(0.1, v, d, day_count="ACT_365F")
    assert fin.xnpv(0.1, v, d) == pytest.approx(
        -100 + 60 / 1.1 ** (366 / 365) + 60 / 1.1 ** (731 / 365)
    )
