"""Django's PostgreSQL backend (psycopg2), whose health check looks at the socket instead of asking the server.

With ``CONN_HEALTH_CHECKS`` Django checks a kept connection before a request's first query, and after a
database error, with ``SELECT 1``: one more round trip on every page, a tenth of a story page's time in
PostgreSQL. A connection the server has ended (a restart, ``pg_ctl stop``, an administrator's
``pg_terminate_backend``) has data waiting on its idle socket: the server's last message, then the end of
the stream. An idle connection in good health has none, as the client reads every reply to its end. So
a connection is usable when psycopg2 holds it open, not in a failed state, and nothing waits on its socket.

A server that stopped answering without closing (frozen, or cut off by the network) is not seen here, as
``SELECT 1`` would not see it either before its timeout: the request's first query meets the same
deadline (``greenjobs.core.dbguard``), the visitor gets the 503 page, and psycopg2 closes the connection.
"""

import select

from django.db.backends.postgresql import base
from psycopg2 import extensions


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed:
            return False
        if connection.get_transaction_status() not in (
            extensions.TRANSACTION_STATUS_IDLE,
            extensions.TRANSACTION_STATUS_INTRANS,
        ):
            return False
        try:
            waiting, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not waiting
