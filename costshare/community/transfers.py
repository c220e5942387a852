"""Dividing a subsidy or transfer pot over areas by a stated formula, exactly.

Each weighted factor gives every area a share of that factor's total (fiscal capacity
inversely: ``(1/c_i) / Σ 1/c``, so weaker areas get more; ``equal``: ``1/n``); the area's
formula share is the weighted mean of its factor shares. Floors (``min_grant`` and an
area's own ``floor``) and caps (``cap_share`` of the pot and an area's own ``cap``) are
met by the one scale λ with ``Σ clip(λ·share_i, floor_i, cap_i) = pot`` (found exactly
between the breakpoints); areas strictly between their bounds then split what is left by
their shares with :func:`costshare.money.allocate`, so the parts add up to the pot to
the fen.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from costshare.community.transfers_model import FACTORS, Pot
from costshare.errors import InputError, Problem
from costshare.money import allocate, half_up, to_fen, to_yuan
from costshare.progress import Progress, as_progress

__all__ = ["TransferResult", "allocate_pot", "factor_shares"]


def factor_shares(pot: Pot) -> dict[str, list[Fraction]]:
    """Each weighted factor's share per area (exact; each list sums to 1).

    Examples
    --------
    >>> p = Pot.from_dict({"name": "t", "pot": 100, "areas": [
    ...     {"id": "a", "fiscal_capacity": 1}, {"id": "b", "fiscal_capacity": 3}],
    ...     "weights": [{"factor": "fiscal_capacity", "weight": 1, "confidence": "A",
    ...                  "reason": "test"}]})
    >>> [str(x) for x in factor_shares(p)["fiscal_capacity"]]
    ['3/4', '1/4']
    """
    out: dict[str, list[Fraction]] = {}
    n = len(pot.areas)
    for w in pot.weights:
        if w.factor == "equal":
            out["equal"] = [Fraction(1, n)] * n
            continue
        vals = [Fraction(getattr(a, w.factor)) for a in pot.areas]
        if w.factor == "fiscal_capacity":
            vals = [1 / v for v in vals]
        total = sum(vals)
        if total == 0:
            msg = f"factor {w.factor!r} is 0 for every area: nothing to divide by"
            raise InputError(Problem(msg, field=f"weights.{w.factor}"))
        out[w.factor] = [v / total for v in vals]
    return out


def _bounds(pot: Pot, pot_fen: int) -> tuple[list[int], list[int | None]]:
    lo, hi = [], []
    share_cap = None if pot.cap_share is None else int(Fraction(pot.cap_share) * pot_fen)
    for a in pot.areas:
        lo.append(max(to_fen(pot.min_grant), to_fen(a.floor) if a.floor is not None else 0))
        caps = [c for c in (share_cap, None if a.cap is None else to_fen(a.cap)) if c is not None]
        hi.append(min(caps) if caps else None)
    return lo, hi


def _scale(
    share: list[Fraction], lo: list[int], hi: list[int | None], total: int, progress: Progress
) -> Fraction:
    """The λ with Σ clip(λ·share, lo, hi) = total (exact, piecewise linear).

    Each breakpoint tried is one pass over the areas: `progress` hears it (``transfers.bounds``).
    """

    def f(lam: Fraction) -> Fraction:
        return sum(
            (
                min(Fraction(h), max(Fraction(lo_), lam * s))
                if h is not None
                else max(lo_, lam * s)
                for s, lo_, h in zip(share, lo, hi, strict=True)
            ),
            Fraction(0),
        )

    points = sorted(
        {Fraction(0)}
        | {Fraction(b) / s for s, b in zip(share, lo, strict=True) if s > 0}
        | {Fraction(b) / s for s, b in zip(share, hi, strict=True) if s > 0 and b is not None}
    )
    prev = points[0]
    for k, p in enumerate(points[1:], start=1):
        progress.step(k, len(points), "transfers.bounds")
        if f(p) >= total:
            break
        prev = p
    else:
        p = None
    # on [prev, p] (or [prev, ∞)) f is linear with slope Σ share of the areas strictly inside
    inside = sum(
        (s for s, b, h in zip(share, lo, hi, strict=True)
         if s > 0 and b <= prev * s and (h is None or h > prev * s)),
        Fraction(0),
    )  # fmt: skip
    if inside == 0:
        return prev
    return prev + (total - f(prev)) / inside


@dataclass(frozen=True)
class TransferResult:
    """The pot's division: one row per area with its factor shares and its grant (fen)."""

    pot: Pot
    table: pd.DataFrame
    pot_fen: int

    def to_frame(self) -> pd.DataFrame:
        """The table for display: shares in percent, money in yuan."""
        t = self.table.copy()
        for c in [c for c in t.columns if c.startswith("share_") or c == "formula_share"]:
            t[c] = [f"{float(x) * 100:.2f}%" for x in t[c]]
        t["formula_amount"] = [to_yuan(v) for v in t.pop("formula_fen")]
        t["grant"] = [to_yuan(v) for v in t.pop("grant_fen")]
        t["per_household"] = [to_yuan(v) if v is not None else None for v in t.pop("per_hh_fen")]
        return t

    def explain(self, area: str) -> str:
        """One area's share in words: each factor's share × weight, the bound, the grant."""
        r = self.table.set_index("area").loc[area]
        wsum = sum(w.weight for w in self.pot.weights)
        parts = [
            f"{FACTORS[w.factor]} {float(r[f'share_{w.factor}']) * 100:.2f}% × {w.weight}/{wsum}"
            + (" (weight assumed A)" if w.confidence == "A" else "")
            for w in self.pot.weights
        ]
        text = (
            f"{area}: formula share {float(r['formula_share']) * 100:.4f}% = "
            + " + ".join(parts)
            + f"; formula amount {to_yuan(int(r['formula_fen']))} yuan"
        )
        if r["bound"]:
            text += f"; {r['bound']}"
        return text + f"; grant {to_yuan(int(r['grant_fen']))} yuan"


