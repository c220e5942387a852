"""Space and land as funding lines: donated rooms, leased rooms, floor-area bonuses.

* ``donated_room`` (Huangshi, seed 002 line 131: state enterprises donate offices and
  activity rooms): a one-off value in kind, ``area × unit_value``; with ``rent`` also the
  rent the community no longer pays, a yearly saving.
* ``leased_room`` (Yancheng, seed 003 line 29: 183 idle rooms leased back or leased as a
  whole for day-care centres): rooms rented in (``direction: in``, a yearly cost) or let
  to a tenant (``out``, yearly income), ``area × rent × 12 × occupancy``.
* ``floor_area_bonus`` (Zaozhuang, seed 002 line 112: plot ratio raised and land use
  changed to draw 170 M of social capital): a one-off ``area × unit_value × capture``.

Every line states its valuation assumption in ``valuation`` (no seed gives a price).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Literal

import pandas as pd
from pydantic import Field, model_validator

from costshare.base import Amount, Share, StrictModel
from costshare.money import half_up

__all__ = ["SpaceLine", "space_table", "space_values"]


class SpaceLine(StrictModel):
    """A room or a piece of land used as a funding source, with its valuation."""

    name: Annotated[str, Field(min_length=1)]
    kind: Literal["donated_room", "leased_room", "floor_area_bonus"]
    area_m2: Annotated[Decimal, Field(gt=0)]
    rooms: Annotated[int, Field(ge=1)] | None = None
    unit_value: Amount | None = None
    """Yuan per m²: value of a donated room, or land value per m² of bonus floor area."""
    rent: Amount | None = None
    """Yuan per m² per month: rent paid (in), received (out) or avoided (donated)."""
    direction: Literal["in", "out"] = "in"
    occupancy: Share = Decimal(1)
    capture: Share = Decimal(1)
    """Floor-area bonus: the share of the value that funds the renovation."""
    valuation: Annotated[str, Field(min_length=1)]
    valuation_en: str | None = None
    """The valuation assumption in English (``valuation``: as written, Chinese first)."""
    """How the value was set (an assumption unless a document states it)."""
    source: str = ""

    @model_validator(mode="after")
    def _needs(self) -> SpaceLine:
        if self.kind in ("donated_room", "floor_area_bonus") and self.unit_value is None:
            raise ValueError(f"{self.kind} needs unit_value (yuan per m²)")
        if self.kind == "leased_room" and self.rent is None:
            raise ValueError("leased_room needs rent (yuan per m² per month)")
        return self


def _fen(x: Fraction) -> int:
    return int(half_up(x.numerator, x.denominator))


def space_values(line: SpaceLine) -> tuple[int, int]:
    """``(one_off_fen, annual_fen)`` of a line; annual income > 0, a yearly cost < 0.

    Examples
    --------
    >>> room = SpaceLine(name="活动室", kind="donated_room", area_m2=120, unit_value=3000,
    ...                  rent=20, valuation="assumed")
    >>> space_values(room)
    (36000000, 2880000)
    """
    area = Fraction(line.area_m2)
    one_off = annual = 0
    if line.kind == "donated_room":
        one_off = _fen(area * Fraction(line.unit_value or 0) * 100)
        annual = _fen(area * Fraction(line.rent or 0) * 12 * 100)  # rent no longer paid
    elif line.kind == "floor_area_bonus":
        one_off = _fen(area * Fraction(line.unit_value or 0) * Fraction(line.capture) * 100)
    else:
        rent = _fen(area * Fraction(line.rent or 0) * 12 * Fraction(line.occupancy) * 100)
        annual = -rent if line.direction == "in" else rent
    return one_off, annual


def space_table(lines: list[SpaceLine], community: str | list[str] = "") -> pd.DataFrame:
    """One row per line: its one-off and yearly values (fen) and its valuation assumption.

    Examples
    --------
    >>> bonus = SpaceLine(name="调增容积率", kind="floor_area_bonus", area_m2=1000,
    ...                   unit_value=2500, capture=0.5, valuation="assumed land value")
    >>> space_table([bonus])[["kind", "one_off_fen", "annual_fen"]].values.tolist()
    [['floor_area_bonus', 125000000, 0]]
    """
    names = community if isinstance(community, list) else [community] * len(lines)
    rows = []
    for line, name in zip(lines, names, strict=True):
        one_off, annual = space_values(line)
        rows.append(
            {
                "community": name,
                "name": line.name,
                "kind": line.kind,
                "area_m2": str(line.area_m2),
                "rooms": line.rooms,
                "one_off_fen": one_off,
                "annual_fen": annual,
                "valuation": line.valuation,
                "source": line.source,
                "valuation_en": line.valuation_en or line.valuation,
            }
        )
    cols = ["community", "name", "kind", "area_m2", "rooms", "one_off_fen", "annual_fen"]
    return pd.DataFrame(rows, columns=[*cols, "valuation", "source", "valuation_en"])
