"""The scoring sheet of the project library (项目库): criteria, weights, gates, source.

The criteria and their weights are data (``costshare/data/plan_criteria.yaml``, read by
:func:`load_criteria`); the seed gives no weights, so the bundled ones are marked as
assumptions. The scoring engine (:mod:`costshare.community.plan_score`) receives a loaded
:class:`Criteria` and reads no file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationError, model_validator

from costshare.base import StrictModel, problems_from_validation
from costshare.errors import InputError, Problem
from costshare.rules.schema import Source
from costshare.yamlio import load_kind_yaml, strip_kind

__all__ = ["CRITERIA_FILE", "Criteria", "Criterion", "Gate", "load_criteria"]

CRITERIA_FILE = Path(__file__).parent.parent / "data" / "plan_criteria.yaml"


def _dec(v: Any) -> Any:
    return Decimal(repr(v)) if isinstance(v, float) else v


Number = Annotated[Decimal, BeforeValidator(_dec)]


class Criterion(StrictModel):
    """One scoring criterion: which column, which way is better, how it is scaled, its weight.

    ``method``: ``minmax`` scales to [0, 1] over the candidates (all equal → 0);
    ``max`` divides by the largest value (for counts; all zero → 0); ``range`` scales
    ``[lo, hi]`` to [0, 1] and clips. ``direction: lower`` turns the scale round
    (1 − scaled), e.g. an earlier building year is more urgent.
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str
    column: str
    direction: Literal["higher", "lower"] = "higher"
    method: Literal["minmax", "max", "range"] = "minmax"
    lo: Number | None = None
    hi: Number | None = None
    weight: Annotated[Decimal, BeforeValidator(_dec), Field(gt=0)]
    assumed: bool = False
    passage: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Criterion:
        if self.method == "range":
            if self.lo is None or self.hi is None or not self.lo < self.hi:
                msg = "method 'range' needs lo < hi"
                raise ValueError(msg)
        elif self.lo is not None or self.hi is not None:
            msg = f"lo/hi only apply to method 'range', not {self.method!r}"
            raise ValueError(msg)
        return self


class Gate(StrictModel):
    """An eligibility condition a candidate must meet before it can enter the plan.

    For example Hebei's "80% of residents agree before inclusion" (seed 002, line 60):
    ``column: support_share, min: 0.8``. Bounds are inclusive.
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str
    column: str
    min: Number | None = None
    max: Number | None = None
    passage: str | None = None

    @model_validator(mode="after")
    def _some_bound(self) -> Gate:
        if self.min is None and self.max is None:
            msg = "a gate needs min or max"
            raise ValueError(msg)
        return self


class Criteria(StrictModel):
    """A scoring sheet: criteria with weights, optional gates, and the source it rests on."""

    description: str | None = None
    source: Source
    confidence: Literal["H", "M", "S"]
    criteria: Annotated[list[Criterion], Field(min_length=1)]
    gates: list[Gate] = []

    @model_validator(mode="after")
    def _unique(self) -> Criteria:
        ids = [c.id for c in self.criteria] + [g.id for g in self.gates]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            msg = f"duplicate criterion/gate id(s) {dup}"
            raise ValueError(msg)
        return self

    @property
    def columns(self) -> list[str]:
        """Candidate columns the criteria and gates read, in order, without repeats."""
        cols = [c.column for c in self.criteria] + [g.column for g in self.gates]
        return list(dict.fromkeys(cols))


def load_criteria(
    criteria: Criteria | Mapping[str, Any] | str | Path | None = None,
    *,
    on: dt.date | str | None = None,
) -> Criteria:
    """The scoring sheet: the bundled Ningbo-style one, a YAML file, a mapping or a model.

    This is the shell's step (CLI, app): the scoring engine
    :func:`costshare.community.plan_score.score` receives the loaded sheet and never
    reads a file itself.

    Parameters
    ----------
    criteria : Criteria, mapping, path or None
        None for the bundled sheet (:data:`CRITERIA_FILE`).
    on : date or ISO string, optional
        The plan's date: a sheet whose source was issued after it is refused.

    Raises
    ------
    InputError
        When the file or mapping does not validate (the message names the field), or
        the sheet's source is dated after `on`.

    Examples
    --------
    >>> c = load_criteria()
    >>> [x.id for x in c.criteria][:3]
    ['building_age', 'facility_shortfall', 'safety_hazards']
    >>> sum(x.weight for x in c.criteria)
    Decimal('100')
    >>> load_criteria(on="2020-01-01") == c  # the bundled sheet is undated: any date
    True
    """
    if isinstance(criteria, Criteria):
        crit, name = criteria, "criteria"
    else:
        if criteria is None or isinstance(criteria, (str, Path)):
            path = Path(criteria) if criteria is not None else CRITERIA_FILE
            raw, name = load_kind_yaml(path, "plan_criteria"), path.name
        else:
            raw, name = criteria, "criteria"
        if not isinstance(raw, Mapping):
            raise InputError(Problem("a criteria file must be a mapping at top level", name))
        raw = strip_kind(dict(raw), "plan_criteria", name)
        names = {(k, i): f"{k}[{i}] ({r.get('id', '?')})" for k in ("criteria", "gates")
                 for i, r in enumerate(raw.get(k) or []) if isinstance(r, Mapping)}  # fmt: skip
        try:
            crit = Criteria.model_validate(dict(raw))
        except ValidationError as exc:
            raise problems_from_validation(exc, name, names) from None
    if on is not None:
        day = on if isinstance(on, dt.date) else dt.date.fromisoformat(str(on))
        if crit.source.date is not None and crit.source.date > day:
            msg = f"the sheet's source is dated {crit.source.date}, after the plan's date {day}"
            raise InputError(Problem(msg, name, field="source"))
    return crit
