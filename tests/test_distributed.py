"""Dask path: a portfolio partitioned by district gives the pandas result to the fen."""

from pathlib import Path

import dask.bag as db
import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client, LocalCluster

from costshare.community.portfolio import Portfolio
from costshare.errors import InputError
from costshare.scale.distributed import monte_carlo_many, run_portfolio
from costshare.scale.synth import synthetic_city

PPP_EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "ppp" / "ppp_example.yaml"


@pytest.fixture(scope="module")
def city():
    return synthetic_city(seed=7)


def same(a, b):
    """Every community row, funding line and payer obligation equal, to the fen."""
    assert a.communities.equals(b.communities)
    assert a.sources.equals(b.sources)
    assert a.obligations.equals(b.obligations)
    assert a.uses.equals(b.uses)
    assert a.totals() == b.totals()


class TestRunPortfolio:
    def test_pandas_frame_is_the_plain_path(self, city):
        """A pandas frame runs exactly as Portfolio.run."""
        same(run_portfolio(city), Portfolio.from_frame(city).run())

    def test_dask_dataframe_by_district_equals_pandas(self, city):
        """Partitioned by district (one partition per district), the result is identical."""
        by_district = city.sort_values("district", kind="stable").reset_index(drop=True)
        ddf = dd.from_pandas(
            by_district.set_index("district", drop=False), npartitions=4, sort=True
        )
        ddf = ddf.reset_index(drop=True)
        expected = Portfolio.from_frame(ddf.compute().reset_index(drop=True)).run()
        same(run_portfolio(ddf), expected)

    def test_bag_of_rows(self, city):
        """A Dask bag of row dicts gives the same result."""
        bag = db.from_sequence(city.to_dict("records"), npartitions=5)
        same(run_portfolio(bag), Portfolio.from_frame(city).run())

    def test_duplicate_ids_across_partitions_refused(self):
        """Default ids would repeat across partitions: duplicates are named."""
        df = pd.DataFrame({"households": [10, 10], "area_m2": [500, 600], "cost": [1, 2]})
        with pytest.raises(InputError, match="C0001"):
            run_portfolio(dd.from_pandas(df, npartitions=2))

    def test_local_cluster_two_workers(self, city):
        """On a LocalCluster with two worker processes the totals equal the pandas path."""
        ddf = dd.from_pandas(city, npartitions=4)
        with (
            LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster,
            Client(cluster),
        ):
            got = run_portfolio(ddf)
        same(got, Portfolio.from_frame(city).run())


class TestMonteCarloMany:
    def test_bag_equals_list(self):
        """A Dask bag of PPP projects gives the same per-project table as a plain list."""
        projects = [str(PPP_EXAMPLE)] * 4
        local = monte_carlo_many(projects, draws=300, seed=5)
        spread = monte_carlo_many(db.from_sequence(projects, npartitions=3), draws=300, seed=5)
        assert local.equals(spread)
        assert local["seed"].tolist() == [5, 6, 7, 8]
        assert ((local["p_payback_within"] >= 0) & (local["p_payback_within"] <= 1)).all()
