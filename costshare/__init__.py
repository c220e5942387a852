"""costshare: who pays what in China's old-community renovation, exact to the fen.

Money is integer fen inside and ``Decimal`` yuan at the edges; rules are dated, sourced
YAML tables; engines are pure functions over pydantic models and DataFrames.

Subpackages by layer: :mod:`costshare.money` and :mod:`costshare.rules` at the bottom;
engines in :mod:`costshare.community`, :mod:`costshare.households`,
:mod:`costshare.finance` and :mod:`costshare.ppp`; :mod:`costshare.report` (charts,
exports) and :mod:`costshare.scale` (synthetic data, sweeps) above them; the CLI in
:mod:`costshare.cli`. Subpackages and the heavier names load on first use, so
``import costshare`` stays quick for scripts.

>>> import costshare
>>> costshare.allocate(costshare.to_fen("100.00"), [2, 1, 1]).tolist()
[5000, 2500, 2500]
>>> costshare.votes.__name__
'costshare.households.votes'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from costshare.errors import InputError
from costshare.money import allocate, format_amount, to_fen, to_yuan

if TYPE_CHECKING:  # what the lazy attributes below resolve to, for type checkers
    from costshare import cli, community, finance, households, ppp, report, rules, scale
    from costshare.community import fund, plan, portfolio, scenario, split
    from costshare.community.fund import maintenance_fund
    from costshare.community.portfolio import Portfolio
    from costshare.community.scenario import Scenario
    from costshare.community.split import split_costs
    from costshare.households import elevator, roster, sheet, votes
    from costshare.households.roster import read_roster
    from costshare.households.sheet import contribution_sheet

__all__ = [
    "InputError",
    "Portfolio",
    "Scenario",
    "allocate",
    "cli",
    "community",
    "contribution_sheet",
    "elevator",
    "finance",
    "format_amount",
    "fund",
    "households",
    "maintenance_fund",
    "plan",
    "portfolio",
    "ppp",
    "read_roster",
    "report",
    "roster",
    "rules",
    "scale",
    "scenario",
    "sheet",
    "split",
    "split_costs",
    "to_fen",
    "to_yuan",
    "votes",
]
__version__ = "0.1.0"

# name -> (module, attribute or None for the module itself)
_LAZY: dict[str, tuple[str, str | None]] = {
    **{
        m: (f"costshare.{m}", None)
        for m in ("cli", "community", "finance", "households", "ppp", "report", "rules", "scale")
    },
    **{
        m: (f"costshare.community.{m}", None)
        for m in ("fund", "plan", "portfolio", "scenario", "split")
    },
    **{m: (f"costshare.households.{m}", None) for m in ("elevator", "roster", "sheet", "votes")},
    "Scenario": ("costshare.community.scenario", "Scenario"),
    "Portfolio": ("costshare.community.portfolio", "Portfolio"),
    "split_costs": ("costshare.community.split", "split_costs"),
    "maintenance_fund": ("costshare.community.fund", "maintenance_fund"),
    "read_roster": ("costshare.households.roster", "read_roster"),
    "contribution_sheet": ("costshare.households.sheet", "contribution_sheet"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attr = _LAZY[name]
        mod = importlib.import_module(module)
        value = mod if attr is None else getattr(mod, attr)
        globals()[name] = value  # later lookups skip this hook
        return value
    msg = f"module 'costshare' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
