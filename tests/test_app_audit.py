"""Each result page shows the audit appendix under its result (issue 16): rule values with
their documents and confidence, built by ``costshare.report.audit.audit_frame``."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def _audit(page: str):
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception
    tables = [d.value for d in at.dataframe if {"rule", "confidence", "document"} <= set(d.value)]
    assert tables, f"no audit table on {page}"
    return tables[-1]


# The page shows sections in the chosen language (Chinese by default).
RULE, ASSUMPTION = "规则", "假设"


def test_community_page_lists_the_fujian_split_rules():
    """The default Fujian scenario's splits appear with their document; assumptions are A."""
    df = _audit("community")
    rules = df[df["section"] == RULE]
    assert "fj.telecom_cabling" in set(rules["rule"].astype(str))
    assert rules["document"].astype(str).str.len().gt(0).all()
    assert (df.loc[df["section"] == ASSUMPTION, "confidence"] == "A").all()
    # parameter names in Chinese: the owner of a power split by its name, not its key
    assert "供电线路及设备（供电企业）：供电企业" in set(rules["parameter"])


def test_household_page_lists_the_area_basis():
    """The sample sheet shares by area: the Civil Code Art. 283 basis is in the appendix."""
    df = _audit("household")
    assert "civil_code.art283" in set(df["rule"].astype(str))


def test_city_page_lists_the_templates_rules():
    """The bundled city portfolio's appendix lists its template's rule values and sources."""
    df = _audit("city")
    rules = df[df["section"] == RULE]
    assert len(rules) > 0 and rules["document"].astype(str).str.len().gt(0).all()
