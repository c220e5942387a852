"""The residents' evaluation report as an A4 PDF (Chinese or English).

Beijing's "改造-评估-改进" loop asks for an evaluation report on key indicators such as
facility-use efficiency and residents' satisfaction (seed 001 line 76); Hebei lets the
completion acceptance go ahead only when 80 % of residents are satisfied (seed 002 line
60). The report prints the acceptance verdict with the rule's citation, the tallies
overall, per item and per building, the scenario's cost indicators when given, and the
notes. Every indicator that no seed defines is marked A (an assumption of this tool):
the per-item rate and mean answer, the share of respondents answering an item (taken
as the facility's use), and the cost indicators.

Built with the notice's machinery: its embedded CJK font
(:mod:`costshare.report._notice_font`), its page tables that cut every cell to its
column (:mod:`costshare.report._notice_layout`) and its clock-free PDF date
(:func:`~costshare.report.notice_meta.pdf_stamp`): the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from fractions import Fraction
from pathlib import Path
from typing import Any

from costshare import i18n
from costshare.households.evaluate import Evaluation
from costshare.report._notice_font import cjk_font
from costshare.report._notice_layout import clean, row_tables
from costshare.report.notice_meta import day_text, pdf_stamp
from costshare.report.safe import atomic_write_bytes
from costshare.rules import cite
from costshare.rules.schema import VoteRule

__all__ = ["INDICATOR_MARKS", "evaluation_pdf_bytes", "write_evaluation_pdf"]

INDICATOR_MARKS: dict[str, str] = {
    "overall_rate": "S",  # seed 002 line 60: 80 % of residents satisfied (Hebei)
    "item_rate": "A",
    "mean_level": "A",
    "answered_share": "A",
    "cost": "A",
}
"""Which indicators a seed defines (S) and which are this tool's (A)."""


def _pct(x: Fraction, lang: i18n.Lang) -> str:
    """A fraction as a percentage with the exact fraction: ``75.0%（3/4）``."""
    pct = f"{float(x):.1%}"
    if x.denominator == 1:
        return pct
    frac = f"{x.numerator}/{x.denominator}"
    return f"{pct}（{frac}）" if lang == "zh" else f"{pct} ({frac})"


def _w(key: str, lang: i18n.Lang, **fmt: object) -> str:
    return i18n.t(f"evpdf.{key}", lang, **fmt)


def _rate(text: str, lang: i18n.Lang) -> str:
    """An exact rate (``9/10``, ``1``) as a percentage with the fraction."""
    return _pct(Fraction(text), lang) if text else ""


