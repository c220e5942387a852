"""Roster import: encodings, header mapping, validation with Excel row numbers, bad-input corpus."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from costshare.errors import InputError
from costshare.households.roster import CANONICAL, read_roster, read_roster_bytes
from costshare.households.scope import scope_choices, unit_labels

DATA = Path(__file__).parent.parent / "data"
HEADER = "楼栋,单元,房号,楼层,专有部分面积(㎡),业主姓名,人口,维修资金余额(元),身份证号\n"
ROWS = (
    "1,1,101,1,60.5,张小三,3,1000,110101199001010011\n1,1,201,2,82.50,李四,2,,110101199001010022\n"
)


def _csv(tmp: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp / name
    p.write_bytes(text.encode(encoding))
    return p


def _xlsx(
    tmp: Path, name: str, rows: list[list[object]], *, merge: str | None = None, title: str = "名册"
) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    if merge:
        ws.merge_cells(merge)
    p = tmp / name
    wb.save(p)
    return p


class TestReadRoster:
    """read_roster reads every common shape of roster into canonical columns."""

    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
    def test_csv_encodings_detected(self, tmp_path: Path, encoding: str) -> None:
        """UTF-8, UTF-8 with BOM, GBK and GB18030 give the same roster without being told."""
        df = read_roster(_csv(tmp_path, "r.csv", HEADER + ROWS, encoding))
        assert df["owner_name"].tolist() == ["张小三", "李四"]
        assert df["area_m2"].tolist() == [60.5, 82.5]
        assert df["row"].tolist() == [2, 3]

    def test_id_number_dropped(self, tmp_path: Path) -> None:
        """The 身份证号 column never reaches the DataFrame."""
        df = read_roster(_csv(tmp_path, "r.csv", HEADER + ROWS))
        assert list(df.columns) == ["row", *CANONICAL]
        assert not df.astype(str).apply(lambda c: c.str.contains("11010119900101")).any().any()

    def test_blank_fund_is_zero_and_blank_rows_skipped(self, tmp_path: Path) -> None:
        """A blank fund balance reads as 0; blank rows are skipped but row numbers stay Excel's."""
        df = read_roster(_csv(tmp_path, "r.csv", HEADER + ",,,,,,,,\n" + ROWS))
        assert df["fund_balance"].tolist() == [1000.0, 0.0]
        assert df["row"].tolist() == [3, 4]

    def test_english_headers(self, tmp_path: Path) -> None:
        """English headers map to the same canonical columns."""
        text = "Building,Stairwell,Unit,Floor,Area (m2),Owner,Headcount,Fund_Balance\n2,1,301,3,70,Wang Wu,1,0\n"
        df = read_roster(_csv(tmp_path, "r.csv", text))
        assert df.iloc[0][["building", "unit_id", "floor", "area_m2", "owner_name"]].tolist() == [
            "2",
            "301",
            3,
            70.0,
            "Wang Wu",
        ]

    def test_title_row_above_header(self, tmp_path: Path) -> None:
        """A merged title row above the header is fine; rows keep their Excel numbers."""
        p = _xlsx(
            tmp_path,
            "t.xlsx",
            [["XX小区业主名册"], ["房号", "建筑面积", "楼层"], [101, 60.5, 1]],
            merge="A1:C1",
        )
        df = read_roster(p)
        assert df[["row", "unit_id", "area_m2"]].values.tolist() == [[3, "101", 60.5]]

    def test_exclusive_area_preferred(self, tmp_path: Path) -> None:
        """With both 建筑面积 and 专有部分面积, the exclusive area (Civil Code Art. 283) is used."""
        df = read_roster(_csv(tmp_path, "r.csv", "房号,建筑面积,专有部分面积\n101,70,60\n"))
        assert df["area_m2"].tolist() == [60.0]

    def test_sample_rosters_agree(self) -> None:
        """The shipped xlsx and GBK csv samples read to the same 76 households."""
        a = read_roster(DATA / "sample_roster.xlsx")
        b = read_roster(DATA / "sample_roster_gbk.csv")
        assert len(a) == 76
        assert a.equals(b)
        assert set(a["floor"]) == set(range(1, 8))

    def test_formula_in_area_uses_cached_value(self, tmp_path: Path) -> None:
        """An area formula with a value cached by Excel is read as that value."""
        import xlsxwriter

        p = tmp_path / "f.xlsx"
        wb = xlsxwriter.Workbook(str(p))
        ws = wb.add_worksheet()
        ws.write_row(0, 0, ["房号", "面积"])
        ws.write_string(1, 0, "101")
        ws.write_formula(1, 1, "=30*2", None, 60)
        wb.close()
        assert read_roster(p)["area_m2"].tolist() == [60.0]


