"""The one table reader and the one header matcher (costshare.tables), and all-or-nothing outputs.

Hand-made files, each for one case the clerk's files showed: what is hidden is left
out and counted, two columns for one field name the one used, every encoding and
separator reads the same, a broken quote is an error at its line, and outputs are
checked before anything is written.
"""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from costshare.community.table import read_table
from costshare.errors import InputError
from costshare.households.roster import read_roster_bytes
from costshare.households.vote_files import read_ballots
from costshare.report import safe
from costshare.report.safe import atomic_paths, check_targets, remove_stale_parts
from costshare.tables.delimited import csv_sheet, decode_text
from costshare.tables.headers import header_positions, norm_header

ROSTER = "房号,面积,业主姓名\n101,80.5,张三\n102,60,李四\n"


def _xlsx(build) -> bytes:  # type: ignore[no-untyped-def]
    wb = openpyxl.Workbook()
    build(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _roster_sheet(ws) -> None:  # type: ignore[no-untyped-def]
    for r in (["房号", "面积"], ["101", 80], ["102", 90], ["103", 70]):
        ws.append(r)


class TestDecoding:
    """One sniffer: every encoding and separator reads to the same households."""

    @pytest.mark.parametrize(
        "enc", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "big5"]
    )
    def test_encodings(self, enc: str) -> None:
        text = ROSTER if enc != "big5" else "房號,面積,業主姓名\n101,80.5,張三\n102,60,李四\n"
        df = read_roster_bytes(text.encode(enc), "r.csv")
        assert df["unit_id"].tolist() == ["101", "102"]
        assert df["area_m2"].tolist() == [80.5, 60.0]
        assert df["owner_name"].iloc[1] == "李四"

    def test_gb18030_with_its_bom_keeps_the_first_column(self) -> None:
        df = read_roster_bytes(("\ufeff" + ROSTER).encode("gb18030"), "r.csv")
        assert df["unit_id"].tolist() == ["101", "102"]

    def test_gbk_after_a_utf8_bom_is_read_not_a_traceback(self) -> None:
        data = b"\xef\xbb\xbf" + ROSTER.encode("gbk")
        assert read_roster_bytes(data, "r.csv")["owner_name"].tolist() == ["张三", "李四"]

    def test_big5_headers_are_not_mojibake(self) -> None:
        assert decode_text("房號,面積,業主姓名\n".encode("big5"), "r.csv") == "房號,面積,業主姓名\n"
        df = read_roster_bytes("房號,建築面積\n101,80\n".encode("big5"), "r.csv")
        assert df["area_m2"].tolist() == [80.0]

    @pytest.mark.parametrize("sep", [";", "\t", "|"])
    def test_separators(self, sep: str) -> None:
        text = ROSTER.replace(",", sep)
        if sep == ";":
            text = text.replace("80.5", "80,5")
        assert read_roster_bytes(text.encode(), "r.csv")["area_m2"].tolist() == [80.5, 60.0]

    def test_sep_line_is_not_a_header(self) -> None:
        s = csv_sheet(b"sep=;\n\xe6\x88\xbf\xe5\x8f\xb7;x\n1;2\n", "r.csv")
        assert s.rows == [[], ["房号", "x"], ["1", "2"]]
        with pytest.raises(InputError) as exc:
            read_roster_bytes(b"sep=;\nfoo;bar\n1;2\n", "r.csv")
        assert "sep=" not in str(exc.value) and "\\ufeff" not in str(exc.value)

    @pytest.mark.parametrize("line", [2, 3])
    def test_unclosed_quote_is_an_error_at_its_line(self, line: int) -> None:
        rows = ROSTER.splitlines()
        rows[line - 1] = rows[line - 1].replace(",", ',"', 1)
        with pytest.raises(InputError, match=rf"^r\.csv, line {line}: a quote"):
            read_roster_bytes(("\n".join(rows) + "\n103,50,王五\n").encode(), "r.csv")

    def test_quoted_line_break_in_a_cell_is_fine(self) -> None:
        df = read_roster_bytes('房号,面积,业主姓名\n101,80,"张三\n"\n'.encode(), "r.csv")
        assert df["unit_id"].tolist() == ["101"]


