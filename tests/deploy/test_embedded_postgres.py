"""`PG_EMBEDDED=1 make demo` on a fresh clone: dbprep starts pgserver's PostgreSQL where no .data exists."""

import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import ROOT, fresh_env, python
from tests.services import free_port


@pytest.fixture
def fresh_clone_data_dir():
    # Short, because PostgreSQL's socket lives in it (a unix socket path has at most 107 bytes).
    root = Path(tempfile.mkdtemp(prefix="gj-pg-"))
    data_dir = root / "clone" / ".data"
    yield data_dir
    if (data_dir / "pg" / "PG_VERSION").exists():
        import pgserver

        pgserver.get_server(data_dir / "pg", cleanup_mode="delete").cleanup()
    shutil.rmtree(root, ignore_errors=True)


@pytest.mark.filterwarnings("ignore:XDG_RUNTIME_DIR is not set")
def test_the_embedded_postgresql_starts_in_a_fresh_clone_migrates_and_serves_the_home_page(fresh_clone_data_dir):
    env = {"PG_EMBEDDED": "1", "REDIS_URL": "", "DATABASE_URL": ""}
    assert not fresh_clone_data_dir.parent.exists()

    prepared = python("-m", "tools.dbprep", "--data-dir", str(fresh_clone_data_dir), **env)
    assert prepared.returncode == 0, prepared.stderr
    assert "Using database: PostgreSQL database 'greenjobs' on embedded server" in prepared.stdout
    env["DATABASE_URL"] = (fresh_clone_data_dir / "database_url").read_text().strip()
    assert str(fresh_clone_data_dir / "pg") in env["DATABASE_URL"]

    migrated = python("manage.py", "migrate", "--noinput", "-v0", **env)
    assert migrated.returncode == 0, migrated.stderr

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "greenjobs.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=fresh_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        html = fetch_when_up(f"http://127.0.0.1:{port}/", server)
    finally:
        server.terminate()
        server.wait(30)
    assert "Green Jobs" in html


def fetch_when_up(url: str, server: subprocess.Popen, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, f"gunicorn exited with status {server.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read().decode()
        except urllib.error.HTTPError:
            raise
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{url} does not answer after {timeout:.0f} s")
