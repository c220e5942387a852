"""The hostile corpus: rosters, portfolios and YAML that a street office (or an attacker) sends.

Every case must fail with a message that names the file, the row or key, and the field,
must not echo an ID or phone number, and must leave no output (no file, no ``.part``).
A few repaired inputs (totals rows, merged cells, decimal commas, full-width digits)
are checked for the values they give.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from costshare.cli import app
from costshare.errors import InputError
from costshare.households.roster import read_roster

H = "房号,楼栋,楼层,面积,人口,维修资金余额\n"
OK = "101,1,1,60,2,100\n"
ID = "110101199001011232"

# name -> (csv body after the header + one good row, where, field); the bad row is row 3
ROSTER_CELLS: dict[str, tuple[str, str]] = {
    "id_in_area": (f"102,1,2,{ID},2,0", "area_m2"),
    "phone_in_area": ("102,1,2,13800138000,2,0", "area_m2"),
    "phone_dashes_in_area": ("102,1,2,138-0013-8000,2,0", "area_m2"),
    "fullwidth_id_in_area": ("102,1,2,１１０１０１１９９００１０１１２３２,2,0", "area_m2"),
    "area_too_small": ("102,1,2,2,2,0", "area_m2"),
    "area_too_big": ("102,1,2,2500,2,0", "area_m2"),
    "area_1e400": ("102,1,2,1e400,2,0", "area_m2"),
    "area_1e308": ("102,1,2,1e308,2,0", "area_m2"),
    "area_tiny": ("102,1,2,5e-324,2,0", "area_m2"),
    "area_nan": ("102,1,2,nan,2,0", "area_m2"),
    "area_inf": ("102,1,2,inf,2,0", "area_m2"),
    "area_minus_inf": ("102,1,2,-inf,2,0", "area_m2"),
    "area_negative": ("102,1,2,-60,2,0", "area_m2"),
    "area_zero": ("102,1,2,0,2,0", "area_m2"),
    "area_text": ("102,1,2,八十,2,0", "area_m2"),
    "area_two_dots": ("102,1,2,82.5.1,2,0", "area_m2"),
    "area_fullwidth_two_dots": ("102,1,2,１２３．４．５,2,0", "area_m2"),
    "area_ambiguous_comma": ('102,1,2,"82,500",2,0', "area_m2"),
    "area_blank": ("102,1,2,,2,0", "area_m2"),
    "area_hex": ("102,1,2,0x50,2,0", "area_m2"),
    "headcount_1e20": ("102,1,2,60,100000000000000000000,0", "headcount"),
    "headcount_31": ("102,1,2,60,31,0", "headcount"),
    "headcount_negative": ("102,1,2,60,-1,0", "headcount"),
    "headcount_half": ("102,1,2,60,2.5,0", "headcount"),
    "headcount_text": ("102,1,2,60,三,0", "headcount"),
    "headcount_phone": ("102,1,2,60,13800138000,0", "headcount"),
    "floor_zero": ("102,1,0,60,2,0", "floor"),
    "floor_too_deep": ("102,1,-6,60,2,0", "floor"),
    "floor_too_high": ("102,1,201,60,2,0", "floor"),
    "floor_1e3": ("102,1,1e3,60,2,0", "floor"),
    "floor_text": ("102,1,B1,60,2,0", "floor"),
    "floor_half": ("102,1,2.5,60,2,0", "floor"),
    "fund_1e30": ("102,1,2,60,2,1e30", "fund_balance"),
    "fund_beyond_max_fen": ("102,1,2,60,2,90000000000000.01", "fund_balance"),
    "fund_negative": ("102,1,2,60,2,-1", "fund_balance"),
    "fund_three_decimals": ("102,1,2,60,2,1.234", "fund_balance"),
    "fund_nan": ("102,1,2,60,2,nan", "fund_balance"),
    "fund_inf": ("102,1,2,60,2,inf", "fund_balance"),
    "fund_text": ("102,1,2,60,2,abc", "fund_balance"),
    "fund_id": ("102,1,2,60,2,110101199001011232", "fund_balance"),
    "unit_blank": (",1,2,60,2,0", "unit_id"),
    "unit_formula": ("=1+1,1,2,60,2,0", "unit_id"),
    "unit_duplicate": ("101,1,2,60,2,0", "unit_id"),
    "unit_duplicate_fullwidth": ("１０１,1,2,60,2,0", "unit_id"),
    "unit_duplicate_spaces": (" 101 ,1,2,60,2,0", "unit_id"),
    "building_formula": ("102,=cmd|'/c calc'!A0,2,60,2,0", "building"),
}


def _cli(args: list[str]) -> tuple[int, str]:
    res = CliRunner().invoke(app, args)
    return res.exit_code, res.stderr + res.output


def _assert_nothing_written(out: Path) -> None:
    assert list(out.iterdir()) == [], "no output and no temporary file may be left"


def _sheet_args(path: Path, out: Path) -> list[str]:
    return [
        "sheet",
        str(path),
        "--total",
        "100",
        "-o",
        str(out / "s.xlsx"),
        "--csv",
        str(out / "s.csv"),
        "--notice",
        str(out / "n.pdf"),
    ]


class TestBadRosterCells:
    """A bad cell names file, row and field, never echoes a long number, writes nothing."""

    @pytest.mark.parametrize("name", sorted(ROSTER_CELLS))
    def test_refused(self, name: str, tmp_path: Path) -> None:
        """The CLI exits 1 naming the file, row 3 and the field, and leaves no file."""
        row, field = ROSTER_CELLS[name]
        path = tmp_path / f"{name}.csv"
        path.write_text(H + OK + row + "\n", encoding="utf-8")
        out = tmp_path / "out"
        out.mkdir()
        code, text = _cli(_sheet_args(path, out))
        assert code == 1, text
        assert f"{name}.csv, row 3, field {field!r}" in text
        assert "Traceback" not in text
        for secret in (ID, "13800138000", "138-0013-8000"):
            assert secret not in text
        _assert_nothing_written(out)


def _xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


ROSTER = [["房号", "面积"], [101, 60], [102, 80]]


def _far_cell(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in ROSTER:
        ws.append(r)
    ws["XFD1048576"] = 1
    wb.save(path)
    return path


def _wide_csv(path: Path) -> Path:
    path.write_text("房号,面积" + ",x" * 300 + "\n101,60\n", encoding="utf-8")
    return path


def _long_csv(path: Path) -> Path:
    path.write_bytes(b"\xe6\x88\xbf\xe5\x8f\xb7,\xe9\x9d\xa2\xe7\xa7\xaf\n" + b"1,50\n" * 500_020)
    return path


def _huge_field(path: Path) -> Path:
    path.write_text('房号,面积\n101,"' + "9" * 200_000 + '"\n', encoding="utf-8")
    return path


FILE_CASES = {
    "two_roster_sheets.xlsx": (
        lambda p: _xlsx(p, {"1栋": ROSTER, "2栋": ROSTER}),
        ["sheets look like rosters", "field 'sheet'", "1栋", "2栋"],
    ),
    "far_cell.xlsx": (_far_cell, ["reaches row 1,048,576", "column 16,384"]),
    "wide.csv": (_wide_csv, ["row 1", "more than 200 columns"]),
    "long.csv": (_long_csv, ["more than 500,000 rows"]),
    "huge_field.csv": (_huge_field, ["not a readable csv table"]),
    "formula_area.xlsx": (
        lambda p: _xlsx(p, {"s": [["房号", "面积"], [101, "=A1*2"]]}),
        ["row 2, field 'area_m2'", "formula"],
    ),
    "date_area.xlsx": (
        lambda p: _xlsx(
            p, {"s": [["房号", "面积"], [101, __import__("datetime").date(2024, 1, 1)]]}
        ),
        ["row 2, field 'area_m2'"],
    ),
    "bool_area.xlsx": (
        lambda p: _xlsx(p, {"s": [["房号", "面积"], [101, True]]}),
        ["row 2, field 'area_m2'"],
    ),
    "semicolon_ambiguous.csv": (
        lambda p: p.write_text("房号;面积\n101;1.234\n", encoding="utf-8") and p,
        ["row 2, field 'area_m2'", "cannot tell"],
    ),
    "merged_id.xlsx": (
        lambda p: _xlsx(p, {"s": [["房号", "面积"], [101, int(ID)]]}),
        ["row 2, field 'area_m2'"],
    ),
}


class TestBadRosterFiles:
    """Whole-file problems are refused before reading (or with the row), writing nothing."""

    @pytest.mark.parametrize("name", sorted(FILE_CASES))
    def test_refused(self, name: str, tmp_path: Path) -> None:
        """The CLI exits 1 with the file name and what is wrong; nothing is written."""
        make, fragments = FILE_CASES[name]
        path = make(tmp_path / name)
        out = tmp_path / "out"
        out.mkdir()
        code, text = _cli(_sheet_args(path, out))
        assert code == 1, text
        assert name in text
        for f in fragments:
            assert f in text
        assert ID not in text
        _assert_nothing_written(out)


def _portfolio(tmp: Path, body: str) -> Path:
    p = tmp / "p.yaml"
    p.write_text(body, encoding="utf-8")
    return p


ROW = "  - {id: A, households: 10, area_m2: 700, cost: 1000"
PORTFOLIO_CASES = {
    "template_etc_shadow": (
        f"name: x\ncommunities:\n{ROW}, template: /etc/shadow}}\n",
        "community 'A', field 'template'",
    ),
    "template_escape": (
        f"name: x\ncommunities:\n{ROW}, template: ../../../etc/x.yaml}}\n",
        "community 'A', field 'template'",
    ),
    "template_not_scenario": (
        f"name: x\ncommunities:\n{ROW}, template: other.yaml}}\n",
        "community 'A', field 'template'",
    ),
    "table_escape": ("name: x\ncommunities: /etc/passwd.csv\n", "field 'communities'"),
    "table_wrong_type": ("name: x\ncommunities: notes.txt\n", "field 'communities'"),
    "cost_scale_nan": (f"name: x\ncommunities:\n{ROW}, cost_scale: .nan}}\n", "field 'cost_scale'"),
    "cost_scale_inf": (f"name: x\ncommunities:\n{ROW}, cost_scale: .inf}}\n", "field 'cost_scale'"),
    "cost_scale_1e18": (
        f"name: x\ncommunities:\n{ROW}, cost_scale: 1e18}}\n",
        "field 'cost_scale'",
    ),
    "cost_1e20": (
        "name: x\ncommunities:\n  - {id: A, households: 10, cost: 1e20}\n",
        "field 'cost'",
    ),
    "cost_nan": (
        "name: x\ncommunities:\n  - {id: A, households: 10, cost: .nan}\n",
        "field 'cost'",
    ),
    "households_1e20": (
        "name: x\ncommunities:\n  - {id: A, households: 1e20, cost: 10}\n",
        "field 'households'",
    ),
    "fund_balance_1e30": (
        f"name: x\ncommunities:\n{ROW}, fund_balance: 1e30}}\n",
        "field 'fund_balance'",
    ),
}


class TestBadPortfolios:
    """Portfolio files: paths stay inside, numbers are finite and within range."""

    @pytest.mark.parametrize("name", sorted(PORTFOLIO_CASES))
    def test_refused(self, name: str, tmp_path: Path) -> None:
        """The CLI exits 1 naming the file, community and field; no secret is echoed."""
        body, fragment = PORTFOLIO_CASES[name]
        (tmp_path / "other.yaml").write_text("password: hunter2\nroot: x\n", encoding="utf-8")
        path = _portfolio(tmp_path, body)
        out = tmp_path / "out"
        out.mkdir()
        code, text = _cli(["portfolio", str(path), "-o", str(out / "p.xlsx")])
        assert code == 1, text
        assert "p.yaml" in text and fragment in text
        assert "hunter2" not in text and "password" not in text and "root:" not in text
        _assert_nothing_written(out)


class TestDeepYaml:
    """YAML nested thousands deep is refused with a message, not a RecursionError."""

    @pytest.mark.parametrize("depth", [40, 10_000])
    def test_refused(self, depth: int, tmp_path: Path) -> None:
        """The CLI names the file and says the YAML is nested too deep."""
        p = tmp_path / "deep.yaml"
        p.write_text("name: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
        code, text = _cli(["portfolio", str(p)])
        assert code == 1
        assert "deep.yaml" in text and "nested more than" in text


class TestRepaired:
    """Roster shapes that are repaired, with a note, instead of charged wrongly."""

    def test_totals_row_left_out(self, tmp_path: Path) -> None:
        """A closing 合计 row is not a household: two households share the amount."""
        p = tmp_path / "r.csv"
        p.write_text("房号,面积\n101,60\n102,60\n合计,120\n", encoding="utf-8")
        df = read_roster(p)
        assert df["unit_id"].tolist() == ["101", "102"]
        assert df.attrs["notes"] == ["row 4: a totals row (合计), not a household: left out"]

    def test_merged_building_filled_down(self, tmp_path: Path) -> None:
        """A building merged over three rows belongs to each of them."""
        wb = openpyxl.Workbook()
        ws = wb.active
        for r in (["楼栋", "房号", "面积"], [2, 101, 60], [None, 102, 60], [None, 201, 60]):
            ws.append(r)
        ws.merge_cells("A2:A4")
        wb.save(tmp_path / "m.xlsx")
        df = read_roster(tmp_path / "m.xlsx")
        assert df["building"].tolist() == ["2", "2", "2"]
        assert "merged cells A2:A4 (building): filled down from row 2" in df.attrs["notes"]

    def test_decimal_comma(self, tmp_path: Path) -> None:
        """82,5 is 82.5 m²; in a semicolon file 1.234,5 is 1,234.5 yuan."""
        p = tmp_path / "r.csv"
        p.write_text("房号;面积;维修资金余额\n101;82,5;1.234,5\n", encoding="utf-8")
        df = read_roster(p)
        assert df["area_m2"].tolist() == [82.5]
        assert df["fund_balance"].tolist() == [1234.5]

    def test_fullwidth_digits(self, tmp_path: Path) -> None:
        """１２３．４ is 123.4 and １０１ is unit 101."""
        p = tmp_path / "r.csv"
        p.write_text("房号,面积\n１０１,１２３．４\n", encoding="utf-8")
        df = read_roster(p)
        assert (df["unit_id"].tolist(), df["area_m2"].tolist()) == (["101"], [123.4])

    def test_sheet_all(self, tmp_path: Path) -> None:
        """--sheet all combines roster sheets; a sheet's name is its building."""
        p = _xlsx(tmp_path / "w.xlsx", {"1栋": ROSTER, "说明": [["本表说明"]], "2栋": ROSTER})
        df = read_roster(p, sheet="all")
        assert df["building"].tolist() == ["1栋", "1栋", "2栋", "2栋"]
        assert df["sheet"].tolist() == df["building"].tolist()

    def test_stale_part_removed(self, tmp_path: Path) -> None:
        """A .part file left by a killed export is removed by the next write."""
        src = tmp_path / "r.csv"
        src.write_text("房号,面积\n101,60\n", encoding="utf-8")
        out = tmp_path / "out"
        out.mkdir()
        (out / ".s.csv.dead.part").write_bytes(b"half")
        code, text = _cli(["sheet", str(src), "--total", "100", "--csv", str(out / "s.csv")])
        assert code == 0, text
        assert sorted(p.name for p in out.iterdir()) == ["s.csv"]

    def test_error_never_partial(self, tmp_path: Path) -> None:
        """InputError is an error: nothing about an ID number reaches the message."""
        p = tmp_path / "r.csv"
        p.write_text(f"房号,面积\n101,{ID}\n", encoding="utf-8")
        with pytest.raises(InputError) as exc:
            read_roster(p)
        assert ID not in str(exc.value)


