"""After the works: who maintains the utility lines, and the utilities' tax depreciation relief.

**Handover** (Fujian, seed 002_8a0447c565a51b86.txt line 126): power lines and equipment
not owned by the power company are maintained by the power company once renovated, and
the part the power company invested enters its effective assets (有效资产).
:func:`handover_table` reads a scenario's rule split and says, per power item, who
maintains it afterwards and how much becomes the power company's asset; other categories
keep their owner (the seed says nothing of them).

**Tax depreciation relief** (Zaozhuang, seed 002 line 112: 对改造费用给予税收"计提折旧"优惠;
utilities invested 153 million yuan in 56 communities): :func:`tax_relief` depreciates a
utility's renovation spending straight-line or by double-declining balance (the last two
years straight-line), and computes the tax saved each year (depreciation × tax rate) and
its present value. The life, the tax rate and the discount rate are the caller's
assumptions (no seed gives them).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from costshare.errors import InputError, Problem
from costshare.i18n import t
from costshare.money import allocate, half_up

__all__ = ["depreciation_fen", "handover_table", "tax_relief"]


def handover_table(split: pd.DataFrame) -> pd.DataFrame:
    """Who maintains each item after renovation, and the power company's asset (fen).

    Parameters
    ----------
    split : DataFrame
        A scenario's split table (``ScenarioResult.split.table``): item, category, owner,
        payer, amount_fen.

    Examples
    --------
    >>> t = pd.DataFrame({"item": ["线路", "线路"], "category": ["power"] * 2,
    ...     "owner": ["residents"] * 2, "payer": ["local_finance", "power_company"],
    ...     "amount_fen": [50, 50]})
    >>> handover_table(t)[["maintained_by", "utility_asset_fen"]].values.tolist()
    [['power_company', 50]]
    """
    rows = []
    for (item, cat, owner), g in split.groupby(["item", "category", "owner"], sort=False):
        invested = int(g.loc[g["payer"] == "power_company", "amount_fen"].sum())
        if cat == "power" and owner == "power_company":
            by, code = "power_company", "power_owned"
        elif cat == "power":
            by, code = "power_company", "power_asset" if invested else "power"
        else:
            by, code = ("owner: " + str(owner)), "by_owner"
        rows.append({"item": item, "category": cat, "owner": owner,
                     "cost_fen": int(g["amount_fen"].sum()), "maintained_by": by,
                     "utility_asset_fen": invested if cat == "power" else 0,
                     "note": t(f"handover.note.{code}"), "note_code": code})  # fmt: skip
    return pd.DataFrame(rows)


def depreciation_fen(
    cost_fen: int, life: int, method: Literal["sl", "ddb"] = "sl", salvage_fen: int = 0
) -> npt.NDArray[np.int64]:
    """Yearly depreciation in fen; the years add up to ``cost − salvage`` exactly.

    ``sl``: straight-line, spread by :func:`costshare.money.allocate`. ``ddb``: double-
    declining balance (book × 2 / life, half-up) and the rest straight-line over the last
    two years.

    Examples
    --------
    >>> depreciation_fen(100_000, 5, "sl").tolist()
    [20000, 20000, 20000, 20000, 20000]
    >>> depreciation_fen(100_000, 5, "ddb").tolist()
    [40000, 24000, 14400, 10800, 10800]
    """
    if life < 1:
        raise InputError(Problem("life must be at least 1 year", field="life"))
    base = cost_fen - salvage_fen
    if base < 0:
        raise InputError(Problem("salvage exceeds the cost", field="salvage"))
    if method == "sl" or life < 3:
        return allocate(base, [1] * life) if base else np.zeros(life, dtype=np.int64)
    out = np.zeros(life, dtype=np.int64)
    book = cost_fen
    for y in range(life - 2):
        d = int(half_up(book * 2, life))
        out[y] = d
        book -= d
    rest = book - salvage_fen
    out[-2:] = allocate(rest, [1, 1]) if rest else 0
    return out


def tax_relief(
    spend_fen: int,
    life: int,
    tax_rate: str | Fraction,
    discount_rate: str | Fraction = "0",
    salvage_fen: int = 0,
) -> pd.DataFrame:
    """Tax saved each year by depreciating renovation spending, straight-line vs double-declining.

    Returns
    -------
    DataFrame
        year, ``dep_sl_fen``, ``dep_ddb_fen``, ``saving_sl_fen``, ``saving_ddb_fen`` (half-up
        of depreciation × rate), and their present values ``pv_sl_fen``, ``pv_ddb_fen``
        (saving ÷ (1 + r)^year, half-up).

    Examples
    --------
    >>> t = tax_relief(100_000, 5, "0.25", "0.05")
    >>> int(t["saving_sl_fen"].sum()), int(t["saving_ddb_fen"].sum())
    (25000, 25000)
    >>> int(t["pv_ddb_fen"].sum()) > int(t["pv_sl_fen"].sum())
    True
    """
    rate, r = Fraction(str(tax_rate)), Fraction(str(discount_rate))
    if not 0 <= rate <= 1 or r <= -1:
        raise InputError(Problem("tax rate in [0, 1], discount rate > −1", field="tax_rate"))
    out = {"year": list(range(1, life + 1))}
    for m in ("sl", "ddb"):
        dep = depreciation_fen(spend_fen, life, m, salvage_fen)  # type: ignore[arg-type]
        save = [int(half_up(d * rate.numerator, rate.denominator)) for d in dep.tolist()]
        pv = []
        for y, s in enumerate(save, start=1):
            f = Fraction(s) / (1 + r) ** y
            pv.append(int(half_up(f.numerator, f.denominator)))
        out |= {f"dep_{m}_fen": dep.tolist(), f"saving_{m}_fen": save, f"pv_{m}_fen": pv}
    return pd.DataFrame(out)
