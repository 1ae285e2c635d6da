"""When PostgreSQL is away or frozen: a styled 503 with Retry-After within seconds, and back by itself.

The in-process tests check the page and the log; ``test_gunicorn_rides_out_a_frozen_and_a_stopped_database``
starts a private PostgreSQL cluster and gunicorn, then freezes (SIGSTOP) and stops the cluster.
"""

import contextlib
import http.client
import importlib.util
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2
import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path
from mailer.models import Message

import greenjobs.urls
from greenjobs.core import dbguard
from tests.cases.conftest import form_data
from tests.helpers import ROOT, settings_of
from tests.services import free_port, wait_for

SECRET_KEY = "k" * 20 + "Zr8vQ2pL5xW9mN3bT6yH1cF4jD7gS0aE" * 2
FAST = 5  # seconds: the longest a visitor may wait for the 503 page, or for the site to be back


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [path("gone/", database_gone), *greenjobs.urls.urlpatterns]
handler500 = greenjobs.urls.handler500


class DatabaseGoneMiddleware:
    """Fails before any view runs, as the page cache does when it cannot read the content version."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/gone-early/":
            raise OperationalError("could not connect to server: Connection refused")
        return self.get_response(request)


@pytest.fixture
def reported(settings):
    settings.ADMINS = [("", "admin@greenjobs.example")]
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    dbguard._reporter.next_at = 0.0
    return settings


def assert_503_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "The site is temporarily unavailable" in html
    assert 'class="site-header"' in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_view_that_loses_the_database_answers_503_logs_one_line_and_mails_nobody(reported, console):
    visitor = Client(raise_request_exception=False)

    first, second = visitor.get("/gone/"), visitor.get("/gone/")

    assert_503_page(first)
    assert_503_page(second)
    log = console.getvalue()
    assert log.count("Database unavailable") == 1
    assert "[GET /gone/ 503]" in log
    assert "Traceback" not in log
    assert not Message.objects.exists()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_middleware_that_loses_the_database_answers_503_too(reported, console):
    reported.MIDDLEWARE = [*reported.MIDDLEWARE, f"{__name__}.DatabaseGoneMiddleware"]
    visitor = Client(raise_request_exception=False)

    assert_503_page(visitor.get("/gone-early/"))
    assert "Traceback" not in console.getvalue()
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_healthz_answers_503_without_a_traceback_per_probe(reported, console, monkeypatch):
    class Gone:
        def cursor(self):
            raise OperationalError("the database did not answer within 2 s")

    monkeypatch.setattr("greenjobs.core.views.connection", Gone())
    probes = [Client().get("/healthz") for _ in range(3)]

    assert [(p.status_code, p["Retry-After"], p.content) for p in probes] == [(503, "30", b"database unavailable")] * 3
    log = console.getvalue()
    assert log.count("Database unavailable") == 1 and "Traceback" not in log
    assert not Message.objects.exists()


def test_database_timeouts_leave_commands_unlimited_and_bound_web_processes():
    names = ("DATABASES", "DB_WEB_TIMEOUT", "DB_CONNECT_TIMEOUT")
    default = settings_of(*names)
    assert default["DATABASES"]["default"]["OPTIONS"] == {"connect_timeout": 2}  # no statement_timeout
    assert (default["DB_WEB_TIMEOUT"], default["DB_CONNECT_TIMEOUT"]) == (2.0, 2)
    assert default["DATABASES"]["default"]["CONN_MAX_AGE"] == 60
    assert default["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True
    tuned = settings_of(*names, DB_STATEMENT_TIMEOUT="600", DB_CONNECT_TIMEOUT="5", DB_WEB_TIMEOUT="3")
    assert tuned["DATABASES"]["default"]["OPTIONS"] == {"connect_timeout": 5, "options": "-c statement_timeout=600000"}
    assert tuned["DB_WEB_TIMEOUT"] == 3.0


# --- A real outage: private cluster, gunicorn, SIGSTOP and pg_ctl stop ---------------------------


def postgres_bin() -> Path | None:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    pgserver = importlib.util.find_spec("pgserver")  # its binaries, without importing it
    if pgserver and pgserver.origin:
        candidates.append(Path(pgserver.origin).parent / "pginstall" / "bin")
    return next((c for c in candidates if (c / "initdb").exists() and (c / "pg_ctl").exists()), None)


class Cluster:
    """A throw-away PostgreSQL cluster on a free port, run by a non-root user when we are root."""

    def __init__(self, bin_dir: Path, user: str | None):
        self.bin, self.user = bin_dir, user
        self.dir = Path(tempfile.mkdtemp(prefix="greenjobs-outage-"))
        self.data = self.dir / "data"
        self.port = free_port()
        if user:
            entry = pwd.getpwnam(user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)

    def run(self, *args: str) -> None:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        subprocess.run([*prefix, *args], check=True, capture_output=True, cwd=self.dir, timeout=60)

    def init(self) -> None:
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "utf8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.dir / "log")
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self) -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def pids(self) -> list[int]:
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == postmaster:
                children.append(int(stat.parent.name))
        return [postmaster, *children]

    def signal(self, signum: int) -> None:
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.signal(signal.SIGCONT)
            try:
                self.stop()
            except subprocess.SubprocessError:
                self.signal(signal.SIGKILL)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster():
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    user = None
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres").pw_name
        except KeyError:
            pytest.skip("running as root and no 'postgres' user to run a private cluster")
    cluster = Cluster(bin_dir, user)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


def get(port: int, path: str, timeout: float = 20) -> tuple[int, dict, str, float]:
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read().decode(errors="replace")
        return response.status, dict(response.getheaders()), body, time.monotonic() - started
    finally:
        conn.close()


def open_form(port: int) -> dict:
    """GET the story form as a browser does: its CSRF cookie and token, and its one-time key."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request("GET", "/cases/submit/")
    response = conn.getresponse()
    html = response.read().decode()
    conn.close()
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    hidden = dict(re.findall(r'name="(csrfmiddlewaretoken|submission_key)" value="([^"]+)"', html))
    return {"cookie": cookie, **hidden}


