"""The result of a city portfolio: every community's sources and uses, and the totals.

Exports read this result (:func:`costshare.report.portfolio_xlsx.write_portfolio_xlsx`); it imports neither
the exports nor the portfolio model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from costshare.community.scenario_result import (
    LOCAL_FINANCE_LINES,
    balance_table,
    fund_json,
    memo_lines,
    uses_by_item,
)
from costshare.errors import InputError, Problem
from costshare.money import half_up, to_yuan

__all__ = ["FUND_LABELS", "PortfolioResult"]

I64 = np.int64
FUND_LABELS = {
    "target_fen": "维修资金补齐目标 fund target",
    "topup_fen": "补交维修资金 fund top-up",
    "fund_used_fen": "维修资金支付 fund used",
    "subsidy_fen": "财政补贴 fund subsidy",
    "cash_fen": "现金支付 cash",
    "fund_after_fen": "改造后维修资金余额 fund after",
    "net_outlay_fen": "业主净支出 net outlay",
}
"""Labels of the maintenance-fund memo columns (``FUND_COLUMNS``)."""


def _yuan_per(fen: int, n: Decimal | int) -> Decimal:
    num, den = Decimal(n).as_integer_ratio()
    return to_yuan(half_up(fen * den, num))


@dataclass(frozen=True)
class PortfolioResult:
    """Every community's sources and uses; totals are the exact column sums.

    Attributes
    ----------
    name : str
        Programme name.
    communities : DataFrame
        One row per community, **communities with a funding gap first** (largest gap
        first), then the rest in input order: id, name, district, template,
        jurisdiction, households, area_m2, area_cm2, uses_fen, sources_fen, gap_fen
        (negative = surplus), residents_fen, residents_note (the note of its residents'
        line) and per-household / per-m² indicators in fen (half-up); also rules_date.
    sources : DataFrame
        int64 fen, same row order, one column per funding line key (``payer:<id>`` for
        enterprises' rule shares, channel keys, ``residents_fund``, ``residents``,
        ``other:<name>``).
    labels : dict
        Funding line key to its Chinese label.
    obligations : DataFrame
        int64 fen, same row order, what each payer owes under the rules (``pooled``: paid
        from the funding plan).
    payer_labels : dict
        Payer id to label.
    uses : DataFrame
        Long table: id, item, category, amount_fen.
    fund : DataFrame or None
        Maintenance-fund memo (id and ``FUND_COLUMNS``, int64 fen) of the communities on
        templates with a Ningbo top-up, in the same order; each community is its own fund
        account, so each row equals the community's scenario ``fund`` memo.
    line_text : dict
        Per template key, each funding line's (label, note) as a scenario shows it.
    rules : tuple of RuleSet
        The rules each template ran under (what they read is the audit appendix).
    """

    name: str
    communities: pd.DataFrame
    sources: pd.DataFrame
    labels: dict[str, str]
    obligations: pd.DataFrame
    payer_labels: dict[str, str]
    uses: pd.DataFrame
    fund: pd.DataFrame | None = None
    line_text: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    rules: tuple[Any, ...] = ()  # the RuleSet of each template (their reads: the audit)

    def __len__(self) -> int:
        return len(self.communities)

    def by_channel(self) -> pd.DataFrame:
        """Totals by funding line: key, line, amount_fen, amount (Decimal), communities.

        Examples
        --------
        >>> from costshare.community.portfolio import Portfolio
        >>> p = Portfolio.from_frame(pd.DataFrame({"households": [10, 10],
        ...     "area_m2": [700, 800], "cost": [100, 200], "municipal": [60.5, 70.25]}))
        >>> p.run().by_channel()[["key", "amount_fen", "communities"]].values.tolist()
        [['municipal', 13075, 2]]
        """
        s = self.sources
        return pd.DataFrame(
            {
                "key": list(s.columns),
                "line": [self.labels[k] for k in s.columns],
                "amount_fen": s.sum(axis=0).to_numpy(dtype=I64),
                "amount": [to_yuan(v) for v in s.sum(axis=0)],
                "communities": (s != 0).sum(axis=0).to_numpy(dtype=I64),
            }
        )

    def by_payer(self) -> pd.DataFrame:
        """Obligations by payer under the rules, largest first (ties by payer id)."""
        o = self.obligations.sum(axis=0)
        df = pd.DataFrame(
            {
                "payer": list(o.index),
                "label": [self.payer_labels[p] for p in o.index],
                "amount_fen": o.to_numpy(dtype=I64),
            }
        )
        df = df.sort_values(["amount_fen", "payer"], ascending=[False, True], kind="stable")
        df["amount"] = [to_yuan(v) for v in df["amount_fen"]]
        return df.reset_index(drop=True)

    def by_district(self) -> pd.DataFrame:
        """Households, uses, sources, gap and each funding line summed per district (fen).

        Line columns are keyed as in ``sources``, except the district-finance channel,
        which is ``district_finance`` here (as in a community table) so that it does not
        clash with the ``district`` column.

        Examples
        --------
        >>> from costshare.community.portfolio import Portfolio
        >>> p = Portfolio.from_frame(pd.DataFrame({"district": ["甲", "甲"], "households": [5, 5],
        ...     "area_m2": [400, 400], "cost": [100, 100], "district_finance": [30, 40]}))
        >>> p.run().by_district()[["district", "uses_fen", "district_finance"]].values.tolist()
        [['甲', 20000, 7000]]
        """
        c = self.communities
        head = c[["households", "uses_fen", "sources_fen", "gap_fen"]]
        lines = self.sources.rename(columns={"district": "district_finance"})
        df = pd.concat([head, lines], axis=1)
        out = df.groupby(c["district"].to_numpy(), sort=True).sum()
        return out.rename_axis("district").reset_index()

    def totals(self) -> dict[str, Any]:
        """City totals (Decimal yuan) and indicators; each total is the sum of communities.

        Keys: communities, households, area_m2, uses, sources, gap, communities_with_gap,
        gap_of_those (sum of positive gaps), uses_per_household, uses_per_m2,
        sources_per_household, sources_per_m2, residents, residents_per_household.
        """
        c = self.communities
        hh = int(c["households"].sum())
        area = (Decimal(int(c["area_cm2"].sum())) / 100).quantize(Decimal("0.01"))
        uses, src = int(c["uses_fen"].sum()), int(c["sources_fen"].sum())
        res = int(c["residents_fen"].sum())
        gaps = c["gap_fen"].to_numpy()
        return {
            "communities": len(c),
            "households": hh,
            "area_m2": area,
            "uses": to_yuan(uses),
            "sources": to_yuan(src),
            "gap": to_yuan(uses - src),
            "communities_with_gap": int((gaps > 0).sum()),
            "gap_of_those": to_yuan(int(gaps[gaps > 0].sum())),
            "uses_per_household": _yuan_per(uses, hh),
            "uses_per_m2": _yuan_per(uses, area),
            "sources_per_household": _yuan_per(src, hh),
            "sources_per_m2": _yuan_per(src, area),
            "residents": to_yuan(res),
            "residents_per_household": _yuan_per(res, hh),
        }

    def _row(self, cid: str) -> int:
        hit = np.flatnonzero(self.communities["id"].to_numpy() == cid)
        if not len(hit):
            raise InputError(Problem(f"no community {cid!r}", field="id"))
        return int(hit[0])

    def community(self, cid: str) -> pd.DataFrame:
        """One community's sources and uses, the same lines as its scenario's ``table()``.

        Columns section, line, key, amount_fen, amount, note
        (see :func:`~costshare.community.scenario_result.balance_table`).
        """
        i = self._row(cid)
        u = self.uses[self.uses["id"] == cid]
        c = self.communities
        text = dict(self.line_text.get(str(c["template"].iloc[i]), {}))
        if "residents" in text and "residents_note" in c.columns:
            text["residents"] = (text["residents"][0], str(c["residents_note"].iloc[i]))
        lines = [
            (*text.get(k, (self.labels[k], "")), k, int(v))
            for k, v in self.sources.iloc[i].items()
            if v != 0
        ]
        fund = self.community_fund(cid)
        src = self.sources.iloc[i]
        cash = int(src.get("residents", 0))
        burden = cash + int(fund["topup_fen"]) if fund else cash + int(src.get("residents_fund", 0))
        return balance_table(
            uses_by_item(u[["item", "category", "amount_fen"]].itertuples(index=False)),
            [(label, k, v, note) for label, note, k, v in lines],
            memo_lines(int(c["households"].iloc[i]), burden, fund),
        )

    def community_fund(self, cid: str) -> dict[str, int] | None:
        """One community's maintenance-fund memo (``FUND_COLUMNS`` in fen), or None."""
        self._row(cid)
        if self.fund is None or cid not in set(self.fund["id"]):
            return None
        row = self.fund[self.fund["id"] == cid].iloc[0]
        return {k: int(row[k]) for k in FUND_LABELS}

    def community_dict(self, cid: str) -> dict[str, Any]:
        """One community as JSON-ready data, in the form of a scenario's ``to_dict()``.

        Keys: id, name, jurisdiction, rules_date, sources_and_uses (the lines of
        :meth:`community`, yuan as text) and fund (the memo in yuan, or None).

        Examples
        --------
        >>> from costshare.community.portfolio import Portfolio
        >>> p = Portfolio.from_frame(pd.DataFrame({"id": ["a"], "households": [2],
        ...     "area_m2": [100], "cost": [10], "municipal": [4]}))
        >>> [r["key"] for r in p.run().community_dict("a")["sources_and_uses"]][-3:]
        ['total_uses', 'total_sources', 'gap']
        """
        i = self._row(cid)
        c = self.communities.iloc[i]
        t = self.community(cid)
        fund = self.community_fund(cid)
        return {
            "id": cid,
            "name": c["name"],
            "jurisdiction": c["jurisdiction"],
            "rules_date": c.get("rules_date"),
            "sources_and_uses": [
                {**r, "amount": str(r["amount"])}
                for r in t.drop(columns="amount_fen").to_dict("records")
            ],
            "fund": fund_json(fund),
        }

    def table(self) -> pd.DataFrame:
        """The community summary for display: yuan as Decimal, fen columns dropped."""
        c = self.communities
        out = c[["id", "name", "district", "households", "area_m2"]].copy()
        for col in ("uses", "sources", "gap", "residents"):
            out[col] = [to_yuan(v) for v in c[f"{col}_fen"]]
        out["uses_per_household"] = [to_yuan(v) for v in c["uses_per_household_fen"]]
        out["uses_per_m2"] = [to_yuan(v) for v in c["uses_per_m2_fen"]]
        return out

    def wide(self) -> pd.DataFrame:
        """Community summary, one yuan column per funding line, and the fund memo if any.

        The fund columns (``FUND_LABELS``) are blank for communities without a top-up.
        """
        out = self.table()
        for k in self.sources.columns:
            out[self.labels[k]] = [to_yuan(v) for v in self.sources[k]]
        if self.fund is not None:
            memo = {r[0]: r[1:] for r in self.fund[["id", *FUND_LABELS]].itertuples(index=False)}
            ids = self.communities["id"].tolist()
            for j, label in enumerate(FUND_LABELS.values()):
                out[label] = [to_yuan(memo[c][j]) if c in memo else None for c in ids]
        return out

    def warnings(self) -> list[str]:
        """Communities whose local-finance shares (rules and scenario) exceed their local lines.

        Local lines are :data:`~costshare.community.scenario_result.LOCAL_FINANCE_LINES`;
        the rest is covered by other lines (e.g. the central subsidy) that no rule assigns.
        """
        if "local_finance" not in self.obligations:
            return []
        owed = self.obligations["local_finance"].to_numpy(dtype=I64)
        cols = [k for k in LOCAL_FINANCE_LINES if k in self.sources]
        have = self.sources[cols].sum(axis=1).to_numpy(dtype=I64) if cols else owed * 0
        ids = self.communities["id"].to_numpy()
        return [
            f"community {ids[i]!r}: local finance (地方财政) is assigned {to_yuan(int(owed[i]))} "
            f"yuan but its local funding lines total {to_yuan(int(have[i]))}"
            for i in np.flatnonzero(owed > have)
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: rules used (jurisdiction and date), totals, by channel, by payer,
        communities (yuan as text)."""

        def txt(df: pd.DataFrame) -> list[dict[str, Any]]:
            recs = df.drop(columns=[c for c in df.columns if c.endswith("_fen")])
            return [
                {k: str(v) if isinstance(v, Decimal) else v for k, v in r.items()}
                for r in recs.to_dict("records")
            ]

        c = self.communities
        used = c[["jurisdiction", "rules_date"]].drop_duplicates() if "rules_date" in c else None
        return {
            "portfolio": self.name,
            "rules": [] if used is None else used.to_dict("records"),
            "totals": {
                k: str(v) if isinstance(v, Decimal) else v for k, v in self.totals().items()
            },
            "by_channel": txt(self.by_channel()),
            "by_payer": txt(self.by_payer()),
            "warnings": self.warnings(),
            "communities": txt(self.wide()),
        }
