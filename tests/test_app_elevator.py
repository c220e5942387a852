"""The elevator page (AppTest): one stairwell's net cost after the city subsidy, shared by floor.

Shanghai's rule pays 40% of the cost with a cap (600,000 → 240,000, net 360,000); the sample
roster's building 1, stairwell 1 has 12 households, floors 1–2 exempt by default.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def _page(city: str | None = "shanghai") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("app_pages/elevator.py")
    at.run()
    if city is not None:  # no city is preselected: pick Shanghai's rule
        at.selectbox(key="elevator_city").set_value(city).run()
    return at


def test_no_city_preselected():
    at = _page(None)
    assert not at.exception
    assert at.selectbox(key="elevator_city").value is None
    assert not at.metric and any("请先选择适用的城市补贴规则" in i.value for i in at.info)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _shares(at: AppTest) -> float:
    sheet = at.dataframe[1].value
    return float(sheet["应分摊金额(元)"].astype(float).sum())


def test_elevator_net_and_shares():
    at = _page()
    assert not at.exception
    m = _metrics(at)
    assert m["政府补贴"] == "240,000.00 元"
    assert m["住户分摊净额"] == "360,000.00 元"
    assert m["单元住户"] == "12"
    assert _shares(at) == pytest.approx(360_000.0)
    sheet = at.dataframe[1].value
    assert (sheet.loc[sheet["楼层"].astype(int) <= 2, "应分摊金额(元)"].astype(float) == 0).all()


def test_changing_the_fund_use_changes_the_net():
    at = _page()
    at.number_input(key="elevator_fund").set_value(60_000.0).run()
    assert _metrics(at)["住户分摊净额"] == "300,000.00 元"
    assert _shares(at) == pytest.approx(300_000.0)
    # Beijing pays 240,000 per elevator: two elevators, 480,000; net 600,000 − 480,000 − 60,000
    at.selectbox(key="elevator_city").set_value("beijing").run()
    at.number_input(key="elevator_count").set_value(2).run()
    assert _metrics(at)["政府补贴"] == "480,000.00 元"
    assert _metrics(at)["住户分摊净额"] == "60,000.00 元"
    assert _shares(at) == pytest.approx(60_000.0)


def test_elevator_page_in_english():
    at = _page()
    at.radio(key="lang").set_value("English").run()
    steps = at.dataframe[0].value
    assert "City subsidy" in set(steps.iloc[:, 0])
    assert "subsidy" not in set(steps.iloc[:, 0])


def test_elevator_save_publish_and_history(tmp_path):
    """Save the split, tag it published (the notice's hash): the history lists the tag."""
    from costshare import store as cs_store

    at = _page()
    at.button(key="elevator_store_save").click().run()
    assert any("第 1 版" in s.value for s in at.success), [e.value for e in at.error]
    at.button(key="elevator_pub_btn").click().run()
    assert any("已公示" in s.value for s in at.success), [e.value for e in at.error]
    at.run()  # the history is drawn above the button: the next run shows the tag
    assert "published" in at.dataframe[-1].value["标记"].tolist()
    with cs_store.Store(f"sqlite:///{tmp_path / 'store.db'}") as st:
        (doc,) = cs_store.documents(st)
        v = cs_store.get(st, doc.name, "published")
        assert doc.kind == "sheet" and v.data["request"]["amount"]["kind"] == "elevator"
        # net 360,000.00 yuan over 12 households, floors 1-2 (4 households) exempt
        assert v.results == {"total_fen": 36_000_000, "households": 12, "exempt": 4}
        assert len(v.tags[0].file_hash or "") == 64
