"""20 concurrent browser sessions against the app as deployed, against one session.

Run: ``python benchmarks/bench_sessions.py [--sessions N] [--quick]`` (or through
``benchmarks/run_all.py``). Not a test: it reports, it does not assert.

The app is started as ``make deploy-check`` starts it: ``streamlit run app.py`` with the
production config (``.streamlit/config.toml``: 127.0.0.1, no file watcher, …), an access
file with proxy-header login (``deploy/access.example.yaml``), a SQLite store. One
Chromium (Playwright) opens 1 and then N (20) contexts at once, each signed in as ``bob``
by the header; each session opens the household page (sample roster, 76 households, the
store panel reading the store on every rerun) and then changes the total to share to a
value of its own, twice. Timed per session:

* **open**: ``goto`` → the page's first result (分摊总额 100,000.00 元) is shown;
* **change**: the new total typed and submitted → the metric shows that total.

Reported: p50/p90 of *change* for 1 session (5 sequential sessions, 10 changes) and for N
concurrent sessions (2N changes), p50/p90 of *open*, and memory per session: the server's
RSS once the N sessions have run minus its RSS after the single-session runs, divided by
N, and the server's CPU seconds for the N sessions. The load average is recorded beside
it. Reading it: the browser runs on the same cores as the server (here 2 cores, shared
with other work), so when the server's CPU seconds are a small part of the wall time, the
N-session figures measure N Chromium renderers competing for the cores, not the server;
run the browser on another machine to measure the server alone.
Heavy objects are shared across sessions: rule files (``functools.cache`` in
``costshare.rules``), the CJK font registration (process-wide), bundled scenarios and
every page computation (``st.cache_data``), the store engine (``st.cache_resource``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import suppress
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import Report, load_average

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
METRIC = "分摊总额"
INPUT = "分摊总额（元）"
TIMEOUT_MS = 300_000
"""A step (open, or one change) not done in 5 minutes ends its session: counted as timed out."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))]


def start_app(tmp: Path) -> tuple[subprocess.Popen, str]:
    """``streamlit run app.py`` with the production config, proxy-header login, SQLite."""
    db = f"sqlite:///{tmp / 'store.db'}"
    access = tmp / "access.yaml"
    shutil.copy(ROOT / "deploy" / "access.example.yaml", access)
    env = {k: v for k, v in os.environ.items() if not k.startswith("COSTSHARE_")}
    env |= {
        "COSTSHARE_DB": db,
        "COSTSHARE_ACCESS": str(access),
        "STREAMLIT_SERVER_TRUSTED_USER_HEADERS": json.dumps({"X-Remote-User": "costshare_user"}),
    }
    from costshare.store import Store

    with Store(db, access=False, migrate=True):
        pass
    port = _free_port()
    log = (tmp / "app.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", f"--server.port={port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    end = time.monotonic() + 120
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited: {(tmp / 'app.log').read_text()[-2000:]}")
        with suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            if r.status == 200:
                return proc, url
        time.sleep(0.5)
    raise TimeoutError("the app did not become healthy in 120 s")


async def _metric(page, value: str, timeout_s: float = TIMEOUT_MS / 1000) -> None:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=METRIC).first
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        with suppress(Exception):
            shown = await box.locator('[data-testid="stMetricValue"]').inner_text(timeout=2000)
            if shown.strip() == value:
                return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"{METRIC} never showed {value}")


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) process `pid` has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def session(browser, url: str, i: int, changes: int) -> tuple[float | None, list[float]]:
    """One user: open the household page, then change the total `changes` times (a step
    not done within the timeout ends the session: None / fewer times)."""
    ctx = await browser.new_context(
        extra_http_headers={"X-Remote-User": "bob"}, viewport={"width": 1400, "height": 2000}
    )
    ctx.set_default_timeout(TIMEOUT_MS)  # 2 shared cores: a busy machine is slow, not broken
    try:
        page = await ctx.new_page()
        t0 = time.perf_counter()
        try:
            await page.goto(f"{url}/household", wait_until="domcontentloaded", timeout=TIMEOUT_MS)
            await _metric(page, "100,000.00 元")
        except Exception as exc:  # a timed-out session is counted, not fatal
            print(f"session {i}: not open after {time.perf_counter() - t0:.0f} s ({exc})")
            return None, []
        opened = time.perf_counter() - t0
        times: list[float] = []
        for k in range(changes):
            yuan = 100_000 + 1_000 * (i + 1) + 17 * (k + 1)
            box = page.get_by_role("spinbutton", name=INPUT, exact=True)
            t0 = time.perf_counter()
            try:
                await box.fill(str(yuan))
                await box.press("Enter")
                await _metric(page, f"{yuan:,}.00 元")
            except Exception as exc:  # counted below
                print(
                    f"session {i}: change {k + 1} not shown after {time.perf_counter() - t0:.0f} s ({exc})"
                )
                break
            times.append(time.perf_counter() - t0)
        return opened, times
    finally:
        await ctx.close()