def post_story(port: int, form: dict, title: str) -> tuple[int, float]:
    fields = form_data(title=title, contributor_email="outage@example.org")
    fields.update({k: v for k, v in form.items() if k != "cookie"})
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in fields.items():
        if hasattr(value, "read"):
            value.seek(0)
            head = f'name="{name}"; filename="{value.name}"\r\nContent-Type: {value.content_type}'
            content = value.read()
        else:
            head, content = f'name="{name}"', str(value).encode()
        body += f"--{boundary}\r\nContent-Disposition: form-data; {head}\r\n\r\n".encode() + content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    headers = {"Cookie": form["cookie"], "Content-Type": f"multipart/form-data; boundary={boundary}"}
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request("POST", "/cases/submit/", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        conn.close()


def stories(cluster, title: str) -> int:
    conn = psycopg2.connect(cluster.url("greenjobs_outage"), connect_timeout=5)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM cases_casestory WHERE title = %s", [title])
            return cursor.fetchone()[0]
    finally:
        conn.close()


def burst(port: int, paths: list[str]) -> list[tuple[int, dict, str, float]]:
    """Requests at once, so that every gunicorn worker takes some."""
    with ThreadPoolExecutor(len(paths)) as pool:
        return list(pool.map(lambda p: get(port, p), paths))


@pytest.mark.deploy
def test_gunicorn_rides_out_a_frozen_and_a_stopped_database(cluster, collected_static, tmp_path):
    conn = psycopg2.connect(cluster.url("postgres"), connect_timeout=5)
    conn.autocommit = True
    conn.cursor().execute("CREATE DATABASE greenjobs_outage")
    conn.close()
    unset = {"REDIS_URL", "PAGE_CACHE_REDIS_URL", "DJANGO_SETTINGS_MODULE", "EMAIL_HOST", "MEDIA_STORAGE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    port = free_port()
    env.update(
        DATABASE_URL=cluster.url("greenjobs_outage"),
        DEBUG="0",
        SECRET_KEY=SECRET_KEY,
        SITE_URL=f"http://127.0.0.1:{port}",
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(collected_static),
        MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_SETTINGS_MODULE="greenjobs.settings",
        PYTHONUNBUFFERED="1",
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=120)
    log_path = tmp_path / "gunicorn.log"
    gunicorn = [sys.executable, "-m", "gunicorn", "greenjobs.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3"]
    with open(log_path, "w") as log:
        server = subprocess.Popen(gunicorn, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: get(port, "/healthz")[0] == 200, "gunicorn", log=log_path)
        pages = ["/", "/cases/", "/healthz"]
        assert [r[0] for r in burst(port, pages * 3)] == [200] * 9  # every worker holds a connection now
        assert post_story(port, open_form(port), "Sent before the outage")[0] == 302
        form = open_form(port)

        # Frozen: the kernel still accepts connections, the server never answers.
        cluster.signal(signal.SIGSTOP)
        try:
            for page in pages * 2:
                status, headers, body, seconds = get(port, page)
                assert (page, status) == (page, 503)
                assert seconds < FAST, (page, seconds)
                assert headers.get("Retry-After") == "30"
                assert "no-store" in headers.get("Cache-Control", "")
                if page != "/healthz":
                    assert "The site is temporarily unavailable" in body
            status, seconds = post_story(port, form, "Sent during the freeze")
            assert status == 503 and seconds < FAST
        finally:
            cluster.signal(signal.SIGCONT)
        thawed = time.monotonic()
        back = burst(port, pages * 3) + burst(port, pages * 3)
        assert [r[0] for r in back] == [200] * 18
        assert time.monotonic() - thawed < FAST
        # Its sender saw the 503 page: not saved. Sent again (the same form), it is saved once.
        assert stories(cluster, "Sent during the freeze") == 0
        assert [post_story(port, form, "Sent during the freeze")[0] for _ in range(2)] == [302, 302]
        assert stories(cluster, "Sent during the freeze") == 1

        # Stopped: connections are refused at once.
        cluster.stop()
        down = burst(port, pages * 3) + [get(port, page) for page in pages * 3]
        assert [r[0] for r in down] == [503] * 18
        assert max(r[3] for r in down) < FAST

        cluster.start()
        started = time.monotonic()
        back = burst(port, pages * 3) + burst(port, pages * 3)
        assert [r[0] for r in back] == [200] * 18
        assert time.monotonic() - started < FAST
        assert stories(cluster, "Sent before the outage") == 1  # its sender saw the thanks page
    finally:
        server.terminate()
        server.wait(timeout=20)

    log = log_path.read_text()
    assert "WORKER TIMEOUT" not in log  # no worker was killed for hanging
    assert "Traceback" not in log
    reports = [line for line in log.splitlines() if "Database unavailable" in line]
    # 30 visitors got a 503; each worker says so at most once every few seconds.
    assert 1 <= len(reports) <= 12, reports
