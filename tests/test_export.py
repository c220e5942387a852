"""Exports: xlsx read back, csv with BOM, PDF notice text and fonts, escaping, atomic writes, CLI."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from costshare import rules
from costshare.households.basis import floor_scale
from costshare.households.elevator import Elevator
from costshare.households.explain import explain_sheet
from costshare.households.roster import read_roster
from costshare.households.sheet import ContributionSheet, SheetSpec, contribution_sheet
from costshare.report import notice as notice_mod
from costshare.report.notice import NoticeFontWarning, notice_pdf_bytes, write_notice
from costshare.report.sheet import (
    sheet_csv_bytes,
    sheet_display,
    sheet_frame,
    sheet_preview,
    sheet_xlsx_bytes,
    write_sheet_csv,
    write_sheet_xlsx,
)
from costshare.text import mask_name

ROOT = Path(__file__).parent.parent
ROSTER = ROOT / "data" / "sample_roster.xlsx"
DAY = "2024-06-01"
NOTICE_DAY = dt.date(2024, 6, 3)


@pytest.fixture(scope="module")
def roster() -> pd.DataFrame:
    r = read_roster(ROSTER)
    # a hostile name: must be escaped in every export
    r.loc[3, "owner_name"] = '=HYPERLINK("http://evil","x")'
    return r


@pytest.fixture(scope="module")
def sheet(roster: pd.DataFrame) -> ContributionSheet:
    spec = SheetSpec(fund={"ratio": "0.7"})
    return contribution_sheet(roster, 12_345_678, spec, rules.load("ningbo", on=DAY))


@pytest.fixture(scope="module")
def elevator_sheet(roster: pd.DataFrame) -> ContributionSheet:
    e = Elevator(cost=650_000, city="beijing", pipes_cost=60_000)
    gz = floor_scale(rules.load("guangzhou", on=DAY))
    spec = SheetSpec(
        elevator=e, building="2", stairwell="1", title="2栋1单元加装电梯", floor_rule=gz
    )
    return contribution_sheet(roster, None, spec, rules.load("beijing", on=DAY))


def needs_poppler(tool: str) -> pytest.MarkDecorator:
    """Skip without poppler-utils on a developer machine; under CI the test must run."""
    return pytest.mark.skipif(
        shutil.which(tool) is None and not os.environ.get("CI"),
        reason=f"{tool} (poppler-utils) not installed; CI installs it",
    )


class TestMaskName:
    """Names on a public notice are masked."""

    @pytest.mark.parametrize(
        ("name", "masked"),
        [
            ("张小三", "张*三"),
            ("李四", "李*"),
            ("欧阳小明", "欧**明"),
            ("王", "*"),
            ("", ""),
            ("张三、李四", "张*、李*"),
        ],
    )
    def test_mask(self, name: str, masked: str) -> None:
        """The first character (and the last of 3+) stay; the rest become *."""
        assert mask_name(name) == masked


class TestXlsx:
    """The xlsx sheet reads back to the DataFrame."""

    def test_read_back_equals(self, sheet: ContributionSheet, tmp_path: Path) -> None:
        """Every household's fen amounts and texts survive the round trip; totals row exact."""
        p = write_sheet_xlsx(sheet, tmp_path / "s.xlsx")
        back = pd.read_excel(
            p, sheet_name="分户出资表", dtype={"房号": str, "楼栋": str, "单元": str}
        )
        body, totals = back.iloc[:-1], back.iloc[-1]
        disp = sheet_display(sheet_frame(sheet), yuan="float")
        for col in (
            "应分摊金额(元)",
            "维修资金补齐(元)",
            "维修资金支付(元)",
            "财政补贴(元)",
            "现金缴纳(元)",
        ):
            assert np.array_equal(
                np.round(body[col].to_numpy() * 100).astype(np.int64), np.round(disp[col] * 100)
            )
        assert body["房号"].tolist() == sheet.table["unit_id"].tolist()
        assert body["计算说明"].tolist() == explain_sheet(sheet).tolist()
        assert totals["楼栋"] == "合计"
        assert round(totals["应分摊金额(元)"] * 100) == sheet.table["share_fen"].sum() == 12_345_678

    def test_bytes_equal_file(self, sheet: ContributionSheet, tmp_path: Path) -> None:
        """The bytes export is the file export (no temporary file needed by callers)."""
        p = write_sheet_xlsx(sheet, tmp_path / "s.xlsx")
        data = sheet_xlsx_bytes(sheet)
        assert data[:2] == b"PK"
        a = pd.read_excel(p, sheet_name=None)
        b = pd.read_excel(io.BytesIO(data), sheet_name=None)
        assert a.keys() == b.keys() and all(a[k].equals(b[k]) for k in a)

    def test_format_frozen_and_sources(
        self, elevator_sheet: ContributionSheet, tmp_path: Path
    ) -> None:
        """Header frozen, money formatted #,##0.00, sources sheet lists the rules used."""
        p = write_sheet_xlsx(elevator_sheet, tmp_path / "e.xlsx")
        wb = openpyxl.load_workbook(p)
        ws = wb["分户出资表"]
        assert ws.freeze_panes == "A2"
        money_col = [c.value for c in ws[1]].index("应分摊金额(元)") + 1
        assert ws.cell(2, money_col).number_format == "#,##0.00"
        text = " ".join(
            str(c.value) for row in wb["参数与来源"].iter_rows() for c in row if c.value
        )
        for fragment in (
            "beijing.elevator",
            "guangzhou.floor_coefficient",
            "电梯：政府补贴（元）",
            "2栋1单元加装电梯",
        ):
            assert fragment in text

    def test_formula_escaped(self, sheet: ContributionSheet, tmp_path: Path) -> None:
        """A name starting with = is written as text with a leading quote, never a formula."""
        p = write_sheet_xlsx(sheet, tmp_path / "s.xlsx")
        ws = openpyxl.load_workbook(p)["分户出资表"]
        names = [c.value for c in next(ws.iter_cols(min_col=6, max_col=6))]
        assert '\'=HYPERLINK("http://evil","x")' in names
        assert not any(
            isinstance(v, str) and v.startswith("=")
            for row in ws.iter_rows(values_only=True)
            for v in row
        )


