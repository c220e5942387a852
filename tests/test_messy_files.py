"""Property tests: rosters with a known truth, dirtied the way clerks' files are.

A strategy draws households (building, stairwell, room, area, owner) — the truth — and
writes them as a clerk might: CSV in UTF-8/BOM/GB18030/UTF-16 with comma, semicolon
(decimal commas) or tab separators and an Excel ``sep=`` line, or XLSX with a title
row, hidden rows and a filter holding households that do not count, a hidden 套内面积
column, merged building cells, a totals row, a 作废 sheet and a notes sheet; headers
in other spellings (with a BOM or zero-width space), building names as ``1``/``1栋``/
``1号楼``/``１号楼``, rooms with a leading apostrophe. Reading it must give exactly the
truth (compared by the one identifier key), and every dirt that left something out
must be counted in the notes; a file that cannot be read must be a located refusal.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costshare.errors import InputError
from costshare.households.roster import read_roster_bytes
from costshare.tables.cells import ident_key

NAMES = [
    "张伟",
    "王芳",
    "李娜",
    "刘洋",
    "陈静",
    "杨磊",
    "赵敏",
    "黄勇",
    "张伟,王芳",
    'Li "Na"; Liu',
]
"""Owners; the last two need quoting in a CSV (a separator, a quote inside)."""
BUILDING_SPELLINGS = ["{b}", "{b}栋", "{b}号楼", "{fw}号楼"]
HEADERS = {
    "building": ["楼栋", "楼号", "栋号", "Building"],
    "stairwell": ["单元", "单元号", "Stairwell"],
    "unit_id": ["房号", "户号", "室号", "\ufeff房号", "房\u200b号", "Unit"],
    "area_m2": ["建筑面积", "面积", "专有部分面积（㎡）", "Area (m2)"],
    "owner_name": ["业主姓名", "业主", "Owner"],
}


@st.composite
def households(draw: st.DrawFn) -> list[dict[str, object]]:
    """The truth: distinct (building, stairwell, room) with an area in hundredths of m²."""
    keys = draw(
        st.lists(
            st.tuples(st.integers(1, 3), st.integers(1, 2), st.integers(1, 9), st.integers(1, 4)),
            min_size=1,
            max_size=25,
            unique=True,
        )
    )
    out = []
    for b, s, floor, door in sorted(keys):
        area = Decimal(draw(st.integers(3000, 15000))) / 100
        out.append(
            {"building": b, "stairwell": s, "room": f"{floor}{door:02d}", "area": area,
             "owner": draw(st.sampled_from(NAMES))}
        )  # fmt: skip
    return out


@st.composite
def dirt(draw: st.DrawFn) -> dict[str, object]:
    """How the clerk wrote it."""
    fmt = draw(st.sampled_from(["csv", "xlsx"]))
    d: dict[str, object] = {
        "fmt": fmt,
        "headers": {k: draw(st.sampled_from(v)) for k, v in HEADERS.items()},
        "order": draw(st.permutations(list(HEADERS))),
        "spelling": draw(st.sampled_from(BUILDING_SPELLINGS)),
        "apostrophe": draw(st.booleans()),
        "title": draw(st.booleans()),
        "totals": draw(st.booleans()),
        "blank_rows": draw(st.booleans()),
    }
    if fmt == "csv":
        d["encoding"] = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
        d["sep"] = draw(st.sampled_from([",", ";", "\t"]))
        d["sep_line"] = draw(st.booleans())
    else:
        d["hidden_rows"] = draw(st.integers(0, 3))
        d["filtered"] = draw(st.booleans())
        d["hidden_column"] = draw(st.booleans())
        d["merged"] = draw(st.booleans())
        d["void_sheet"] = draw(st.booleans())
        d["notes_sheet"] = draw(st.booleans())
    return d


def _building(b: int, spelling: str) -> str:
    return spelling.format(b=b, fw=chr(0xFF10 + b))


def _grid(truth: list[dict[str, object]], d: dict[str, object]) -> list[list[object]]:
    """The table as cells: header row, one row per household, maybe blanks and totals."""
    order: list[str] = d["order"]  # type: ignore[assignment]
    heads: dict[str, str] = d["headers"]  # type: ignore[assignment]
    rows: list[list[object]] = [[heads[c] for c in order]]
    for i, h in enumerate(truth):
        room = ("'" if d["apostrophe"] else "") + str(h["room"])
        cell = {
            "building": _building(h["building"], d["spelling"]),  # type: ignore[arg-type]
            "stairwell": str(h["stairwell"]),
            "unit_id": room,
            "area_m2": h["area"],
            "owner_name": h["owner"],
        }
        rows.append([cell[c] for c in order])
        if d["blank_rows"] and i % 4 == 1:
            rows.append([None] * len(order))
    if d["totals"]:
        total = sum(h["area"] for h in truth)  # type: ignore[misc]
        rows.append(
            ["合计" if c == order[0] else (total if c == "area_m2" else None) for c in order]
        )
    return rows


def _csv_bytes(grid: list[list[object]], d: dict[str, object]) -> bytes:
    sep: str = d["sep"]  # type: ignore[assignment]

    def text(v: object) -> str:
        if v is None:
            return ""
        s = str(v)
        if sep == ";" and isinstance(v, Decimal):
            return s.replace(".", ",")
        if any(c in s for c in (sep, '"', ",", ";", "\t")):
            return '"' + s.replace('"', '""') + '"'
        return s

    lines = [sep.join(text(v) for v in r) for r in grid]
    if d["title"]:
        lines.insert(0, "某某小区业主名册")
    if d["sep_line"]:
        lines.insert(0, f"sep={sep}")
    return ("\r\n".join(lines) + "\r\n").encode(d["encoding"])  # type: ignore[arg-type]


def _xlsx_bytes(grid: list[list[object]], d: dict[str, object]) -> tuple[bytes, int]:
    """The workbook, and how many households were hidden (rows that must not count)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名册"
    if d["void_sheet"]:
        void = wb.create_sheet("作废", 0)
        for r in grid:
            void.append([float(v) + 10 if isinstance(v, Decimal) else v for v in r])
    if d["notes_sheet"]:
        wb.create_sheet("说明").append(["本表由社区填报"])
    top = 2 if d["title"] else 1
    if d["title"]:
        ws.append(["某某小区业主名册"])
    order: list[str] = d["order"]  # type: ignore[assignment]
    for r in grid:
        ws.append([float(v) if isinstance(v, Decimal) else v for v in r])
    # households that do not count: hidden rows (or rows hidden by a filter) after the header
    junk = 0
    for k in range(int(d["hidden_rows"])):  # type: ignore[call-overload]
        at = top + 1 + k
        ws.insert_rows(at)
        for j, c in enumerate(order):
            ws.cell(at, j + 1, {"unit_id": f"9{k}99", "area_m2": 500.0}.get(c, "9"))
        ws.row_dimensions[at].hidden = True
        junk += 1
    last = ws.max_row
    if d["filtered"] and junk:
        ws.auto_filter.ref = f"A{top}:{openpyxl.utils.get_column_letter(len(order))}{last}"
        ws.auto_filter.add_filter_column(0, ["x"])
    if d["hidden_column"]:
        col = len(order) + 1
        ws.cell(top, col, "套内面积")
        for r in range(top + 1, last + 1):
            ws.cell(r, col, 1.0)
        ws.column_dimensions[openpyxl.utils.get_column_letter(col)].hidden = True
    if d["merged"] and not junk and not d["blank_rows"] and not d["totals"]:
        bcol = order.index("building") + 1
        start = top + 1
        for r in range(top + 2, last + 2):
            prev = ws.cell(r - 1, bcol).value
            if r > last or ws.cell(r, bcol).value != prev:
                if r - 1 > start:
                    for rr in range(start + 1, r):
                        ws.cell(rr, bcol).value = None
                    ws.merge_cells(
                        start_row=start, end_row=r - 1, start_column=bcol, end_column=bcol
                    )
                start = r
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), junk


