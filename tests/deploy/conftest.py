"""The production arrangement, for real: deploy/serve.py runs Debian's nginx in front of gunicorn
against pytest-django's test database, with DEBUG off and collected static files."""

import importlib.util
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import ROOT
from tests.services import database_url_for_tests, free_port

SERVE = ROOT / "deploy" / "serve.py"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/deploy/" in str(item.fspath):
            item.add_marker(pytest.mark.deploy)


def load_serve():
    """deploy/serve.py as a module (deploy/ is not a package: operators copy its files)."""
    spec = importlib.util.spec_from_file_location("deploy_serve", SERVE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def wait_until_serving(site: "Site", timeout: float = 60) -> None:
    """Wait for deploy/serve.py's "Serving http://..." line, printed once nginx listens."""
    deadline = time.monotonic() + timeout
    while f"Serving {site.url}/" not in site.output():
        if site.process.poll() is not None:
            pytest.fail(f"deploy/serve.py exited with status {site.process.returncode}:\n{site.output()}")
        if time.monotonic() > deadline:
            pytest.fail(f"deploy/serve.py does not serve {site.url} after {timeout:.0f} s:\n{site.output()}")
        time.sleep(0.1)


@pytest.fixture(scope="session")
def nginx_binary():
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if not found:
        pytest.skip("nginx is not installed and could not be (`make nginx` installs Debian's package)")
    return found


@dataclass
class Site:
    """A running deploy/serve.py: nginx on ``port``, gunicorn behind it."""

    port: int
    run_dir: Path
    static_root: Path
    media_root: Path
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        """What deploy/serve.py and the servers printed."""
        return (self.run_dir / "serve.out").read_text()

    def gunicorn_log(self) -> str:
        return (self.run_dir / "gunicorn.access.log").read_text()

    def nginx_log(self) -> str:
        return (self.run_dir / "greenjobs.access.log").read_text()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(45)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


@pytest.fixture(scope="session")
def production_env(django_db_setup, collected_static, tmp_path_factory):
    """The environment of `make serve`, on the test database, with static files collected once."""
    root = tmp_path_factory.mktemp("production")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO"))}
    env.update(
        DJANGO_SETTINGS_MODULE="greenjobs.settings",
        DATABASE_URL=database_url_for_tests(),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        STATIC_ROOT=str(collected_static),
        MEDIA_ROOT=str(root / "media"),
        REDIS_URL="",
        PAGE_CACHE_SECONDS="0",
    )
    return env


def start_site(env: dict[str, str], run_dir: Path, *args: str) -> Site:
    port = free_port()
    env = {**env, "SITE_URL": f"http://127.0.0.1:{port}"}
    command = [sys.executable, str(SERVE), "--port", str(port), "--run-dir", str(run_dir), "--workers", "1", *args]
    run_dir.mkdir(parents=True, exist_ok=True)
    with (run_dir / "serve.out").open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    site = Site(port, run_dir, Path(env["STATIC_ROOT"]), Path(env["MEDIA_ROOT"]), process)
    wait_until_serving(site)
    return site


@pytest.fixture(scope="module")
def production_site(nginx_binary, production_env, tmp_path_factory):
    site = start_site(production_env, tmp_path_factory.mktemp("run"), "--no-mailer")
    yield site
    site.stop()


@pytest.fixture
def start_production_site(nginx_binary, production_env, tmp_path):
    """Start one more site (for tests that stop it); whatever is left running is stopped after."""
    sites = []

    def start(*args: str) -> Site:
        sites.append(start_site(production_env, tmp_path / f"run{len(sites)}", *args))
        return sites[-1]

    yield start
    for site in sites:
        site.stop()


def stylesheet_path(html: str) -> str:
    return re.search(r'<link rel="stylesheet" href="(/static/css/site\.[0-9a-f]{12}\.css)"', html).group(1)
