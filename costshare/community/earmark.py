"""Earmarked funding lines: money bound to what it may pay for (渠道不乱、用途不变).

Tongchuan (seed 002_8a0447c565a51b86.txt line 119) pools the clean-heating energy-retrofit
subsidy with the central renovation subsidy while keeping "channels unmixed and uses
unchanged". :func:`earmark_check` enforces that on a sources-and-uses table: every
earmarked line pays the uses it may pay first (in the order the earmarks are given, items
in table order); what it cannot spend there is **idle** (it may not pay anything else);
the remaining uses are set against the free (unearmarked) lines. The balance then holds
as ``uses = sources - idle + free_gap``; where the plain total looks balanced only
because idle earmarked money "pays" other uses, that amount is reported as
**diverted** (``misuse_fen``) and the status is never ``balanced``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from costshare.money import to_yuan

__all__ = ["EarmarkLine", "EarmarkResult", "earmark_check"]


@dataclass(frozen=True)
class EarmarkLine:
    """One earmarked line: what it may pay, what it paid, what is left idle (fen)."""

    channel: str
    may_pay: tuple[str, ...]
    amount_fen: int
    eligible_fen: int  # cost of the uses it may pay (before earlier earmarks paid them)
    used_fen: int
    paid: dict[str, int]  # item -> fen paid by this earmark

    @property
    def idle_fen(self) -> int:
        """Earmarked money not spent on its uses (may not pay anything else)."""
        return self.amount_fen - self.used_fen

    @property
    def uncovered_fen(self) -> int:
        """Cost of its uses left for other (free) money to pay."""
        return self.eligible_fen - self.used_fen


@dataclass(frozen=True)
class EarmarkResult:
    """Every earmark, the free money against the other uses, and the status."""

    lines: tuple[EarmarkLine, ...]
    uses_fen: int
    sources_fen: int

    @property
    def idle_fen(self) -> int:
        """All earmarked money left idle."""
        return sum(x.idle_fen for x in self.lines)

    @property
    def free_gap_fen(self) -> int:
        """Uses left after the earmarks minus the free money (negative: free surplus)."""
        return self.uses_fen - self.sources_fen + self.idle_fen

    @property
    def misuse_fen(self) -> int:
        """Earmarked money a plain total would silently spend on other uses."""
        return min(self.idle_fen, max(self.free_gap_fen, 0))

    @property
    def status(self) -> str:
        """``broken`` (money diverted), ``idle`` (earmarked surplus), ``gap``, ``surplus``,
        or ``balanced`` (only when no earmarked money is idle and the free money fits)."""
        if self.misuse_fen:
            return "broken"
        if self.idle_fen:
            return "idle"
        if self.free_gap_fen > 0:
            return "gap"
        return "surplus" if self.free_gap_fen < 0 else "balanced"

    def balance_lines(self) -> list[tuple[str, str, int, str]]:
        """The balance section's lines after the totals: (line, key, fen, note).

        Each idle earmark, the money a plain total would divert, then the free money's
        gap, surplus or (only when no earmark is broken) ``balanced``.
        """
        out = []
        for x in self.lines:
            if x.idle_fen:
                out.append(
                    (
                        f"专项资金结余（不得挪作他用）earmarked, unspent: {x.channel}",
                        f"earmark_idle:{x.channel}",
                        x.idle_fen,
                        f"may pay only {', '.join(x.may_pay)}",
                    )
                )
        if self.misuse_fen:
            out.append(
                (
                    "专项资金被挪用 earmarked money diverted (if totals are netted)",
                    "earmark_misuse",
                    self.misuse_fen,
                    "渠道不乱、用途不变: these uses need other money",
                )
            )
        gap = self.free_gap_fen
        if gap > 0:
            out.append(("资金缺口 funding gap", "gap", gap, "uses no free money pays"))
        elif gap < 0:
            out.append(("资金结余 surplus", "surplus", -gap, "free money exceeds its uses"))
        elif not self.idle_fen:
            out.append(("收支平衡 balanced", "balanced", 0, ""))
        return out

    def to_records(self) -> list[dict[str, object]]:
        """One record per earmark for JSON and tables (fen)."""
        return [
            {
                "channel": x.channel,
                "may_pay": list(x.may_pay),
                "amount_fen": x.amount_fen,
                "eligible_fen": x.eligible_fen,
                "used_fen": x.used_fen,
                "idle_fen": x.idle_fen,
                "uncovered_fen": x.uncovered_fen,
                "paid_fen": dict(x.paid),
            }
            for x in self.lines
        ]

    def to_json(self) -> dict[str, Any]:
        """JSON-ready: every ``*_fen`` key keeps fen (int) beside its yuan text."""
        lines = []
        for r in self.to_records():
            paid = r.pop("paid_fen")
            out: dict[str, Any] = {}
            for k, v in r.items():
                out[k] = v
                if k.endswith("_fen"):
                    out[k.removesuffix("_fen")] = str(to_yuan(int(v)))  # type: ignore[call-overload]
            out["paid_by_item"] = {i: str(to_yuan(f)) for i, f in paid.items()}  # type: ignore[union-attr]
            lines.append(out)
        figures = {
            "idle": self.idle_fen,
            "diverted": self.misuse_fen,
            "free_gap": self.free_gap_fen,
        }
        head: dict[str, Any] = {"status": self.status}
        for k, v in figures.items():
            head[f"{k}_fen"], head[k] = v, str(to_yuan(v))
        return {**head, "lines": lines}


def earmark_check(
    uses: Iterable[tuple[str, str, int]],
    sources: Mapping[str, int],
    earmarks: Sequence[tuple[str, Sequence[str]]],
) -> EarmarkResult:
    """Assign earmarked money first to what it may pay; report idle, diverted and gap.

    Parameters
    ----------
    uses : iterable of (item, category, fen)
        The work items' costs in table order.
    sources : mapping of channel key to fen
        Every funding line (an earmark names one of these keys).
    earmarks : sequence of (channel, may_pay)
        ``may_pay`` lists categories or item names the channel may pay for.

    Returns
    -------
    EarmarkResult

    Examples
    --------
    Tongchuan shrunk: 5 M energy retrofit, 55.87 M sponge works, 27.87 M earmarked
    for the retrofit and 33 M central subsidy (the figures in yuan, for brevity):

    >>> r = earmark_check([("节能", "facade", 5_000_000), ("海绵", "drainage", 55_870_000)],
    ...                   {"line_department": 27_870_000, "central_subsidy": 33_000_000},
    ...                   [("line_department", ["facade"])])
    >>> r.idle_fen, r.misuse_fen, r.free_gap_fen, r.status
    (22870000, 22870000, 22870000, 'broken')
    """
    items = [(str(i), str(c), int(f)) for i, c, f in uses]
    left = [f for _, _, f in items]
    lines = []
    for channel, may_pay in earmarks:
        allowed = set(may_pay)
        have = int(sources.get(channel, 0))
        budget = have
        eligible = 0
        paid: dict[str, int] = {}
        for k, (item, cat, _) in enumerate(items):
            if item not in allowed and cat not in allowed:
                continue
            eligible += left[k]
            take = min(budget, left[k])
            if take:
                paid[item] = paid.get(item, 0) + take
                left[k] -= take
                budget -= take
        lines.append(EarmarkLine(channel, tuple(may_pay), have, eligible, have - budget, paid))
    return EarmarkResult(
        tuple(lines), sum(f for _, _, f in items), sum(int(v) for v in sources.values())
    )
