"""After-renovation jobs: the management mode, merged estates, the handover, tax relief.

Engines: :mod:`costshare.operation.management` (mode, merged estates) and
:mod:`costshare.community.utility` (handover, depreciation relief). Only the handover
rests on a rule table (its scenario's); the others rest on the seeds' wording and on
figures the caller gives, which the requests hold and the audit lists as assumptions (A).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import Field, ValidationError

from costshare.base import Amount, Share, StrictModel
from costshare.community.model import Citation
from costshare.errors import InputError, Problem
from costshare.jobs.base import Job
from costshare.jobs.community import CommunityJob
from costshare.progress import Progress

__all__ = [
    "EstateGroup",
    "HandoverJob",
    "HandoverResult",
    "MergeEstatesJob",
    "MergedArea",
    "SuggestModeJob",
    "TaxReliefJob",
]

_UNUSED = "Not used: no rule table decides this job"


class SuggestModeJob(Job):
    """Suggest a management mode after renovation (Yancheng keep-if-satisfied, Beijing ch. 7).

    Examples
    --------
    >>> r = SuggestModeJob(households=90, collection_rate="0.5", current="backstop").run()
    >>> r.mode, r.alternatives
    ('community_custody', ('social_org_custody', 'self_management'))
    """

    job: ClassVar[str] = "suggest_mode"
    households: int = Field(ge=1, description="Households in the estate")
    collection_rate: Share = Field(description="Property-fee collection rate, 0–1")
    self_governance: bool = Field(default=False, description="Strong will to self-manage")
    current: str = Field(
        default="none",
        description="Mode now: professional, self_management, unit_management, backstop, none",
    )
    satisfied: bool = Field(default=False, description="Managed well and residents satisfied")
    large_from: int = Field(default=300, ge=1, description="A: 规模较大 from this many")
    low_collection: Share = Field(default=Decimal("0.7"), description="A: 收缴困难 below")
    on: dt.date | None = Field(default=None, description=_UNUSED)

    def resolve_rules(self) -> None:
        return None  # the seeds give no number: the thresholds are this request's (A)

    def run(self, progress: Progress | None = None) -> Any:
        from costshare.operation.management import suggest_mode

        return suggest_mode(
            self.households, self.collection_rate, strong_self_governance=self.self_governance,
            current=self.current, satisfied=self.satisfied, large_from=self.large_from,
            low_collection=self.low_collection,
        )  # fmt: skip

    def summary(self, result: Any) -> dict[str, Any]:
        return {"mode": result.mode, "label": result.label,
                "alternatives": list(result.alternatives), "reasons": list(result.reasons)}  # fmt: skip

    def headline(self, result: Any) -> dict[str, Any]:
        return {"mode": result.mode, "alternatives": list(result.alternatives)}

    def assumptions(self, result: Any) -> list[dict[str, Any]]:
        return [
            {"what": "规模较大 large estate from (households)", "value": self.large_from,
             "note": "seed 001 line 56 gives no number"},
            {"what": "收缴困难 hard to collect below (rate)", "value": str(self.low_collection),
             "note": "seed 001 line 56 gives no number"},
        ]  # fmt: skip


class EstateGroup(StrictModel):
    """One estate (楼院), or ``count`` identical ones numbered 1…count (yuan, m²)."""

    name: str
    count: int = Field(default=1, ge=1, le=10_000)
    households: int = Field(ge=1)
    area_m2: Decimal = Field(gt=0)
    fixed_cost: Amount = Field(description="Staff, gatehouse: paid once per management area")
    cost_per_m2: Amount = Field(description="Cleaning, greening, repairs: per m² a year")
    collection_rate: Share
    other_revenue: Amount = Decimal(0)


class MergedArea(StrictModel):
    """The merged management area: one team's fixed cost; rate and revenue if they change."""

    fixed_cost: Amount
    collection_rate: Share | None = None
    other_revenue: Amount | None = None


class EstateNote(StrictModel):
    """One assumption of an estates file: ``note`` in Chinese, ``note_en`` in English
    (the bundled scenarios' convention); every one is an assumption (A)."""

    note: str
    note_en: str | None = None


