"""The elevator-lifetime page (AppTest): inputs change the shares, the totals add up to the fen.

Hand-computed: sample roster, building 1 stairwell 1 (12 households, floors 1–6, two per
floor), floor 1 exempt and compensated. Building cost 600,000 yuan, maintenance 8,000 and
electricity 3,000 a year over 10 years: the households pay 600,000 + 10 × 11,000 =
710,000.00 yuan in all; two floor-1 households receive 2,500 yuan each (5,000 in all),
which the ten paying households pay between them, so the compensation nets to zero.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def _open() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages" / "elevator_life.py"), default_timeout=60)
    at.session_state["lang"] = "中文"
    return at.run()


def _set(at: AppTest, lang: str = "中文", **values: float) -> AppTest:
    """Change inputs on the Chinese page, then show it in `lang`.

    (AppTest formats a widget's value in the test's own session, which is Chinese: the
    inputs are set first and the language switched last, as a user switching would.)
    """
    for key, value in values.items():
        at.number_input(key=f"elife_{key}").set_value(value).run()
    if lang != "中文":
        at.session_state["lang"] = lang
        at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


@pytest.mark.parametrize("lang", ["中文", "English"])
def test_changed_inputs_add_up_to_the_fen(lang):
    at = _open()
    assert not at.exception and not at.error
    first = at.dataframe[0].value
    assert sum(first["net"]) == Decimal("600000.00")  # building cost only, before any input
    _set(at, lang, maintenance=8000.0, operation=3000.0, years=10, compensation=2500.0)
    t = at.dataframe[0].value
    assert len(t) == 12 and set(t["floor"]) == set(range(1, 7))
    assert sum(t["net"]) == Decimal("710000.00")
    assert sum(t["maintenance"]) == Decimal("80000.00")
    assert sum(t["operation"]) == Decimal("30000.00")
    assert sum(t["comp_received"]) == sum(t["comp_paid"]) == Decimal("5000.00")
    for _, r in t.iterrows():  # each household's parts give its net, to the fen
        parts = r["cost"] + r["maintenance"] + r["operation"] + r["comp_paid"]
        assert parts - r["comp_received"] == r["net"]
        assert r["explanation"].endswith(f"{r['net']} 元" if lang == "中文" else f"{r['net']} yuan")
    floor1 = t[t["floor"] == 1]
    assert list(floor1["net"]) == [Decimal("-2500.00")] * 2  # exempt and compensated
    # the metrics say the same totals
    shown = {m.label: m.value for m in at.metric}
    assert "710,000.00 元" in shown.values() and "5,000.00 元" in shown.values()
    assert "110,000.00 元" in shown.values()  # 10 years × (8,000 + 3,000)


def test_higher_floors_pay_more_under_the_airport_game_and_any_basis_adds_up():
    at = _set(_open(), maintenance=6000.0)
    t = at.dataframe[0].value
    by_floor = t.groupby("floor")["maintenance"].first()
    assert list(by_floor) == sorted(by_floor) and by_floor[1] == 0  # 1 exempt, rising
    # the airport game: 90,000 (6,000 × 15) over the 5 sections floors 2–6 need, 18,000
    # each; the first section is shared by all 10 paying households: 1,800 each
    assert by_floor[2] == Decimal("1800.00")
    at.selectbox(key="elife_running").set_value("area").run()
    t2 = at.dataframe[0].value
    assert sum(t2["maintenance"]) == Decimal("90000.00") and not t2.equals(t)


def test_english_page_explains_in_english():
    at = _set(_open(), "English", compensation=1000.0)
    lines = list(at.dataframe[0].value["explanation"])
    assert all(not re.search(r"[\u4e00-\u9fff]", s) for s in lines), lines[:2]
    assert "compensation received 1000.00" in lines[0]


def test_the_request_scopes_to_one_stairwell():
    """The job (page, CLI and API) shares over the chosen stairwell only; unit ids repeat
    across stairwells of the sample, so the unscoped roster is a different group."""
    from costshare.jobs import ElevatorLifeJob, FileInput

    roster = FileInput.from_path(ROOT / "costshare" / "data" / "sample_roster.xlsx")
    job = ElevatorLifeJob(roster=roster, cost="600000", building="2", stairwell="1",
                          on="2024-06-01")  # fmt: skip
    t = job.run()
    assert len(t) == 14 and int(t["net_fen"].sum()) == 60_000_000
    assert len(job.model_copy(update={"building": None, "stairwell": None}).run()) == 76
    assert job.request_json()["building"] == "2"  # part of the stored record


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_workbook_adds_up_and_marks_every_figure_assumed(lang):
    """The page's download: households (parts, net, explanation) and the assumptions (A)."""
    import io

    import openpyxl

    from app_pages._elevator_life_view import assumptions_frame, household_frame, workbook
    from costshare import i18n
    from costshare.jobs import ElevatorLifeJob, FileInput

    roster = FileInput.from_path(ROOT / "costshare" / "data" / "sample_roster.xlsx")
    job = ElevatorLifeJob(roster=roster, cost="600000", maintenance="8000", operation="3000",
                          years=10, compensation="2500", building="1", stairwell="1",
                          on="2024-06-01")  # fmt: skip
    figures = {"years": 10, "maintenance": Decimal("8000.00"),
               "operation": Decimal("3000.00"), "compensation": Decimal("2500.00")}  # fmt: skip
    data = workbook(household_frame(job.run(), 10, lang), assumptions_frame(figures, lang), lang)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheet = wb[i18n.t("elife.sheet.households", lang)]
    rows = list(sheet.iter_rows(values_only=True))
    net = rows[0].index(i18n.t("elife.col.net", lang))
    assert round(sum(Decimal(str(r[net])) for r in rows[1:]), 2) == Decimal("710000.00")
    assert len(rows) == 13
    assumed = list(wb[i18n.t("elife.sheet.assumptions", lang)].iter_rows(values_only=True))
    assert [r[-1] for r in assumed[1:]] == ["A"] * 4 and assumed[1][1] == "10"
