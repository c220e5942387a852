"""CLI: rules list/show, run in three formats, validate; bad input exits 1 without traceback."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from costshare.cli import app
from costshare.community.scenario import default_scenario_path
from costshare.kinds import ROOT, bundled_files
from costshare.rules import RULES_DIR

runner = CliRunner()
DEFAULT = str(default_scenario_path())


def cli(*args):
    """Run the real entry point in a subprocess (exit codes and stderr as users see them)."""
    return subprocess.run(
        [sys.executable, "-m", "costshare", *args], capture_output=True, text=True, check=False
    )


class TestRules:
    def test_list(self):
        """rules list shows keys and names."""
        out = runner.invoke(app, ["rules", "list"])
        assert out.exit_code == 0
        assert "fujian" in out.stdout and "福建省" in out.stdout

    def test_show_has_sources_and_confidence(self):
        """rules show fujian prints each rule with its document and confidence."""
        out = runner.invoke(app, ["rules", "show", "fujian", "--on", "2024-01-01"])
        assert out.exit_code == 0
        assert "fj.telecom_cabling" in out.stdout and "可复制政策机制清单" in out.stdout
        assert " S " in out.stdout

    def test_history(self):
        """rules history shows a rule's dated values with their documents."""
        out = runner.invoke(app, ["rules", "history", "ningbo", "fund.subsidy_ratio"])
        assert out.exit_code == 0, out.output
        assert "ningbo.yaml" in out.stdout and "undated" in out.stdout
        assert "可复制政策机制清单" in out.stdout

    def test_show_json(self):
        """JSON output lists every rule."""
        out = runner.invoke(app, ["rules", "show", "ningbo", "--format", "json"])
        ids = [r["rule"] for r in json.loads(out.stdout)]
        assert "fund.subsidy_ratio" in ids


class TestRun:
    def test_table(self):
        """The default scenario prints its gap of 76,000.00."""
        out = runner.invoke(app, ["run", DEFAULT])
        assert out.exit_code == 0
        assert "76000.00" in out.stdout

    def test_json(self):
        """JSON carries the indicators."""
        out = runner.invoke(app, ["run", DEFAULT, "--format", "json"])
        assert json.loads(out.stdout)["indicators"]["gap"] == "76000.00"

    def test_csv_to_file_with_bom(self, tmp_path):
        """CSV output to a file is UTF-8 with BOM."""
        target = tmp_path / "out.csv"
        out = runner.invoke(app, ["run", DEFAULT, "--format", "csv", "-o", str(target)])
        assert out.exit_code == 0
        raw = target.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        assert "资金缺口" in raw.decode("utf-8-sig")

    def test_bad_scenario_message_and_no_output(self, tmp_path):
        """A broken scenario exits 1 with a located message, no traceback, no output file."""
        bad = tmp_path / "bad.yaml"
        bad.write_text(
            default_scenario_path()
            .read_text(encoding="utf-8")
            .replace("cost: 860000", "cost: lots"),
            encoding="utf-8",
        )
        target = tmp_path / "out.csv"
        res = cli("run", str(bad), "-o", str(target))
        assert res.returncode == 1
        assert "bad.yaml, work item 1 ('管沟及箱柜土建'), field 'cost'" in res.stderr
        assert "Traceback" not in res.stderr
        assert not target.exists()
        assert list(tmp_path.iterdir()) == [bad]

    def test_missing_file(self):
        """A missing file is named."""
        res = cli("run", "nope.yaml")
        assert res.returncode == 1 and "nope.yaml" in res.stderr and "Traceback" not in res.stderr

    def test_debug_shows_traceback(self):
        """--debug shows the traceback for developers."""
        res = cli("--debug", "run", "nope.yaml")
        assert res.returncode != 0 and "Traceback" in res.stderr