def evaluation_pdf_bytes(
    ev: Evaluation,
    indicators: dict[str, object] | None = None,
    *,
    rule: VoteRule | None = None,
    lang: i18n.Lang = "zh",
    community: str = "",
    date: dt.date | str | None = None,
    orientation: str = "portrait",
    font_path: str | Path | None = None,
) -> bytes:
    """The evaluation report of `ev` as A4 PDF bytes, worded in `lang`.

    Parameters
    ----------
    ev : Evaluation
        The tallies and the gate (:func:`costshare.households.evaluate.evaluate`).
    indicators : dict, optional
        The scenario's cost indicators (yuan), each printed with the mark A.
    rule : VoteRule, optional
        The acceptance rule applied, cited under the verdict.
    lang : {"zh", "en"}
        Language of every word the report adds (the survey's item names stay as given).
    community : str
        Printed under the title.
    date : date or str, optional
        The survey's date, printed and written as the PDF's date (no clock time, no
        random id: the same inputs give the same bytes).
    orientation : {"portrait", "landscape"}
        A4 either way; every line fits the page.

    Examples
    --------
    >>> import pandas as pd
    >>> from costshare import rules
    >>> from costshare.households.evaluate import evaluate
    >>> rs = rules.load("hebei", on="2024-06-30")
    >>> ev = evaluate(pd.DataFrame({"unit_id": ["A", "B"], "overall": [5, 2]}), rs)
    >>> pdf = evaluation_pdf_bytes(ev, rule=rs.vote_rule("acceptance"), date="2024-06-30")
    >>> pdf[:5], pdf == evaluation_pdf_bytes(ev, rule=rs.vote_rule("acceptance"),
    ...                                      date="2024-06-30")
    (b'%PDF-', True)
    """
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    font = cjk_font(font_path)
    page = landscape(A4) if orientation == "landscape" else A4
    width = page[0] - 36 * mm
    wrap = {"wordWrap": "CJK"} if lang == "zh" else {}
    base = ParagraphStyle("b", fontName=font, fontSize=10, leading=14, **wrap)
    small = ParagraphStyle("s", parent=base, fontSize=8.5, leading=11.5)
    h1 = ParagraphStyle("h1", parent=base, fontSize=16, leading=22, alignment=1)
    h2 = ParagraphStyle("h2", parent=base, fontSize=11.5, leading=16, spaceBefore=6)

    def para(text: str, style: ParagraphStyle = base) -> Paragraph:
        esc = clean(text)[:3000].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(esc, style)

    def table(header: list[str], rows: list[list[str]], right: tuple[int, ...]) -> list[Any]:
        rows = [[clean(c) for c in r] for r in rows]
        return row_tables(header, rows, None, width=width, font=font, size=8.5, right=right)

    day = day_text(date, "")
    story: list[Any] = [para(_w("title", lang), h1)]
    if community:
        story.append(para(community, ParagraphStyle("c", parent=base, alignment=1, fontSize=12)))
    if day:
        story.append(
            para(_w("date", lang, day=day), ParagraphStyle("d", parent=small, alignment=1))
        )
    story.append(Spacer(1, 4 * mm))

    # the verdict and the rule it rests on
    verdict = "pass" if ev.passed else "fail"
    story.append(para(_w(f"verdict.{verdict}", lang, satisfied=ev.satisfied, base=ev.base,
                         rate=f"{float(ev.rate):.1%}", bar=_pct(ev.bar, lang), n=ev.short_by())))  # fmt: skip
    if rule is not None:
        label = (rule.label or "") if lang == "zh" else ""
        story.append(para(_w("rule", lang, label=label, cite=cite(rule, lang)), small))
    story.append(para(_w("loop", lang), small))

    # the summary
    story.append(para(_w("h.summary", lang), h2))
    yes, no = _w("yes", lang), _w("no", lang)
    summary = [
        [_w("f.households", lang), str(ev.households), ""],
        [_w("f.answered", lang), str(ev.answered), ""],
        [_w("f.satisfied", lang), str(ev.satisfied), ""],
        [_w("f.base", lang), str(ev.base), ""],
        [_w("f.rate", lang), _pct(ev.rate, lang), INDICATOR_MARKS["overall_rate"]],
        [_w("f.bar", lang), _pct(ev.bar, lang), rule.confidence if rule is not None else ""],
        [_w("f.passed", lang), yes if ev.passed else no, ""],
        [_w("f.short_by", lang), str(ev.short_by()), ""],
    ]
    story += table([_w("c.field", lang), _w("c.value", lang), _w("c.mark", lang)], summary, (1,))

    # per item: satisfaction, mean answer and the share answering (facility use), all A
    story.append(para(_w("h.items", lang), h2))
    items = ev.items
    respondents = max(ev.answered, 1)
    rows = [
        [str(r["item"]), str(int(r["answered"])), str(int(r["satisfied"])), _rate(r["rate"], lang),
         "" if r["mean_level"] is None or r["mean_level"] != r["mean_level"]
         else f"{float(r['mean_level']):.2f}",
         f"{int(r['answered']) / respondents:.0%}"]
        for _, r in items.iterrows()
    ]  # fmt: skip
    head = ["item", "answered", "satisfied", "item_rate", "mean_level", "answered_share"]
    story += table([_w(f"c.{h}", lang) for h in head], rows, (1, 2, 3, 4, 5))
    story.append(para(_w("items.note", lang), small))

    # per building
    story.append(para(_w("h.buildings", lang), h2))
    b = ev.buildings
    rows = [[str(r["building"]), str(int(r["answered"])), str(int(r["satisfied"])),
             _rate(r["rate"], lang)] for _, r in b.iterrows()]  # fmt: skip
    head = ["building", "answered", "satisfied", "item_rate"]
    story += table([_w(f"c.{h}", lang) for h in head], rows, (1, 2, 3))

    # the scenario's cost indicators: no seed defines them (A)
    if indicators:
        story.append(para(_w("h.cost", lang), h2))
        rows = [[i18n.t(f"evpdf.ind.{k}", lang) if f"evpdf.ind.{k}" in i18n.table() else k,
                 f"{float(str(v)):,.2f}", INDICATOR_MARKS["cost"]]
                for k, v in indicators.items()]  # fmt: skip
        story += table([_w("c.indicator", lang), _w("c.yuan", lang), _w("c.mark", lang)],
                       rows, (1,))  # fmt: skip
        story.append(para(_w("cost.note", lang), small))

    # notes
    story.append(para(_w("h.notes", lang), h2))
    for n in ev.notes_in(lang):
        story.append(para(f"• {n}", small))
    story.append(para(_w("marks", lang), small))

    ident = _report_id(ev, indicators, rule.id if rule else None, lang, community, day, orientation)
    story.append(Spacer(1, 4 * mm))
    story.append(para(_w("id", lang, ident=ident), small))
    stamp = pdf_stamp(day)

    def on_page(canvas: Any, doc: Any) -> None:
        canvas._doc._timeStamp = stamp  # the PDF's date is the survey's, not the clock's

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=page, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
        bottomMargin=16 * mm, title=_w("title", lang), subject=ident, creator="costshare",
        initialFontName=font, initialFontSize=10,
        invariant=True,  # same inputs, same bytes
    )  # fmt: skip
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()


def _report_id(ev: Evaluation, *fields: object) -> str:
    """A report id from the content: same tallies and words, same id."""
    h = hashlib.sha256()
    for frame in (ev.items, ev.buildings):
        h.update(frame.to_csv(index=False).encode())
    h.update(repr((ev.households, ev.answered, ev.satisfied, ev.rule, str(ev.bar), ev.base,
                   ev.passed, ev.notes, ev.notes_zh, fields)).encode())  # fmt: skip
    return "PJ-" + h.hexdigest()[:12].upper()


def write_evaluation_pdf(ev: Evaluation, path: str | Path, *args: Any, **kwargs: Any) -> Path:
    """Write :func:`evaluation_pdf_bytes` to `path` atomically; arguments as there.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from costshare import rules
    >>> from costshare.households.evaluate import evaluate
    >>> ev = evaluate(pd.DataFrame({"unit_id": ["A"], "overall": [5]}),
    ...               rules.load("hebei", on="2024-06-30"))
    >>> write_evaluation_pdf(ev, Path(tempfile.mkdtemp()) / "e.pdf").read_bytes()[:5]
    b'%PDF-'
    """
    path = Path(path)
    atomic_write_bytes(path, evaluation_pdf_bytes(ev, *args, **kwargs))
    return path
