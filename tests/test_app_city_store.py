"""The city page's store panel (AppTest, a temp SQLite file): save, change, save, diff, reopen.

A portfolio is saved as kind ``portfolio``; narrowing the districts changes the communities
the page runs (and saves), so the second version's diff lists ``communities`` and the
headline results side by side.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from costshare import store as cs_store
from costshare.community.portfolio import Portfolio
from tests.test_app_every_page import ALLOWED, INTERNAL, _shown

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
FUJIAN_CITY = ROOT / "portfolios" / "fujian_city_example.yaml"


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("COSTSHARE_DB", url)
    monkeypatch.setenv("COSTSHARE_AUTHOR", "测试员")
    return url


def _city() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("app_pages/city.py")
    return at.run()


def test_city_save_change_save_diff_and_reopen(db):
    full = Portfolio.from_file(FUJIAN_CITY).run()
    comm = full.communities
    gulou = comm[comm["district"] == "鼓楼区"]
    at = _city()
    assert at.metric[1].value == f"{int(comm['households'].sum()):,}"
    at.button(key="city_store_save").click().run()
    assert any("第 1 版" in s.value for s in at.success)

    at.multiselect(key=f"city_{at.session_state['city_doc']}:districts").set_value(["鼓楼区"]).run()
    assert at.metric[0].value == str(len(gulou))
    assert at.metric[1].value == f"{int(gulou['households'].sum()):,}"
    at.text_input(key="city_store_comment").set_value("只算鼓楼区").run()
    at.button(key="city_store_save").click().run()
    assert any("第 2 版" in s.value for s in at.success), [s.value for s in at.success]

    # the diff of 1 → 2: the communities changed, and the households fell by the others'
    fields = {v for df in at.dataframe for v in df.value.iloc[:, 0].astype(str)}
    # a portfolio job's record: the districts are a patch of the bundled portfolio
    assert any(f.startswith("request.portfolio.patch.communities") for f in fields), fields
    # the diff names fields in words; paths stay only in the 代码 (code) column
    words = {v for df in at.dataframe if "字段" in df.value for v in df.value["字段"]}
    assert any(w.startswith("请求 › 项目组合 › 修改 › 各小区 › ") for w in words), words
    keys = [k for s in _shown(at) for k in INTERNAL.findall(ALLOWED.sub("", s))]
    assert not keys, keys
    with cs_store.Store(db) as st:
        versions = cs_store.history(st, "fujian_city_example")
        assert [v.number for v in versions] == [1, 2]
        assert versions[0].results["households"] == int(comm["households"].sum())
        assert versions[1].results["households"] == int(gulou["households"].sum())
        assert versions[1].comment == "只算鼓楼区"
        assert versions[1].author == "测试员"
        d = cs_store.diff(st, "fujian_city_example", 1, 2)
        res = {r.key: r.delta for r in d.results}
        assert res["households"] == int(gulou["households"].sum() - comm["households"].sum())

    # a new session (a restarted app) opens version 2 from the store: only 鼓楼区
    again = _city()
    again.radio(key="city_source").set_value("store").run()
    assert again.selectbox(key="city_store_doc").value == "fujian_city_example"
    assert again.selectbox(key="city_store_ver").value == 2
    assert not again.exception
    assert again.metric[1].value == f"{int(gulou['households'].sum()):,}"
    assert again.metric[0].value == str(len(gulou))
    assert len(again.multiselect) == 0  # one district: nothing to choose
