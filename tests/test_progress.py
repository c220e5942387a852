"""Long work shows progress and can be cancelled (issue 23, item 5).

- the protocol (:mod:`costshare.progress`): parts of a whole, counters, cancel → Cancelled;
- each long job reports monotone ``done/total`` with the step it is in (notice, xlsx
  sheet, sheet job, Monte Carlo, portfolio, transfers, national sweep), ending at total;
- the Monte Carlo in chunks gives the same draws and metrics bit for bit;
- cancelled mid-way: ``Cancelled``, no output file, no ``.part`` left, an existing target
  untouched; the CLI exits 130 saying nothing was written;
- ``costshare sheet`` on a large generated roster draws a bar on stderr only when stderr is
  a terminal (pty), the piped run writes nothing extra and stdout is byte-identical; Ctrl-C
  on the terminal cancels at the next chunk and leaves no file;
- the household page builds a large roster's notice with ``st.status``/``st.progress``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import pty
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare import jobs, rules
from costshare.cli import app
from costshare.progress import SCALE, Cancelled, Progress

ROOT = Path(__file__).resolve().parent.parent


class Recorder:
    """A sink keeping every step; `stop_after` steps later the work is cancelled."""

    def __init__(self, stop_after: int | None = None) -> None:
        self.steps: list[tuple[int, int, str]] = []
        self.stop_after = stop_after

    def __call__(self, done: int, total: int, what: str) -> None:
        self.steps.append((done, total, what))

    def progress(self) -> Progress:
        stop = self.stop_after
        return Progress(self, cancel=lambda: stop is not None and len(self.steps) >= stop)

    def whats(self) -> list[str]:
        return list(dict.fromkeys(w for _, _, w in self.steps))

    def assert_monotone(self) -> None:
        assert self.steps, "no progress reported"
        fracs = [d / t for d, t, _ in self.steps]
        assert all(0 <= d <= t for d, t, _ in self.steps)
        assert fracs == sorted(fracs), "done went back"
        assert fracs[-1] == 1.0, f"ended at {fracs[-1]:.3f}, not the whole"


def _roster_csv(n: int) -> bytes:
    """A generated roster of `n` households: 84 per building, 14 per stairwell, 7 floors."""
    i = np.arange(n)
    floor = i % 14 // 2 + 1
    df = pd.DataFrame(
        {
            "楼栋": i // 84 + 1,
            "单元": i // 14 % 6 + 1,
            "房号": floor * 100 + i % 2 + 1,
            "楼层": floor,
            "专有部分面积(㎡)": np.round(50 + (i * 37) % 70 + (i % 100) / 100, 2),
            "业主姓名": [f"张小{k % 10}" for k in i],
        }
    )
    return df.to_csv(index=False).encode()


def _sheet(n: int):
    job = jobs.SheetJob(
        roster=jobs.FileInput.from_bytes(_roster_csv(n), "big.csv"),
        amount={"kind": "total", "yuan": "1000000"},
        on="2024-06-01",
    )
    return job, job.run()


# -- the protocol ----------------------------------------------------------------------------


def test_parts_map_into_the_whole_and_stay_monotone():
    rec = Recorder()
    p = Progress(rec)
    a, b = p.part(0.0, 0.25), p.part(0.25, 1.0)
    for k in range(5):
        a.step(k, 4, "roster.read")
    b.step(0, 3, "notice.pages")
    b.step(3, 3, "notice.pages")
    assert rec.steps[0] == (0, SCALE, "roster.read")
    assert rec.steps[4] == (250, SCALE, "roster.read")  # 4 of 4 clipped to the part's end
    assert rec.steps[-1] == (SCALE, SCALE, "notice.pages")
    rec.assert_monotone()


@given(
    cuts=st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=6),
    steps=st.lists(st.tuples(st.integers(0, 50), st.integers(1, 50)), min_size=1, max_size=30),
)
def test_phases_in_order_never_go_back(cuts, steps):
    """Phases cut the whole in order; monotone steps in each give a monotone whole."""
    rec = Recorder()
    p = Progress(rec)
    bounds = [0.0, *sorted(cuts), 1.0]
    for lo, hi in itertools.pairwise(bounds):
        part = p.part(lo, hi)
        fracs = sorted(min(d, t) / t for d, t in steps)
        for f in fracs:
            part.step(round(f * 1000), 1000, "x")
        part.step(1, 1, "x")
    rec.assert_monotone()
    assert all(0 <= d <= t == SCALE for d, t, _ in rec.steps)


def test_cancel_by_event_and_by_parent():
    ev = threading.Event()
    p = Progress(cancel=ev)
    child = p.part(0.5, 1.0)
    child.step(1, 2, "mc.draws")
    ev.set()
    with pytest.raises(Cancelled, match="mc.draws") as info:
        child.step(2, 2, "mc.draws")
    assert info.value.what == "mc.draws"
    with pytest.raises(ValueError):
        p.part(0.6, 0.5)


def test_counter_adds_up_what_each_chunk_finished():
    rec = Recorder()
    add = Progress(rec).counter(7, "sweep.chunks")
    for n in (3, 3, 1):
        add(n)
    assert [d for d, _, _ in rec.steps] == [0, 3, 6, 7]


# -- each long job ---------------------------------------------------------------------------


def test_sheet_job_and_notice_and_xlsx_report_their_steps(tmp_path):
    from costshare.jobs.notice import notice_pdf
    from costshare.report.sheet import write_sheet_xlsx

    job, _ = _sheet(10)
    rec = Recorder()
    job.model_copy().run(progress=rec.progress())
    assert rec.whats() == ["roster.read", "sheet.share"]
    rec.assert_monotone()

    job, sheet = _sheet(1_200)
    rec = Recorder()
    pdf = notice_pdf(job, sheet, progress=rec.progress())
    assert rec.whats() == ["notice.prepare", "notice.pages"]
    rec.assert_monotone()
    pages = [s for s in rec.steps if s[2] == "notice.pages"]
    assert len(pages) > 20  # one step per page-sized table, not one per household
    assert len(rec.steps) < len(sheet) / 10
    assert pdf == notice_pdf(job, sheet)  # reporting changes nothing in the bytes

    rec = Recorder()
    write_sheet_xlsx(sheet, tmp_path / "s.xlsx", progress=rec.progress())
    assert rec.whats() == ["xlsx.rows"] and rec.steps[-1] == (1_200, 1_200, "xlsx.rows")
    rec.assert_monotone()


def test_monte_carlo_in_chunks_is_the_same_bit_for_bit(monkeypatch):
    from costshare import ppp
    from costshare.ppp import sensitivity

    job = jobs.parse("ppp", {"project": {"bundled": "ppp/ppp_example.yaml"}})
    rec = Recorder()
    chunked = ppp.monte_carlo(job.model, draws=12_000, seed=3, progress=rec.progress())
    assert [(d, t) for d, t, _ in rec.steps] == [(0, 12_000), (5_000, 12_000),
                                               (10_000, 12_000), (12_000, 12_000)]  # fmt: skip
    assert rec.whats() == ["mc.draws"]
    monkeypatch.setattr(sensitivity, "MC_CHUNK", 10**9)  # all draws at once, as before
    whole = ppp.monte_carlo(job.model, draws=12_000, seed=3)
    pd.testing.assert_frame_equal(chunked.samples, whole.samples, check_exact=True)
    pd.testing.assert_frame_equal(chunked.summary, whole.summary, check_exact=True)


def test_portfolio_transfers_and_sweep_report_their_steps():
    from costshare.scale.sweep import national_sweep

    rec = Recorder()
    job = jobs.parse("portfolio", {"portfolio": {"bundled": "fujian_city_example.yaml"}})
    result = job.run(progress=rec.progress())
    assert rec.whats() == ["portfolio.groups", "portfolio.assemble"]
    rec.assert_monotone()
    assert result.communities["gap_fen"].sum() == job.run().communities["gap_fen"].sum()

    rec = Recorder()
    pot = {"pot": {"bundled": "transfers/jiangsu_weak_areas.yaml"}}
    r = jobs.parse("transfers", pot).run(progress=rec.progress())
    assert rec.whats()[0] == "transfers.shares" and rec.whats()[-1] == "transfers.rows"
    rec.assert_monotone()
    assert int(r.table["grant_fen"].sum()) == r.pot_fen

    rec = Recorder()
    rs = rules.load("national", dt.date(2024, 6, 1))
    national_sweep(
        300, 30_000, chunk=100, rules=rs, progress=rec.progress().counter(300, "sweep.chunks")
    )
    assert rec.steps == [(k, 300, "sweep.chunks") for k in (0, 100, 200, 300)]


# -- cancel: nothing written -------------------------------------------------------------------


def test_cancelled_notice_and_xlsx_leave_no_file(tmp_path):
    from costshare.report.notice import write_notice
    from costshare.report.sheet import write_sheet_xlsx

    _, sheet = _sheet(1_200)
    old = tmp_path / "kept.pdf"
    old.write_bytes(b"the notice posted yesterday")
    rec = Recorder(stop_after=8)
    with pytest.raises(Cancelled, match="notice.pages"):
        write_notice(sheet, old, date=dt.date(2024, 6, 1), progress=rec.progress())
    assert old.read_bytes() == b"the notice posted yesterday"
    with pytest.raises(Cancelled):
        write_sheet_xlsx(sheet, tmp_path / "s.xlsx", progress=Progress(cancel=lambda: True))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.pdf"]


def test_cli_cancel_injected_through_the_protocol(tmp_path, monkeypatch):
    """Cancelled after a few steps of the notice: exit 130, no output of three, no .part."""
    import contextlib

    from costshare.cli import bar

    roster = tmp_path / "big.csv"
    roster.write_bytes(_roster_csv(1_500))
    rec = Recorder(stop_after=12)

    @contextlib.contextmanager
    def cancelling(stream=None, *, show=None):
        yield rec.progress()

    monkeypatch.setattr(bar, "command_progress", cancelling)
    out = tmp_path / "out"
    res = CliRunner().invoke(app, [
        "sheet", str(roster), "--total", "1000000", "--on", "2024-06-01",
        "-o", str(out / "s.xlsx"), "--csv", str(out / "s.csv"), "--notice", str(out / "n.pdf"),
    ])  # fmt: skip
    assert res.exit_code == 130, res.output
    assert "cancelled; nothing was written" in res.stderr
    assert rec.steps[-1][2] == "notice.pages"  # stopped while laying out the notice
    assert list(out.iterdir()) == []


# -- the terminal -------------------------------------------------------------------------------


def _run_on_pty(args: list[str], env: dict[str, str], interrupt_at: bytes | None = None):
    """Run the CLI with stderr on a pseudo-terminal, stdout on a pipe; send SIGINT once
    `interrupt_at` shows on the terminal. Returns (exit code, stdout, terminal bytes)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "costshare", *args],
        stdout=subprocess.PIPE,
        stderr=slave,
        cwd=ROOT,
        env=env,
    )
    os.close(slave)
    term, sent, end = b"", False, time.monotonic() + 300
    while time.monotonic() < end:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            term += chunk
            if interrupt_at is not None and not sent and interrupt_at in term:
                proc.send_signal(signal.SIGINT)
                sent = True
        elif proc.poll() is not None:
            break
    out = proc.stdout.read()
    code = proc.wait(timeout=60)
    os.close(master)
    return code, out, term


