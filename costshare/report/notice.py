"""Public notice (公示) of a contribution sheet as an A4 PDF with an embedded Chinese font.

The notice lists every household with its name masked (张*三, 李*), the amount and any
exemption, the totals, what is shared and on what basis, the parameters and rule
sources, and date and signature lines. The header row repeats on every page.

The Chinese font is a TrueType font found on the system (or given by path) and embedded
as a subset, so the notice renders on a machine without Chinese fonts. Only when none is
found does it fall back to reportlab's CID font STSong-Light, which is *not* embedded
(Adobe Reader then asks for a font pack): that fallback emits :class:`NoticeFontWarning`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from costshare.households.explain import (
    basis_text,
    citation,
    exempt_flags,
    explain_sheet,
    reason_text,
    sheet_parameters,
    sheet_title,
)
from costshare.households.explain_en import english_basis, english_lines, english_parameters
from costshare.households.scope import unit_labels
from costshare.households.sheet import ContributionSheet
from costshare.households.unit_label import LabelStyle, normalise_part
from costshare.money import format_amount
from costshare.progress import Progress, as_progress
from costshare.report._notice_font import (
    FONT_CANDIDATES,
    NoticeFontWarning,
    cjk_font,
    find_cjk_font,
)
from costshare.report._notice_layout import ROW_HEIGHT, clean, fit, line_tables, row_tables, wrap
from costshare.report.notice_audit import audit_tables, audit_title, notice_audit_rows
from costshare.report.notice_meta import WORDS, day_text, document_id, pdf_stamp
from costshare.report.safe import atomic_write_bytes
from costshare.text import mask_name

__all__ = [
    "FONT_CANDIDATES",
    "SIGNATURES",
    "NoticeFontWarning",
    "document_id",
    "find_cjk_font",
    "notice_pdf_bytes",
    "write_notice",
]


def _yuan(fen: int) -> str:
    return format_amount(int(fen)).removesuffix(" 元")


SIGNATURES = ("社区居委会（盖章）", "业主委员会/业主代表（签字）", "经办人（签字）")
"""The notice's signature lines unless the office gives its own."""
_SIGNATURES = SIGNATURES


def write_notice(sheet: ContributionSheet, path: str | Path, **kwargs: Any) -> Path:
    """Write :func:`notice_pdf_bytes` to `path` atomically; keywords as there.

    Examples
    --------
    >>> import tempfile
    >>> from costshare import rules
    >>> from costshare.households.sheet import SheetSpec, contribution_sheet
    >>> r = pd.DataFrame({"unit_id": ["101", "102"], "area_m2": [50.0, 150.0],
    ...                   "owner_name": ["张小三", "李四"]})
    >>> s = contribution_sheet(r, 10000, SheetSpec(), rules.load("national", "2024-06-01"))
    >>> p = write_notice(s, Path(tempfile.mkdtemp()) / "n.pdf", date=dt.date(2024, 6, 1))
    >>> p.read_bytes()[:5]
    b'%PDF-'
    """
    path = Path(path)
    atomic_write_bytes(path, notice_pdf_bytes(sheet, **kwargs))
    return path


