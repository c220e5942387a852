"""Ballot forms (表决票) for an owners' vote as an A4 PDF: one form per unit, or one blank.

Each form names the community, every matter put to the vote with the rule's wording,
the thresholds (who takes part, who must agree, counted over the community, building or
stairwell) and the rule's source (:func:`costshare.rules.cite`), then the unit
(building-stairwell-room) with its exclusive area, the owner's name masked (张*三) or a
blank line for the owner to write, boxes 同意/反对/弃权 per matter, signature and date
lines, and how to return the form by when. Nothing else of the register is printed (no
ID or phone number). The font is the notice's embedded CJK font
(:mod:`costshare.report._notice_font`).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import re
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd

from costshare import i18n
from costshare.errors import InputError, Problem
from costshare.households.scope import unit_labels
from costshare.households.tally_rules import canonical_headers
from costshare.money import format_amount
from costshare.report._notice_font import cjk_font
from costshare.report._notice_layout import clean
from costshare.report.notice_audit import STATUS
from costshare.report.notice_meta import day_text, pdf_stamp
from costshare.report.safe import atomic_write_bytes
from costshare.rules import RuleSet
from costshare.rules.schema import VoteRule
from costshare.text import mask_name

__all__ = [
    "area_word",
    "ballot_forms",
    "ballot_pdf_bytes",
    "source_words",
    "threshold_text",
    "write_ballots",
]
_AREA_WORDS = ("专有部分面积", "套内建筑面积", "套内面积", "建筑面积", "房屋面积", "面积")

_OVER = {"community": "全体业主", "building": "本楼栋业主", "stairwell": "本单元业主"}


def _share(x: Fraction, strict: bool) -> str:
    n = f"{x.numerator}/{x.denominator}"
    return f"超过 {n}" if strict else f" {n} 以上"


def threshold_text(rule: VoteRule) -> str:
    """The thresholds of `rule` in words: who takes part, who must agree, counted over whom.

    Examples
    --------
    >>> from costshare import rules
    >>> r = rules.load("national", on="2024-01-01").vote_rule("ordinary")
    >>> threshold_text(r)
    '按全体业主计；参与表决：专有部分面积 2/3 以上 且人数 2/3 以上；同意：参与表决者中专有部分面积超过 1/2 且人数超过 1/2'
    """
    parts = [f"按{_OVER[rule.counted_over]}计"]
    quorum = [
        f"{what}{_share(x, False)}"
        for what, x in (("专有部分面积", rule.quorum_area), ("人数", rule.quorum_owners))
        if x is not None
    ]
    if quorum:
        parts.append("参与表决：" + " 且".join(quorum))
    approve = [
        f"{what}{_share(x, rule.strict)}"
        for what, x in (("专有部分面积", rule.approve_area), ("人数", rule.approve_owners))
        if x is not None
    ]
    if approve:
        of = "全体业主中" if rule.approve_of == "all" else "参与表决者中"
        parts.append(f"同意：{of}" + " 且".join(approve))
    if rule.no_objection:
        parts.append("参与表决者无人反对")
    return "；".join(parts)


def ballot_forms(units: pd.DataFrame | None) -> list[dict[str, str]]:
    """What each form prints of the register: unit label, area (m²) and masked name.

    `units` has ``unit_id`` (or 房号), ``area`` (or 面积/``area_m2``) and optionally
    ``building``, ``stairwell``, ``owner_name`` and ``share_fen`` (the household's amount
    under the proposal, e.g. a contribution sheet's table); nothing else is read.
    ``None`` gives one blank form.

    Examples
    --------
    >>> u = pd.DataFrame({"building": ["1"], "stairwell": ["2"], "unit_id": ["301"],
    ...                   "area_m2": [88.5], "owner_name": ["张小三"], "phone": ["13800000000"]})
    >>> ballot_forms(u)
    [{'unit': '1号楼2单元301', 'area': '88.50', 'owner': '张*三', 'amount': ''}]
    >>> ballot_forms(None)
    [{'unit': '', 'area': '', 'owner': '', 'amount': ''}]
    """
    if units is None:
        return [{"unit": "", "area": "", "owner": "", "amount": ""}]
    u = canonical_headers(units.rename(columns={"area_m2": "area"}))
    fen = u.get("share_fen")
    labels = unit_labels(u.assign(unit_id=u["unit_id"].astype(str).str.strip()), "zh")
    areas = pd.to_numeric(u["area"], errors="coerce") if "area" in u else None
    names = u.get("owner_name")
    out = []
    for i, lab in enumerate(labels.tolist()):
        a = None if areas is None else areas.iloc[i]
        out.append(
            {
                "unit": clean(lab),
                "area": "" if a is None or pd.isna(a) else f"{float(a):,.2f}",
                "owner": "" if names is None else clean(mask_name(names.iloc[i])),
                "amount": "" if fen is None else format_amount(int(fen.iloc[i])),
            }
        )
    return out


def area_word(units: pd.DataFrame | None) -> str:
    """The area row's label: the register's own word (建筑面积 stays 建筑面积).

    Examples
    --------
    >>> area_word(pd.DataFrame(columns=["房号", "建筑面积(㎡)"])), area_word(None)
    ('建筑面积', '专有部分面积')
    """
    if units is None:
        return _AREA_WORDS[0]
    names = [re.sub(r"[（(].*?[)）]", "", str(c)).strip() for c in units.columns]
    for word in names:
        if word in _AREA_WORDS:
            return word
    word = str(units.attrs.get("area_header", "")).strip()
    return word if word in _AREA_WORDS else _AREA_WORDS[0]


def source_words(rule: VoteRule) -> str:
    """The rule's document and article（issuer，date）in words, no confidence mark.

    Examples
    --------
    >>> from costshare import rules
    >>> source_words(rules.load("national", on="2024-01-01").vote_rule("ordinary"))
    '中华人民共和国民法典 第二百七十八条（全国人民代表大会，2020-05-28）'
    """
    src = rule.source
    article = "" if src.article.lower().startswith("none") else src.article
    date = src.date.isoformat() if src.date else (src.published or "未注明日期")
    status = STATUS["zh"].get(rule.confidence, "") if rule.confidence != "H" else ""
    if rule.confidence == "A" and rule.reason:
        status += "：" + rule.reason
    parts = [p for p in (src.issuer, str(date), status) if p]
    head = " ".join(p for p in (src.document, article) if p)
    return f"{head}（{'，'.join(parts)}）"


def _matter_name(matter: str, rule: VoteRule) -> str:
    name = i18n.label("votes.matter", matter, "zh", default="")
    return name or rule.label or matter


def ballot_pdf_bytes(
    units: pd.DataFrame | None,
    matters: Sequence[str],
    rules: RuleSet,
    *,
    community: str = "",
    deadline: dt.date | str | None = None,
    return_to: str = "",
    issuer: str = "业主大会筹备组／业主委员会",
    names: bool = True,
    font_path: str | Path | None = None,
    proposal: str = "",
    date: dt.date | str | None = None,
    doc_id: str | None = None,
    orientation: str = "portrait",
) -> bytes:
    """Ballot forms (表决票) as A4 PDF bytes: one page per unit of `units`.

    Parameters
    ----------
    units : DataFrame or None
        The register (see :func:`ballot_forms`); ``None`` gives one blank form.
    matters : sequence of str
        Matters put to the vote (keys of ``rules.vote_rules``, e.g. ``"elevator"``).
    rules : RuleSet
        Rules in force on the day of the vote (the caller resolves them).
    community, return_to, issuer : str
        Printed as given (community name; where/how to return the form; who issues it).
    deadline : date or str, optional
        Last day to return the form; a blank line when not given.
    names : bool, default True
        Print the owner's masked name; ``False`` leaves a line for the owner to write.
    font_path : str or Path, optional
        A CJK TrueType font to embed (else the notice's font search).
    proposal : str
        The proposal put to the vote (what is done, its total cost), printed under
        the matters; each form also prints the household's amount when `units` has
        ``share_fen`` (a contribution sheet's table).
    date : date or str, optional
        Issue date, printed and written as the PDF's date (00:00 Asia/Shanghai); the
        PDF never carries the clock time or a random id.
    doc_id : str, optional
        Document id printed on every form; default a hash of the content.
    orientation : {"portrait", "landscape"}
        A4 either way; every line fits the page.

    Examples
    --------
    >>> from costshare import rules
    >>> rs = rules.load("national", on="2024-01-01")
    >>> u = pd.DataFrame({"unit_id": ["101", "102"], "area": [80, 90]})
    >>> ballot_pdf_bytes(u, ["elevator"], rs)[:5]
    b'%PDF-'
    """
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    if not matters:
        raise InputError(Problem("no matter to vote on", field="matter"))
    try:
        chosen = [(m, rules.vote_rule(m)) for m in matters]
    except KeyError as exc:
        raise InputError(Problem(str(exc.args[0]), field="matter")) from None
    font = cjk_font(font_path)
    page = landscape(A4) if orientation == "landscape" else A4
    width = page[0] - 36 * mm
    base = ParagraphStyle("b", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    small = ParagraphStyle("s", parent=base, fontSize=8.5, leading=11.5)
    h1 = ParagraphStyle("h1", parent=base, fontSize=17, leading=24, alignment=1)

    def para(text: str, style: ParagraphStyle = base) -> Paragraph:
        esc = clean(text)[:2000].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(esc, style)

    def grid(rows: list[list[Any]], widths: list[float]) -> Table:
        tbl = Table(rows, colWidths=widths, rowHeights=[9 * mm] * len(rows))
        tbl.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), font, 10),
                    ("GRID", (0, 0), (-1, -1), 0.6, "black"),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        return tbl

    day = "" if deadline is None else str(deadline)
    head: list[Any] = [para("业主表决票", h1)]
    if community:
        head.append(para(community, ParagraphStyle("c", parent=base, alignment=1, fontSize=12)))
    head.append(Spacer(1, 4 * mm))
    head.append(para("表决事项及规则："))
    for k, (m, rule) in enumerate(chosen, 1):
        head.append(para(f"{k}. {_matter_name(m, rule)}：{rule.label or ''}", base))
        head.append(para(f"通过条件：{threshold_text(rule)}。", small))
        head.append(para(f"依据：{source_words(rule)}", small))
    if proposal:
        head.append(para(f"表决方案：{proposal}"))
    head.append(Spacer(1, 3 * mm))

    vote_rows = [["表决事项", "同意", "反对", "弃权"]]
    vote_rows += [
        [para(f"{k}. {_matter_name(m, r)}", base), "", "", ""] for k, (m, r) in enumerate(chosen, 1)
    ]
    tail: list[Any] = [
        Spacer(1, 3 * mm),
        para(
            "请在每一事项所选意见下的方框内打“√”，每项只选一种意见；未交回的表决票按未参与表决计。"
        ),
        Spacer(1, 3 * mm),
        grid(vote_rows, [width - 3 * 22 * mm, 22 * mm, 22 * mm, 22 * mm]),
        Spacer(1, 8 * mm),
        para("业主（签字）：____________________        日期：______ 年 ___ 月 ___ 日"),
        Spacer(1, 6 * mm),
        para(
            f"交回方式：{clean(return_to) or '____________________'}；"
            f"交回截止日期：{day or '______ 年 ___ 月 ___ 日'}。"
        ),
        Spacer(1, 4 * mm),
        para(f"发放单位：{clean(issuer)}", small),
    ]

    area = area_word(units)
    forms = ballot_forms(units)
    layout = () if names and orientation == "portrait" else (names, orientation)  # ids kept
    ident = doc_id or _ballot_id(
        forms, matters, community, day, return_to, issuer, proposal, date, *layout
    )
    tail += [
        para(f"表决票编号：{ident}    发放日期：{day_text(date, '______ 年 ___ 月 ___ 日')}", small)
    ]
    stamp = pdf_stamp(day_text(date, ""))

    def on_page(canvas: Any, doc: Any) -> None:
        canvas._doc._timeStamp = stamp  # the PDF's date is the issue date, not the clock's

    story: list[Any] = []
    for i, form in enumerate(forms):
        if i:
            story.append(PageBreak())
        owner = form["owner"] if names and form["owner"] else ""
        unit_rows = [
            ["房屋（楼栋-单元-房号）", form["unit"]],
            [f"{area}（m²）", form["area"]],
            ["业主姓名", owner],
        ]
        if form["amount"]:
            unit_rows.append(["本户按方案应分摊", form["amount"]])
        fresh = [copy.copy(f) for f in (*head, grid(unit_rows, [55 * mm, width - 55 * mm]), *tail)]
        story += fresh  # one flowable per form: a form longer than a page splits its own

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=page,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title="业主表决票",
        author=clean(issuer),
        subject=ident,
        creator="costshare",
        initialFontName=font,
        initialFontSize=10,
        invariant=True,  # same inputs, same bytes: a published file's hash can be checked
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()


def _ballot_id(forms: list[dict[str, str]], *fields: object) -> str:
    """A ballot document id from the content: same register and matters, same id."""
    h = hashlib.sha256(repr((forms, fields)).encode())
    return "BJ-" + h.hexdigest()[:12].upper()


def write_ballots(
    units: pd.DataFrame | None,
    matters: Sequence[str],
    rules: RuleSet,
    path: str | Path,
    **kwargs: Any,
) -> Path:
    """Write :func:`ballot_pdf_bytes` to `path` atomically; keywords as there.

    Examples
    --------
    >>> import tempfile
    >>> from costshare import rules
    >>> rs = rules.load("national", on="2024-01-01")
    >>> p = write_ballots(None, ["ordinary"], rs, Path(tempfile.mkdtemp()) / "b.pdf")
    >>> p.read_bytes()[:5]
    b'%PDF-'
    """
    path = Path(path)
    atomic_write_bytes(path, ballot_pdf_bytes(units, matters, rules, **kwargs))
    return path