@pytest.fixture(scope="module")
def big_roster(tmp_path_factory):
    path = tmp_path_factory.mktemp("roster") / "big.csv"
    path.write_bytes(_roster_csv(6_000))
    return path


def test_bar_on_a_terminal_only_and_stdout_unchanged(big_roster, tmp_path):
    env = {**os.environ, "COSTSHARE_LANG": "en", "TERM": "xterm", "COLUMNS": "120"}
    args = ["sheet", str(big_roster), "--total", "1000000", "--on", "2024-06-01"]
    code, out_tty, term = _run_on_pty([*args, "--notice", str(tmp_path / "a.pdf")], env)
    assert code == 0
    assert b"Laying out the notice pages" in term and b"100%" in term
    piped = subprocess.run(
        [sys.executable, "-m", "costshare", *args, "--notice", str(tmp_path / "b.pdf")],
        capture_output=True, cwd=ROOT, env=env, timeout=300,
    )  # fmt: skip
    assert piped.returncode == 0
    assert piped.stderr == b""  # nothing extra when stderr is not a terminal
    assert out_tty.replace(b"a.pdf", b"b.pdf") == piped.stdout
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_ctrl_c_on_the_terminal_cancels_and_writes_nothing(big_roster, tmp_path):
    env = {**os.environ, "COSTSHARE_LANG": "en", "TERM": "xterm", "COLUMNS": "120"}
    out = tmp_path / "out"
    args = ["sheet", str(big_roster), "--total", "1000000", "--on", "2024-06-01",
            "--csv", str(out / "s.csv"), "--notice", str(out / "n.pdf")]  # fmt: skip
    code, stdout, term = _run_on_pty(args, env, interrupt_at=b"Laying out the notice pages")
    assert code == 130, term[-400:]
    assert b"cancelled; nothing was written" in term
    assert stdout == b""
    assert not out.exists() or list(out.iterdir()) == []


