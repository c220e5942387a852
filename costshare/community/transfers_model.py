"""A transfer pot as data: the pot, the areas, the weighted formula, floors and caps.

Jiangsu asks for special subsidy funds and larger transfers to fiscally weak areas (seed
000_bece989ac8a4bdfc.txt line 107); Yancheng's city put 310 million yuan of reward
subsidy (奖补) into its counties' renovation (seed 003_d0a39fb300a19492.txt line 18).
Neither states a formula, so every weight of a bundled pot is an assumption (confidence
A with its reason). The engine is :func:`costshare.community.transfers.allocate_pot`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import Field, ValidationError, model_validator

from costshare.base import FenAmount, Share, StrictModel, problems_from_validation
from costshare.community.model import Assumption, Citation
from costshare.errors import InputError, Problem
from costshare.yamlio import load_kind_yaml, strip_kind

__all__ = ["FACTORS", "Area", "Pot", "PotAssumption", "Weight"]

FACTORS: dict[str, str] = {
    "households": "户数",
    "area_m2": "建筑面积",
    "building_age": "楼龄（年）",
    "need": "改造需求指数",
    "fiscal_capacity": "财力（越弱权重越高）",
    "equal": "均等部分",
}
"""The formula's factors. ``fiscal_capacity`` counts inversely (weaker areas get more);
``equal`` gives every area the same part."""

Positive = Annotated[Decimal, Field(ge=0)]


class Weight(StrictModel):
    """One factor's weight in the formula, with its provenance (A needs a reason)."""

    factor: Literal["households", "area_m2", "building_age", "need", "fiscal_capacity", "equal"]
    weight: Annotated[Decimal, Field(gt=0)]
    confidence: Literal["H", "M", "S", "A"]
    reason: str | None = None
    reason_en: str | None = None  # ``reason`` in English (``reason``: Chinese)
    seed: str | None = None
    passage: str | None = None

    @model_validator(mode="after")
    def _assumed_has_reason(self) -> Weight:
        if self.confidence == "A" and not (self.reason or "").strip():
            raise ValueError("confidence A (an assumption) needs a reason")
        if self.confidence == "S" and not (self.seed and self.passage):
            raise ValueError("confidence S (a seed states it) needs seed and passage")
        return self


class Area(StrictModel):
    """One district or community receiving a part of the pot."""

    id: str
    households: Annotated[int, Field(ge=0)] | None = None
    area_m2: Positive | None = None
    building_age: Positive | None = None
    need: Positive | None = None
    fiscal_capacity: Annotated[Decimal, Field(gt=0)] | None = None
    floor: FenAmount | None = None
    cap: FenAmount | None = None


class PotAssumption(Assumption):
    """A figure the documents do not give: ``what``/``value``/``note`` in Chinese, as the
    bundled scenarios write them, and ``*_en`` in English."""

    what_en: str | None = None
    value_en: str | None = None
    note_en: str | None = None

    def words(self, lang: str = "zh") -> tuple[str, str]:
        """(what, note) in `lang`; English falls back to the Chinese where none is given.

        Examples
        --------
        >>> PotAssumption(what="保底", note="文件未给出", note_en="not in the seed").words("en")
        ('保底', 'not in the seed')
        """
        if lang == "en":
            return self.what_en or self.what, self.note_en or self.note
        return self.what, self.note


class Pot(StrictModel):
    """A pot divided over areas by a weighted formula with floors and caps (yuan)."""

    name: str
    description: str | None = None
    name_en: str | None = None  # English name and description (``name``/``description``: Chinese)
    description_en: str | None = None
    pot: FenAmount
    weights: Annotated[list[Weight], Field(min_length=1)]
    min_grant: FenAmount = Decimal(0)
    cap_share: Share | None = None
    areas: Annotated[list[Area], Field(min_length=1)]
    assumptions: list[PotAssumption] = []
    sources: list[Citation] = []

    @model_validator(mode="after")
    def _consistent(self) -> Pot:
        factors = [w.factor for w in self.weights]
        if len(set(factors)) != len(factors):
            raise ValueError(f"a factor is weighted twice: {factors}")
        ids = [a.id for a in self.areas]
        if len(set(ids)) != len(ids):
            raise ValueError("area ids must be unique")
        for w in self.weights:
            if w.factor == "equal":
                continue
            missing = [a.id for a in self.areas if getattr(a, w.factor) is None]
            if missing:
                raise ValueError(f"factor {w.factor!r} is weighted but area(s) {missing} lack it")
        return self

    @classmethod
    def from_yaml(cls, path: str | Path, text: str | None = None) -> Self:
        """Load and validate a pot file (``kind: transfers``); errors name file and field."""
        return cls.from_dict(load_kind_yaml(path, "transfers", text), Path(path).name)

    @classmethod
    def from_dict(cls, raw: Any, name: str = "<pot>") -> Self:
        """Validate plain data into a pot."""
        if not isinstance(raw, dict):
            raise InputError(Problem("a pot file must be a mapping at top level", file=name))
        raw = strip_kind(raw, "transfers", name)
        names = {
            ("areas", i): f"area {i + 1} ({a.get('id', '?')!r})"
            for i, a in enumerate(raw.get("areas") or [])
            if isinstance(a, dict)
        }
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            raise problems_from_validation(exc, name, names) from None