class TestWorkbooks:
    """What the clerk cannot see is left out, and the notes say what and how many."""

    def test_hidden_rows_columns_and_sheets(self) -> None:
        def build(wb):  # type: ignore[no-untyped-def]
            ws = wb.active
            ws.title = "名册"
            for r in (["房号", "建筑面积", "套内面积"], ["101", 80, 60], ["102", 90, 70]):
                ws.append(r)
            ws.append(["999", 500, 400])
            ws.row_dimensions[4].hidden = True
            ws.column_dimensions["C"].hidden = True
            hidden = wb.create_sheet("旧名册")
            _roster_sheet(hidden)
            hidden.sheet_state = "hidden"
            _roster_sheet(wb.create_sheet("名册(作废)"))

        df = read_roster_bytes(_xlsx(build), "r.xlsx")
        # the hidden 套内面积 does not win over the visible 建筑面积; row 4 is not charged
        assert df[["unit_id", "area_m2"]].values.tolist() == [["101", 80.0], ["102", 90.0]]
        assert df.attrs["notes"] == [
            "sheet '旧名册' is hidden: left out",
            "sheet '名册(作废)' is named as void: left out",
            "1 hidden column(s) (C): left out",
            "1 hidden row(s) (rows 4): left out",
        ]

    def test_a_void_sheet_asked_for_by_name_is_read_and_said(self) -> None:
        def build(wb):  # type: ignore[no-untyped-def]
            _roster_sheet(wb.active)
            wb.create_sheet("作废").append(["房号", "面积"])
            wb["作废"].append(["201", 50])

        df = read_roster_bytes(_xlsx(build), "r.xlsx", sheet="作废")
        assert df["unit_id"].tolist() == ["201"]
        assert df.attrs["notes"] == [
            "sheet '作废' is named as void, but was asked for by name: read"
        ]
        assert read_roster_bytes(_xlsx(build), "r.xlsx")["unit_id"].tolist() == [
            "101",
            "102",
            "103",
        ]

    def test_filtered_rows_are_counted_as_filtered(self) -> None:
        def build(wb):  # type: ignore[no-untyped-def]
            ws = wb.active
            _roster_sheet(ws)
            ws.auto_filter.ref = "A1:B4"
            ws.auto_filter.add_filter_column(0, ["101"])
            ws.row_dimensions[3].hidden = ws.row_dimensions[4].hidden = True

        df = read_roster_bytes(_xlsx(build), "r.xlsx")
        assert df["unit_id"].tolist() == ["101"]
        assert df.attrs["notes"] == [
            "2 row(s) filtered out by the sheet's filter (rows 3-4): left out"
        ]

    def test_two_area_columns_name_the_one_used(self) -> None:
        def build(wb):  # type: ignore[no-untyped-def]
            wb.active.append(["房号", "建筑面积", "套内面积"])
            wb.active.append(["101", 80, 60])

        df = read_roster_bytes(_xlsx(build), "r.xlsx")
        assert df["area_m2"].tolist() == [60.0]
        (note,) = df.attrs["notes"]
        assert note.startswith("area_m2: column C '套内面积' used, not B '建筑面积'")

    def test_an_id_number_header_is_never_the_owner(self) -> None:
        df = read_roster_bytes(
            "房号,面积,业主（身份证号）\n101,80,110101199001011232\n".encode(), "r.csv"
        )
        assert "owner_name" not in df.columns

    def test_personal_numbers_never_pass_as_names(self) -> None:
        one = "房号,面积,业主\n101,80,张三 139—1234—5678\n102,80,李四\n103,70,王五\n"
        df = read_roster_bytes(one.encode(), "r.csv")
        assert df["owner_name"].tolist() == ["张三 [number hidden]", "李四", "王五"]
        assert df.attrs["notes"] == [
            "1 owner name cell(s) in column C '业主' held a phone or ID number: hidden"
        ]
        ids = "房号,面积,姓名\n101,80,11010119900101123X\n102,80,138 0013 8000\n103,70,王五\n"
        df = read_roster_bytes(ids.encode(), "r.csv")
        assert "owner_name" not in df.columns
        assert df.attrs["notes"] == [
            "column C '姓名' holds phone or ID numbers, not names: left out"
        ]

    def test_chart_sheet_is_left_out(self) -> None:
        from openpyxl.chart import BarChart, Reference

        def build(wb):  # type: ignore[no-untyped-def]
            _roster_sheet(wb.active)
            chart = BarChart()
            chart.add_data(Reference(wb.active, min_col=2, min_row=1, max_row=4))
            wb.create_chartsheet("图表").add_chart(chart)

        df = read_roster_bytes(_xlsx(build), "r.xlsx")
        assert len(df) == 3
        assert any("'图表' is a chart" in n for n in df.attrs["notes"])

    def test_stale_dimension_reads_every_row(self) -> None:
        data = _xlsx(lambda wb: _roster_sheet(wb.active))
        src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for item in src.infolist():
                body = src.read(item)
                if item.filename.startswith("xl/worksheets/sheet"):
                    body = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', body)
                dst.writestr(item, body)
        assert read_roster_bytes(out.getvalue(), "r.xlsx")["unit_id"].tolist() == [
            "101",
            "102",
            "103",
        ]

    def test_far_cell_is_refused_quickly(self) -> None:
        def build(wb):  # type: ignore[no-untyped-def]
            _roster_sheet(wb.active)
            wb.active["XFD3"] = 1

        t = time.perf_counter()
        with pytest.raises(InputError, match="value in column 16,384"):
            read_roster_bytes(_xlsx(build), "r.xlsx")
        assert time.perf_counter() - t < 10

    def test_zip_bomb_is_refused_before_it_is_opened(self, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        from costshare.tables import workbook

        monkeypatch.setattr(workbook, "MAX_SHEET_XML", 2**20)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/sharedStrings.xml", b"<sst>" + b" " * 3 * 2**20 + b"</sst>")
        with pytest.raises(InputError, match=r"^bomb\.xlsx: unpacks to 3 MiB: more than 2 MiB"):
            read_roster_bytes(buf.getvalue(), "bomb.xlsx")

    def test_cached_formula_value_is_used(self, tmp_path: Path) -> None:
        import xlsxwriter

        p = tmp_path / "f.xlsx"
        wb = xlsxwriter.Workbook(str(p))
        ws = wb.add_worksheet()
        ws.write_row(0, 0, ["房号", "面积", "业主姓名"])
        ws.write_string(1, 0, "101")
        ws.write_formula(1, 1, "=30*2", None, 60)
        ws.write_formula(1, 2, '="张"&"三"', None, "张三")
        wb.close()
        with pytest.raises(
            InputError, match=r"row 2, field 'owner_name': is a spreadsheet formula"
        ):
            read_roster_bytes(p.read_bytes(), "f.xlsx")

    @pytest.mark.parametrize("suffix", [".xls", ".et", ".ods"])
    def test_other_spreadsheets_are_refused_by_name(self, suffix: str) -> None:
        with pytest.raises(
            InputError, match=rf"^r\{suffix}: .* is not read; open it in Excel or WPS"
        ):
            read_roster_bytes(b"PK\x03\x04", f"r{suffix}")


class TestOtherTables:
    """Ballots, community tables and plan candidates go through the same reader."""

    def test_ballots_below_a_title_row_hidden_ballot_left_out(self) -> None:
        def build(wb):  # type: ignore[no-untyped-def]
            ws = wb.active
            for r in (["1号楼表决票统计"], ["房号", "表决意见"], ["101", "同意"], ["102", "反对"]):
                ws.append(r)
            ws.row_dimensions[4].hidden = True

        df = read_ballots(_xlsx(build), "票.xlsx")
        assert df.to_dict("list") == {"unit_id": ["101"], "vote": ["yes"]}

    def test_ballots_by_building_stairwell_room_match_the_register(self) -> None:
        from costshare import rules
        from costshare.households.vote_files import read_register
        from costshare.households.votes import tally

        reg = read_register(
            "楼栋,单元,房号,面积\n1号楼,1,101,80\n1号楼,2,101,90\n".encode(), "册.csv"
        )
        bal = read_ballots(
            "楼栋,单元,房号,表决意见\n1栋,1,101,同意\n1,2,101,反对\n".encode(), "票.csv"
        )
        r = tally(reg, bal, "ordinary", rules=rules.load("national", on="2024-06-01"))
        assert r.counts == {"yes": 1, "no": 1, "abstain": 0, "absent": 0}

    def test_ballots_in_gb18030_with_semicolons(self) -> None:
        data = "sep=;\n房号;表决意见\n1-101;同意\n1-102;弃权\n".encode("gb18030")
        assert read_ballots(data, "票.csv")["vote"].tolist() == ["yes", "abstain"]

    def test_community_table_hidden_row_and_notes(self) -> None:
        def build(wb):  # type: ignore[no-untyped-def]
            ws = wb.active
            for r in (["id", "households", "cost"], ["007", 12, 1000], ["008", 10, 900]):
                ws.append(r)
            ws.row_dimensions[3].hidden = True

        df = read_table(_xlsx(build), name="c.xlsx", text_columns=["id"])
        assert df.to_dict("list") == {"id": ["007"], "households": [12], "cost": [1000]}
        assert df.attrs["notes"] == ["1 hidden row(s) (rows 3): left out"]

    def test_community_workbook_with_a_notes_sheet_reads_the_first(self) -> None:
        def build(wb):  # type: ignore[no-untyped-def]
            wb.active.title = "小区"
            wb.active.append(["id", "households"])
            wb.active.append([7, 12])
            wb.create_sheet("说明").append(["填表说明"])

        df = read_table(_xlsx(build), name="c.xlsx", text_columns=["id"])
        assert df.to_dict("list") == {"id": ["7"], "households": [12]}
        assert df.attrs["notes"] == ["sheet(s) ['说明'] not read: the first sheet is the table"]

    def test_community_csv_keeps_text_ids_and_types_numbers(self) -> None:
        df = read_table(
            "id,households,cost\n007,12,1.5\n".encode("gb18030"), name="c.csv", text_columns=["id"]
        )
        assert df["id"].tolist() == ["007"] and df["households"].tolist() == [12]
        assert df["cost"].tolist() == [1.5]

    def test_plan_candidates_use_the_one_matcher(self) -> None:
        from costshare.community.plan_score import candidate_columns

        df = candidate_columns(pd.DataFrame(columns=["小区编号", "區縣", "投資（元）"]))
        assert df.columns.tolist() == ["community_id", "district", "cost"]
        src = Path(__file__).parents[1] / "costshare" / "community" / "plan_score.py"
        assert "households" not in src.read_text(encoding="utf-8").split('"""', 2)[2]

    def test_header_matcher(self) -> None:
        assert norm_header(" 建築面積（㎡）") == "建筑面积"
        aliases = {"area_m2": ("专有部分面积", "建筑面积")}
        assert header_positions(["建筑面积", "x", "专有部分面积(m2)"], aliases) == {"area_m2": 2}


class TestOutputs:
    """Every target is checked before anything is written; all are written or none."""

    def test_two_outputs_to_one_file(self, tmp_path: Path) -> None:
        with pytest.raises(InputError, match="two outputs would be written to this one file"):
            check_targets([tmp_path / "pub.xlsx", tmp_path / "sub" / ".." / "pub.xlsx"])

    def test_directory_target(self, tmp_path: Path) -> None:
        with pytest.raises(InputError, match="is a folder, not a file"):
            check_targets([tmp_path / "a.pdf", tmp_path])

    def test_cli_writes_nothing_when_one_target_is_bad(self, tmp_path: Path) -> None:
        from typer.testing import CliRunner

        from costshare.cli import app

        roster = tmp_path / "r.csv"
        roster.write_text(ROSTER, encoding="utf-8")
        out = tmp_path / "out"
        (out / "d").mkdir(parents=True)
        for extra in (["-o", str(out / "p.xlsx"), "--notice", str(out / "p.xlsx")],
                      ["-o", str(out / "p.xlsx"), "--csv", str(out / "d")]):  # fmt: skip
            res = CliRunner().invoke(app, ["sheet", str(roster), "--total", "100", *extra])
            assert res.exit_code == 1, res.output
            assert sorted(p.name for p in out.iterdir()) == ["d"]

    def test_a_failed_rename_puts_every_target_back(self, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        a, b = tmp_path / "a.csv", tmp_path / "b.csv"
        a.write_text("old a")
        real = os.replace
        calls = []

        def flaky(src, dst):  # type: ignore[no-untyped-def]
            calls.append(dst)
            if Path(dst) == b:
                raise OSError("disk full")
            return real(src, dst)

        monkeypatch.setattr(safe.os, "replace", flaky)

        def write_both() -> None:
            with atomic_paths([a, b]) as tmp:
                for p in tmp.values():
                    p.write_text("new")

        with pytest.raises(OSError, match="disk full"):
            write_both()
        monkeypatch.setattr(safe.os, "replace", real)
        assert a.read_text() == "old a" and not b.exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]

    def test_stale_parts_of_any_depth_removed(self, tmp_path: Path) -> None:
        for n in (".s.csv.k2j3.part", "..s.csv.k2j3.part.x8f1.part", ".other.csv.k2.part"):
            (tmp_path / n).write_text("owner names")
        with atomic_paths([tmp_path / "s.csv"]) as tmp:
            tmp[tmp_path / "s.csv"].write_text("x")
        assert sorted(p.name for p in tmp_path.iterdir()) == [".other.csv.k2.part", "s.csv"]
        assert remove_stale_parts(tmp_path / "s.csv") == []

    def test_new_files_follow_the_umask(self, tmp_path: Path) -> None:
        old = os.umask(0o027)
        try:
            with atomic_paths([tmp_path / "a.csv"]) as tmp:
                tmp[tmp_path / "a.csv"].write_text("x")
        finally:
            os.umask(old)
        assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o640


def test_contribution_sheet_refuses_duplicates_in_a_hand_built_frame() -> None:
    """One household spelled two ways in a hand-built frame is refused, not charged twice."""
    from costshare import rules
    from costshare.households.sheet import contribution_sheet
    from costshare.households.spec import SheetSpec

    roster = pd.DataFrame(
        {
            "building": ["1号楼", "1栋", "2"],
            "unit_id": ["101", "0101", "101"],
            "area_m2": [80.0] * 3,
        }
    )
    rs = rules.load("national", on="2024-06-01")
    with pytest.raises(InputError, match=r"duplicate household\(s\) \['1号楼-101', '1栋-0101'\]"):
        contribution_sheet(roster, 30000, SheetSpec(basis="equal"), rs)
    ok = contribution_sheet(roster.iloc[[0, 2]], 30000, SheetSpec(basis="equal"), rs)
    assert ok.table["share_fen"].tolist() == [15000, 15000]