class TestPlainText:
    """Text from an upload is shown as typed: no link, image, heading or HTML is rendered."""

    @pytest.mark.parametrize(
        "text",
        [
            "![x](http://evil.example/p.png)",
            "[click](http://evil.example)",
            "<img src=http://evil.example/p.png>",
            "# heading",
            "**bold** _it_ `code`",
            "<script>alert(1)</script>",
        ],
    )
    def test_nothing_rendered(self, text: str) -> None:
        """Every Markdown and HTML special character is escaped."""
        from costshare.report.safe import plain_text

        out = plain_text(text)
        for bad in ("](", "<img", "<script", "**"):
            assert bad not in out
        assert not out.startswith("#")


class TestNoHeader:
    """A roster without a header row never echoes its first row (names, IDs, phones)."""

    def test_data_row_not_echoed(self, tmp_path: Path) -> None:
        """The message says the first row holds data and names row 1 and the field."""
        p = tmp_path / "nohead.csv"
        p.write_text(f"101,张小三,{ID},13800138000,60\n", encoding="utf-8")
        with pytest.raises(InputError) as exc:
            read_roster(p)
        text = str(exc.value)
        assert "nohead.csv, row 1, field 'unit_id'" in text
        assert "holds data" in text
        for secret in (ID, "13800138000", "张小三"):
            assert secret not in text


