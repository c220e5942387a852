"""Run portfolios and Monte Carlo sweeps on Dask: a laptop, a LocalCluster or an existing cluster.

The communities come as a Dask DataFrame (partitioned by district, say) or a Dask bag of
row dicts. Each partition runs the ordinary :meth:`Portfolio.run_parts` on a worker; the
per-group results come back and are assembled exactly as the pandas path assembles them,
so totals and every community's figures are the same to the fen (each community is
computed on its own, its fund subsidy included, whatever partition it lands in).

Needs the optional extra: ``pip install costshare[dask]``. To use a cluster you already
run, create ``distributed.Client("tcp://scheduler:8786")`` before calling; Dask uses the
active client.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from costshare.community.portfolio import Portfolio, PortfolioResult, assemble
from costshare.errors import InputError, Problem

__all__ = ["monte_carlo_many", "run_portfolio"]


def _run_partition(frame: pd.DataFrame | list[dict[str, Any]], kw: dict[str, Any]):
    df = frame if isinstance(frame, pd.DataFrame) else pd.DataFrame(list(frame))
    p = Portfolio.from_frame(df.reset_index(drop=True), **kw)
    return p.table, p.run_parts()


def run_portfolio(
    communities: Any,
    *,
    name: str = "portfolio",
    base_dir: str | Path = ".",
    template: str | None = None,
    jurisdiction: str = "national",
    file: str = "<portfolio>",
    date: dt.date | None = None,
) -> PortfolioResult:
    """Run a portfolio whose communities are a pandas or Dask DataFrame or a Dask bag.

    Parameters
    ----------
    communities : pandas.DataFrame, dask.dataframe.DataFrame or dask.bag.Bag
        Community rows as for :meth:`Portfolio.from_frame`; with Dask every row needs a
        unique ``id`` (default ids would repeat between partitions).
    name, base_dir, template, jurisdiction, file
        As for :meth:`Portfolio.from_frame`.
    date : date, optional
        The rules' date for rows without a template (default today, resolved once here
        so that every partition uses the same rules).

    Returns
    -------
    PortfolioResult
        Rows in partition order; identical to ``Portfolio.from_frame(whole).run()``.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["a", "b"], "households": [10, 20], "area_m2": [800, 1500],
    ...                    "cost": [1000, 2000], "municipal": [900, 2100]})
    >>> run_portfolio(df).totals()["gap"]
    Decimal('0.00')
    """
    kw = {
        "name": name,
        "base_dir": base_dir,
        "template": template,
        "jurisdiction": jurisdiction,
        "file": file,
        "date": date or dt.date.today(),
    }
    if isinstance(communities, pd.DataFrame):
        return Portfolio.from_frame(communities, **kw).run()
    import dask

    try:
        delayed_parts = communities.to_delayed()
    except AttributeError:
        msg = f"expected a pandas or Dask DataFrame or a Dask bag, got {type(communities).__name__}"
        raise InputError(Problem(msg, field="communities")) from None
    if hasattr(delayed_parts, "ravel"):
        delayed_parts = list(np.ravel(delayed_parts))
    tasks = [dask.delayed(_run_partition)(part, kw) for part in delayed_parts]
    outputs = dask.compute(*tasks)
    tables, parts, offset = [], [], 0
    for table, group_parts in outputs:
        tables.append(table)
        parts.extend(g.shift(offset) for g in group_parts)
        offset += len(table)
    whole = pd.concat(tables, ignore_index=True)
    dup = whole["id"].duplicated()
    if dup.any():
        msg = f"community id {whole['id'][dup].iloc[0]!r} appears in more than one row; partitioned runs need unique ids"
        raise InputError(Problem(msg, file, field="id"))
    return assemble(name, whole, parts)


def _mc_row(i: int, project: Any, draws: int | None, seed: int) -> dict[str, Any]:
    from costshare.ppp import PPPProject, monte_carlo

    if isinstance(project, (str, Path)):
        project = PPPProject.from_yaml(project)
    elif isinstance(project, dict):
        project = PPPProject.from_dict(project, f"project {i + 1}")
    r = monte_carlo(project, draws, seed + i)
    s = r.summary
    return {
        "project": project.name,
        "draws": r.draws,
        "seed": r.seed,
        "p_payback_within": r.p_payback_within,
        **{f"npv_{q}": s.loc["project_npv", q] for q in ("p5", "p50", "p95")},
        **{f"irr_{q}": s.loc["project_irr", q] for q in ("p5", "p50", "p95")},
        "payback_p50": s.loc["payback", "p50"],
    }


def _mc_part(
    part: list[list[Any]], start: int, draws: int | None, seed: int
) -> list[dict[str, Any]]:
    return [_mc_row(start + j, x, draws, seed) for j, x in enumerate(part[0])]


def monte_carlo_many(projects: Any, *, draws: int | None = None, seed: int = 0) -> pd.DataFrame:
    """Monte Carlo for many PPP projects: a list, or a Dask bag, of projects.

    Project ``i`` (a :class:`~costshare.ppp.PPPProject`, a dict or a YAML path) is drawn
    with seed ``seed + i``, so the local and the Dask runs give the same table. Each
    project's draws are vectorized; projects are spread over the workers.

    Returns
    -------
    DataFrame
        One row per project: p_payback_within, NPV and IRR percentiles, median payback.
    """
    if hasattr(projects, "to_delayed"):  # a Dask bag: keep the global index for seeds
        import dask

        bag = projects.map_partitions(lambda part: [list(part)])
        sizes = [len(p[0]) for p in dask.compute(*bag.to_delayed())]
        starts = np.cumsum([0, *sizes[:-1]])
        tasks = [
            dask.delayed(_mc_part)(part, int(start), draws, seed)
            for part, start in zip(bag.to_delayed(), starts, strict=True)
        ]
        rows = [r for chunk in dask.compute(*tasks) for r in chunk]
    else:
        rows = [_mc_row(i, x, draws, seed) for i, x in enumerate(projects)]
    return pd.DataFrame(rows)
