"""Exact money: integer fen inside, ``Decimal`` yuan at the edges.

Every amount in costshare is held as an integer number of fen (0.01 yuan). Inputs in
yuan (``int``, ``str``, ``Decimal``, ``Fraction`` or ``float``) are converted once with
:func:`to_fen`; scalar results are returned as ``Decimal`` yuan quantized to 0.01 by
:func:`to_yuan`. Splitting an amount always goes through the one largest-remainder
allocator (:func:`allocate`, :func:`allocate_groups`, :func:`allocate_rows`), and every
rounding of an exact value through :func:`half_up` (or :func:`times` for fen × ratio),
so every split adds up to the fen and follows the same tie rule. Amounts are exact up to
±:data:`MAX_FEN` fen; beyond it a ``ValueError`` names the limit.
"""

from __future__ import annotations

from costshare.money._allocate import allocate, allocate_groups, allocate_rows
from costshare.money._core import (
    CENT,
    MAX_FEN,
    amount_fen,
    check_range,
    format_amount,
    format_percent,
    half_up,
    muldiv,
    times,
    to_fen,
    to_fen_array,
    to_yuan,
    yuan_text,
)
from costshare.money._weights import decimal_parts, numerators, ratio
from costshare.money.frames import yuan_frame

__all__ = [
    "CENT",
    "MAX_FEN",
    "allocate",
    "allocate_groups",
    "allocate_rows",
    "amount_fen",
    "check_range",
    "decimal_parts",
    "format_amount",
    "format_percent",
    "half_up",
    "muldiv",
    "numerators",
    "ratio",
    "times",
    "to_fen",
    "to_fen_array",
    "to_yuan",
    "yuan_frame",
    "yuan_text",
]
