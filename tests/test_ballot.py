"""Ballot forms (表决票): one page per unit, the matter and its rule, masked names, no ID or
phone number, blank form; the ``costshare vote --ballots-pdf`` option. Read back with
poppler's pdftotext."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pandas as pd
import pytest
from typer.testing import CliRunner

from costshare import rules
from costshare.cli import app
from costshare.errors import InputError
from costshare.report.ballot import ballot_forms, ballot_pdf_bytes, threshold_text

# Without poppler only a developer machine may skip; under CI (which installs it) it runs.
pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None and not os.environ.get("CI"),
    reason="pdftotext (poppler-utils) not installed; CI installs it",
)
NATIONAL = rules.load("national", on="2024-06-01")
REGISTER = pd.DataFrame(
    {
        "building": ["3", "3", "3"],
        "stairwell": ["2", "2", "2"],
        "unit_id": ["101", "102", "201"],
        "area_m2": [85.5, 85.5, 90.25],
        "owner_name": ["张小三", "李四", "欧阳小明"],
        "id_number": ["110101199001011234", "110101199001015678", "110101199001019999"],
        "phone": ["13800138000", "13900139000", "13700137000"],
    }
)


def pages(pdf: bytes, tmp_path) -> list[str]:
    """The text of each page (pdftotext separates pages by form feeds)."""
    f = tmp_path / "b.pdf"
    f.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(f), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


def test_one_page_per_unit_with_matter_masked_name_and_no_long_number(tmp_path):
    pdf = ballot_pdf_bytes(REGISTER, ["raise_fund"], NATIONAL, community="示例小区")
    text = pages(pdf, tmp_path)
    assert len(text) == 3  # three units in the register, one form each
    for page, unit, name, area in zip(
        text, ["3号楼2单元101", "3号楼2单元102", "3号楼2单元201"], ["张*三", "李*", "欧**明"],
        ["85.50", "85.50", "90.25"], strict=True,
    ):  # fmt: skip
        flat = re.sub(r"\s+", "", page)
        assert "业主表决票" in flat and "示例小区" in flat
        assert "筹集维修资金" in flat  # the matter
        assert "第二百七十八条" in flat  # its source
        assert unit in flat and area in flat and name in flat
        for a, b in (("同意", "反对"), ("反对", "弃权")):
            assert a in flat and b in flat
        assert not re.search(r"\d{7,}", flat), "an ID or phone number is printed"
    full = re.sub(r"\s+", "", "".join(text))
    assert "张小三" not in full and "李四" not in full


def test_thresholds_worked_by_hand():
    """Art. 278 special matters: 2/3 of area and owners take part, 3/4 of them agree."""
    special = threshold_text(NATIONAL.vote_rule("raise_fund"))
    assert special == (
        "按全体业主计；参与表决：专有部分面积 2/3 以上 且人数 2/3 以上；"
        "同意：参与表决者中专有部分面积 3/4 以上 且人数 3/4 以上"
    )
    assert threshold_text(NATIONAL.vote_rule("elevator")).startswith("按本单元业主计")


def test_blank_form_and_names_left_blank(tmp_path):
    blank = pages(ballot_pdf_bytes(None, ["ordinary"], NATIONAL, deadline="2026-12-31"), tmp_path)
    assert len(blank) == 1 and "2026-12-31" in blank[0]
    unnamed = pages(ballot_pdf_bytes(REGISTER, ["elevator"], NATIONAL, names=False), tmp_path)
    assert len(unnamed) == 3 and "张*三" not in "".join(unnamed)


def test_forms_read_chinese_headers_and_nothing_else():
    reg = pd.DataFrame({"房号": ["501"], "面积": [60], "身份证号": ["110101199001011234"]})
    assert ballot_forms(reg) == [{"unit": "501", "area": "60.00", "owner": "", "amount": ""}]


def test_unknown_or_missing_matter_is_an_input_error():
    with pytest.raises(InputError):
        ballot_pdf_bytes(REGISTER, [], NATIONAL)
    with pytest.raises(InputError, match="no_such"):
        ballot_pdf_bytes(REGISTER, ["no_such"], NATIONAL)


def test_cli_writes_ballots(tmp_path):
    (tmp_path / "u.csv").write_text("房号,面积\n101,85.50\n102,85.50\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("房号,表决意见\n101,同意\n", encoding="utf-8")
    out_pdf = tmp_path / "ballots.pdf"
    args = ["vote", str(tmp_path / "u.csv"), str(tmp_path / "b.csv"), "--matter", "elevator"]
    args += ["--ballots-pdf", str(out_pdf), "--community", "示例小区", "--deadline", "2026-12-31"]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    text = pages(out_pdf.read_bytes(), tmp_path)
    assert len(text) == 2 and "加装电梯" in text[0] and "2026-12-31" in text[1]


def test_same_inputs_same_bytes():
    """The forms are reproducible, so the hash a ``published`` tag keeps can be checked later."""
    a = ballot_pdf_bytes(REGISTER, ["elevator"], NATIONAL, community="示例小区")
    assert a == ballot_pdf_bytes(REGISTER, ["elevator"], NATIONAL, community="示例小区")
    assert a != ballot_pdf_bytes(REGISTER, ["elevator"], NATIONAL, community="另一小区")
