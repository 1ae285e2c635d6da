"""Settings refuse an insecure production configuration (checked in a fresh interpreter)."""

import pytest

from tests.helpers import python

GOOD_KEY = "k" * 20 + "Zr8vQ2pL5xW9mN3bT6yH1cF4jD7gS0aE" * 2


def start(**env):
    return python("-c", "import django; django.setup(); print('started')", **env)


def test_development_starts_with_no_environment():
    result = start()
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    "secret",
    ["", "django-insecure-development-only-key-never-use-in-production", "short-key"],
    ids=["missing", "development-key", "too-short"],
)
def test_production_refuses_an_insecure_secret_key(secret):
    result = start(DEBUG="0", SECRET_KEY=secret)
    assert result.returncode != 0
    assert "SECRET_KEY is missing or is the insecure development key" in result.stderr


def test_production_starts_with_a_real_secret_key():
    result = start(DEBUG="0", SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr


def test_sqlite_is_refused():
    result = start(DATABASE_URL="sqlite:///db.sqlite3")
    assert result.returncode != 0
    assert "DATABASE_URL must point to a PostgreSQL server" in result.stderr


def test_tests_run_on_postgresql(db):
    from django.db import connection

    assert connection.vendor == "postgresql"
