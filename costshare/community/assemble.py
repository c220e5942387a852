"""Assemble group results (one per template) into a :class:`PortfolioResult`, gap first."""

from __future__ import annotations

import numpy as np
import pandas as pd

from costshare.community.engine import GroupResult, order_keys
from costshare.community.fund import FUND_COLUMNS
from costshare.community.model import POOLED
from costshare.community.portfolio_result import PortfolioResult
from costshare.money import muldiv

__all__ = ["assemble"]

I64 = np.int64


def assemble(name: str, t: pd.DataFrame, parts: list[GroupResult]) -> PortfolioResult:
    """Put every group's rows back in table order, then list communities gap first.

    Parameters
    ----------
    name : str
        Programme name.
    t : DataFrame
        The normalized community table (ids, names, districts).
    parts : list of GroupResult
        One per template group, with row positions into `t`.

    Returns
    -------
    PortfolioResult

    Examples
    --------
    >>> from costshare.community.portfolio import Portfolio
    >>> p = Portfolio.from_frame(pd.DataFrame({"id": ["a", "b"], "households": [1, 1],
    ...     "area_m2": [50, 50], "cost": [100, 300], "municipal": [100, 200]}))
    >>> assemble(p.name, p.table, p.run_parts()).communities["id"].tolist()  # gap first
    ['b', 'a']
    """
    n = len(t)
    labels: dict[str, str] = {}
    payer_labels: dict[str, str] = {}
    line_text: dict[str, dict[str, tuple[str, str]]] = {}
    for g in parts:
        labels.update({k: v for k, v in g.labels.items() if k not in labels})
        payer_labels.update(g.template.rules.payers)
        text = line_text.setdefault(g.template.key, {})
        text.update({k: (g.labels[k], g.notes[k]) for k in g.sources})
    keys = order_keys(k for g in parts for k in g.sources)
    payers = list(dict.fromkeys(p for g in parts for p in g.obligations))
    kpos = {k: i for i, k in enumerate(keys)}
    ppos = {p: i for i, p in enumerate(payers)}
    S = np.zeros((n, len(keys)), dtype=I64)
    OB = np.zeros((n, len(payers)), dtype=I64)
    uses, hh, area_num, area_den = (np.zeros(n, I64) for _ in range(4))
    area_den[:] = 1
    tmpl, jur, day, note = (np.empty(n, dtype=object) for _ in range(4))
    memo = np.zeros((n, len(FUND_COLUMNS)), dtype=I64)
    has_memo = np.zeros(n, dtype=bool)
    for g in parts:
        ix = g.index
        uses[ix], hh[ix] = g.uses, g.households
        area_num[ix], area_den[ix] = g.area_num, g.area_den
        tmpl[ix], jur[ix] = g.template.key, g.template.rules.key
        day[ix] = g.template.rules.on.isoformat()
        note[ix] = g.residents_note
        for k, v in g.sources.items():
            S[ix, kpos[k]] = v
        for p, v in g.obligations.items():
            OB[ix, ppos[p]] = v
        if g.memo is not None:
            memo[ix] = np.column_stack([g.memo[c] for c in FUND_COLUMNS])
            has_memo[ix] = True
    src = S.sum(axis=1)
    gap = uses - src
    res_cols = [kpos[k] for k in ("residents_fund", "residents") if k in kpos]
    res = S[:, res_cols].sum(axis=1) if res_cols else np.zeros(n, I64)
    area_cm2 = muldiv(area_num, 100, area_den)
    # gap first (largest first), then the rest in input order
    order = np.lexsort((np.arange(n), -np.maximum(gap, 0), gap <= 0))
    ids = t["id"].to_numpy()
    comm = pd.DataFrame(
        {
            "id": ids,
            "name": t["name"].to_numpy(),
            "district": t["district"].to_numpy(),
            "template": tmpl,
            "jurisdiction": jur,
            "rules_date": day,
            "households": hh,
            "area_m2": area_num / area_den,
            "area_cm2": area_cm2,
            "uses_fen": uses,
            "sources_fen": src,
            "gap_fen": gap,
            "residents_fen": res,
            "residents_note": note,
            "uses_per_household_fen": muldiv(uses, 1, hh),
            "uses_per_m2_fen": muldiv(uses, area_den, area_num),
            "residents_per_household_fen": muldiv(res, 1, hh),
            "residents_per_m2_fen": muldiv(res, area_den, area_num),
        }
    )
    fund = None
    if has_memo.any():
        keep = order[has_memo[order]]
        fund = pd.DataFrame(memo[keep], columns=list(FUND_COLUMNS))
        fund.insert(0, "id", ids[keep])
    return PortfolioResult(
        name=name,
        communities=comm.iloc[order].reset_index(drop=True),
        sources=pd.DataFrame(S[order], columns=keys),
        labels={k: labels[k] for k in keys},
        obligations=pd.DataFrame(OB[order], columns=payers),
        payer_labels={
            p: payer_labels.get(p, "由资金来源支付" if p == POOLED else p) for p in payers
        },
        uses=_uses(ids, parts, order),
        fund=fund,
        line_text=line_text,
        rules=tuple({id(g.template.rules): g.template.rules for g in parts}.values()),
    )


def _uses(ids: np.ndarray, parts: list[GroupResult], order: np.ndarray) -> pd.DataFrame:
    """Long table id, item, category, amount_fen; communities gap first, items in order."""
    frames = []
    for g in parts:
        n, m = g.costs.shape
        frames.append(
            pd.DataFrame(
                {
                    "pos": np.repeat(g.index, m),
                    "item": np.tile(np.asarray(g.template.items, dtype=object), n),
                    "category": np.tile(np.asarray(g.template.categories, dtype=object), n),
                    "amount_fen": g.costs.reshape(-1),
                }
            )
        )
    items = pd.concat(frames, ignore_index=True)
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    pos = items["pos"].to_numpy()
    items = items.iloc[np.argsort(rank[pos], kind="stable")].drop(columns="pos")
    items.insert(0, "id", ids[pos[np.argsort(rank[pos], kind="stable")]])
    return items.reset_index(drop=True)
