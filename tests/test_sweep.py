"""National sweep: chunked totals are exact and do not depend on the chunk size or runner."""

from decimal import Decimal

import dask
import pytest

from costshare.scale.sweep import national_sweep


@pytest.fixture(scope="module")
def small():
    return national_sweep(300, 30_000, chunk=100, seed=3)


class TestNationalSweep:
    def test_totals_by_hand(self, small):
        """30,000 households × 26,800 = 804,000,000 yuan; × 70 m² = 2,100,000 m².

        Central subsidy 20% = 160,800,000; residents 15% = 120,600,000; the mix adds up
        to 95%, so the gap is 5% = 40,200,000.
        """
        s = small.summary()
        assert s["communities"] == 300
        assert s["households"] == 30_000
        assert s["area_m2"] == Decimal("2100000.00")
        assert s["uses"] == Decimal("804000000.00")
        assert s["channels"]["central_subsidy"] == Decimal("160800000.00")
        assert s["channels"]["residents"] == Decimal("120600000.00")
        assert s["gap"] == Decimal("40200000.00")

    def test_households_shares_add_up(self, small):
        """Residents' money split among households adds up to the residents' line exactly."""
        assert small.residents_fen == small.channels_fen["residents"]
        assert int(small.households_by_bin.sum()) == 30_000

    def test_chunk_size_does_not_change_totals(self, small):
        """National lines are split among chunks exactly, so other chunkings agree."""
        other = national_sweep(300, 30_000, chunk=70, seed=3)
        assert other.channels_fen == small.channels_fen
        assert (other.uses_fen, other.area_cm2) == (small.uses_fen, small.area_cm2)

    def test_dask_runner_equals_serial(self, small):
        """Chunks as Dask tasks give the same sums as the serial loop."""
        with dask.config.set(scheduler="threads"):
            d = national_sweep(300, 30_000, chunk=100, seed=3, use_dask=True)
        assert d.summary() | {"seconds": 0} == small.summary() | {"seconds": 0}

    def test_processes_equal_serial(self, small):
        """Chunks run in two processes give the same sums as the serial loop."""
        d = national_sweep(300, 30_000, chunk=100, seed=3, workers=2)
        assert d.summary() | {"seconds": 0} == small.summary() | {"seconds": 0}

    def test_rules_are_passed_in(self, small):
        """A RuleSet given to the sweep is the one its engine runs with (no loading)."""
        from costshare import rules

        rs = rules.load("national", on="2024-06-30")
        r = national_sweep(300, 30_000, chunk=100, seed=3, rules=rs)
        assert r.summary() | {"seconds": 0} == small.summary() | {"seconds": 0}

    def test_progress_reports_every_community(self):
        """The progress callback sees every community once."""
        seen = []
        national_sweep(250, 20_000, chunk=100, progress=seen.append)
        assert seen == [100, 100, 50]

    def test_local_cluster_equals_serial(self, small):
        """Chunks as tasks on a Dask LocalCluster (two worker processes) give the serial
        run's sums to the fen."""
        from distributed import Client, LocalCluster

        with (
            LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster,
            Client(cluster),
        ):
            d = national_sweep(300, 30_000, chunk=100, seed=3, use_dask=True)
        assert d.summary() | {"seconds": 0} == small.summary() | {"seconds": 0}
        assert d.residents_fen == d.channels_fen["residents"]
