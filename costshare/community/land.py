"""Land-use money: a floor-area bonus (plot-ratio change) valued as a funding line.

Zaozhuang revitalised 33 idle plots of old communities "通过调增容积率、改变土地用途等手段"
and so drew 170 million yuan of social investment into upgrade projects (seed
002_8a0447c565a51b86.txt line 112). A :class:`LandValue` line of a scenario's funding
values such a change and takes the part captured for the renovation:

    added floor area = site area × (new plot ratio − old plot ratio)   (or given directly)
    floor value      = added floor area × floor price (楼面地价), half-up to the fen
    gross            = floor value + land-use change premium (if any)
    captured         = gross × capture share, half-up to the fen
    amount           = captured − stated costs (the only way it can be negative)

Every figure is a :class:`Figure`: a value with its confidence (H/M/S/A, A with its
reason, S with the seed and line). A bare number is accepted but has no source, and the
result says so (:meth:`LandValue.unsourced`). Rounding is :func:`costshare.money.half_up`
of exact ratios only, once per shown step, so every step of the explanation adds up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from costshare.base import Mark, StrictModel
from costshare.i18n import Lang, t
from costshare.money import check_range, half_up, ratio, to_fen, yuan_text

__all__ = ["Figure", "LandCost", "LandResult", "LandValue", "land_value"]

_FIELDS = (
    "site_area_m2",
    "old_plot_ratio",
    "new_plot_ratio",
    "added_floor_area_m2",
    "floor_price",
    "use_change_premium",
    "capture_share",
)
UNITS = {
    "site_area_m2": "m²",
    "old_plot_ratio": "",
    "new_plot_ratio": "",
    "added_floor_area_m2": "m²",
    "floor_price": "currency-CNY/m2",
    "use_change_premium": "currency-CNY",
    "capture_share": "/1",
}
"""Unit of each figure (as the audit appendix writes units)."""


def _figure(v: Any) -> Any:
    # a bare number is a figure without a source (flagged, never silently trusted)
    if isinstance(v, float):
        return {"value": Decimal(repr(v))}
    if isinstance(v, (int, str, Decimal)):
        return {"value": v}
    if isinstance(v, dict) and isinstance(v.get("value"), float):
        return {**v, "value": Decimal(repr(v["value"]))}
    return v


class Figure(Mark):
    """One input figure with its provenance (:class:`costshare.base.Mark`).

    ``confidence`` None means no source was given (a bare number): it is computed with
    but flagged. A needs ``reason``; S (a seed states it) needs ``seed`` and ``line``.

    Examples
    --------
    >>> Figure(value=Decimal("2.5"), confidence="A", reason="typical").value
    Decimal('2.5')
    """

    value: Annotated[Decimal, Field(ge=0)]


Fig = Annotated[Figure, BeforeValidator(_figure)]


class LandCost(StrictModel):
    """A cost stated against the land line (e.g. relocation), subtracted from what is captured."""

    what: str
    amount: Fig


class LandValue(StrictModel):
    """A plot-ratio / land-use change valued as a funding line (yuan, m², ratios).

    Give ``old_plot_ratio`` and ``new_plot_ratio`` with ``site_area_m2``, or
    ``added_floor_area_m2`` directly. ``floor_price`` is yuan per m² of floor area
    (楼面地价); ``capture_share`` is the part of the value that funds the renovation.
    """

    name: str
    plots: Annotated[int, Field(gt=0)] | None = None
    site_area_m2: Fig | None = None
    old_plot_ratio: Fig | None = None
    new_plot_ratio: Fig | None = None
    added_floor_area_m2: Fig | None = None
    floor_price: Fig
    capture_share: Fig
    use_change_premium: Fig | None = None
    costs: list[LandCost] = []
    note: str | None = None

    @model_validator(mode="after")
    def _one_way(self) -> LandValue:
        by_ratio = self.old_plot_ratio is not None or self.new_plot_ratio is not None
        if by_ratio == (self.added_floor_area_m2 is not None):
            raise ValueError(
                "give old_plot_ratio and new_plot_ratio (with site_area_m2), "
                "or added_floor_area_m2 — exactly one way"
            )
        if by_ratio:
            if None in (self.old_plot_ratio, self.new_plot_ratio, self.site_area_m2):
                raise ValueError("a plot-ratio change needs site_area_m2, old and new plot ratio")
            if self.new_plot_ratio.value < self.old_plot_ratio.value:  # type: ignore[union-attr]
                raise ValueError("new_plot_ratio is below old_plot_ratio: no floor area is added")
        if self.capture_share.value > 1:
            raise ValueError("capture_share is a ratio between 0 and 1")
        return self

    def figures(self) -> list[tuple[str, Figure]]:
        """Every figure given, by field name (stated costs as ``cost:<what>``)."""
        out = [(k, getattr(self, k)) for k in _FIELDS if getattr(self, k) is not None]
        return out + [(f"cost:{c.what}", c.amount) for c in self.costs]

    def unsourced(self) -> list[str]:
        """Fields given as bare numbers, without any source or confidence."""
        return [k for k, f in self.figures() if f.confidence is None]


@dataclass(frozen=True)
class LandResult:
    """Each step of a land line in exact units: m² as a ratio, money in fen."""

    line: LandValue
    added_area: tuple[int, int]
    floor_value_fen: int
    premium_fen: int
    gross_fen: int
    captured_fen: int
    costs_fen: int
    amount_fen: int

    def explain(self, lang: Lang = "zh") -> str:
        """The arithmetic of the line, each step as computed (it adds up to the fen)."""
        x = self.line
        money = dict(
            zip(
                ("value", "premium", "gross", "captured", "costs", "amount"),
                yuan_text(
                    [
                        self.floor_value_fen,
                        self.premium_fen,
                        self.gross_fen,
                        self.captured_fen,
                        self.costs_fen,
                        self.amount_fen,
                    ]
                ),
                strict=True,
            )
        )
        added = _num(Decimal(self.added_area[0]) / Decimal(self.added_area[1]))
        if x.added_floor_area_m2 is None:
            area = t(
                "land.explain.ratio",
                lang,
                site=_num(x.site_area_m2.value),  # type: ignore[union-attr]
                new=_num(x.new_plot_ratio.value),  # type: ignore[union-attr]
                old=_num(x.old_plot_ratio.value),  # type: ignore[union-attr]
                added=added,
            )
        else:
            area = t("land.explain.added", lang, added=added)
        share = _num(x.capture_share.value * 100)
        return t(
            "land.explain.line",
            lang,
            area=area,
            price=_num(x.floor_price.value),
            share=share,
            **money,
        )

    def to_json(self) -> dict[str, Any]:
        """JSON-ready: the name, each step in yuan, the explanation in both languages."""
        steps = ("floor_value", "premium", "gross", "captured", "costs", "amount")
        fen = [getattr(self, f"{s}_fen") for s in steps]
        return {
            "name": self.line.name,
            "added_floor_area_m2": _num(
                Decimal(self.added_area[0]) / Decimal(self.added_area[1])
            ).replace(",", ""),
            **{s: y.replace(",", "") for s, y in zip(steps, yuan_text(fen), strict=True)},
            "explain": self.explain("zh"),
            "explain_en": self.explain("en"),
            "unsourced": self.line.unsourced(),
        }


def _num(d: Decimal) -> str:
    """A decimal without trailing zeros or exponent, thousands separated (``68,000``)."""
    s = f"{d.normalize():f}" if d == d.to_integral_value() else f"{d:f}".rstrip("0")
    whole, _, frac = s.partition(".")
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


def land_value(x: LandValue) -> LandResult:
    """Value one land line, exactly: see the module docstring for the steps.

    Raises
    ------
    ValueError
        A step beyond the exact range (``costshare.money.MAX_FEN``).

    Examples
    --------
    >>> x = LandValue(name="plot", site_area_m2=1000, old_plot_ratio=1,
    ...     new_plot_ratio="1.5", floor_price=2000, capture_share="0.6")
    >>> r = land_value(x)
    >>> r.floor_value_fen, r.amount_fen   # 500 m² × 2,000 = 1,000,000.00; × 60%
    (100000000, 60000000)
    """
    if x.added_floor_area_m2 is not None:
        a_num, a_den = ratio(x.added_floor_area_m2.value)
    else:
        s_num, s_den = ratio(x.site_area_m2.value)  # type: ignore[union-attr]
        d = x.new_plot_ratio.value - x.old_plot_ratio.value  # type: ignore[union-attr]
        d_num, d_den = ratio(d)
        a_num, a_den = s_num * d_num, s_den * d_den
    p_num, p_den = ratio(x.floor_price.value)
    value = half_up(a_num * p_num * 100, a_den * p_den)
    premium = 0 if x.use_change_premium is None else to_fen(x.use_change_premium.value)
    gross = value + premium
    c_num, c_den = ratio(x.capture_share.value)
    captured = half_up(gross * c_num, c_den)
    costs = sum(to_fen(c.amount.value) for c in x.costs)
    amount = captured - costs
    for fen, what in ((value, "floor value"), (gross, "gross value"), (amount, "amount")):
        check_range(fen, f"land line {x.name!r}: {what}")
    return LandResult(x, (a_num, a_den), value, premium, gross, captured, costs, amount)
