"""Fields every rule has, and a rule value's dated history.

A rule's value can have a history, as OpenFisca's parameters do: instead of one value
and ``effective_from``, a rule carries ``values:`` keyed by ISO date, each entry the value
in force from that date (with its own optional ``source``, ``confidence`` and ``note``)
until the next date; a ``null`` entry ends the rule. A change of rate is a new dated
value, not a copy of the rule:

.. code-block:: yaml

    - id: fund.subsidy_ratio
      unit: /1
      confidence: S
      source: *nb                # the default source of every entry
      values:
        2021-12-01: 0.5          # a Parameter's entry may be the bare value
        2024-01-01: {value: 0.4, source: {document: ..., issuer: ..., article: ..., date: 2023-12-01}}
        2026-01-01: null         # ended

:meth:`Rule.at` gives the plain rule in force on a day (its value, source and period).
Parameters, utility splits, vote rules and elevator subsidies take ``values:``; floor
rules do not (their ``values`` are the coefficients by floor).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import BeforeValidator, Field, PrivateAttr, ValidationError, model_validator

from costshare.base import StrictModel

__all__ = ["Confidence", "DatedRule", "Day", "Rule", "Source", "parse_day"]

Confidence = Literal["H", "M", "S", "A"]
"""What a value rests on (DOMAIN.md): H a document states it and its article was checked;
M a document states it but the article is not checked (or it is paraphrased); S a seed
document states it; A an assumption no source states (the rule gives its ``reason``)."""


def parse_day(v: Any) -> dt.date:
    """A calendar day, read deliberately: a YAML date or ``'YYYY-MM-DD'`` text, nothing else.

    A datetime, a number (pydantic would read it as a Unix time) or any other text is
    refused, so a typo cannot become a date.

    Examples
    --------
    >>> parse_day("2021-12-01")
    datetime.date(2021, 12, 1)
    >>> parse_day(20211201)
    Traceback (most recent call last):
    ...
    ValueError: not a date (write YYYY-MM-DD): 20211201
    """
    if type(v) is dt.date:
        return v
    if isinstance(v, str) and len(v) == 10 and v[4] == v[7] == "-":
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    msg = f"not a date (write YYYY-MM-DD): {v!r}"
    raise ValueError(msg)


Day = Annotated[dt.date, BeforeValidator(parse_day)]
"""A date field read by :func:`parse_day`."""


def _partial_day(v: Any) -> str | None:
    """A publication date as precise as the document gives it: YYYY, YYYY-MM or YYYY-MM-DD."""
    if v is None:
        return None
    text = v.isoformat() if type(v) is dt.date else str(v)
    parts = text.split("-")
    ok = 1 <= len(parts) <= 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4
    if not ok or not all(len(p) == 2 for p in parts[1:]):
        msg = f"not a date (write YYYY, YYYY-MM or YYYY-MM-DD): {v!r}"
        raise ValueError(msg)
    if len(parts) >= 2 and not 1 <= int(parts[1]) <= 12:
        msg = f"not a month: {v!r}"
        raise ValueError(msg)
    if len(parts) == 3:
        dt.date.fromisoformat(text)
    return text


class Source(StrictModel):
    """Where a rule comes from.

    ``date`` is the document's own date (issued or adopted) when the document gives it,
    ``None`` otherwise; ``published`` is when a list or collection carrying the rule was
    published, as precisely as known (``"2021-12"``). Neither is the start of the rule
    (that is the rule's ``effective_from``).
    """

    document: str
    issuer: str
    article: str
    date: Day | None = None
    published: Annotated[str | None, BeforeValidator(_partial_day)] = None
    seed: str | None = None
    passage: str | None = None
    url: str | None = None

    @property
    def date_text(self) -> str:
        """The document's date, else ``published …``, else ``undated``."""
        if self.date is not None:
            return self.date.isoformat()
        return f"published {self.published}" if self.published else "undated"


class Rule(StrictModel):
    """Fields every rule has: an id, its source, a confidence mark and a validity period.

    ``effective_from: null`` means the documents do not say when the rule began: it is
    *undated* and applies on any date (up to ``effective_to`` if given). A rule marked
    ``A`` (an assumption) must give its ``reason``.
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9_.]+$")]
    label: str | None = None
    source: Source
    confidence: Confidence
    reason: str | None = None
    reason_en: str | None = None
    """English of ``reason`` (``reason`` is Chinese; :func:`~costshare.rules.cite` picks one)."""
    effective_from: Day | None
    effective_to: Day | None = None
    note: str | None = None
    note_en: str | None = None
    """English of ``note`` where the note is Chinese."""

    @model_validator(mode="after")
    def _assumption_has_reason(self) -> Self:
        if self.confidence == "A" and not (self.reason or "").strip():
            msg = "confidence A (an assumption) needs a reason: say why the value is assumed"
            raise ValueError(msg)
        return self

    def in_force(self, on: dt.date) -> bool:
        """True when the rule applies on `on` (both ends included; undated: any day)."""
        started = self.effective_from is None or self.effective_from <= on
        return started and (self.effective_to is None or on <= self.effective_to)

    def at(self, on: dt.date) -> Self | None:
        """The rule as in force on `on` (one value, its source and period), or None."""
        return self if self.in_force(on) else None


_ENTRY_KEYS = ("source", "confidence", "reason", "reason_en", "note", "note_en")


class DatedRule(Rule):
    """A rule whose value may have a dated history (``values:``, see the module docstring).

    An entry without its own ``source`` (``confidence``, ``note``) takes the rule's; a rule
    without one takes its first entry's.
    """

    VALUE_FIELDS: ClassVar[tuple[str, ...]] = ()  # the fields an entry may set
    SCALAR_FIELD: ClassVar[str | None] = None  # an entry may be this field's bare value
    values: dict[Day, dict[str, Any] | None] | None = None
    _versions: tuple[Self, ...] = PrivateAttr(default=())

    @model_validator(mode="before")
    @classmethod
    def _from_history(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("values") is None:
            return data
        raw = data["values"]
        if not isinstance(raw, dict) or not raw:
            msg = "values: give a mapping of dates (YYYY-MM-DD) to the value from that date"
            raise ValueError(msg)
        clash = sorted(
            k for k in (*cls.VALUE_FIELDS, "effective_from", "effective_to") if k in data
        )
        if clash:
            msg = f"with dated values, {clash} belong in the entries of values, not beside them"
            raise ValueError(msg)
        hist: dict[dt.date, dict[str, Any] | None] = {}
        for key, entry in raw.items():
            day = parse_day(key)
            if day in hist:
                msg = f"values: the date {day} is given twice"
                raise ValueError(msg)
            hist[day] = cls._entry(day, entry)
        hist = dict(sorted(hist.items()))
        first = next((e for e in hist.values() if e is not None), None)
        if first is None or next(iter(hist.values())) is None:
            msg = "values: the first dated entry must be a value, not null"
            raise ValueError(msg)
        days = list(hist)
        end = days[-1] - dt.timedelta(days=1) if hist[days[-1]] is None else None
        base = {k: v for k, v in data.items() if k != "values"}
        # the rule's own source/confidence/note are the defaults of every entry (taken from
        # the first entry when the rule gives none); the first value fills the value fields
        defaults = {k: first[k] for k in _ENTRY_KEYS if k in first and k not in base}
        values = {k: v for k, v in first.items() if k not in _ENTRY_KEYS}
        return {
            **base,
            **defaults,
            **values,
            "effective_from": days[0],
            "effective_to": end,
            "values": hist,
        }

    @classmethod
    def _entry(cls, day: dt.date, entry: Any) -> dict[str, Any] | None:
        if entry is None:
            return None
        if not isinstance(entry, dict):
            if cls.SCALAR_FIELD is None:
                msg = f"values: the entry of {day} must be a mapping of {list(cls.VALUE_FIELDS)}"
                raise ValueError(msg)
            entry = {cls.SCALAR_FIELD: entry}
        unknown = sorted(set(entry) - {*cls.VALUE_FIELDS, *_ENTRY_KEYS})
        if unknown:
            allowed = sorted({*cls.VALUE_FIELDS, *_ENTRY_KEYS})
            msg = f"values: the entry of {day} has unknown key(s) {unknown}; allowed: {allowed}"
            raise ValueError(msg)
        return dict(entry)

    @model_validator(mode="after")
    def _versions_of_history(self) -> Self:
        if not self.values:
            return self
        base = self.model_dump(exclude={"values"})
        days = list(self.values)
        versions = []
        for i, day in enumerate(days):
            entry = self.values[day]
            if entry is None:
                continue
            end = days[i + 1] - dt.timedelta(days=1) if i + 1 < len(days) else None
            data = {**base, **entry, "effective_from": day, "effective_to": end}
            try:
                versions.append(type(self).model_validate(data))
            except ValidationError as exc:
                err = exc.errors()[0]
                where = ".".join(str(p) for p in err["loc"])
                msg = f"values, entry of {day}, field {where!r}: {err['msg']}"
                raise ValueError(msg.replace("Value error, ", "")) from None
        self._versions = tuple(versions)
        return self

    def at(self, on: dt.date) -> Self | None:
        """The value in force on `on`, with the source that applies, as a plain rule.

        Examples
        --------
        >>> from costshare.rules.schema import Parameter
        >>> p = Parameter.model_validate({
        ...     "id": "x", "unit": "/1", "confidence": "S",
        ...     "source": {"document": "d", "issuer": "i", "article": "a", "date": "2020-01-01"},
        ...     "values": {"2020-01-01": 0.5, "2023-01-01": 0.4, "2025-01-01": None}})
        >>> p.at(dt.date(2022, 6, 1)).value, p.at(dt.date(2023, 1, 1)).value
        (Decimal('0.5'), Decimal('0.4'))
        >>> p.at(dt.date(2025, 1, 1)) is None
        True
        """
        if not self.values:
            return super().at(on)
        return next((v for v in self._versions if v.in_force(on)), None)

    def history(self) -> tuple[Self, ...]:
        """Every dated version of the rule, oldest first (the rule itself if undated)."""
        return self._versions if self.values else (self,)