# -- the page -------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _keep_done_boxes(monkeypatch):
    """Pages remove the "done" box of quick work; tests keep it to see what was shown."""
    from app_pages import _progress

    monkeypatch.setattr(_progress, "SHOW_DONE_S", 0.0)


def test_household_page_builds_a_large_notice_with_progress():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.switch_page("app_pages/household.py").run()
    at.radio(key="household_source").set_value("upload").run()
    at.file_uploader(key="household_upload").set_value(
        ("big.csv", _roster_csv(5_000), "text/csv")
    ).run()
    assert not at.exception and not at.error
    build = at.button(key="household_build_pdf")
    assert build.label == "生成公示 PDF（住户较多，需要一些时间）"
    build.click().run()
    assert not at.exception and not at.error
    assert [s.label for s in at.status] == ["完成"]  # the status box, finished
    bars = at.get("progress")
    assert len(bars) == 1 and bars[0].proto.value == 100
    assert "排版公示页面" in bars[0].proto.text and "100%" in bars[0].proto.text
    assert at.button(key="household_notice" + "cancel").label == "取消"
    kept = at.session_state["_progress_results"]
    assert len(kept) == 1 and next(iter(kept.values()))[:5] == b"%PDF-"
    # cancel (the button's callback marks the request; Streamlit's rerun stops the run):
    # the page says so, keeps nothing, offers to run again, and does
    at.session_state["_progress_results"] = {}
    at.button(key="household_notice" + "cancel").click().run()
    assert not at.exception
    assert [i.value for i in at.info if "已取消" in i.value] == ["已取消，未写入任何文件。"]
    assert at.session_state["_progress_results"] == {}
    assert not at.get("download_button") or all(
        "公示" not in b.proto.label for b in at.get("download_button")
    )
    at.button(key="household_notice" + "again").click().run()
    assert [s.label for s in at.status] == ["完成"]
    assert len(at.session_state["_progress_results"]) == 1


