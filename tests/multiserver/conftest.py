"""Real shared services for the several-servers tests: Redis, two gunicorn servers, an S3 endpoint.

Redis is the machine's on 127.0.0.1:6379 (database 7), or a redis-server this session starts on a
free port; every key is under a prefix of its own, deleted at the end (nothing is flushed).
"""

import os
import re
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.helpers import ROOT
from tests.services import database_url_for_tests, free_port, wait_for

HOST = "greenjobs.test"


def pytest_configure(config):
    config.addinivalue_line("markers", "multiserver: starts real app servers, Redis or an S3 endpoint")


@dataclass
class Server:
    """One gunicorn app server; requests carry the public Host, as behind a load balancer."""

    name: str
    port: int
    process: subprocess.Popen
    log: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def request(self, method: str, path: str, *, browser: requests.Session | None = None, **kwargs):
        headers = {"Host": HOST, **kwargs.pop("headers", {})}
        client = browser or requests  # no browser: a first-time visitor, without cookies
        return client.request(method, self.url(path), headers=headers, allow_redirects=False, timeout=20, **kwargs)

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.request("POST", path, **kwargs)


def _server_env(redis_url: str, prefix: str, static_root: Path, media_root: Path, secret_key: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PAGE_CACHE_", "AWS_", "MEDIA_", "PYTEST", "DJANGO_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "greenjobs.settings",
            "DATABASE_URL": database_url_for_tests(),
            "DEBUG": "0",
            "SECRET_KEY": secret_key,
            "SITE_URL": f"http://{HOST}",
            "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
            "HTTPS": "0",
            "REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": prefix,
            "PAGE_CACHE_SECONDS": "60",
            "STATIC_ROOT": str(static_root),
            "MEDIA_ROOT": str(media_root),
            "MEDIA_STORAGE": "filesystem",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


@pytest.fixture(scope="module")
def servers(django_db_setup, redis_url, key_prefix, collected_static, tmp_path_factory):
    """Two gunicorn servers on one PostgreSQL database and one Redis, page cache on."""
    run_dir = tmp_path_factory.mktemp("servers")
    env = _server_env(redis_url, key_prefix, collected_static, run_dir / "media", secrets.token_urlsafe(64))
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    started: list[Server] = []
    try:
        for name in ("A", "B"):
            port = free_port()
            log = run_dir / f"server-{name}.log"
            process = subprocess.Popen(
                [gunicorn, "greenjobs.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"],
                cwd=ROOT,
                env=env,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )
            server = Server(name, port, process, log)
            started.append(server)
            wait_for(lambda s=server: s.get("/healthz").status_code == 200, f"server {name}", log=log)
        yield started
    finally:
        for server in started:
            server.process.terminate()
        for server in started:
            try:
                server.process.wait(10)
            except subprocess.TimeoutExpired:
                server.process.kill()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "the page has a CSRF token"
    return match.group(1)
