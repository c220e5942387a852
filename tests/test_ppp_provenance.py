"""PPP scenario figures as cited data: each with its mark, listed by ``ppp --audit``.

No seed or rule states a project's rates, terms, growth, residual value or taxes; the
bundled scenarios (``scenarios/ppp/*.yaml``) cite each in ``provenance`` (A with its
reason, in Chinese and English); a figure without a source is flagged in the appendix,
on the CLI and on the page, and a figure changed on the page becomes A "changed on the
page".
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from costshare import ppp
from costshare.base import Mark
from costshare.cli import app as cli_app
from costshare.errors import InputError
from costshare.ppp.provenance import FIGURES, figures, mark_for, provenance_rows, unsourced

ROOT = Path(__file__).resolve().parent.parent
PPP = sorted((ROOT / "scenarios" / "ppp").glob("*.yaml"))
CHONGQING = ROOT / "scenarios" / "ppp" / "chongqing_jiulongpo.yaml"
SEED = Path("/work/shared/seeds") if Path("/work/shared/seeds").exists() else ROOT / "docs/seeds"


def _raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", PPP, ids=lambda p: p.stem)
def test_every_bundled_figure_is_cited_in_both_languages(path):
    p = ppp.PPPProject.from_yaml(path)
    assert unsourced(p) == []
    zh, en = provenance_rows(p, path.name, "zh"), provenance_rows(p, path.name, "en")
    assert len(zh) == len(en) == len(list(figures(p))) >= 30
    assert all(r["confidence"] == "A" and r["reason"] for r in zh + en)
    # each mark has its English reason, written in English
    assert all(
        e["reason"] != z["reason"] and e["reason"][:3].isascii()
        for e, z in zip(en, zh, strict=True)
    )
    assert {r["rule"] for r in zh} >= {"financing.loan.annual_rate", "residual_value"}


def test_chongqing_values_and_seed_line():
    p = ppp.PPPProject.from_yaml(CHONGQING)
    rows = {r["rule"]: r for r in provenance_rows(p, CHONGQING.name, "en")}
    assert rows["financing.loan.annual_rate"]["value"] == "4.65%"
    assert rows["financing.loan.annual_rate"]["parameter"] == "Loan rate"
    assert rows["construction.cost"]["value"] == "350,000,000.00"
    assert rows["construction.cost"]["article"] == "002_8a0447c565a51b86.txt line 114"
    assert rows["residual_value"]["value"] == "0.00"
    assert rows["revenues.停车位.ramp_up"]["value"] == "70%"
    # the cited line holds what the mark says the seed gives: the 2.8亿 loan, the incomes
    line = (SEED / "002_8a0447c565a51b86.txt").read_text(encoding="utf-8").splitlines()[113]
    assert "2.8亿银行贷款" in line and "停车位" in line and "可行性缺口补助" in line
    # 280,000,000 / (1 − 20%) = 350,000,000: the reason's arithmetic is the value's
    assert 280_000_000 / (1 - p.financing.equity_share) == float(p.construction.cost)


def test_longest_key_wins_and_typos_are_refused():
    m = {
        "revenues": Mark(confidence="A", reason="group"),
        "revenues.停车位.growth": Mark(confidence="S", seed="002.txt", line=114),
    }
    assert mark_for("revenues.停车位.growth", m).confidence == "S"
    assert mark_for("revenues.停车位.annual_amount", m).reason == "group"
    raw = _raw(CHONGQING)
    raw["provenance"]["financing.lone.annual_rate"] = {"confidence": "A", "reason": "x"}
    with pytest.raises(InputError, match="financing.lone.annual_rate"):
        ppp.PPPProject.from_dict(raw, "c.yaml")
    raw = _raw(CHONGQING)
    raw["provenance"]["residual_value"] = {"confidence": "A"}
    with pytest.raises(InputError, match="needs a reason"):
        ppp.PPPProject.from_dict(raw, "c.yaml")


def test_a_figure_without_a_source_is_flagged():
    raw = _raw(CHONGQING)
    del raw["provenance"]["financing.loan.annual_rate"]
    del raw["provenance"]["om_costs"]
    p = ppp.PPPProject.from_dict(raw, "c.yaml")
    assert unsourced(p) == [
        "financing.loan.annual_rate",
        "om_costs.运营维护.annual_amount",
        "om_costs.运营维护.growth",
    ]
    row = next(r for r in provenance_rows(p, lang="zh") if r["rule"].endswith("annual_rate"))
    assert row["confidence"] == "" and row["reason"] == "未注明出处（已标记）"


def test_cli_audit_lists_the_figures_and_flags_the_unsourced(tmp_path):
    run = CliRunner().invoke
    out = run(cli_app, ["ppp", str(CHONGQING), "--audit", "--lang", "en", "--format", "json"])
    assert out.exit_code == 0, out.output
    import json

    rep = json.loads(out.output)
    assert rep["unsourced"] == []
    audit = {r["rule"]: r for r in rep["audit"] if r["rule"]}
    assert audit["financing.loan.annual_rate"]["reason"].startswith("Not in the seed")
    assert {r["rule"] for r in rep["audit"]} >= {"ppp.affordability_cap"}  # one appendix
    zh = run(cli_app, ["ppp", str(CHONGQING), "--audit"])
    assert "贷款年利率" in zh.output and "种子未给利率" in zh.output
    raw = _raw(CHONGQING)
    raw.pop("provenance")
    bare = tmp_path / "bare.yaml"
    bare.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    out = run(cli_app, ["ppp", str(bare), "--audit"])
    assert out.exit_code == 0, out.output
    n = len(list(figures(ppp.PPPProject.from_yaml(bare))))
    assert f"FLAGGED: {n} figure(s) without a source: cooperation_years" in out.output


def test_page_edit_marks_the_changed_figure_only():
    raw = _raw(PPP[-1])
    edits = {"financing.loan.annual_rate": 0.05, "residual_value": 0, "subsidy.kind": "none"}
    out = ppp.apply_edits(raw, edits, [], [])
    assert "subsidy.kind" not in out["provenance"]  # a choice, not a figure
    ppp.PPPProject.from_dict(out)  # the marks name figures only: the scenario validates
    assert out["provenance"]["financing.loan.annual_rate"]["reason_en"] == "changed on the page"
    assert out["provenance"]["residual_value"] == raw["provenance"]["residual_value"]
    assert set(FIGURES) >= {"financing.loan.annual_rate", "residual_value"}


def test_page_audit_shows_the_marks():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("app_pages/ppp.py")
    at.run()
    key = next(w.key for w in at.number_input if w.key and w.key.endswith(":loan_rate"))
    at.number_input(key=key).set_value(5.0).run()
    at.radio(key="lang").set_value("English").run()
    assert not at.exception
    audit = next(df.value for df in at.dataframe if "confidence" in df.value.columns)
    rows = audit.set_index("parameter")
    assert rows.loc["Loan rate", "value"] == "5.00%"
    assert rows.loc["Loan rate", "reason"] == "changed on the page"
    assert rows.loc["Project capital share", "reason"].startswith("Illustrative")
    assert (audit.loc[audit["section"] == "assumption", "confidence"] == "A").all()


def test_page_warns_about_an_uploaded_scenario_without_sources():
    raw = _raw(PPP[-1])
    raw.pop("provenance")
    raw["kind"] = "ppp"
    text = yaml.safe_dump(raw, allow_unicode=True).encode("utf-8")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("app_pages/ppp.py")
    at.run()
    assert not at.warning  # the bundled scenario cites every figure
    at.radio(key="ppp_m_source").set_value("upload").run()
    at.file_uploader(key="ppp_m_upload").set_value(("bare.yaml", text, "text/yaml")).run()
    assert not at.exception
    n = len(list(figures(ppp.PPPProject.from_dict(raw))))
    assert any(f"{n} 项方案数字未注明出处" in w.value for w in at.warning)
