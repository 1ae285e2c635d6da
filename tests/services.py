"""Real services for tests: free ports, waiting for a server, the test database's URL for servers started
here, collected static files, and the machine's Redis or one started here.

Redis is the machine's on 127.0.0.1:6379 (database 7), or a redis-server this session starts on a
free port; every key is under a prefix of its own, deleted at the end (nothing is flushed).
"""

import secrets
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
import requests
from django.db import connection
from django.test import override_settings

from greenjobs.core import contentversion
from greenjobs.discovery import pagecache
from tests.helpers import python


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, what: str, seconds: float = 30, log: Path | None = None) -> None:
    """Wait until ``check()`` is true; past ``seconds``, fail with the end of the server's ``log``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (OSError, redis.RedisError, requests.RequestException):
            pass
        time.sleep(0.1)
    tail = f":\n{log.read_text()[-3000:]}" if log else ""
    raise RuntimeError(f"{what} did not start within {seconds} s{tail}")


def database_url_for_tests() -> str:
    """A DATABASE_URL naming the database this test session uses (pytest-django's ``test_<name>``)."""
    settings_dict = connection.settings_dict
    user, password = settings_dict.get("USER") or "", settings_dict.get("PASSWORD") or ""
    auth = f"{quote(user, safe='')}{':' + quote(password, safe='') if password else ''}@" if user else ""
    host = quote(settings_dict.get("HOST") or "", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """Hashed static files, as `make serve` collects them (DEBUG off needs the manifest), once a session."""
    root = tmp_path_factory.mktemp("static")
    production = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(64), "STATIC_ROOT": str(root)}
    collected = python("manage.py", "collectstatic", "--noinput", "-v0", **production)
    assert collected.returncode == 0, collected.stderr
    return root


@pytest.fixture(scope="session")
def redis_url():
    """The machine's Redis (database 7) if one answers, else one started for this session."""
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pass
    else:
        yield "redis://127.0.0.1:6379/7"
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("No Redis answers on 127.0.0.1:6379 and redis-server is not installed (`make redis`).")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: redis.Redis(host="127.0.0.1", port=port).ping(), "redis-server")
        yield f"redis://127.0.0.1:{port}/7"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="session")
def key_prefix(redis_url):
    """A prefix no other test run uses; its keys are deleted at the end."""
    prefix = f"gjtest-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{prefix}*", count=500):
        client.delete(key)


def redis_caches(url: str, prefix: str) -> dict:
    """CACHES as greenjobs/settings.py builds them with REDIS_URL set."""
    timeouts = {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
    backend = "django_redis.cache.RedisCache"
    return {
        "default": {
            "BACKEND": backend,
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {**timeouts, "IGNORE_EXCEPTIONS": True},
        },
        "pages": {
            "BACKEND": backend,
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {**timeouts, "IGNORE_EXCEPTIONS": False},
        },
    }


@pytest.fixture
def shared_cache(redis_url, key_prefix):
    """This test process uses the servers' Redis, as a third app server (or a management command) would."""
    with override_settings(CACHES=redis_caches(redis_url, key_prefix), PAGE_CACHE_ALIAS="pages", PAGE_CACHE_SECONDS=60):
        contentversion._down_until = 0.0
        # Each test starts from an emptied database whose version counts from 1 again.
        pagecache.clear()
        yield
    contentversion._down_until = 0.0