async def drive(url: str, pid: int, n: int, singles: int) -> dict[str, object]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            await session(browser, url, 999, 1)  # warm-up: imports, first rule reads
            one_open, one = [], []
            for i in range(singles):
                o, ts = await session(browser, url, 900 + i, 2)
                one_open.append(o)
                one += ts
            rss_before, cpu_before = _rss_mib(pid), _cpu_s(pid)
            load_before = load_average()
            t0 = time.perf_counter()
            runs = await asyncio.gather(*(session(browser, url, i, 2) for i in range(n)))
            wall = time.perf_counter() - t0
            rss_after, cpu = _rss_mib(pid), _cpu_s(pid) - cpu_before
        finally:
            await browser.close()
    many_open = [o for o, _ in runs if o is not None]
    many = [t for _, ts in runs for t in ts]
    return {
        "one": one,
        "one_open": one_open,
        "many": many,
        "many_open": many_open,
        "wall": wall,
        "server_cpu": cpu,
        "timed_out": sum(o is None or len(ts) < 2 for o, ts in runs),
        "rss_before": rss_before,
        "rss_after": rss_after,
        "load": f"{load_before} → {load_average()}",
    }


def measure(n: int = 20, singles: int = 5) -> dict[str, object]:
    """Start the app, drive 1 then `n` concurrent sessions, stop the app; the figures."""
    with tempfile.TemporaryDirectory(prefix="costshare-bench-sessions-") as t:
        proc, url = start_app(Path(t))
        try:
            return asyncio.run(drive(url, proc.pid, n, singles))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def run(quick: bool = False, sessions: int = 20) -> list[Report]:
    """The benchmark's rows for BENCHMARKS.md (p50 and p90 of a change, 1 vs N sessions)."""
    if not CHROMIUM.exists():
        print(f"bench_sessions: {CHROMIUM} is missing; nothing measured")
        return []
    n = 3 if quick else sessions
    m = measure(n, 2 if quick else 5)
    one, many = m["one"], m["many"]
    per = (m["rss_after"] - m["rss_before"]) / n
    memory = f"server RSS {m['rss_before']:.0f} → {m['rss_after']:.0f} MiB: {per:+.1f} MiB/session"
    many_open = m["many_open"] or [float("nan")]
    opens = (
        f"open p50/p90: 1 session {statistics.median(m['one_open']):.2f}/"
        f"{_pct(m['one_open'], 0.9):.2f} s, {n} sessions {statistics.median(many_open):.2f}/"
        f"{_pct(many_open, 0.9):.2f} s; {n} sessions done in {m['wall']:.1f} s; "
        f"{m['timed_out']} of {n} sessions timed out (a step > {TIMEOUT_MS // 1000} s); "
        f"server CPU {m['server_cpu']:.1f} s for the {n} sessions"
    )
    reports = []
    for q, label in ((0.5, "p50"), (0.9, "p90")):
        reports.append(
            Report(
                f"household page, change → result, {label}: {n} concurrent sessions vs 1",
                ours_s=_pct(many or [float("nan")], q),
                baseline="1 session",
                baseline_s=_pct(one, q),
                agreement=f"{len(many)} of {2 * n} changes shown ({n} sessions) vs {len(one)}",
                memory=memory,
                notes=[opens, "ratio < 1: slower under load (1 session ÷ N sessions)"],
                load=str(m["load"]),
            )
        )
    return reports


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--quick", action="store_true")
    a = parser.parse_args()
    for rep in run(a.quick, a.sessions):
        rep.show()
