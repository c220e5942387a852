"""Documents a street office can post: labels, words, fit on the page, same bytes, and
explanations whose every "a × b = c" recomputes to c from the printed operands."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from costshare import rules
from costshare.households.basis import floor_scale
from costshare.households.explain import ROUNDING_NOTE, explain_sheet, reason_text
from costshare.households.sheet import SheetSpec, contribution_sheet
from costshare.households.unit_label import unit_label, unit_label_series
from costshare.report.ballot import ballot_pdf_bytes
from costshare.report.notice import notice_pdf_bytes
from costshare.report.sheet import sheet_display

NATIONAL = rules.load("national", "2024-06-01")
HANGZHOU = rules.load("hangzhou", "2024-06-01")
GUANGZHOU = rules.load("guangzhou", "2024-06-01")
DAY = dt.date(2024, 6, 1)
poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None and not os.environ.get("CI"),
    reason="pdftotext (poppler-utils) not installed; CI installs it",
)


def roster(n: int = 12) -> pd.DataFrame:
    """Suffixed building and stairwell cells, as many offices type them."""
    return pd.DataFrame(
        {
            "building": ["1号楼"] * n,
            "stairwell": ["1单元"] * (n // 2) + ["2单元"] * (n - n // 2),
            "unit_id": [f"{f}0{k}" for f in range(1, n // 2 + 1) for k in (1, 2)][:n],
            "floor": [f for f in range(1, n // 2 + 1) for _ in (1, 2)][:n],
            "area_m2": [58.8, 82.5, 72.45, 90.12, 52.36, 61.25] * (n // 6) + [70.0] * (n % 6),
            "owner_name": ["张小三", "李四", "欧阳小明"] * (n // 3) + ["王五"] * (n % 3),
        }
    )


def text_of(pdf: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


# ---------------------------------------------------------------- labels


def test_labels_never_double_suffixes() -> None:
    assert unit_label("1号楼", "1单元", "101") == "1号楼1单元101"
    assert unit_label("1", "1", "101") == "1号楼1单元101"
    assert unit_label("1号楼", "1单元", "101", "dash") == "1-1-101"
    labels = unit_label_series(roster(), "zh").tolist()
    assert labels[0] == "1号楼1单元101" and not any("栋" in x or "单元单元" in x for x in labels)


def test_notice_and_ballot_labels() -> None:
    s = contribution_sheet(roster(), 1_200_000, SheetSpec(), NATIONAL)
    flat = re.sub(r"\s+", "", text_of(notice_pdf_bytes(s, date=DAY)))
    assert "1号楼1单元101" in flat and "号楼栋" not in flat and "单元单元" not in flat
    dash = re.sub(r"\s+", "", text_of(notice_pdf_bytes(s, date=DAY, label_style="dash")))
    assert "1-1-101：" in dash
    ballots = re.sub(r"\s+", "", text_of(ballot_pdf_bytes(s.table, ["elevator"], NATIONAL)))
    assert "1号楼1单元101" in ballots and "单元单元" not in ballots


# ---------------------------------------------------------------- words


def test_chinese_notice_has_no_english_or_jargon() -> None:
    hz = floor_scale(HANGZHOU)
    s = contribution_sheet(roster(), 1_000_000, SheetSpec(basis="floor", floor_rule=hz), HANGZHOU)
    flat = re.sub(r"\s+", "", text_of(notice_pdf_bytes(s, date=DAY)))
    for bad in ("audit", "appendix", "可信度", "none", "hangzhou.", "civil_code", "basisarea"):
        assert bad not in flat, bad
    assert "审计附录" in flat and "假设值" in flat  # the assumed rule says so in words
    assert "无文件依据none" not in flat and "依据无文件依据" not in flat
    assert "按楼层分担比例" in flat and "楼层系数×面积" not in flat  # a percent rule
    assert "楼层规则不出资" in flat  # floors 1–2 pay nothing, with the reason


def test_zero_percent_floors_are_exempt_with_reason() -> None:
    hz = floor_scale(HANGZHOU)
    s = contribution_sheet(roster(), 1_000_000, SheetSpec(basis="floor", floor_rule=hz), HANGZHOU)
    d = sheet_display(s)
    low = d["楼层"] <= 2
    assert (d.loc[low, "是否免缴"] == "是").all() and (d.loc[~low, "是否免缴"] == "否").all()
    assert reason_text(s)[0].startswith("楼层规则不出资（杭州式")
    assert explain_sheet(s)[0].startswith("免缴：楼层规则不出资")


def test_notice_fields_are_printed() -> None:
    s = contribution_sheet(roster(), 1_200_000, SheetSpec(), NATIONAL)
    pdf = notice_pdf_bytes(
        s,
        date=DAY,
        what="1号楼外墙保温改造",
        issuer="示例街道示例社区居民委员会",
        posting_from="2024-06-01",
        posting_until="2024-06-07",
        objection_to="社区居委会一楼服务窗口",
        objection_until="2024-06-06",
    )
    flat = re.sub(r"\s+", "", text_of(pdf))
    assert "1号楼外墙保温改造公示" in flat and "发布单位：示例街道示例社区居民委员会" in flat
    assert "自2024-06-01至2024-06-07" in flat
    assert "请于2024-06-06前向社区居委会一楼服务窗口书面提出" in flat
    assert "依据：中华人民共和国民法典第二百八十三条（全国人民代表大会，2020-05-28）" in flat


def test_area_label_follows_the_source_column(tmp_path: Path) -> None:
    from costshare.households.roster import read_roster
    from costshare.report.ballot import area_word

    f = tmp_path / "r.csv"
    f.write_text("楼栋,单元,房号,楼层,建筑面积(㎡)\n1号楼,1单元,101,1,60.5\n1号楼,1单元,102,1,70\n")
    df = read_roster(f)
    s = contribution_sheet(df, 10_000, SheetSpec(), NATIONAL)
    assert "建筑面积(m²)" in sheet_display(s).columns
    assert "专有部分面积(m²)" not in sheet_display(s).columns
    assert area_word(df) == "建筑面积"
    notice = re.sub(r"\s+", "", text_of(notice_pdf_bytes(s, date=DAY)))
    assert "建筑面积(m²)" in notice
    flat = re.sub(r"\s+", "", text_of(ballot_pdf_bytes(df, ["elevator"], NATIONAL)))
    assert "建筑面积（m²）" in flat and "专有部分面积（m²）" not in flat


def test_ballot_carries_proposal_and_amount() -> None:
    s = contribution_sheet(roster(), 1_200_000, SheetSpec(), NATIONAL)
    pdf = ballot_pdf_bytes(
        s.table, ["elevator"], NATIONAL, proposal="加装电梯一部，总造价 12,000.00 元"
    )
    pages = [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == len(s.table)
    for page, fen in zip(pages, s.table["share_fen"].tolist(), strict=True):
        assert "表决方案：加装电梯一部，总造价12,000.00元" in page
        assert f"本户按方案应分摊{fen // 100:,}.{fen % 100:02d}元" in page
        assert "可信度" not in page


# ---------------------------------------------------------------- same bytes


def test_same_inputs_same_bytes() -> None:
    s = contribution_sheet(roster(), 1_200_000, SheetSpec(), NATIONAL)
    a, b = notice_pdf_bytes(s, date=DAY), notice_pdf_bytes(s, date=DAY)
    assert a == b
    c = notice_pdf_bytes(s, date=dt.date(2024, 6, 2))
    assert c != a and b"D:20240601000000+08'00'" in a and b"D:20240602000000+08'00'" in c
    assert PdfReader(io.BytesIO(a)).metadata.subject.startswith("GS-")
    x = ballot_pdf_bytes(s.table, ["elevator"], NATIONAL, date=DAY)
    assert x == ballot_pdf_bytes(s.table, ["elevator"], NATIONAL, date=DAY)
    assert b"D:20240601000000+08'00'" in x


# ---------------------------------------------------------------- fits the page


def word_boxes(pdf: bytes, tmp_path: Path) -> list[tuple[float, float, float, float, float, float]]:
    """(xMin, yMin, xMax, yMax, page width, page height) of every word (pdftotext -bbox)."""
    f = tmp_path / "x.pdf"
    f.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(f), "-"], capture_output=True, check=True)
    html = out.stdout.decode("utf-8")
    boxes = []
    for page in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        w, h, body = float(page[0]), float(page[1]), page[2]
        for m in re.finditer(
            r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)"', body
        ):
            boxes.append((*map(float, m.groups()), w, h))
    return boxes


@poppler
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_every_word_inside_the_page(orientation: str, tmp_path: Path) -> None:
    s = contribution_sheet(
        roster(60), 12_345_678, SheetSpec(basis={"area": "0.7", "equal": "0.3"}), NATIONAL
    )
    long = "示例街道示例社区居民委员会与业主委员会联合发布" * 3
    pdf = notice_pdf_bytes(
        s,
        date=DAY,
        issuer=long,
        what="1号楼、2号楼外墙保温、屋面防水、雨污分流及加装电梯前期工程" * 2,
        objection_to=long,
        orientation=orientation,
        signatures=(long, "社区居委会（盖章）", "经办人（签字）"),
    )
    boxes = word_boxes(pdf, tmp_path)
    assert len(boxes) > 500
    if orientation == "landscape":
        assert boxes[0][4] > boxes[0][5]
    for x0, y0, x1, y1, w, h in boxes:
        assert x0 >= 0 and x1 <= w and y0 >= 0 and y1 <= h, (x0, x1, w)
    ballot = ballot_pdf_bytes(
        s.table, ["elevator", "raise_fund"], NATIONAL, proposal=long * 2, orientation=orientation
    )
    for x0, y0, x1, y1, w, h in word_boxes(ballot, tmp_path):
        assert x0 >= 0 and x1 <= w and y0 >= 0 and y1 <= h, (x0, x1, w)


# ---------------------------------------------------------------- explanations

_NUM = r"([\d,]+(?:\.\d+)?)"
_LINES = [
    ("area", re.compile(rf"^面积 {_NUM} m² × 每平方米 {_NUM} 元 ([=≈]) {_NUM} 元")),
    ("head", re.compile(rf"^人口 {_NUM} 人 × 每人 {_NUM} 元 ([=≈]) {_NUM} 元")),
    (
        "coef",
        re.compile(
            rf"^楼层系数 {_NUM} × 面积 {_NUM} m² × 每单位（系数×面积）{_NUM} 元 ([=≈]) {_NUM} 元"
        ),
    ),
    ("equal", re.compile(rf"^按户均摊 {_NUM} 元 ÷ {_NUM} 户 ([=≈]) {_NUM} 元")),
    ("zero", re.compile(rf"^\d+层分担比例 0%（楼层规则） ([=≈]) {_NUM} 元")),
    (
        "pct",
        re.compile(
            rf"^\d+层分担比例 {_NUM}%(?:（出资楼层合计 {_NUM}%，按比例折算）)?，本层合计（{_NUM} 元），"
            rf"按本层面积分摊：{_NUM} 元 × {_NUM} m² "
            rf"÷ 本层 {_NUM} m² ([=≈]) {_NUM} 元"
        ),
    ),
]


def _d(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _half_unit(number: str) -> Decimal:
    """Half a unit of the last printed decimal: 21.9304 → 0.00005."""
    places = len(number.partition(".")[2])
    return Decimal(5).scaleb(-places - 1)


def check_line(piece: str) -> int:
    """Recompute one printed piece; return its amount in fen."""
    for kind, rx in _LINES:
        m = rx.match(piece)
        if m is None:
            continue
        g = m.groups()
        slack = Decimal(0)  # the printed rate's own rounding, times the weight
        if kind in ("area", "head"):
            value, sign, c = _d(g[0]) * _d(g[1]), g[2], _d(g[3])
            slack = _d(g[0]) * _half_unit(g[1])
        elif kind == "coef":
            value, sign, c = _d(g[0]) * _d(g[1]) * _d(g[2]), g[3], _d(g[4])
            slack = _d(g[0]) * _d(g[1]) * _half_unit(g[2])
        elif kind == "zero":
            value, sign, c = Decimal(0), g[0], _d(g[1])
        elif kind == "equal":
            value, sign, c = _d(g[0]) / _d(g[1]), g[2], _d(g[3])
        else:
            assert g[2] == g[3]
            value, sign, c = _d(g[3]) * _d(g[4]) / _d(g[5]), g[6], _d(g[7])
        if sign == "=":
            assert value.quantize(Decimal("0.01"), ROUND_HALF_UP) == c, piece
        else:
            # the exact value rounded by largest remainders: within a fen of the exact
            # value, which is within `slack` of the printed operands' product
            assert ROUNDING_NOTE in piece and abs(value - c) <= Decimal("0.01") + slack, piece
        return int(c * 100)
    raise AssertionError(f"unparsed explanation: {piece}")


def check_sheet(s) -> int:
    """Every printed line of `s` recomputes; the number of '=' lines."""
    equal = 0
    lines = explain_sheet(s).tolist()
    for line, fen in zip(lines, s.table["share_fen"].tolist(), strict=True):
        if line.startswith("免缴："):
            assert fen == 0
            continue
        pieces = [p for p in re.sub(r"（依据[^）]*）", "", line).split("；") if p]
        total = pieces.pop()[3:] if pieces[-1].startswith("合计 ") else None
        got = sum(check_line(p) for p in pieces)
        equal += sum(" = " in p for p in pieces)
        if total is not None:
            assert int(_d(total.removesuffix(" 元")) * 100) == got == fen
        else:
            assert got == fen
    return equal


def test_sample_roster_lines_recompute() -> None:
    """The reported case: 52.36 × 21.9304 printed "= 1,148.27" (it is 1,148.2757)."""
    from costshare.households.roster import read_roster

    df = read_roster(Path(__file__).parents[1] / "data" / "sample_roster.xlsx")
    s = contribution_sheet(df, 12_000_000, SheetSpec(), NATIONAL)
    assert check_sheet(s) >= len(s.table) * 3 // 4
    assert "1,148.27" in explain_sheet(s)[15] and "21.9304 元" not in explain_sheet(s)[15]


BASES = [
    {"basis": "area"},
    {"basis": "headcount"},
    {"basis": "equal"},
    {"basis": {"area": "0.7", "equal": "0.3"}},
    {"basis": "floor", "floor_rule": "guangzhou"},
    {"basis": "floor", "floor_rule": "hangzhou"},
    {"basis": {"floor": "0.7", "equal": "0.3"}, "floor_rule": "hangzhou"},
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    areas=st.lists(st.integers(3000, 20000), min_size=2, max_size=30),
    heads=st.lists(st.integers(1, 6), min_size=30, max_size=30),
    total=st.integers(1, 50_000_000),
    basis=st.sampled_from(BASES),
    places=st.sampled_from([100, 1000]),
)
def test_every_printed_line_recomputes(areas, heads, total, basis, places) -> None:
    n = len(areas)
    df = pd.DataFrame(
        {
            "unit_id": [f"{i // 2 + 1}0{i % 2 + 1}" for i in range(n)],
            "floor": [i // 2 % 6 + 1 for i in range(n)],  # Hangzhou covers floors 1–6
            # areas to the hundredth, or some to the thousandth (52.355 m²)
            "area_m2": [a / 100 if places == 100 else (a * 10 + a % 7) / 1000 for a in areas],
            "headcount": heads[:n],
        }
    )
    spec = dict(basis)
    rs = NATIONAL
    if "floor_rule" in spec:
        assume(df["floor"].max() >= 3)  # both floor rules charge floors 3 and up only
    if "floor_rule" in spec:
        rs = {"guangzhou": GUANGZHOU, "hangzhou": HANGZHOU}[spec["floor_rule"]]
        spec["floor_rule"] = floor_scale(rs)
    s = contribution_sheet(df, total, SheetSpec(**spec), rs)
    assert int(s.table["share_fen"].sum()) == total
    check_sheet(s)


def test_english_notice_is_worded_in_english() -> None:
    """An English notice: English words, dash labels, the same numbers and formulas."""
    hz = floor_scale(HANGZHOU)
    spec = SheetSpec(basis={"floor": "0.7", "equal": "0.3"}, floor_rule=hz, exempt=("1-1-101",))
    s = contribution_sheet(roster(), 1_000_000, spec, HANGZHOU)
    text = text_of(notice_pdf_bytes(s, date=DAY, lang="en"))
    flat = re.sub(r"\s+", " ", text)
    for word in (
        "Public notice",
        "What is paid for",
        "Audit appendix",
        "1-1-102: floor 1 shares 0%",
    ):
        assert word in flat, word
    body = text.split("Audit appendix")[0]  # the appendix keeps rule labels as published
    for bad in ("元", "免缴", "审计附录", "分摊", "依据", "可信度", "计算参数"):
        assert bad not in body, bad
    assert "审计附录" not in text and "可信度" not in text
    assert "exempt: exempted by name" in flat and "yuan ÷ 11 households" in flat
