"""Helpers shared by test modules: the project in a fresh interpreter, as a server or a command starts it.

Settings are read once per process, so what a given environment makes of them (a refused secret key,
the mail backends, S3 storage, HSTS) is seen only in a new interpreter. Its environment holds the
machine's basics and what the test gives, nothing else of the test run's (no DJANGO_*, REDIS_URL, ...).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASICS = ("PATH", "HOME", "LANG", "DATABASE_URL")


def fresh_env(settings: str = "greenjobs.settings", **env: str) -> dict[str, str]:
    """The environment of a fresh process: the machine's basics, DJANGO_SETTINGS_MODULE=``settings`` and ``env``
    (an empty value stands for unset, as the settings read it)."""
    basics = {name: os.environ[name] for name in BASICS if name in os.environ}
    return {**basics, **env, "DJANGO_SETTINGS_MODULE": settings}


def python(*args: str, settings: str = "greenjobs.settings", **env: str) -> subprocess.CompletedProcess:
    """``python *args`` at the project's root in ``fresh_env(settings, **env)``; its output is captured as
    text, and a failure is the caller's to assert."""
    environment = fresh_env(settings, **env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


def _json_from(code: str, settings: str, env: dict[str, str]):
    """Run ``code`` after django.setup(); it prints one JSON document last, which is returned."""
    result = python("-c", f"import json, django; django.setup()\n{code}", settings=settings, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def settings_of(*names: str, settings: str = "greenjobs.settings", **env: str) -> dict:
    """The named settings, as a fresh interpreter with only ``env`` set loads them (through JSON)."""
    code = (
        "from django.conf import settings\n"
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}, default=str))"
    )
    return _json_from(code, settings, env)


def fresh_get(path: str, *, secure: bool = False, settings: str = "greenjobs.settings_test", **env: str) -> dict:
    """GET ``path`` with Django's test client in a fresh interpreter: its status, headers and text."""
    code = (
        "from django.test import Client\n"
        f"r = Client().get({path!r}, secure={secure!r})\n"
        "print(json.dumps({'status': r.status_code, 'headers': dict(r.headers), 'text': r.content.decode()}))"
    )
    return _json_from(code, settings, env)