def allocate_pot(pot: Pot, *, progress: Progress | None = None) -> TransferResult:
    """Divide the pot over its areas by the weighted formula with floors and caps.

    `progress` hears ``transfers.shares``, ``transfers.bounds`` (one step per breakpoint
    of the floors and caps, each a pass over the areas) and ``transfers.rows``.

    Raises
    ------
    InputError
        When the floors exceed the pot or the caps cannot take it all.

    Examples
    --------
    >>> p = Pot.from_dict({"name": "t", "pot": 100, "min_grant": 30, "areas": [
    ...     {"id": "a", "households": 9}, {"id": "b", "households": 1}],
    ...     "weights": [{"factor": "households", "weight": 1, "confidence": "A",
    ...                  "reason": "test"}]})
    >>> allocate_pot(p).table[["area", "grant_fen", "bound"]].values.tolist()
    [['a', 7000, ''], ['b', 3000, 'floor 30.00 yuan']]
    """
    prog = as_progress(progress)
    prog.step(0, 20, "transfers.shares")
    total = to_fen(pot.pot)
    fs = factor_shares(pot)
    wsum = sum(Fraction(w.weight) for w in pot.weights)
    n = len(pot.areas)
    share = [sum((Fraction(w.weight) / wsum * fs[w.factor][i] for w in pot.weights), Fraction(0))
             for i in range(n)]  # fmt: skip
    lo, hi = _bounds(pot, total)
    if sum(lo) > total:
        msg = f"the floors add up to {to_yuan(sum(lo))} yuan, more than the pot"
        raise InputError(Problem(msg, field="min_grant"))
    if all(h is not None for h in hi) and sum(h for h in hi if h is not None) < total:
        msg = "the caps cannot take the whole pot: raise cap_share or an area's cap"
        raise InputError(Problem(msg, field="cap_share"))
    lam = _scale(share, lo, hi, total, prog.part(0.05, 0.9))
    prog.step(18, 20, "transfers.rows")
    grant = [0] * n
    bound = [""] * n
    free = []
    for i in range(n):
        x = lam * share[i]
        if (x <= lo[i] and lo[i] > 0) or share[i] == 0:
            grant[i], bound[i] = lo[i], f"floor {to_yuan(lo[i])} yuan" if lo[i] else ""
        elif hi[i] is not None and x >= hi[i]:
            grant[i], bound[i] = int(hi[i]), f"cap {to_yuan(int(hi[i]))} yuan"
        else:
            free.append(i)
    left = total - sum(grant)
    if free:
        for i, v in zip(free, allocate(left, [share[i] for i in free]).tolist(), strict=True):
            grant[i] = v
    elif left:
        raise InputError(Problem("every area is at a bound and money is left", field="pot"))
    formula = allocate(total, share).tolist() if any(share) else [0] * n
    rows = []
    for i, a in enumerate(pot.areas):
        row = {"area": a.id}
        row |= {f"share_{k}": v[i] for k, v in fs.items()}
        per = None if not a.households else int(half_up(grant[i], a.households))
        row |= {"formula_share": share[i], "formula_fen": formula[i], "bound": bound[i],
                "grant_fen": grant[i], "per_hh_fen": per}  # fmt: skip
        rows.append(row)
    prog.step(20, 20, "transfers.rows")
    return TransferResult(pot, pd.DataFrame(rows), total)
