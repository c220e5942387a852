"""The one translation table: complete for the app, consistent with the rule files and exports."""

import re
from pathlib import Path

import pytest

from costshare import i18n, rules
from costshare.community.scenario import CHANNELS
from costshare.errors import InputError
from costshare.households.explain import BASIS_LABELS
from costshare.report.sheet import COLUMNS

ROOT = Path(__file__).resolve().parent.parent


def _literal_keys() -> set[str]:
    """Every key the app passes to t() as a literal string."""
    keys: set[str] = set()
    for path in [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]:
        keys |= set(re.findall(r"\bt\(\"([a-z_][a-z0-9_.]+)\"", path.read_text(encoding="utf-8")))
    return keys


class TestTable:
    def test_every_app_key_is_in_the_table(self):
        """No page asks for a key the table lacks (a missing key would raise at run time)."""
        keys = _literal_keys()
        assert len(keys) > 100
        assert sorted(keys - set(i18n.table())) == []

    @pytest.mark.parametrize("section", ["community", "ppp"])
    def test_yaml_picker_keys(self, section):
        """The bundled-or-upload picker's labels exist for each page that uses it."""
        suffixes = ("source", "source.bundled", "source.upload", "bundled", "upload")
        for suffix in (*suffixes, "upload_hint", "fallback"):
            assert f"{section}.{suffix}" in i18n.table()

    def test_both_languages_filled(self):
        """Every entry has a Chinese and an English text."""
        assert all(zh.strip() and en.strip() for zh, en in i18n.table().values())

    def test_payers_and_categories_match_the_rule_files(self):
        """The Chinese label of each payer and category is the rule files' own name."""
        for key in rules.available():
            rs = rules.load(key, on="2024-06-01")
            for group, names in (("payer", rs.payers), ("category", rs.categories)):
                for k, zh in names.items():
                    assert i18n.label(group, k, "zh") == zh, (key, group, k)
                    assert i18n.label(group, k, "en") != k, (key, group, k)

    def test_library_labels_match(self):
        """Channels, sharing bases and sheet headers carry the library's Chinese text."""
        assert {k: i18n.label("channel", k) for k in CHANNELS} == CHANNELS
        assert {k: i18n.label("basis", k) for k in BASIS_LABELS} == BASIS_LABELS
        assert {k: i18n.label("sheet", k) for k, _, _ in COLUMNS} == {k: h for k, h, _ in COLUMNS}

    def test_format_fields(self):
        """Texts with format fields are filled in both languages."""
        zh = i18n.t("rules.count", "zh", n=3, on="2024-01-01")
        en = i18n.t("rules.count", "en", n=3, on="2024-01-01")
        assert "3" in zh and "2024-01-01" in zh and "3" in en and "2024-01-01" in en

    def test_missing_key_raises(self):
        """A key not in the table is a KeyError, not a silent fallback."""
        with pytest.raises(KeyError):
            i18n.t("nav.nowhere")

    def test_label_default(self):
        """An internal key the table does not know shows as the default, else the key."""
        assert i18n.label("payer", "village_committee", "en", default="村委会") == "村委会"
        assert i18n.label("payer", "village_committee", "en") == "village_committee"


class TestChartWords:
    def test_charts_use_the_one_table(self):
        """The chart modules keep no word tables of their own; every word they ask is there."""
        report = ROOT / "costshare" / "report"
        words: set[str] = set()
        for path in sorted(report.glob("charts*.py")):
            text = path.read_text(encoding="utf-8")
            assert "_WORDS" not in text, path.name
            words |= set(re.findall(r"\b_w\(\"([a-z_][a-z0-9_.]+)\"", text))
        assert len(words) > 30
        assert sorted(f"chart.{w}" for w in words if f"chart.{w}" not in i18n.table()) == []

    def test_payers_in_english_charts(self):
        """A payer in an English chart has its English name, not the rule file's Chinese."""
        from costshare.community.scenario import Scenario, default_scenario_path
        from costshare.report.charts import sankey_links

        links = sankey_links(Scenario.from_yaml(default_scenario_path()).run(), "en")
        nodes = set(links["source"]) | set(links["target"])
        assert "P:Power utility" in nodes
        assert "S:Central subsidy" in nodes
        # only the work items (the user's own names) stay in Chinese
        assert not any("供电" in n or "中央" in n for n in nodes if not n.startswith("I:"))

    def test_formatted_chart_words(self):
        """The affordability lines carry the level they were drawn at."""
        assert i18n.t("chart.limit", "en").format(pct="10%") == "10% limit"
        assert i18n.t("chart.warning", "zh").format(pct="7%") == "7% 预警线"


class TestBrokenTable:
    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ('a.b: ["甲", "A"]\na.b: ["乙", "B"]\n', "duplicate key 'a.b'"),
            ('a.b: ["甲"]\n', r"key 'a\.b': give \[中文, English\]"),
            ('nodot: ["甲", "A"]\n', "dotted names"),
            ('kind: rules\na.b: ["甲", "A"]\n', "not a translations file"),
        ],
    )
    def test_refused(self, tmp_path, body, message):
        """Duplicate keys, wrong shapes, undotted keys and a wrong kind are refused."""
        path = tmp_path / "t.yaml"
        path.write_text(body, encoding="utf-8")
        with pytest.raises(InputError, match=message):
            i18n.read_table(path)