def _truth_keys(truth: list[dict[str, object]]) -> dict[tuple[str, str, str], float]:
    return {
        (ident_key(h["building"]), ident_key(h["stairwell"]), ident_key(h["room"])): float(
            h["area"]  # type: ignore[arg-type]
        )
        for h in truth
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(truth=households(), d=dirt())
def test_messy_roster_reads_to_the_truth(truth: list[dict[str, object]], d: dict[str, object]):
    """Every dirtied roster reads to exactly its households and areas, with notes."""
    grid = _grid(truth, d)
    junk = 0
    if d["fmt"] == "csv":
        data, name = _csv_bytes(grid, d), "名册.csv"
    else:
        (data, junk), name = _xlsx_bytes(grid, d), "名册.xlsx"
    try:
        df = read_roster_bytes(data, name)
    except InputError as exc:  # every dirt here is readable: a refusal is a failure
        located = all(p.file == name for p in exc.problems)
        pytest.fail(f"refused a readable roster (located: {located}): {exc}")
    got = {
        (ident_key(b), ident_key(s), ident_key(u)): a
        for b, s, u, a in zip(
            df["building"], df["stairwell"], df["unit_id"], df["area_m2"], strict=True
        )
    }
    assert got == _truth_keys(truth)
    assert "owner_name" in df.columns and set(df["owner_name"]) <= set(NAMES)
    notes = " | ".join(df.attrs["notes"])
    if junk:
        kind = "filtered out" if d.get("filtered") else "hidden row"
        assert f"{junk} row(s) {kind}" in notes or f"{junk} {kind}" in notes, notes
    if d.get("hidden_column"):
        assert "1 hidden column(s)" in notes
    if d.get("void_sheet"):
        assert "sheet '作废' is named as void: left out" in notes
    if d["totals"]:
        assert "a totals row (合计)" in notes


@settings(max_examples=30, deadline=None)
@given(
    truth=households(),
    at=st.integers(0, 10),
    enc=st.sampled_from(["utf-8", "gb18030", "utf-16"]),
)
def test_broken_quote_is_refused_at_its_line(truth: list[dict[str, object]], at: int, enc: str):
    """A quote opened and never closed is an error naming its line, never rows lost."""
    plain = [n for n in NAMES if "," not in n and '"' not in n]
    lines = ["房号,面积,业主"] + [
        f"{h['room']},{h['area']},{plain[i % len(plain)]}" for i, h in enumerate(truth)
    ]
    k = 1 + at % len(truth)
    lines[k] = lines[k].replace(",", ',"', 1)
    data = ("\n".join(lines) + "\n").encode(enc)
    with pytest.raises(InputError) as exc:
        read_roster_bytes(data, "r.csv")
    assert str(exc.value).startswith(f"r.csv, line {k + 1}: a quote")


VOTE_WORDS = {"yes": ["同意", "赞成", "Yes"], "no": ["反对", "不同意", "no"], "abstain": ["弃权"]}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    truth=households(),
    votes=st.lists(st.sampled_from(["yes", "no", "abstain"]), min_size=25, max_size=25),
    spell=st.integers(0, 2),
    fmt=st.sampled_from(["csv", "xlsx"]),
    enc=st.sampled_from(["utf-8-sig", "gb18030", "utf-16"]),
    sep=st.sampled_from([",", ";", "\t"]),
    title=st.booleans(),
    hidden=st.integers(0, 2),
    split=st.booleans(),
)
def test_messy_ballots_read_to_the_truth(
    truth: list[dict[str, object]],
    votes: list[str],
    spell: int,
    fmt: str,
    enc: str,
    sep: str,
    title: bool,
    hidden: int,
    split: bool,
) -> None:
    """Ballots (one column or 楼栋/单元/房号) read to each unit's vote, hidden ballots not."""
    from costshare.households.vote_files import read_ballots

    head = ["楼栋", "单元", "房号", "表决意见"] if split else ["房号", "表决意见"]
    rows: list[list[object]] = [head]
    want = {}
    for h, v in zip(truth, votes, strict=False):
        word = VOTE_WORDS[v][spell % len(VOTE_WORDS[v])]
        b = _building(h["building"], "{b}号楼")  # type: ignore[arg-type]
        if split:
            rows.append([b, str(h["stairwell"]), str(h["room"]), word])
        else:
            rows.append([f"{b}-{h['stairwell']}-{h['room']}", word])
        want[ident_key(f"{h['building']}-{h['stairwell']}-{h['room']}")] = v
    if title:
        rows.insert(0, ["业主大会表决票统计"])
    if fmt == "csv":
        data = ("\n".join(sep.join(map(str, r)) for r in rows) + "\n").encode(enc)
        name = "票.csv"
    else:
        wb = openpyxl.Workbook()
        ws = wb.active
        for r in rows:
            ws.append(r)
        for k in range(hidden):  # a withdrawn ballot, hidden: it does not count
            at = len(rows) + 1 + k
            ws.append(["9-9-9" if not split else "9", *(["9", "9"] if split else []), "反对"])
            ws.row_dimensions[at].hidden = True
        buf = io.BytesIO()
        wb.save(buf)
        data, name = buf.getvalue(), "票.xlsx"
    df = read_ballots(data, name)
    assert {ident_key(u): v for u, v in zip(df["unit_id"], df["vote"], strict=True)} == want