class TestCsv:
    """The csv is UTF-8 with BOM, escaped, yuan with two decimals."""

    def test_bom_and_values(self, sheet: ContributionSheet, tmp_path: Path) -> None:
        """Excel-friendly BOM; amounts exact; formula escaped; no ID numbers."""
        p = write_sheet_csv(sheet, tmp_path / "s.csv")
        raw = p.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        back = pd.read_csv(p, encoding="utf-8-sig", dtype=str)
        assert back["应分摊金额(元)"].str.match(r"^\d+\.\d{2}$").all()
        fen = back["应分摊金额(元)"].str.replace(".", "", regex=False).astype(int)
        assert fen.tolist() == sheet.table["share_fen"].tolist()
        assert p.read_bytes() == sheet_csv_bytes(sheet)
        assert back.loc[3, "业主姓名"].startswith("'=")
        assert "身份证" not in raw.decode("utf-8-sig") and "990000" not in raw.decode("utf-8-sig")


class TestNotice:
    """The PDF notice: Chinese text, masked names, embedded font."""

    def test_text_and_masking(self, elevator_sheet: ContributionSheet, tmp_path: Path) -> None:
        """pypdf finds the title, masked names and totals, and no unmasked name."""
        p = write_notice(elevator_sheet, tmp_path / "n.pdf", community="示例小区", date=NOTICE_DAY)
        text = "".join(page.extract_text() for page in PdfReader(p).pages)
        compact = text.replace(" ", "").replace("\n", "")
        for fragment in (
            "2栋1单元加装电梯公示",
            "示例小区",
            "合计",
            "1–2层不出资",
            "日期：2024-06-03",
            "盖章",
        ):
            assert fragment in compact
        fen = elevator_sheet.table["share_fen"].sum()
        assert f"{fen // 100:,}.{fen % 100:02d}" in compact
        for name in elevator_sheet.table["owner_name"]:
            assert mask_name(name) in compact
            assert name not in compact

    @needs_poppler("pdffonts")
    def test_font_embedded(self, elevator_sheet: ContributionSheet, tmp_path: Path) -> None:
        """pdffonts lists the CJK TrueType font as embedded."""
        p = write_notice(elevator_sheet, tmp_path / "n.pdf", date=NOTICE_DAY)
        out = subprocess.run(
            ["pdffonts", str(p)], capture_output=True, text=True, check=True
        ).stdout
        cjk = [ln for ln in out.splitlines() if "TrueType" in ln]
        assert cjk and all(" yes " in ln for ln in cjk)

    @needs_poppler("pdftotext")
    def test_pdftotext_no_unmasked_names(self, sheet: ContributionSheet, tmp_path: Path) -> None:
        """pdftotext on a multi-page notice: header repeated on each page, names masked."""
        p = write_notice(sheet, tmp_path / "n.pdf", date=NOTICE_DAY, appendix=False)
        text = subprocess.run(
            ["pdftotext", str(p), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages = text.split("\f")
        assert sum("应分摊(元)" in pg for pg in pages) >= 2
        for name in sheet.table["owner_name"]:
            if len(name) >= 2 and not name.startswith("="):
                assert name not in text.replace(" ", "")

    def test_fallback_warns(
        self, elevator_sheet: ContributionSheet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With no TrueType font anywhere, STSong-Light is used and a NoticeFontWarning raised."""
        from costshare.report import _notice_font

        monkeypatch.setattr(_notice_font, "FONT_CANDIDATES", ())
        monkeypatch.delenv("COSTSHARE_CJK_FONT", raising=False)
        with pytest.warns(NoticeFontWarning, match="NOT embedded"):
            write_notice(elevator_sheet, tmp_path / "n.pdf", date=NOTICE_DAY, appendix=False)
        assert (tmp_path / "n.pdf").exists()

    def test_configured_font(self, elevator_sheet: ContributionSheet, tmp_path: Path) -> None:
        """A font path given explicitly is used without a warning."""
        font = notice_mod.find_cjk_font()
        if font is None and not os.environ.get("CI"):
            pytest.skip("no CJK font installed (CI installs fonts-wqy-zenhei)")
        assert font is not None, "CI must provide a CJK TrueType font"
        with warnings.catch_warnings():
            warnings.simplefilter("error", NoticeFontWarning)
            write_notice(
                elevator_sheet, tmp_path / "n.pdf", date=NOTICE_DAY, font_path=font, appendix=False
            )


class TestDates:
    """The notice prints the date its caller gives; nothing reads today's date."""

    def test_notice_date_given(self, elevator_sheet: ContributionSheet) -> None:
        """Two dates give two notices that differ in the date line only."""
        a = notice_pdf_bytes(elevator_sheet, date=dt.date(2023, 1, 2), appendix=False)
        b = notice_pdf_bytes(elevator_sheet, date="2031-12-30", appendix=False)
        text_a = "".join(p.extract_text() for p in PdfReader(io.BytesIO(a)).pages)
        text_b = "".join(p.extract_text() for p in PdfReader(io.BytesIO(b)).pages)
        text_a, text_b = text_a.replace(" ", ""), text_b.replace(" ", "")
        assert "日期：2023-01-02" in text_a and "日期：2031-12-30" in text_b
        assert str(dt.date.today()) not in text_a + text_b

    def test_notice_needs_date(self, elevator_sheet: ContributionSheet) -> None:
        """The date is a required argument (no hidden today)."""
        with pytest.raises(TypeError, match="date"):
            notice_pdf_bytes(elevator_sheet)  # type: ignore[call-arg]


class TestPreview:
    """What the app shows: names masked unless asked."""

    def test_masked(self, sheet: ContributionSheet) -> None:
        """Every name is masked by default and shown as is on request."""
        names = sheet.table["owner_name"]
        assert sheet_preview(sheet)["业主姓名"].tolist() == [
            "'" + mask_name(n) if mask_name(n).startswith("=") else mask_name(n) for n in names
        ]
        shown = sheet_preview(sheet, show_names=True)["业主姓名"]
        assert shown[3].startswith("'=") and shown[0] == names[0]


class TestAtomic:
    """A failing export leaves no file behind."""

    def test_no_partial_file(
        self, sheet: ContributionSheet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An error while writing rows leaves neither the target nor a temporary file."""
        import costshare.report.sheet as mod

        def boom(*a: object, **k: object) -> str:
            raise RuntimeError("disk full")

        monkeypatch.setattr(mod, "_rows_xml", boom)
        with pytest.raises(RuntimeError):
            write_sheet_xlsx(sheet, tmp_path / "s.xlsx")
        assert list(tmp_path.iterdir()) == []

    def test_existing_file_untouched(
        self, sheet: ContributionSheet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A failed notice does not clobber the previous notice."""
        target = tmp_path / "n.pdf"
        target.write_bytes(b"old")
        monkeypatch.setattr(
            notice_mod, "notice_rows", lambda s: (_ for _ in ()).throw(RuntimeError("x"))
        )
        with pytest.raises(RuntimeError):
            write_notice(sheet, target, date=NOTICE_DAY)
        assert target.read_bytes() == b"old"
        assert [p.name for p in tmp_path.iterdir()] == ["n.pdf"]


class TestCli:
    """`costshare sheet` end to end."""

    def test_all_outputs(self, tmp_path: Path) -> None:
        """GBK roster + --total + mix → xlsx, csv and notice written, summary printed."""
        from costshare.cli import app

        args = ["sheet", str(ROOT / "data" / "sample_roster_gbk.csv"), "--total", "12,000"]
        args += ["--basis", "area=0.7,equal=0.3", "-o", str(tmp_path / "s.xlsx")]
        args += ["--csv", str(tmp_path / "s.csv"), "--notice", str(tmp_path / "n.pdf")]
        res = CliRunner().invoke(app, args)
        assert res.exit_code == 0, res.output
        assert "12,000.00 元" in res.output
        assert sorted(p.name for p in tmp_path.iterdir()) == ["n.pdf", "s.csv", "s.xlsx"]

    def test_scoped_floor(self, tmp_path: Path) -> None:
        """A stairwell-scoped floor basis prints the table for that stairwell only."""
        from costshare.cli import app

        args = ["sheet", str(ROSTER), "--total", "100000", "--basis", "floor"]
        args += ["--building", "3", "--stairwell", "2", "--exempt-floors", "1,2"]
        res = CliRunner().invoke(app, args)
        assert res.exit_code == 0, res.output
        assert "12 户" in res.output

    def test_scenario_of_another_community_refused(self) -> None:
        """Regression: the 360-household Ningbo scenario's 504,000 yuan was shared over the
        76-household sample (92.11 yuan/m² instead of 20), exit 0. Now it is refused unless
        the user takes the scenario's figure per household or per m²."""
        from costshare.cli import app

        args = [
            "sheet",
            str(ROSTER),
            "--scenario",
            str(ROOT / "scenarios" / "ningbo_fund_topup.yaml"),
        ]
        res = CliRunner().invoke(app, args)
        assert res.exit_code == 1
        assert "76 households in the roster, 360 in the scenario" in res.output
        # 504,000 / 360 = 1,400 per household × 76 = 106,400; 20 yuan/m² × 5,471.86 m²
        per_hh = CliRunner().invoke(app, [*args, "--per", "household"])
        assert per_hh.exit_code == 0, per_hh.output
        assert "106,400.00 元" in per_hh.output
        per_m2 = CliRunner().invoke(app, [*args, "--per", "m2"])
        assert "109,437.20 元" in per_m2.output

    def test_bad_option(self, tmp_path: Path) -> None:
        """An unknown basis: exit 1, message on stderr, no file."""
        from costshare.cli import app

        res = CliRunner().invoke(
            app,
            [
                "sheet",
                str(ROSTER),
                "--total",
                "1",
                "--basis",
                "volume",
                "-o",
                str(tmp_path / "s.xlsx"),
            ],
        )
        assert res.exit_code == 1
        assert "unknown basis 'volume'" in res.stderr
        assert list(tmp_path.iterdir()) == []


class TestNoticeAtScale:
    """The notice keeps its columns for any cell, embeds every font, and has its appendix."""

    def _sheet(self, names: list[str], buildings: list[str] | None = None) -> ContributionSheet:
        from costshare import rules
        from costshare.households.sheet import SheetSpec, contribution_sheet

        n = len(names)
        r = pd.DataFrame(
            {
                "unit_id": [str(101 + i) for i in range(n)],
                "building": buildings or ["1"] * n,
                "area_m2": [60.0 + i for i in range(n)],
                "owner_name": names,
            }
        )
        return contribution_sheet(r, 1_000_000, SheetSpec(), rules.load("national", "2024-06-01"))

    def test_long_name_cut_with_ellipsis(self) -> None:
        """A 10,000-character name is cut with … and the amount column is still there."""
        pdf = notice_pdf_bytes(self._sheet(["长" * 10_000, "李四"]), date=NOTICE_DAY)
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert "…" in text and "应分摊" in text
        assert "长" * 200 not in text

    def test_no_helvetica(self) -> None:
        """No base-14 font is referenced: every font is the embedded CJK font."""
        pdf = notice_pdf_bytes(self._sheet(["张小三"]), date=NOTICE_DAY)
        assert b"Helvetica" not in pdf

    def test_audit_appendix_last_page(self) -> None:
        """The last page lists every rule of sheet.sources with its document, in the
        notice's language: Chinese words on a Chinese notice, rule ids on an English one."""
        s = self._sheet(["张小三"])
        pdf = notice_pdf_bytes(s, date=NOTICE_DAY)
        last = PdfReader(io.BytesIO(pdf)).pages[-1].extract_text().replace(" ", "")
        assert "审计附录" in last and "audit" not in last.lower()
        for src in s.sources:
            assert src.document[:8] in last.replace("\n", "")
            assert src.rule[:10] not in last.replace("\n", "")
        en = notice_pdf_bytes(s, date=NOTICE_DAY, lang="en")
        last = PdfReader(io.BytesIO(en)).pages[-1].extract_text().replace(" ", "")
        assert "Auditappendix" in last and "审计附录" not in last
        for src in s.sources:
            assert src.rule[:10] in last.replace("\n", "")

    def test_per_building_sections(self) -> None:
        """--per building puts each building on its own page with its subtotal."""
        s = self._sheet(["甲乙", "丙丁", "戊己"], ["1", "2", "2"])
        pages = PdfReader(io.BytesIO(notice_pdf_bytes(s, date=NOTICE_DAY, per="building"))).pages
        texts = [p.extract_text().replace(" ", "") for p in pages]
        assert "楼栋1：1户" in texts[0] and "楼栋2：2户" in texts[1]

    def test_header_every_page(self) -> None:
        """With 300 households the header row is on every table page."""
        s = self._sheet([f"户主{i}" for i in range(300)])
        pages = PdfReader(io.BytesIO(notice_pdf_bytes(s, date=NOTICE_DAY, appendix=False))).pages
        table_pages = [p.extract_text() for p in pages[:5]]
        assert all("序号" in t for t in table_pages)

    def test_masked_xlsx_notice(self, tmp_path: Path) -> None:
        """The xlsx notice masks names and sums to the amount."""
        import openpyxl

        from costshare.report.notice_xlsx import write_notice_xlsx

        p = write_notice_xlsx(self._sheet(["张小三", "李四"]), tmp_path / "n.xlsx")
        ws = openpyxl.load_workbook(p)["公示"]
        head = [c.value for c in ws[3]]
        rows = [dict(zip(head, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=4)]
        assert [r["业主"] for r in rows[:2]] == ["张*三", "李*"]
        assert [r["面积(m²)"] for r in rows[:2]] == [60, 61]
        assert rows[-1]["序号"] == "合计" and rows[-1]["应分摊(元)"] == 10_000


class TestFastTextWriter:
    """The notice's cached TrueType text writer gives reportlab's own bytes."""

    def test_same_bytes_as_reportlab(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """With reportlab's textOut/textLine instead, the PDF is byte for byte the same."""
        from reportlab import rl_config

        from costshare.report import _notice_layout

        monkeypatch.setattr(rl_config, "invariant", 1)
        s = TestNoticeAtScale()._sheet([f"欧阳{i}明" for i in range(150)])
        fast = notice_pdf_bytes(s, date=NOTICE_DAY)
        monkeypatch.setattr(_notice_layout, "_writer", lambda t: (t.textOut, t.textLine))
        slow = notice_pdf_bytes(s, date=NOTICE_DAY)
        assert fast == slow