class MergeEstatesJob(Job):
    """Merge small estates into one management area: cost per household and fee, before/after.

    Build one from an estates file's data with :meth:`from_document`.

    Examples
    --------
    >>> job = MergeEstatesJob(estates=[{"name": "院", "count": 2, "households": 50,
    ...     "area_m2": 4000, "fixed_cost": 60000, "cost_per_m2": 2, "collection_rate": "0.8"}],
    ...     merged={"fixed_cost": 80000})
    >>> job.run()["cost_per_household_fen"].tolist()
    [136000, 136000, 96000]
    """

    job: ClassVar[str] = "merge_estates"
    estates: list[EstateGroup] = Field(min_length=1)
    merged: MergedArea
    source: Citation | None = None
    notes: list[str] = Field(default=[], description="The file's assumptions (A), as text")
    notes_en: list[str] = Field(default=[], description="The same assumptions in English")
    on: dt.date | None = Field(default=None, description=_UNUSED)

    @classmethod
    def from_document(cls, raw: Any, file: str = "<estates>") -> MergeEstatesJob:
        """The request of an estates file's data: ``estates``, ``merged``, ``source``, and
        ``assumptions`` as :attr:`notes` (Chinese) and :attr:`notes_en` (English).

        An assumption is ``{note: 中文, note_en: English}`` (each read as ``A：…``/``A: …``);
        one written ``- A: text`` is ``A: text`` in both lists.
        """
        if not isinstance(raw, dict):
            raise InputError(Problem("an estates file must be a mapping at top level", file))
        zh: list[str] = []
        en: list[str] = []
        for i, a in enumerate(raw.get("assumptions") or [], start=1):
            if isinstance(a, dict) and "note" in a:
                try:
                    n = EstateNote.model_validate(a)
                except ValidationError as exc:
                    raise InputError([Problem(e["msg"], file, f"assumption {i}",
                                              ".".join(map(str, e["loc"])) or None)
                                      for e in exc.errors()]) from None  # fmt: skip
                zh.append(f"A：{n.note}")
                en.append(f"A: {n.note_en or n.note}")
                continue
            text = "; ".join(f"{k}: {v}" for k, v in a.items()) if isinstance(a, dict) else str(a)
            zh.append(text)
            en.append(text)
        data = {k: v for k, v in raw.items() if k not in ("assumptions", "kind")}
        return cls.parse({**data, "notes": zh, "notes_en": en}, file)  # type: ignore[return-value]

    def notes_in(self, lang: str = "zh") -> list[str]:
        """The assumptions in `lang` (English falls back to :attr:`notes` when none given).

        Examples
        --------
        >>> job = MergeEstatesJob.from_document({"estates": [{"name": "院", "households": 9,
        ...     "area_m2": 700, "fixed_cost": 1, "cost_per_m2": 1, "collection_rate": 1}],
        ...     "merged": {"fixed_cost": 1}, "assumptions": [{"note": "假设", "note_en": "assumed"}]})
        >>> job.notes_in("zh"), job.notes_in("en")
        (['A：假设'], ['A: assumed'])
        """
        return (self.notes_en or self.notes) if lang == "en" else self.notes

    def resolve_rules(self) -> None:
        return None  # every size and cost is the request's own

    def run(self, progress: Progress | None = None) -> Any:
        from costshare.operation.management import estates_from_dict, merge_estates

        data = self.model_dump(mode="json", include={"estates", "merged"})
        es, m = estates_from_dict(data, "request")
        return merge_estates(es, m["fixed_cost"], m.get("collection_rate"),
                             m.get("other_revenue"))  # fmt: skip

    def summary(self, result: Any) -> dict[str, Any]:
        table = result.assign(area_m2=result["area_m2"].astype(str),
                              collection_rate=result["collection_rate"].astype(str))  # fmt: skip
        return {**self.headline(result), "table": table, "assumptions": self.notes}

    def headline(self, result: Any) -> dict[str, Any]:
        first, merged = result.iloc[0], result.iloc[-1]
        return {
            "estates": len(result) - 1,
            "before_per_household_fen": int(first["cost_per_household_fen"]),
            "after_per_household_fen": int(merged["cost_per_household_fen"]),
            "before_fee_fen": int(first["breakeven_fee_fen"]),
            "after_fee_fen": int(merged["breakeven_fee_fen"]),
        }

    def assumptions(self, result: Any) -> list[dict[str, Any]]:
        out = [{"what": "estates and the merged area", "note": a} for a in self.notes]
        return out or [{"what": "every size and cost", "note": "the caller's figures"}]