def _page_with_cancel_at(stop: int | None) -> None:
    import streamlit as st

    from app_pages._progress import run_long
    from costshare.progress import Cancelled

    def work(progress):
        for k in range(10):
            if stop is not None and k == stop:
                raise Cancelled("mc.draws")
            progress.step(k, 10, "mc.draws")
        return "made"

    st.write(f"result: {run_long('t_', ('t', 1), work, label='MC')}")


@pytest.mark.parametrize("stop", [None, 4])
def test_run_long_keeps_only_finished_work(stop):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_page_with_cancel_at, args=(stop,), default_timeout=60).run()
    assert not at.exception
    kept = at.session_state["_progress_results"]
    if stop is None:
        assert [s.label for s in at.status] == ["完成"] and kept == {("t", 1): "made"}
        assert at.markdown[-1].value == "result: made"
    else:
        assert [s.label for s in at.status] == ["已取消，未写入任何文件。"] and kept == {}
        assert at.markdown[-1].value == "result: None"


def _big_pot(n: int) -> bytes:
    """A pot over `n` areas with a floor and a cap (every area a breakpoint or two)."""
    import yaml

    areas = [
        {"id": f"县{k:04d}", "households": 1_000 + (k * 7919) % 50_000, "fiscal_capacity": 1 + k % 17}
        for k in range(n)
    ]  # fmt: skip
    weight = {"confidence": "A", "reason": "test pot"}
    doc = {
        "kind": "transfers", "name": "大池", "pot": 1_000_000_000, "min_grant": 200_000,
        "cap_share": 0.01, "areas": areas,
        "weights": [{"factor": "households", "weight": 60, **weight},
                    {"factor": "fiscal_capacity", "weight": 40, **weight}],
    }  # fmt: skip
    return yaml.safe_dump(doc, allow_unicode=True).encode()