def notice_pdf_bytes(
    sheet: ContributionSheet,
    *,
    date: dt.date | str,
    community: str = "",
    title: str | None = None,
    what: str | None = None,
    issuer: str = "社区居民委员会",
    posting_from: dt.date | str | None = None,
    posting_until: dt.date | str | None = None,
    objection_to: str = "",
    objection_until: dt.date | str | None = None,
    rule_text: str | None = None,
    lang: Literal["zh", "en"] = "zh",
    orientation: Literal["portrait", "landscape"] = "portrait",
    label_style: LabelStyle | None = None,
    doc_id: str | None = None,
    font_path: str | Path | None = None,
    appendix: bool = True,
    per: str | None = None,
    signatures: Sequence[str] = _SIGNATURES,
    objection: str | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The public notice (公示) of a contribution sheet as A4 PDF bytes.

    Parameters
    ----------
    sheet : ContributionSheet
        From :func:`costshare.households.sheet.contribution_sheet`.
    date : date or str
        Date printed on the notice and written as the PDF's creation date (00:00,
        Asia/Shanghai): the caller's (the CLI and the app pass today in Asia/Shanghai).
    community : str
        Community name shown under the title.
    title : str, optional
        Default ``"<what>公示"``.
    what : str, optional
        What is paid for (default :func:`~costshare.households.explain.sheet_title`).
    issuer : str
        Who posts the notice.
    posting_from, posting_until : date or str, optional
        The posting period; blank lines to fill in by hand when not given.
    objection_to : str
        Where to object (default the residents' committee).
    objection_until : date or str, optional
        Last day to object (default the end of the posting period).
    rule_text : str, optional
        The rule and document the sharing rests on, as :func:`costshare.rules.cite`
        words it; default one line per rule of ``sheet.sources``
        (:func:`~costshare.households.explain.citation`).
    lang : {"zh", "en"}
        The notice's words and its audit appendix (审计附录 in Chinese on a Chinese
        notice; English only on an English one).
    orientation : {"portrait", "landscape"}
        A4 either way; every line fits the page.
    label_style : {"zh", "dash"}, optional
        Household labels in the appendix: ``1号楼1单元101`` or ``1-1-101`` (default
        ``"zh"`` on a Chinese notice, ``"dash"`` on an English one).
    doc_id : str, optional
        The document id printed in the footer and written as the PDF subject; default
        :func:`document_id` of the content. The PDF has no clock time and no random id:
        the same inputs give the same bytes.
    font_path : str or Path, optional
        A TrueType (.ttf/.ttc) CJK font to embed; otherwise found on the system.
    appendix : bool, default True
        Add the per-household explanation (计算说明) as an appendix, by unit, no names.
    per : {"building", "stairwell"}, optional
        One section per building (or building and stairwell), each from a new page
        with its own subtotal.
    signatures : sequence of str
        Signature lines, one per line (default :data:`SIGNATURES`).
    objection : str, optional
        The office's own objection sentence, printed instead of the default
        ("如有异议，请于 <objection_until> 前向 <objection_to> 书面提出。").
    progress : Progress, optional
        Told ``notice.prepare`` (the rows, explanations) then ``notice.pages`` (once per
        page laid out, of the pages expected); may raise :class:`~costshare.progress.Cancelled`.

    Notes
    -----
    The households go into page-sized tables with fixed column widths and row
    heights, each cell cut with an ellipsis to its column, so time and memory are
    linear in households. The last page is the audit appendix
    (:func:`~costshare.report.notice_audit.notice_audit_rows`).
    """
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    if per not in (None, "building", "stairwell"):
        raise ValueError(f"per must be 'building' or 'stairwell', got {per!r}")
    if lang not in WORDS:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    w = WORDS[lang]
    prog = as_progress(progress)
    prep, pages = prog.part(0.0, 0.1), prog.part(0.1, 1.0)
    prep.step(0, 3, "notice.prepare")
    page = landscape(A4) if orientation == "landscape" else A4
    font = cjk_font(font_path)
    if lang == "en":  # the defaults in English (what the user typed stays as typed)
        m = sheet.meta
        generic = "Elevator retrofit: owners' shares" if m.elevator else "Residents' contribution"
        what = what or m.spec.title or generic
        issuer = "Residents' committee" if issuer == "社区居民委员会" else issuer
    what = clean(what or sheet_title(sheet))
    title = clean(title) if title else (f"{what}公示" if lang == "zh" else f"Public notice: {what}")
    day = day_text(date, "")
    table = sheet.table.assign(exempt_reason=reason_text(sheet), exempt=exempt_flags(sheet))
    width = page[0] - 28 * mm
    ident = doc_id or document_id(
        sheet, title, what, issuer, day, community, posting_from, posting_until,
        objection_to, objection_until, rule_text, lang, orientation, label_style, per,
        # an office's own wording is part of the content (default notices keep their ids)
        *(() if tuple(signatures) == _SIGNATURES else (tuple(signatures),)),
        *(() if not objection else (objection,)),
    )  # fmt: skip

    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
    h1 = ParagraphStyle("h1", parent=base, fontSize=16, leading=22, alignment=1, spaceAfter=4)
    h2 = ParagraphStyle("h2", parent=base, fontSize=12, leading=16, spaceAfter=3)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=10.5)

    def para(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(_esc(clean(text)[:4000]), style)

    colon = "：" if lang == "zh" else ": "
    story: list[Any] = [para(title, h1)]
    if community:
        story.append(para(community, ParagraphStyle("c", parent=base, alignment=1, fontSize=11)))
    story.append(Spacer(1, 3 * mm))
    total_fen = int(table["share_fen"].sum()) if len(table) else 0
    n_exempt = int(table["exempt"].sum())
    story.append(para(f"{w['what']}{colon}{what}"))
    story.append(para(f"{w['issuer']}{colon}{clean(issuer)}"))
    basis = basis_text(sheet) if lang == "zh" else english_basis(sheet)
    story.append(para(f"{w['basis']}{colon}{basis}"))
    rests = [rule_text] if rule_text else [citation(s, lang=lang) for s in sheet.sources]
    for r in rests:
        story.append(para(f"{w['rests']}{colon}{r}"))
    total = format_amount(total_fen) if lang == "zh" else _yuan(total_fen) + " yuan"
    story.append(para(w["total"].format(total=total, n=len(table), ex=n_exempt)))
    story.append(Spacer(1, 3 * mm))

    prep.step(1, 3, "notice.prepare")
    n_rows = n_lines = n_parts = 0  # for the expected number of pages
    for k, (label, part) in enumerate(_sections(table, per)):
        if label is not None:
            if k:
                story.append(PageBreak())
            sub = format_amount(int(part["share_fen"].sum()))
            story.append(para(w["section"].format(label=label, n=len(part), amount=sub), h2))
        rows, money_cols = notice_rows(part)
        n_rows, n_parts = n_rows + len(rows), k + 1
        if lang == "en":  # English headers and remarks; the numbers as they are
            rows[0] = [WORDS["en"].get(f"col.{h}", h) for h in rows[0]]
            if rows[0][-1] == WORDS["en"]["col.备注"]:
                notes = english_lines(pd.Series([r[-1] for r in rows[1:]], dtype=str))
                for r, note in zip(rows[1:], notes.tolist(), strict=True):
                    r[-1] = note
        header = rows[0]
        totals = [w["sum"] if label is None else w["sub"]] + [""] * (len(header) - 1)
        for j, col in zip(money_cols, money_columns(part), strict=True):
            totals[j] = _yuan(int(part[col].sum()))
        story += row_tables(
            header, rows[1:], totals, width=width, font=font, size=8.5, right=money_cols
        )
    story.append(Spacer(1, 4 * mm))

    story.append(para(w["params"], base))
    params = sheet_parameters(sheet)
    if lang == "en":
        params = [("Basis", basis) if a == "分摊方式" else (a, b) for a, b in params]
        params = english_parameters(params)
    story += [para(f"{a}{colon}{b}", small) for a, b in params]
    story.append(Spacer(1, 4 * mm))
    end = day_text(posting_until, w["blank"])
    story.append(para(w["posting"].format(a=day_text(posting_from, w["blank"]), b=end)))
    until = day_text(objection_until, "") or end
    default = w["object"].format(until=until, to=clean(objection_to) or w["to"])
    story.append(para(clean(objection) if objection else default))
    story.append(Spacer(1, 6 * mm))
    if lang == "en" and tuple(signatures) == _SIGNATURES:
        signatures = ("Residents' committee (seal)", "Owners' committee (signature)", "Clerk")
    story += [para(f"{clean(s)}{colon}________________________") for s in signatures]
    story += [Spacer(1, 4 * mm), para(f"{clean(issuer)}    {w['date']}{colon}{day}")]

    if appendix:
        prep.step(2, 3, "notice.prepare")
        story += [Spacer(1, 6 * mm), para(w["appendix"], base)]
        style = label_style or ("zh" if lang == "zh" else "dash")
        labels = unit_labels(table, style).tolist()
        explained = explain_sheet(sheet)
        explained = explained if lang == "zh" else english_lines(explained)
        lines = [
            line
            for u, e in zip(labels, explained.tolist(), strict=True)
            for line in wrap(f"{u}{colon}{e}", width - 4, 8)
        ]
        story += line_tables(lines, width=width, font=font, size=8)
        n_lines = len(lines)

    story += [PageBreak(), para(audit_title(lang), h2)]
    story += audit_tables(notice_audit_rows(sheet, lang), lang, width=width, font=font, size=7.5)
    stamp = pdf_stamp(day)

    body = page[1] - 30 * mm  # expected pages: each section's, the appendix's, three more
    expect = 2 + n_parts + n_rows // int(body // ROW_HEIGHT) + n_lines // int(body // 10.4)
    pages.step(0, expect + 1, "notice.pages")

    def footer(canvas: Any, doc: Any) -> None:
        canvas._doc._timeStamp = stamp  # the PDF's date is the notice's, not the clock's
        pages.step(min(doc.page, expect), expect + 1, "notice.pages")  # one step per page
        canvas.saveState()
        canvas.setFont(font, 8)
        text = f"{title}  {w['docid']} {ident}  {w['page'].format(page=doc.page)}"
        canvas.drawCentredString(page[0] / 2, 10 * mm, fit(text, width, font, 8))
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=page,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=title,
        author=clean(issuer),
        subject=ident,
        creator="costshare",
        initialFontName=font,
        initialFontSize=9.5,
        invariant=True,  # no clock time, no random file id: same inputs, same bytes
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    pages.step(expect + 1, expect + 1, "notice.pages")  # written out
    return buf.getvalue()


def _sections(table: pd.DataFrame, per: str | None) -> list[tuple[str | None, pd.DataFrame]]:
    if per is None:
        return [(None, table)]
    keys = [c for c in ("building", "stairwell")[: 1 if per == "building" else 2] if c in table]
    if not keys:
        return [(None, table)]
    out = []
    for key, part in table.groupby(keys, sort=False):
        vals = key if isinstance(key, tuple) else (key,)
        names = ("楼栋", "单元")
        parts = ("building", "stairwell")
        out.append(
            (
                "，".join(
                    f"{names[i]} {clean(normalise_part(v, parts[i]))}" for i, v in enumerate(vals)
                ),
                part,
            )
        )
    return out


_MONEY = ("share_fen", "cash_fen")
_AREA_WORDS = ("专有部分面积", "套内建筑面积", "套内面积", "建筑面积", "房屋面积")


def money_columns(sheet: pd.DataFrame) -> list[str]:
    return [c for c in _MONEY if c in sheet.columns]


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def notice_rows(sheet: pd.DataFrame) -> tuple[list[list[str]], list[int]]:
    """Header and rows of the notice table (names masked), and the money column positions."""
    header = ["序号"]
    cols: list[list[str]] = [[str(i) for i in range(1, len(sheet) + 1)]]
    for col, head in (
        ("building", "楼栋"),
        ("stairwell", "单元"),
        ("unit_id", "房号"),
        ("floor", "楼层"),
    ):
        if col in sheet:
            header.append(head)
            part = {"building": "building", "stairwell": "stairwell"}.get(col)
            vals = sheet[col].astype(str).tolist()
            cols.append([clean(normalise_part(v, part) if part else v) for v in vals])
    word = str(sheet.attrs.get("area_header", "")).strip()
    header.append(f"{word}(m²)" if word in _AREA_WORDS[1:] else "面积(m²)")  # the source's word
    cols.append([f"{v:.2f}" for v in sheet["area_m2"].tolist()])
    if "owner_name" in sheet:
        header.append("业主")
        cols.append([clean(mask_name(v)) for v in sheet["owner_name"].tolist()])
    if "factor" in sheet:
        header.append("系数/比例")
        cols.append([f"{v:g}" for v in sheet["factor"].tolist()])
    money_start = len(header)
    labels = {"share_fen": "应分摊(元)", "cash_fen": "现金缴纳(元)"}
    for c in money_columns(sheet):
        header.append(labels[c])
        cols.append([_yuan(v) for v in sheet[c].tolist()])
    money_cols = list(range(money_start, len(header)))
    if "exempt_reason" in sheet:
        header.append("备注")
        cols.append([clean(v) for v in sheet["exempt_reason"].astype(str).tolist()])
    rows = [list(r) for r in zip(*cols, strict=True)] if len(sheet) else []
    return [header, *rows], money_cols
