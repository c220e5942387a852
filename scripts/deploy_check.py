"""`make deploy-check`: the deployment run as separate processes on 127.0.0.1, then checked.

1. PostgreSQL 15 (a throwaway cluster, TCP on 127.0.0.1, password login) with the two
   documented roles: ``costshare_owner`` (owns the schema, runs ``store upgrade``) and
   ``costshare_app`` (SELECT/INSERT only, ``costshare store grants``).
2. ``costshare store upgrade`` as the owner — the only step that migrates.
3. The app: ``streamlit run app.py`` with the production config (``.streamlit/config.toml``),
   the app role's URL, ``deploy/access.example.yaml`` and proxy-header login.
4. The API (``costshare api``) as its own process on 127.0.0.1 with the app role's URL and
   token login (the access file's ``api: {auth: token}``): ``/healthz`` must answer 200
   (it checks the store too). ``$COSTSHARE_API_CMD`` and ``$COSTSHARE_API_HEALTH``
   override the command and the health URL.
5. Smoke: health; the CLI refusing an unknown user and printing no password; a real browser signed in through the proxy header: ``bob`` saves (the store
   records him as author, the audit log has the entry), ``carol`` (viewer) is refused.
6. The API with a token: ``costshare store token bob`` (as the admin dora) issues one;
   no token or a wrong one is 401, bob's saves a version authored by bob, carol's
   (viewer) save is 403, and the token is in neither the tokens file nor the audit log.
7. The permission matrices (``tests/test_store_access.py``, ``tests/test_api_access.py``)
   on SQLite and PostgreSQL.

Exit 0 when everything holds. Every process started here is stopped at the end.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # check this tree's costshare, whatever else is installed
ACCESS = ROOT / "deploy" / "access.example.yaml"
CHROMIUM = Path("/usr/bin/chromium")


def step(msg: str) -> None:
    print(f"deploy-check: {msg}", flush=True)


def need(ok: bool, msg: str) -> None:
    if not ok:
        sys.exit(f"deploy-check: FAILED: {msg}")


def app_password(env: dict[str, str]) -> str:
    from costshare.store.urls import secrets as url_secrets

    return url_secrets(env["COSTSHARE_DB"])[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bindir() -> Path:
    for d in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (d / "initdb").exists():
            return d
    sys.exit("deploy-check: PostgreSQL server binaries not found (apt-get install postgresql)")


def wait_http(url: str, proc: subprocess.Popen, what: str, timeout: float = 90) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            sys.exit(f"deploy-check: {what} exited with code {proc.returncode}")
        with suppress(OSError), urllib.request.urlopen(url, timeout=2) as r:
            if r.status == 200:
                return
        time.sleep(0.5)
    sys.exit(f"deploy-check: {what} not healthy at {url} after {timeout:.0f} s")


def postgres(stack: ExitStack, tmp: Path) -> tuple[str, str, str]:
    """Start the cluster; return (superuser, owner, app) URLs of database costshare."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(tmp, nobody.pw_uid, nobody.pw_gid)
        prefix = ["runuser", "-u", "nobody", "--"]
    b, port, data = bindir(), free_port(), tmp / "data"
    pw = {"owner": secrets.token_urlsafe(12), "app": secrets.token_urlsafe(12) + "@/x"}
    (tmp / "pw").write_text("super\n")
    os.chmod(tmp / "pw", 0o644)
    subprocess.run(
        [
            *prefix,
            str(b / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--pwfile",
            str(tmp / "pw"),
            "-A",
            "scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        cwd=tmp,
    )
    opts = f"-F -k {tmp} -p {port} -c listen_addresses=127.0.0.1"
    subprocess.run(
        [
            *prefix,
            str(b / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(tmp / "log"),
            "-o",
            opts,
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
        cwd=tmp,
    )
    stack.callback(
        subprocess.run,
        [*prefix, str(b / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
        capture_output=True,
        cwd=tmp,
    )
    import psycopg

    with psycopg.connect(
        host="127.0.0.1",
        port=port,
        user="postgres",
        password="super",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f"CREATE ROLE costshare_owner LOGIN PASSWORD '{pw['owner']}'")
        conn.execute(f"CREATE ROLE costshare_app LOGIN PASSWORD '{pw['app']}'")
        conn.execute("CREATE DATABASE costshare OWNER costshare_owner")
    with psycopg.connect(
        host="127.0.0.1",
        port=port,
        user="postgres",
        password="super",
        dbname="costshare",
        autocommit=True,
    ) as conn:
        conn.execute("ALTER SCHEMA public OWNER TO costshare_owner")
    from urllib.parse import quote

    def url(user: str, password: str) -> str:
        return f"postgresql+psycopg://{user}:{quote(password, safe='')}@127.0.0.1:{port}/costshare"

    step(f"PostgreSQL on 127.0.0.1:{port} (roles costshare_owner, costshare_app)")
    return (
        url("postgres", "super"),
        url("costshare_owner", pw["owner"]),
        url("costshare_app", pw["app"]),
    )


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "costshare", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def main() -> int:
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("COSTSHARE_")}
    with tempfile.TemporaryDirectory(prefix="costshare-deploy-") as t, ExitStack() as stack:
        tmp = Path(t)
        (tmp / "pg").mkdir()
        os.chmod(tmp, 0o755)  # the cluster runs as nobody when we are root
        _, owner, app_url = postgres(stack, tmp / "pg")
        # 2. migrate as the owner, grant the app role; the app role cannot migrate
        env_owner = {**base_env, "COSTSHARE_DB": owner}
        done = cli("store", "upgrade", env=env_owner)
        need(done.returncode == 0, f"store upgrade failed: {done.stderr}")
        step(done.stdout.strip())  # the URL is shown redacted by the CLI
        done = cli("store", "grants", "costshare_app", "--apply", env=env_owner)
        need(done.returncode == 0, f"store grants failed: {done.stderr}")
        step(done.stdout.strip())
        access = tmp / "access.yaml"  # its api-tokens.yaml is written beside it
        access.write_bytes(ACCESS.read_bytes())
        app_env = {
            **base_env,
            "COSTSHARE_DB": app_url,
            "COSTSHARE_ACCESS": str(access),
            "COSTSHARE_TOKEN_PEPPER": secrets.token_urlsafe(24),
            "STREAMLIT_SERVER_TRUSTED_USER_HEADERS": json.dumps(
                {"X-Remote-User": "costshare_user"}
            ),
        }
        # 3. the app, production config, its own process
        port = free_port()
        log = open(tmp / "app.log", "w")  # noqa: SIM115 - closed by the stack
        stack.callback(log.close)
        app = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", f"--server.port={port}"],
            cwd=ROOT,
            env=app_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        stack.callback(lambda: (app.terminate(), app.wait(20)))
        wait_http(f"http://127.0.0.1:{port}/_stcore/health", app, "the app")
        step(f"app healthy on 127.0.0.1:{port} (pid {app.pid})")
        # 4. the API, its own process beside the app
        api_port = free_port()
        api_cmd = os.environ.get("COSTSHARE_API_CMD") or (
            f"{sys.executable} -m costshare api --host 127.0.0.1 --port {api_port}"
        )
        # a shell command: its own process group, so stopping it stops the server too
        api = subprocess.Popen(api_cmd, shell=True, cwd=ROOT, env=app_env, start_new_session=True)
        stack.callback(lambda: (os.killpg(api.pid, signal.SIGTERM), api.wait(20)))
        health = os.environ.get("COSTSHARE_API_HEALTH", f"http://127.0.0.1:{api_port}/healthz")
        wait_http(health, api, "the API")
        step(f"API healthy ({health}, store checked)")
        # 5. smoke
        smoke(port, app_env, owner, tmp)
        # 6. the API, signed in with a token
        api_check(health.removesuffix("/healthz"), app_env, owner, access)
        # 7. the permission matrices
        matrix = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "tests/test_store_access.py",
                "tests/test_api_access.py",
                "-q",
                "-p",
                "no:cacheprovider",
            ],
            cwd=ROOT,
            env={**base_env, "CI": os.environ.get("CI", "1")},
            timeout=900,
        )
        if matrix.returncode != 0:
            return matrix.returncode
        step(
            "permission matrix passed; app log: " + str((tmp / "app.log").stat().st_size) + " bytes"
        )
    step("OK")
    return 0


def smoke(port: int, env: dict[str, str], owner: str, tmp: Path) -> None:
    from costshare.store import Store, history, log

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/host-config", timeout=5) as r:
        step(f"host-config answered {r.status}")
    denied = cli("store", "list", env={**env, "COSTSHARE_USER": "mallory"})
    said = denied.stderr + denied.stdout
    need(denied.returncode == 1 and "not in the access file" in said, f"unknown user: {said}")
    listed = cli("store", "list", env={**env, "COSTSHARE_USER": "carol"})
    need(listed.returncode == 0, f"store list as carol (app role) failed: {listed.stderr}")
    need(app_password(env) not in said + listed.stdout, "the app role's password was printed")
    step("CLI: unknown user refused, viewer lists, no password printed")
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            sys.exit("deploy-check: CI is set but /usr/bin/chromium is missing")
        step("browser smoke skipped: /usr/bin/chromium missing")
        return
    from playwright.sync_api import sync_playwright

    url = f"http://127.0.0.1:{port}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for user, expect in (("bob", "已保存为第 1 版"), ("carol", "may not save")):
                ctx = browser.new_context(
                    extra_http_headers={"X-Remote-User": user},
                    viewport={"width": 1400, "height": 1000},
                )
                page = ctx.new_page()
                page.goto(url, wait_until="networkidle", timeout=90_000)
                page.get_by_text("保存与版本记录").first.click(timeout=90_000)
                page.get_by_text(f"保存人：{user}").first.wait_for(timeout=60_000)
                page.get_by_role("button", name="保存为新版本").first.click()
                page.get_by_text(expect).first.wait_for(timeout=60_000)
                step(f"browser as {user}: {expect!r} shown")
                ctx.close()
        finally:
            browser.close()
    with Store(owner, access=False) as st:
        (v,) = history(st, "fujian_default")
        entries = [(e.actor, e.action, e.outcome) for e in log(st)]
    need(v.author == "bob", f"author {v.author}")
    need(entries == [("bob", "save", "ok"), ("carol", "save", "denied")], f"log {entries}")
    step("store: version 1 by bob; audit log: bob save ok, carol save denied")


def api_check(api: str, env: dict[str, str], owner: str, access: Path) -> None:
    """The API as its callers meet it: a token issued by the admin, 401 without it."""
    from costshare.store import Store, log

    issued = cli("store", "token", "bob", env={**env, "COSTSHARE_USER": "dora"})
    need(issued.returncode == 0, f"store token bob (as dora) failed: {issued.stderr}")
    token = issued.stdout.strip().splitlines()[-1]
    refused = cli("store", "token", "alice", env={**env, "COSTSHARE_USER": "carol"})
    need(refused.returncode == 1, "carol (viewer) issued a token")

    def call(method: str, path: str, token: str | None, body: dict | None = None) -> tuple:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(api + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token is not None:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    docs = "/v1/store/documents"
    for bad in (None, "cs1_0000000000000000_" + "x" * 43, token[:-1]):
        status, _ = call("GET", docs, bad)
        need(status == 401, f"GET {docs} with a missing or wrong token answered {status}")
    body = {"kind": "community", "content": "a: 1\n", "base": 0, "comment": "by API"}
    status, saved = call("POST", f"{docs}/api_check/versions", token, body)
    need(status == 201, f"bob's save through the API answered {status}: {saved}")
    need(saved["version"]["author"] == "bob", f"author {saved['version']['author']}")
    status, job = call("POST", "/v1/community", token, {"scenario": "fujian_default"})
    need(status == 200 and job["record"]["results"]["gap_fen"] > 0, f"/v1/community: {status}")
    carol = cli("store", "token", "carol", env={**env, "COSTSHARE_USER": "dora"})
    need(carol.returncode == 0, f"store token carol failed: {carol.stderr}")
    status, _ = call("POST", f"{docs}/api_check/versions", carol.stdout.split()[-1], body)
    need(status == 403, f"carol's save through the API answered {status}")
    tokens = access.with_name("api-tokens.yaml").read_text(encoding="utf-8")
    with Store(owner, access=False) as st:
        entries = [e for e in log(st) if e.action == "token" or e.document == "api_check"]
    need(token not in tokens and token.split("_")[-1] not in tokens, "token in the tokens file")
    need(all(token.split("_")[-1] not in e.detail for e in entries), "token in the audit log")
    got = [(e.actor, e.action, e.outcome) for e in entries]
    want = [("dora", "token", "ok"), ("carol", "token", "denied"), ("bob", "save", "ok")]
    need(got[:3] == want and got[-1] == ("carol", "save", "denied"), f"log {got}")
    step("API: token issued by dora; 401 without it; bob saved (author bob); carol 403; logged")


if __name__ == "__main__":
    sys.exit(main())
