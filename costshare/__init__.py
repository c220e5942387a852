"""costshare: who pays what in China's old-community renovation, exact to the fen.

Money is integer fen inside and ``Decimal`` yuan at the edges; rules are dated, sourced
YAML tables; engines are pure functions over pydantic models and DataFrames.

>>> import costshare
>>> costshare.allocate(costshare.to_fen("100.00"), [2, 1, 1]).tolist()
[5000, 2500, 2500]
"""

from __future__ import annotations

import importlib
from typing import Any

from costshare import rules
from costshare.errors import InputError
from costshare.fund import maintenance_fund
from costshare.money import allocate, format_amount, to_fen, to_yuan
from costshare.scenario import Scenario
from costshare.split import split_costs

__all__ = [
    "InputError",
    "Portfolio",
    "Scenario",
    "allocate",
    "contribution_sheet",
    "format_amount",
    "maintenance_fund",
    "read_roster",
    "rules",
    "split_costs",
    "to_fen",
    "to_yuan",
]
__version__ = "0.1.0"

# Heavier engines load on first use, so `import costshare` stays quick for scripts.
_LAZY = {
    "read_roster": "costshare.roster",
    "contribution_sheet": "costshare.sheet",
    "Portfolio": "costshare.portfolio",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    msg = f"module 'costshare' has no attribute {name!r}"
    raise AttributeError(msg)