class TestValidate:
    @pytest.mark.parametrize(
        ("path", "kind"),
        [
            (str(RULES_DIR / "fujian.yaml"), "rules"),
            (DEFAULT, "community"),
            (str(ROOT / "scenarios" / "ppp" / "ppp_example.yaml"), "ppp"),
            (str(ROOT / "scenarios" / "ppp" / "chongqing_jiulongpo.yaml"), "ppp"),
            (str(ROOT / "portfolios" / "fujian_city_example.yaml"), "portfolio"),
            (str(ROOT / "costshare" / "data" / "plan_criteria.yaml"), "plan_criteria"),
        ],
    )
    def test_ok(self, path, kind):
        """A good file of each kind validates with one `OK <kind> <path>` line."""
        out = runner.invoke(app, ["validate", path])
        assert out.exit_code == 0, out.output
        assert out.stdout.startswith(f"OK {kind} ")
        assert out.stdout.count("\n") == 1

    def test_every_bundled_file(self):
        """With no path every bundled file of every kind is checked: one OK line each."""
        out = runner.invoke(app, ["validate"])
        assert out.exit_code == 0, out.output
        lines = out.stdout.splitlines()
        assert len(lines) == len(bundled_files()) >= 20
        assert all(line.startswith("OK ") for line in lines)
        kinds = {line.split()[1] for line in lines}
        assert kinds == {
            "community",
            "ppp",
            "portfolio",
            "rules",
            "plan_criteria",
            "translations",
            "operation",
            "transfers",
        }
        assert "OK ppp scenarios/ppp/chongqing_jiulongpo.yaml" in out.stdout
        assert runner.invoke(app, ["validate", "--all"]).stdout == out.stdout

    def test_wrong_kind_and_unknown_file(self, tmp_path):
        """A file declaring one kind but holding another, or of no kind, is named."""
        ppp = tmp_path / "ppp.yaml"
        ppp.write_text("kind: community\nname: x\nregime: legacy_21\n", encoding="utf-8")
        odd = tmp_path / "odd.yaml"
        odd.write_text("colour: blue\n", encoding="utf-8")
        res = cli("validate", str(ppp), str(odd), DEFAULT)
        assert res.returncode == 1
        assert res.stdout.startswith("OK community ")  # the good file is still reported
        assert "ppp.yaml" in res.stderr and "odd.yaml, field 'kind'" in res.stderr
        assert "Traceback" not in res.stderr

    def test_broken_rule_file(self, tmp_path):
        """A rule file whose shares add to 0.99 fails naming file, rule and field."""
        text = (RULES_DIR / "fujian.yaml").read_text(encoding="utf-8")
        text = text.replace("local_finance: 0.35", "local_finance: 0.34")
        bad = tmp_path / "fujian2.yaml"
        bad.write_text(text.replace("key: fujian", "key: fujiantwo"), encoding="utf-8")
        res = cli("validate", str(bad))
        assert res.returncode == 1
        assert (
            "fujian2.yaml, rule 'fj.telecom_cabling' (utility_splits), field 'shares'" in res.stderr
        )

    def test_a_table_is_not_a_yaml_kind(self, tmp_path):
        """validate names a CSV as not YAML rather than misreading it."""
        table = tmp_path / "communities.csv"
        table.write_text("id,households\na,10\n", encoding="utf-8")
        out = runner.invoke(app, ["validate", str(table)])
        assert out.exit_code == 1
        assert "communities.csv: not a YAML file" in out.stderr


class TestErrorHandler:
    """One handler turns an InputError into `error: ...` on stderr and exit 1."""

    def test_in_process_runner(self):
        """CliRunner (no entry point) sees the same short message and exit code."""
        out = runner.invoke(app, ["rules", "show", "atlantis"])
        assert out.exit_code == 1
        assert out.stderr.startswith("error: field 'jurisdiction': unknown jurisdiction 'atlantis'")
        assert out.exception is None or isinstance(out.exception, SystemExit)

    def test_debug_lets_the_error_through(self):
        """--debug raises the InputError itself (a traceback for developers)."""
        res = cli("--debug", "rules", "show", "atlantis")
        assert res.returncode == 1 and "InputError" in res.stderr and "Traceback" in res.stderr