def _bad_corpus(tmp: Path) -> dict[str, tuple[Path, str]]:
    """Malformed rosters, each with a fragment its message must contain."""
    d = tmp / "rosters_bad"
    d.mkdir()
    many = "房号,面积\n" + "".join(f"{i},-1\n" for i in range(60))
    dup_col = "房号,面积,房号\n101,50,102\n"
    return {
        "missing_column": (
            _csv(d, "missing_column.csv", "房号,楼层\n101,1\n"),
            "missing required column 'area_m2'",
        ),
        "negative_area": (
            _csv(d, "negative_area.csv", "房号,面积\n101,60\n102,-5\n"),
            "row 3, field 'area_m2'",
        ),
        "text_area": (_csv(d, "text_area.csv", "房号,面积\n101,八十\n"), "got '八十'"),
        "zero_area": (_csv(d, "zero_area.csv", "房号,面积\n101,0\n"), "an area from 5 to 2000 m²"),
        "duplicate_unit": (
            _csv(
                d, "duplicate_unit.csv", "楼栋,单元,房号,面积\n1,1,101,50\n1,2,101,50\n1,1,101,60\n"
            ),
            "duplicate household 1-1-101: already on row 2",
        ),
        "merged_header": (
            _xlsx(d, "merged_header.xlsx", [["房号", "面积", None], [101, 50, 1]], merge="B1:C1"),
            "merged header cells B1:C1",
        ),
        "empty_file": (_csv(d, "empty_file.csv", ""), "empty"),
        "empty_workbook": (_xlsx(d, "empty_workbook.xlsx", []), "empty"),
        "header_only": (
            _csv(d, "header_only.csv", "房号,面积\n"),
            "no households below the header",
        ),
        "wrong_sheet": (_wrong_sheet(d), "no sheet has a roster header"),
        "formula_name": (
            _xlsx(
                d,
                "formula_name.xlsx",
                [["房号", "面积", "业主姓名"], [101, 50, '=HYPERLINK("http://x","a")']],
            ),
            "row 2, field 'owner_name': is a spreadsheet formula",
        ),
        "noninteger_floor": (
            _csv(d, "noninteger_floor.csv", "房号,面积,楼层\n101,50,3.5\n"),
            "whole number",
        ),
        "text_floor": (_csv(d, "text_floor.csv", "房号,面积,楼层\n101,50,三楼\n"), "field 'floor'"),
        "blank_unit": (_csv(d, "blank_unit.csv", "房号,面积\n,50\n"), "field 'unit_id': is empty"),
        "negative_fund": (
            _csv(d, "negative_fund.csv", "房号,面积,维修资金余额\n101,50,-3\n"),
            "field 'fund_balance'",
        ),
        "duplicate_column": (_csv(d, "duplicate_column.csv", dup_col), "appears twice"),
        "old_xls": (_csv(d, "old_xls.xls", "not really"), "save as .xlsx"),
        "not_a_workbook": (_csv(d, "not_a_workbook.xlsx", "房号,面积\n"), "not a readable .xlsx"),
        "many_problems": (_csv(d, "many_problems.csv", many), "... and 30 more problems"),
    }


def _wrong_sheet(d: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["本表为说明"])
    wb.create_sheet("统计").append(["合计", 100])
    p = d / "wrong_sheet.xlsx"
    wb.save(p)
    return p


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    return _bad_corpus(tmp_path_factory.mktemp("bad"))