def _clean_workbook_parts() -> dict[str, bytes]:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in (
        ["房号", "面积", "业主"],
        ["101", 80, "张三"],
        ["102", 90.5, "李四"],
        ["103", "=B2+1", "王"],
    ):
        ws.append(r)
    ws.row_dimensions[3].hidden = True
    ws.merge_cells("C2:C3")
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


PARTS = _clean_workbook_parts()


@settings(max_examples=60, deadline=None)
@given(
    flips=st.dictionaries(
        st.sampled_from(sorted(PARTS)),
        st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=5),
    ),
    drop=st.sets(st.sampled_from(sorted(PARTS)), max_size=1),
    csv_bytes=st.binary(max_size=300),
)
def test_damaged_files_are_refused_never_a_traceback(
    flips: dict[str, list[tuple[int, int]]], drop: set[str], csv_bytes: bytes
) -> None:
    """A workbook with damaged parts, or bytes of anything named .csv, is read or refused
    with the file named: never another exception."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in PARTS.items():
            if name in drop:
                continue
            b = bytearray(body)
            for at, v in flips.get(name, []):
                b[at % len(b)] = v
            z.writestr(name, bytes(b))
    for data, name in ((out.getvalue(), "r.xlsx"), (csv_bytes, "r.csv")):
        files = {name}
        try:
            read_roster_bytes(data, name)
        except InputError as exc:
            files = {p.file for p in exc.problems}
        assert files == {name}