@dataclass(frozen=True)
class HandoverResult:
    """A scenario's run and its handover table (who maintains what, the utility's asset)."""

    scenario: Any  # ScenarioResult
    table: Any  # DataFrame, see costshare.community.utility.handover_table


class HandoverJob(CommunityJob):
    """Who maintains each item after renovation; the power company's invested part its asset.

    Examples
    --------
    >>> r = HandoverJob.parse({"scenario": "fujian_default"}).run()
    >>> int(r.table["utility_asset_fen"].sum())
    111000000
    """

    job: ClassVar[str] = "handover"

    def run(self, progress: Progress | None = None) -> HandoverResult:  # type: ignore[override]
        from costshare.community.utility import handover_table

        result = super().run()
        return HandoverResult(result, handover_table(result.split.table))

    def summary(self, result: HandoverResult) -> dict[str, Any]:  # type: ignore[override]
        return {"scenario": result.scenario.scenario.name, **self.headline(result),
                "items": result.table}  # fmt: skip

    def headline(self, result: HandoverResult) -> dict[str, Any]:  # type: ignore[override]
        t = result.table
        return {"utility_asset_fen": int(t["utility_asset_fen"].sum()), "items": len(t)}

    def assumptions(self, result: HandoverResult) -> list[dict[str, Any]]:
        return [a.model_dump() for a in result.scenario.scenario.assumptions]


class TaxReliefJob(Job):
    """Tax saved by depreciating a utility's renovation spending (Zaozhuang's 计提折旧 relief).

    Examples
    --------
    >>> t = TaxReliefJob(spend="153000000", life=20, tax_rate="0.25").run()
    >>> int(t["saving_sl_fen"].sum()) == int(t["saving_ddb_fen"].sum()) == 3_825_000_000
    True
    """

    job: ClassVar[str] = "tax_relief"
    spend: Amount = Field(description="The utility's renovation spending, yuan")
    life: int = Field(ge=1, le=100, description="Depreciation life in years (A)")
    tax_rate: Share = Field(description="Income tax rate, e.g. 0.25 (A)")
    discount: Decimal = Field(default=Decimal(0), gt=-1, le=1, description="Discount rate (A)")
    salvage: Amount = Field(default=Decimal(0), description="Salvage value, yuan")
    on: dt.date | None = Field(default=None, description=_UNUSED)

    def resolve_rules(self) -> None:
        return None  # life, tax rate and discount rate are the caller's (no seed gives them)

    def run(self, progress: Progress | None = None) -> Any:
        from costshare.community.utility import tax_relief
        from costshare.money import to_fen

        return tax_relief(to_fen(self.spend), self.life, str(self.tax_rate),
                          str(self.discount), to_fen(self.salvage))  # fmt: skip

    def summary(self, result: Any) -> dict[str, Any]:
        return {**self.headline(result), "table": result}

    def headline(self, result: Any) -> dict[str, Any]:
        cols = ("saving_sl_fen", "saving_ddb_fen", "pv_sl_fen", "pv_ddb_fen")
        return {c: int(result[c].sum()) for c in cols}

    def assumptions(self, result: Any) -> list[dict[str, Any]]:
        note = "no seed gives it (seed 002 line 112 names the relief only)"
        return [{"what": w, "value": str(v), "note": note}
                for w, v in (("life (years)", self.life), ("tax rate", self.tax_rate),
                             ("discount rate", self.discount))]  # fmt: skip
