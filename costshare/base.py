"""Shared pydantic base and annotated types."""

from __future__ import annotations

from decimal import Decimal
from types import UnionType
from typing import Annotated, Any, ClassVar, Literal, Self, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from costshare.errors import InputError, Problem
from costshare.money import MAX_FEN
from costshare.text import lookalike_note

__all__ = ["Amount", "FenAmount", "Mark", "Share", "StrictModel", "problems_from_validation"]


def _exact_decimal(v: Any) -> Any:
    # YAML reads 0.65 as a float; its shortest repr is the decimal the author wrote.
    if isinstance(v, float):
        return Decimal(repr(v))
    return v


_NUMBERS = (int, float, Decimal)


def _is_number_type(ann: Any) -> bool:
    """True for ``int``, ``float``, ``Decimal`` (or one of them or None), not ``bool``."""
    if ann in _NUMBERS:
        return True
    args = get_args(ann)
    if get_origin(ann) in (Union, UnionType) and bool not in args:
        return any(a in _NUMBERS for a in args) and all(
            a in _NUMBERS or a is type(None) for a in args
        )
    return False


class StrictModel(BaseModel, extra="forbid", frozen=True):
    """Base model: unknown keys are errors and instances are immutable.

    A number field refuses ``true``/``false`` (pydantic would read ``households: true``
    as 1 household).

    >>> class M(StrictModel):
    ...     n: int
    >>> M.model_validate({"n": True})
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for M
      Value error, field 'n': expected a number, got true (a YAML yes/no) ...
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    __number_keys__: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.__number_keys__ = tuple(
            name for name, f in cls.model_fields.items() if _is_number_type(f.annotation)
        )

    @model_validator(mode="before")
    @classmethod
    def _no_bool_numbers(cls, raw: Any) -> Any:
        if cls.__number_keys__ and isinstance(raw, dict):
            for name in cls.__number_keys__:
                if type(raw.get(name)) is bool:
                    got = str(raw[name]).lower()
                    raise ValueError(
                        f"field {name!r}: expected a number, got {got} (a YAML yes/no)"
                    )
        return raw


Share = Annotated[Decimal, BeforeValidator(_exact_decimal), Field(ge=0, le=1)]
"""An exact ratio in [0, 1]."""

MAX_YUAN = Decimal(MAX_FEN) / 100
"""The largest amount in yuan costshare computes exactly (``costshare.money.MAX_FEN`` / 100)."""

Amount = Annotated[Decimal, BeforeValidator(_exact_decimal), Field(ge=0, le=MAX_YUAN)]
"""A non-negative amount in yuan, kept exact, at most :data:`MAX_YUAN`."""


class Mark(StrictModel):
    """Where a scenario's own figure comes from: confidence H/M/S/A and its source.

    A (an assumption) needs ``reason``; S (a seed states it) needs ``seed`` and ``line``;
    H or M needs the ``document`` (or seed). ``confidence`` None means no source was given:
    the figure is used but flagged.

    Examples
    --------
    >>> Mark(confidence="A", reason="typical rate").confidence
    'A'
    """

    confidence: Literal["H", "M", "S", "A"] | None = None
    reason: str | None = None
    reason_en: str | None = None  # the reason in English (``reason``: as written, Chinese)
    seed: str | None = None
    line: Annotated[int, Field(gt=0)] | None = None
    document: str | None = None

    @model_validator(mode="after")
    def _marked(self) -> Self:
        if self.confidence == "A" and not (self.reason or "").strip():
            raise ValueError("confidence A (an assumption) needs a reason")
        if self.confidence == "S" and not (self.seed and self.line):
            raise ValueError("confidence S (a seed states it) needs seed and line")
        if self.confidence in ("H", "M") and not (self.document or self.seed):
            raise ValueError(f"confidence {self.confidence} needs the document it comes from")
        return self

    def source_text(self) -> str:
        """The seed and line (``002_….txt line 112``) or the document; empty without one."""
        if self.seed:
            return f"{self.seed} line {self.line}" if self.line else self.seed
        return self.document or ""


def _whole_fen(v: Decimal) -> Decimal:
    if v != v.quantize(Decimal("0.01")):
        raise ValueError(f"an amount in yuan has at most two decimals (fen), got '{v}'")
    return v


FenAmount = Annotated[Amount, AfterValidator(_whole_fen)]
"""An :data:`Amount` that is whole fen: ``100.005`` yuan is refused, never rounded.

A sum to share or spend (a total, a budget, a cost); a rate per m² is an :data:`Amount`.
"""


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
        if err.get("type") == "extra_forbidden" and (note := lookalike_note(loc[-1])):
            msg = f"{msg}: {note}"
        problems.append(Problem(msg, file=file, where=where, field=field))
    return InputError(problems)
