"""The City page in a real browser: ``streamlit run app.py`` driven by Debian Chromium.

Opens ``/city`` on the bundled portfolio (which has district funding, the case that used
to show "chart unavailable"), checks that the stacked district chart is drawn with one
tick per district and no warning, error or exception, downloads the portfolio CSV and
reads it back, and saves a screenshot to ``artifacts/browser_city.png``.

Same pattern as ``tests/test_browser.py``: when ``CI`` is set this test always runs and
fails if Chromium or Playwright is missing; it is skipped only on a developer machine
without ``/usr/bin/chromium``.
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from costshare.community.portfolio import Portfolio

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FUJIAN_CITY = ROOT / "portfolios" / "fujian_city_example.yaml"

pytestmark = pytest.mark.browser


def _require_browser() -> None:
    """Skip only outside CI; in CI a missing browser is a failure."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {CHROMIUM} is missing (install Debian's chromium)")
        pytest.skip(f"{CHROMIUM} is missing and CI is not set")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            msg = f"streamlit exited with code {proc.returncode}"
            raise RuntimeError(msg)
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r,
        ):
            if r.status == 200:
                return
        time.sleep(0.3)
    msg = f"streamlit did not become healthy at {url} within {timeout:.0f} s"
    raise TimeoutError(msg)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A headless ``streamlit run app.py`` on a free localhost port, always terminated."""
    _require_browser()
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.headless=true",
                "--server.address=127.0.0.1",
                f"--server.port={port}",
                "--server.fileWatcherType=none",
                "--browser.gatherUsageStats=false",
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            try:
                _wait_healthy(url, proc)
            except (RuntimeError, TimeoutError) as exc:
                pytest.fail(f"{exc}\n{log.read_text(errors='replace')[-3000:]}")
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    if os.environ.get("CI"):
        from playwright.sync_api import sync_playwright
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
        sync_playwright = sync_api.sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class TestCityPageInBrowser:
    def test_district_chart_renders_and_csv_downloads(self, server, browser, tmp_path):
        """The district chart is drawn (three district ticks, stacked bars), nothing fails."""
        expected = Portfolio.from_file(FUJIAN_CITY).run()
        districts = sorted(set(expected.communities["district"]))
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1400, "height": 1800}, locale="zh-CN"
        )
        page = context.new_page()
        try:
            page.goto(f"{server}/city", wait_until="domcontentloaded")
            page.locator('[data-testid="stMetric"]').nth(5).wait_for(timeout=60_000)
            chart = page.locator('[data-testid="stPlotlyChart"]').first
            chart.wait_for(timeout=60_000)
            chart.locator(".xtick text").first.wait_for(timeout=30_000)
            ticks = [t.strip() for t in chart.locator(".xtick text").all_text_contents()]
            assert ticks == districts
            assert chart.locator(".barlayer .trace").count() >= 2  # stacked funding lines
            assert "资金来源构成" in (chart.locator(".gtitle").text_content() or "")
            body = page.locator("body").inner_text()
            assert "暂不可用" not in body and "unavailable" not in body
            for testid in ("stException", "stAlertContentWarning", "stAlertContentError"):
                assert page.locator(f'[data-testid="{testid}"]').count() == 0, testid

            ARTIFACTS.mkdir(exist_ok=True)
            page.set_viewport_size({"width": 1400, "height": 2600})
            page.wait_for_timeout(1500)
            page.screenshot(path=str(ARTIFACTS / "browser_city.png"), full_page=True)

            button = page.locator('[data-testid="stDownloadButton"] button').nth(1)
            with page.expect_download(timeout=30_000) as info:
                button.click()
            target = tmp_path / info.value.suggested_filename
            info.value.save_as(target)
            assert target.suffix == ".csv" and target.read_bytes().startswith(b"\xef\xbb\xbf")
            back = pd.read_csv(io.BytesIO(target.read_bytes()), encoding="utf-8-sig")
            assert back["id"].tolist() == expected.communities["id"].tolist()
        finally:
            context.close()
