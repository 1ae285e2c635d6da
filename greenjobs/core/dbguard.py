"""When PostgreSQL is down or frozen: a fast, styled 503 instead of a hung worker or a 500.

A frozen server (SIGSTOP, a stalled disk, a dead network path) still has its kernel accept TCP, so
libpq's ``connect_timeout`` and the server's ``statement_timeout`` never fire: a query just waits.
``install()`` (called by ``greenjobs/wsgi.py`` for web processes, and by the mail worker) makes
psycopg2 wait through a ``Deadline``, which gives up after a few seconds. psycopg2 then closes the
connection: the server, once it runs again, rolls back the open transaction (only a COMMIT already
sent may still take effect: the outcome the client could not learn), and Django opens a fresh
connection on the next request (``CONN_HEALTH_CHECKS``).

``greenjobs.core.middleware.DatabaseUnavailableMiddleware`` (errors raised by views) and
``greenjobs.core.views.server_error`` (errors raised by middleware, e.g. the page cache) answer such
errors with ``templates/503.html``, rendered without touching the database, and log one line every
few seconds instead of a traceback per request.
"""

from __future__ import annotations

import logging
import select
import threading
import time

import psycopg2
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.template import loader
from psycopg2 import extensions

logger = logging.getLogger("greenjobs.database")

RETRY_AFTER_SECONDS = 30
LOG_EVERY_SECONDS = 10
SUSPECT_SECONDS = 10
SUSPECT_CONNECT_SECONDS = 0.5
UNAVAILABLE = (OperationalError, InterfaceError, psycopg2.OperationalError, psycopg2.InterfaceError)
DISPATCH_UID = "dbguard-statement-timeout"
_CONNECTED = {extensions.STATUS_READY, extensions.STATUS_BEGIN, extensions.STATUS_PREPARED}


class Deadline:
    """A psycopg2 wait callback: poll the connection, give up after ``query`` (or ``connect``) seconds.

    Right after the server failed to answer, connecting gets a short deadline: a request whose health
    check just timed out should not wait the whole ``connect`` again for the 503 page.
    """

    def __init__(self, *, query: float, connect: float):
        self.query, self.connect = query, connect
        self.suspect_until = 0.0

    def __call__(self, conn) -> None:
        if conn.status in _CONNECTED:
            limit = self.query
        elif time.monotonic() < self.suspect_until:
            limit = min(self.connect, SUSPECT_CONNECT_SECONDS)
        else:
            limit = self.connect
        deadline = time.monotonic() + limit
        while True:
            state = conn.poll()
            if state == extensions.POLL_OK:
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.suspect_until = time.monotonic() + SUSPECT_SECONDS
                # psycopg2 closes the connection when a wait callback fails: nothing more is sent.
                raise psycopg2.OperationalError(f"the database did not answer within {limit:g} s")
            if state == extensions.POLL_READ:
                select.select([conn.fileno()], [], [], remaining)
            elif state == extensions.POLL_WRITE:
                select.select([], [conn.fileno()], [], remaining)
            else:
                raise psycopg2.OperationalError(f"bad state from poll: {state}")

    def on_connect(self, sender, connection, **kwargs) -> None:
        """A little under the client deadline: a live but slow server cancels the statement itself, and
        the connection stays usable; only a server that does not answer at all costs a reconnection."""
        if connection.vendor == "postgresql":
            milliseconds = max(int(self.query * 1000) - 200, 100)
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{milliseconds}ms"])


def install(*, query: float | None = None, connect: float | None = None) -> None:
    """Bound every database wait of this process; the server also cancels statements after ``query`` s."""
    deadline = Deadline(
        query=settings.DB_WEB_TIMEOUT if query is None else query,
        connect=settings.DB_CONNECT_TIMEOUT if connect is None else connect,
    )
    extensions.set_wait_callback(deadline)
    connection_created.disconnect(dispatch_uid=DISPATCH_UID)
    connection_created.connect(deadline.on_connect, weak=False, dispatch_uid=DISPATCH_UID)


def uninstall() -> None:
    extensions.set_wait_callback(None)
    connection_created.disconnect(dispatch_uid=DISPATCH_UID)


def is_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, UNAVAILABLE)


class _Reporter:
    """One log line per ``LOG_EVERY_SECONDS`` per process, with how many requests it stands for."""

    def __init__(self):
        self.lock = threading.Lock()
        self.next_at = 0.0
        self.suppressed = 0

    def report(self, request, exc: BaseException) -> None:
        now = time.monotonic()
        with self.lock:
            if now < self.next_at:
                self.suppressed += 1
                return
            suppressed, self.suppressed, self.next_at = self.suppressed, 0, now + LOG_EVERY_SECONDS
        reason = " ".join(str(exc).split()) or type(exc).__name__
        more = f" (and {suppressed} more 503 since the last report)" if suppressed else ""
        logger.error("Database unavailable: %s%s", reason, more, extra={"status_code": 503, "request": request})


_reporter = _Reporter()


def report(request, exc: BaseException, response: HttpResponse) -> HttpResponse:
    """Log the outage at most every few seconds, instead of django.request's line (and traceback) per request."""
    _reporter.report(request, exc)
    response._has_been_logged = True
    return response


def unavailable_response(request, exc: BaseException) -> HttpResponse:
    """The 503 page, rendered from the template alone (no context processors, no database)."""
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return report(request, exc, response)