def test_transfers_page_runs_a_large_pot_with_progress():
    from streamlit.testing.v1 import AppTest

    from app_pages._progress import LARGE_POT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.switch_page("app_pages/transfers.py").run()
    assert not at.status  # the bundled pots are small: no status box
    at.file_uploader(key="tr_up").set_value(("big.yaml", _big_pot(LARGE_POT), "text/yaml")).run()
    assert not at.exception and not at.error
    assert [s.label for s in at.status] == ["完成"]
    bar = at.get("progress")[0].proto
    assert bar.value == 100 and "分配到各地区" in bar.text


@pytest.mark.parametrize(
    ("page", "words"),
    [("app_pages/ppp.py", "蒙特卡洛模拟"), ("app_pages/city.py", "汇总全市结果")],
)
def test_monte_carlo_and_city_pages_show_progress(page, words):
    """The PPP page's Monte Carlo and the city portfolio run under st.status/st.progress."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.switch_page(page).run()
    assert not at.exception and not at.error
    assert "完成" in [s.label for s in at.status]
    texts = [p.proto.text for p in at.get("progress")]
    assert any(words in x and "100%" in x for x in texts), texts
    at.run()  # a rerun shows the kept result at once: no second run, no status box
    assert not at.exception and not at.status


def test_ppp_cli_reports_the_monte_carlo_and_honours_a_cancel(monkeypatch):
    import contextlib

    from costshare.cli import bar

    recs: list[Recorder] = []

    def fake(stop):
        @contextlib.contextmanager
        def cm(stream=None, *, show=None):
            recs.append(Recorder(stop_after=stop))
            yield recs[-1].progress()

        return cm

    args = [
        "ppp",
        str(ROOT / "scenarios/ppp/ppp_example.yaml"),
        "--mc",
        "12000",
        "--format",
        "json",
    ]
    monkeypatch.setattr(bar, "command_progress", fake(None))
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert '"draws": 12000' in res.stdout
    assert recs[-1].whats()[-1] == "mc.draws" and recs[-1].steps[-1][0] == SCALE
    recs[-1].assert_monotone()
    monkeypatch.setattr(bar, "command_progress", fake(2))
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 130 and res.stdout == ""


def test_sweep_command_bar_on_a_terminal_and_cancel(monkeypatch):
    """``costshare sweep``: a bar on the terminal, none when piped, the same JSON on stdout;
    a cancel through the protocol stops it between chunks (exit 130)."""
    import contextlib

    from costshare.cli import bar

    env = {**os.environ, "COSTSHARE_LANG": "en", "TERM": "xterm", "COLUMNS": "120"}
    args = ["sweep", "--communities", "6000", "--households", "600000", "--chunk", "500",
            "--on", "2024-06-01"]  # fmt: skip
    code, out_tty, term = _run_on_pty(args, env)
    assert code == 0 and b"Sweeping the nation chunk by chunk" in term
    piped = subprocess.run(
        [sys.executable, "-m", "costshare", *args], capture_output=True, cwd=ROOT, env=env,
        timeout=300,
    )  # fmt: skip
    assert piped.returncode == 0 and piped.stderr == b"" and piped.stdout == out_tty
    assert b'"households": 600000' in piped.stdout

    rec = Recorder(stop_after=4)

    @contextlib.contextmanager
    def cancelling(stream=None, *, show=None):
        yield rec.progress()

    monkeypatch.setattr(bar, "command_progress", cancelling)
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 130 and res.stdout == ""
    assert rec.steps == [(k, 6000, "sweep.chunks") for k in (0, 500, 1000, 1500)]


def test_quick_work_leaves_no_box(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from app_pages import _progress

    monkeypatch.setattr(_progress, "SHOW_DONE_S", 60.0)
    at = AppTest.from_function(_page_with_cancel_at, args=(None,), default_timeout=60).run()
    assert not at.exception and not at.status
    assert at.markdown[-1].value == "result: made"