BAD_NAMES = [
    "missing_column",
    "negative_area",
    "text_area",
    "zero_area",
    "duplicate_unit",
    "merged_header",
    "empty_file",
    "empty_workbook",
    "header_only",
    "wrong_sheet",
    "formula_name",
    "noninteger_floor",
    "text_floor",
    "blank_unit",
    "negative_fund",
    "duplicate_column",
    "old_xls",
    "not_a_workbook",
    "many_problems",
]


class TestBadRosters:
    """Every malformed roster gives its clear message, and the CLI writes no file."""

    @pytest.mark.parametrize("name", BAD_NAMES)
    def test_message(self, bad_corpus: dict[str, tuple[Path, str]], name: str) -> None:
        """read_roster raises InputError naming the file and what was expected."""
        path, fragment = bad_corpus[name]
        with pytest.raises(InputError) as exc:
            read_roster(path)
        assert fragment in str(exc.value)
        assert path.name in str(exc.value) or name == "missing_column"

    @pytest.mark.parametrize("name", BAD_NAMES)
    def test_cli_exit_and_no_file(
        self, bad_corpus: dict[str, tuple[Path, str]], name: str, tmp_path: Path
    ) -> None:
        """`costshare sheet` exits 1 with the message on stderr and writes nothing."""
        from costshare.cli import app

        path, fragment = bad_corpus[name]
        out = tmp_path / "out"
        out.mkdir()
        args = ["sheet", str(path), "--total", "100", "-o", str(out / "s.xlsx")]
        args += ["--csv", str(out / "s.csv"), "--notice", str(out / "n.pdf")]
        res = CliRunner().invoke(app, args)
        assert res.exit_code == 1
        assert fragment in res.stderr
        assert "Traceback" not in res.output
        assert list(out.iterdir()) == []

    def test_all_problems_listed_together(self, tmp_path: Path) -> None:
        """Several bad rows are reported in one error, each with its row and column."""
        p = _csv(tmp_path, "r.csv", "房号,面积,楼层\n101,abc,1\n102,50,x\n102,50,2\n")
        with pytest.raises(InputError) as exc:
            read_roster(p)
        where = [(pr.where, pr.field) for pr in exc.value.problems]
        assert where == [("row 2", "area_m2"), ("row 3", "floor"), ("row 4", "unit_id")]

    def test_named_sheet_missing(self, tmp_path: Path) -> None:
        """Asking for a sheet that does not exist lists the sheets there are."""
        p = _xlsx(tmp_path, "a.xlsx", [["房号", "面积"], [1, 2]])
        with pytest.raises(InputError, match=r"no sheet named '户表'; the workbook has \['名册'\]"):
            read_roster(p, sheet="户表")


class TestReadRosterBytes:
    """An upload is read from its bytes; no temporary file, messages name the upload."""

    @pytest.mark.parametrize("name", ["sample_roster.xlsx", "sample_roster_gbk.csv"])
    def test_same_as_file(self, name: str) -> None:
        """Bytes and file give the same frame, for a workbook and a GBK csv."""
        path = DATA / name
        assert read_roster_bytes(path.read_bytes(), name).equals(read_roster(path))

    def test_error_names_upload(self) -> None:
        """A bad row is reported with the uploaded file's base name."""
        with pytest.raises(InputError, match=r"mine\.csv, row 2, field 'area_m2'"):
            read_roster_bytes("房号,面积\n101,x\n".encode(), "/some/dir/mine.csv")

    def test_duplicate_label(self) -> None:
        """A duplicate household is named building-stairwell-unit, blank parts left out."""
        text = "楼栋,单元,房号,面积\n1,,101,50\n1,,101,60\n"
        with pytest.raises(InputError, match="duplicate household 1-101: already on row 2"):
            read_roster_bytes(text.encode(), "d.csv")


class TestScopeChoices:
    """What the app's pickers offer comes from the library."""

    def test_sample(self) -> None:
        """The sample roster offers its buildings, stairwells per building, floors and labels."""
        r = read_roster(DATA / "sample_roster.xlsx")
        c = scope_choices(r)
        assert c["households"] == 76 == len(c["units"])
        assert c["floors"] == list(range(1, 8))
        assert set(c["stairwells"]) == set(c["buildings"])
        assert c["units"] == unit_labels(r).tolist()
        assert len(set(c["units"])) == 76
