"""Error reporting: one log line per failed request, and one mail per distinct error per window.

Wired in ``LOGGING`` (greenjobs/settings.py): the console handler formats with ``RequestFormatter``;
``mail_admins`` (Django's ``AdminEmailHandler``, through the mail queue like every email) passes
``OncePerWindow``, so an error repeated on every request mails the webmasters once per
``ERROR_MAIL_MINUTES``, not once per request.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import traceback

from django.conf import settings
from django.core.cache import cache
from django.utils.log import AdminEmailHandler as DjangoAdminEmailHandler

CACHE_PREFIX = "errormail:"


class RequestFormatter(logging.Formatter):
    """Prefix records that carry a request (``django.request``, the 503 line) with method, path, status."""

    def format(self, record: logging.LogRecord) -> str:
        request = getattr(record, "request", None)
        method, path = getattr(request, "method", None), getattr(request, "path", None)
        status = getattr(record, "status_code", None) or "-"
        record.request_line = f"{method} {path} {status}" if method and path else "-"
        return super().format(record)


def error_signature(record: logging.LogRecord) -> str:
    """What makes two reports the same error: the exception type and where it was raised, else the message."""
    if record.exc_info and record.exc_info[1] is not None:
        exc = record.exc_info[1]
        frames = traceback.extract_tb(exc.__traceback__)
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
        text = f"{type(exc).__module__}.{type(exc).__qualname__}@{where}"
    else:
        text = f"{record.name}:{record.getMessage()}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class OncePerWindow(logging.Filter):
    """Let through the first record of each distinct error per ``ERROR_MAIL_MINUTES``, shared via the cache.

    When the cache cannot answer (Redis away), this process's memory decides instead.
    """

    def __init__(self):
        super().__init__()
        self._local: dict[str, float] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        seconds = int(settings.ERROR_MAIL_MINUTES * 60)
        if seconds <= 0:
            return True
        key = CACHE_PREFIX + error_signature(record)
        try:
            first = cache.add(key, 1, seconds)
        except Exception:
            first = None
        if first is not None:
            return bool(first)
        now = time.monotonic()
        with self._lock:
            if self._local.get(key, 0) > now:
                return False
            self._local[key] = now + seconds
        return True


class AdminEmailHandler(DjangoAdminEmailHandler):
    """Django's handler, except that a report that cannot be queued (database away) never raises."""

    def send_mail(self, subject, message, *args, **kwargs):
        try:
            super().send_mail(subject, message, *args, **kwargs)
        except Exception as exc:  # the error itself is already in the log
            logging.getLogger("greenjobs.errors").warning("Could not queue the error report: %s", exc)
