"""Whole-page cache for anonymous GET requests that never serves edited content.

Every saved or deleted content row (cases, events, courses, about pages, themes) increments a
shared *content version* (one database row) once its transaction commits; cached pages are keyed
by that version, so the next request after an edit, in any worker, renders afresh. Entries also expire after
``PAGE_CACHE_SECONDS``, which bounds how long time-based lists ("upcoming") can lag the clock.

Only requests without a session or messages cookie are served from the cache, and only
responses that set no cookie, used no CSRF token and are not marked private are stored.
Page bodies live in this process's memory; a hit costs one primary-key read of the version.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from threading import Lock

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

MAX_ENTRIES = 1000
MAX_BODY = 4 * 1024 * 1024  # the sitemap of the whole site fits
SKIP_PREFIXES = ("/admin/", "/media/", "/static/", "/healthz", "/ping", "/cases/status/", "/cases/submit/")
WATCHED_APPS = {"cases", "events", "courses", "flatpages", "taggit", "sites"}

_pages: OrderedDict[str, tuple[float, int, list, bytes]] = OrderedDict()
_lock = Lock()


def _table() -> str:
    from .models import ContentVersion

    return connection.ops.quote_name(ContentVersion._meta.db_table)


def content_version() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {_table()} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def bump_content_version() -> None:
    table = _table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, version) VALUES (1, 1) "
            f"ON CONFLICT (id) DO UPDATE SET version = {table}.version + 1"
        )


def clear() -> None:
    with _lock:
        _pages.clear()


def _content_changed(sender, **kwargs) -> None:
    if sender._meta.app_label in WATCHED_APPS:
        transaction.on_commit(bump_content_version, robust=True)


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_content_changed, dispatch_uid=f"pagecache-{signal!r}")


def _cacheable_request(request) -> bool:
    return (
        request.method in {"GET", "HEAD"}
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.path.startswith(SKIP_PREFIXES)
    )


def _cacheable_response(request, response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-cache" not in cache_control
        and "no-store" not in cache_control
        and len(response.content) <= MAX_BODY
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        key = f"{content_version()}|{request.get_host()}|{request.get_full_path()}"
        now = time.monotonic()
        with _lock:
            entry = _pages.get(key)
            if entry is not None and entry[0] > now:
                _pages.move_to_end(key)
            else:
                entry = None
        if entry is not None:
            _, status, headers, body = entry
            response = HttpResponse(body, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        if _cacheable_response(request, response):
            with _lock:
                _pages[key] = (now + seconds, response.status_code, list(response.items()), response.content)
                while len(_pages) > MAX_ENTRIES:
                    _pages.popitem(last=False)
        return response
