"""The database connection's health check (greenjobs.core.postgresql): no round trip while the connection is
sound, and a connection the server ended is dropped before a page uses it."""

import time

import psycopg2
import pytest
from django.db import connection
from django.test import Client

from tests.cases.factories import CaseStoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def server_side(sql: str, *params):
    """Run ``sql`` on a connection of its own (as an administrator would), autocommit; its rows."""
    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )
    other.autocommit = True
    try:
        with other.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        other.close()


def last_statement(pid: int) -> str:
    return server_side("SELECT query FROM pg_stat_activity WHERE pid = %s", pid)[0][0]


def test_a_sound_connection_is_usable_without_a_statement_sent():
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'the last statement'")
    pid = connection.connection.info.backend_pid

    assert connection.is_usable()
    assert last_statement(pid) == "SELECT 'the last statement'"  # no SELECT 1 went to the server


def test_a_connection_the_server_ended_is_not_usable_and_the_next_page_reconnects():
    CaseStoryFactory(title="Solar schools", slug="solar-schools")
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    assert server_side("SELECT pg_terminate_backend(%s)", pid) == [(True,)]

    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:  # the server's goodbye is on its way
        time.sleep(0.01)
    assert not connection.is_usable()

    connection.close_if_unusable_or_obsolete()  # what Django does as each request starts
    response = Client().get("/cases/solar-schools/")
    assert response.status_code == 200 and b"Solar schools" in response.content
    assert connection.connection.info.backend_pid != pid


def test_a_closed_connection_is_not_usable():
    connection.ensure_connection()
    connection.connection.close()
    assert not connection.is_usable()
    connection.close()
