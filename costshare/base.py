"""Shared pydantic base and annotated types."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from costshare.errors import InputError, Problem
from costshare.money import MAX_FEN

__all__ = ["Amount", "Share", "StrictModel", "problems_from_validation"]


def _exact_decimal(v: Any) -> Any:
    # YAML reads 0.65 as a float; its shortest repr is the decimal the author wrote.
    if isinstance(v, float):
        return Decimal(repr(v))
    return v


class StrictModel(BaseModel, extra="forbid", frozen=True):
    """Base model: unknown keys are errors and instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Share = Annotated[Decimal, BeforeValidator(_exact_decimal), Field(ge=0, le=1)]
"""An exact ratio in [0, 1]."""

MAX_YUAN = Decimal(MAX_FEN) / 100
"""The largest amount in yuan costshare computes exactly (``costshare.money.MAX_FEN`` / 100)."""

Amount = Annotated[Decimal, BeforeValidator(_exact_decimal), Field(ge=0, le=MAX_YUAN)]
"""A non-negative amount in yuan, kept exact, at most :data:`MAX_YUAN`."""


def problems_from_validation(
    exc: ValidationError, file: str, names: dict[tuple[Any, ...], str] | None = None
) -> InputError:
    """Turn a pydantic error into an :class:`InputError` naming file, rule/row and field.

    `names` maps a location prefix such as ``("utility_splits", 3)`` to a readable
    name such as ``"rule 'fj_telecom'"``.
    """
    names = names or {}
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        where, rest = None, loc
        for n in range(len(loc), 0, -1):
            if loc[:n] in names:
                where, rest = names[loc[:n]], loc[n:]
                break
        if where is None and len(loc) > 1:
            where, rest = ".".join(str(p) for p in loc[:-1]), loc[-1:]
        field = ".".join(str(p) for p in rest) or None
        msg = err["msg"].removeprefix("Value error, ")
        problems.append(Problem(msg, file=file, where=where, field=field))
    return InputError(problems)
