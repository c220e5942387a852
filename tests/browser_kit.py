"""What every real-browser test shares: the app server, Chromium, a page, and small steps.

``streamlit run app.py`` on a free localhost port and Debian Chromium via Playwright
(headless, ``--no-sandbox``), each started once per test module. When ``CI`` is set the
tests always run and fail if Chromium or Playwright is missing; they are skipped only on a
developer machine without ``/usr/bin/chromium``. Test modules import what they use:
``from browser_kit import server, browser, page, metric, …`` (fixtures included).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

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


def _require_browser() -> None:
    """Skip only outside CI; in CI a missing browser is a failure."""
    in_ci = bool(os.environ.get("CI"))
    if not CHROMIUM.exists():
        if in_ci:
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
            env={**os.environ, "COSTSHARE_DB": f"sqlite:///{log.parent / 'store.db'}"},
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


@pytest.fixture
def page(browser):
    """A fresh browser context (downloads allowed, Chinese locale, tall viewport)."""
    context = browser.new_context(
        accept_downloads=True, viewport={"width": 1400, "height": 2400}, locale="zh-CN"
    )
    p = context.new_page()
    try:
        yield p
    finally:
        context.close()


def metric(page, label: str) -> str:
    """The value of the first metric whose box shows `label`."""
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    box.wait_for(timeout=60_000)
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def wait_metric(page, label: str, value: str, timeout_ms: int = 60_000) -> None:
    """Wait until metric `label` shows exactly `value` (a rerun replaces the old one)."""
    waited = 0
    while (shown := metric(page, label)) != value:
        if waited >= timeout_ms:
            raise AssertionError(f"{label}: {shown!r}, expected {value!r}")
        page.wait_for_timeout(250)
        waited += 250


def fill(page, label: str, value: str) -> None:
    """Type `value` into the number input labelled `label` and submit it."""
    box = page.get_by_role("spinbutton", name=label, exact=True)
    box.fill(value)
    box.press("Enter")


def download(page, button: str, tmp_path: Path, exact: bool = False) -> Path:
    """Click the download button `button`; the saved file."""
    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("button", name=button, exact=exact).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def shot(page, name: str) -> None:
    """A full-page screenshot to ``artifacts/browser_<name>.png`` (kept by CI)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"browser_{name}.png"), full_page=True)