def test_scenario_jurisdiction_is_a_key_not_a_path(tmp_path: Path) -> None:
    """A scenario's `jurisdiction: /any/path.yaml` is refused without reading the file."""
    from costshare.community.scenario import Scenario

    secret = tmp_path / "secret.yaml"
    secret.write_text("jurisdiction: {key: x}\nprivate_key_name: 1\n", encoding="utf-8")
    raw = {
        "name": "x",
        "community": {"name": "y", "jurisdiction": str(secret), "households": 1, "area_m2": 10},
        "work_items": [{"item": "a", "category": "roof", "cost": 1}],
    }
    with pytest.raises(InputError, match="field 'jurisdiction': give a bundled rule key") as exc:
        Scenario.from_dict(raw, "s.yaml")
    assert "private_key_name" not in str(exc.value) and str(secret) not in str(exc.value)


def test_ppp_cost_beyond_the_exact_range_is_refused(tmp_path: Path) -> None:
    """A PPP `construction.cost: 1e20` is refused naming the field (no NPV of -8.5e16)."""
    import yaml

    from costshare.ppp import PPPProject

    root = Path(__file__).resolve().parents[1]
    raw = yaml.safe_load((root / "scenarios" / "ppp" / "ppp_example.yaml").read_text("utf-8"))
    raw.pop("kind", None)
    raw["construction"]["cost"] = 1e20
    with pytest.raises(InputError, match=r"construction.*cost.*less than or equal"):
        PPPProject.from_dict(raw, "big.yaml")


def test_community_amount_beyond_the_exact_range_is_refused() -> None:
    """A work item of 1e20 yuan is refused naming the item and field, before any int64 math."""
    from costshare.community.scenario import Scenario

    raw = {
        "name": "x",
        "community": {"name": "y", "jurisdiction": "fujian", "households": 1, "area_m2": 10},
        "work_items": [{"item": "a", "category": "roof", "cost": 1e20}],
    }
    with pytest.raises(InputError, match=r"work item 1 \('a'\).*cost"):
        Scenario.from_dict(raw, "s.yaml")
