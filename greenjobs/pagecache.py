"""Whole-page cache for anonymous visitors, shared by every app server, that never serves edited content.

*Where pages live.* In Django's cache ``PAGE_CACHE_ALIAS`` (Redis when ``REDIS_URL`` is set, so
one render serves every worker of every server; a small process-local cache otherwise), compressed,
at most ``PAGE_CACHE_MAX_ENTRY_BYTES`` an entry, for ``PAGE_CACHE_SECONDS``.

*The key* is the scheme, host, path and only the query parameters the page reads (``PAGE_PARAMS``,
sorted). Every other parameter is removed from the request before any view sees it, so the page
rendered is exactly the page the key names (``?utm_source=…`` or ``?x=N`` make no new entry, and
cannot leak into links the page builds).

*The content version* is a counter row in PostgreSQL that every committed change to *public* content
increments (a published row saved, unpublished or deleted, a theme, an about page); a pending
submission, the moderation history or a draft do not touch it. With a shared cache the version is
also kept there (``content_version()``): a hit is one cache round trip (version and page together)
and no database query. A version key that is missing (Redis restarted, evicted) or older than
``VERSION_TTL`` seconds is read again from the row, so a lost update cannot keep stale pages long.
With a process-local cache each hit reads the row instead (one primary-key query).

*HTTP.* Anonymous pages that are the same for everyone carry ``Cache-Control: public,
max-age=PAGE_CACHE_MAX_AGE``, ``ETag`` (a hash of the body), ``Last-Modified`` (when it was rendered)
and ``Vary: Cookie``, and answer a matching ``If-None-Match`` with 304, from the cache or not. Pages
served from the cache add ``Age``. Visitors with a session, the admin, the story form and status
pages, and any response that sets a cookie or holds a CSRF token are ``private, no-store``.

*Failures.* If the shared cache errs or times out, pages are rendered as if missed, and the cache is
left alone for ``CIRCUIT_SECONDS`` so that no request waits on it again meanwhile.
"""

from __future__ import annotations

import hashlib
import logging
import time
import zlib

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import HttpResponse, QueryDict
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date, parse_http_date_safe, urlencode

log = logging.getLogger(__name__)

# The query parameters each page reads; any other parameter is dropped. A page not listed reads none.
PAGE_PARAMS: dict[str, tuple[str, ...]] = {
    "/cases/": ("country", "page", "q", "theme", "type"),
    "/search/": ("page", "q", "type"),
    "/events/": ("page",),
    "/events/past/": ("page",),
    "/events/calendar/": ("month", "year"),
    "/events/calendar.ics": ("theme",),
    "/courses/": ("format", "language", "page", "theme"),
}
PASS_PREFIXES = ("/media/", "/static/", "/healthz", "/ping")
PRIVATE_PREFIXES = ("/admin/", "/cases/status/", "/cases/submit/")
WATCHED_APPS = {"cases", "events", "courses", "flatpages", "taggit", "sites"}
# Rows of watched apps that no public page shows.
PRIVATE_MODELS = {"cases.moderationdecision"}
MAX_BODY = 8 * 1024 * 1024  # never compressed or stored beyond this
VERSION_KEY = "pagecache:version"
VERSION_TTL = 30
CIRCUIT_SECONDS = 5.0

_down_until = 0.0


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _shared(cache) -> bool:
    """Whether every process sees this cache (Redis, Memcached), so the version may live there."""
    return not isinstance(cache, LocMemCache | DummyCache)


def _call(method, *args, default=None):
    """Call the cache; on an error, treat it as a miss and leave the cache alone for a while."""
    global _down_until  # noqa: PLW0603
    if time.monotonic() < _down_until:
        return default
    try:
        return method(*args)
    except Exception:
        _down_until = time.monotonic() + CIRCUIT_SECONDS
        log.warning("Page cache unavailable; serving without it for %s s", CIRCUIT_SECONDS, exc_info=True)
        return default


# --- The content version ------------------------------------------------------


def _table() -> str:
    from .models import ContentVersion

    return connection.ops.quote_name(ContentVersion._meta.db_table)


def _db_version() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {_table()} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def _seed(cache) -> int:
    version = _db_version()
    if _shared(cache):
        _call(cache.add, VERSION_KEY, version, VERSION_TTL)
    return version


def content_version() -> int:
    """A number that changes on every committed change to public content, the same on every server."""
    cache = _cache()
    if _shared(cache):
        version = _call(cache.get, VERSION_KEY)
        if version is not None:
            return version
    return _seed(cache)


def _db_bump() -> int:
    table = _table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, version) VALUES (1, 1) "
            f"ON CONFLICT (id) DO UPDATE SET version = {table}.version + 1 RETURNING version"
        )
        return cursor.fetchone()[0]


def bump_content_version() -> int:
    """Increment the row (atomic in PostgreSQL) and publish the new value to the shared cache."""
    version = _db_bump()
    cache = _cache()
    if _shared(cache):
        _call(cache.set, VERSION_KEY, version, VERSION_TTL)
    return version


def clear() -> None:
    """Forget every cached page (tests, operators); never flushes anything else in a shared Redis."""
    cache = _cache()
    if hasattr(cache, "delete_pattern"):
        _call(cache.delete_pattern, "page:*")
        _call(cache.delete, VERSION_KEY)
    else:
        cache.clear()


# --- What is public -----------------------------------------------------------


def _publishable(model) -> bool:
    """Models with a ``published()`` queryset: public views start from it (house rule)."""
    return callable(getattr(model._default_manager, "published", None))


def _published(model, pks) -> bool:
    pks = [pk for pk in pks if pk is not None]
    return bool(pks) and model._default_manager.published().filter(pk__in=pks).exists()


def _is_public(instance) -> bool:
    """Whether a row is something the public sees: published itself, or part of something published."""
    model = type(instance)
    if model._meta.label_lower in PRIVATE_MODELS:
        return False
    if _publishable(model):
        return _published(model, [instance.pk])
    for field in model._meta.concrete_fields:
        if field.many_to_one and field.related_model is not None and _publishable(field.related_model):
            return _published(field.related_model, [getattr(instance, field.attname)])
    for field in model._meta.private_fields:
        if isinstance(field, GenericForeignKey):
            from django.contrib.contenttypes.models import ContentType

            type_id = getattr(instance, model._meta.get_field(field.ct_field).attname)
            target = ContentType.objects.get_for_id(type_id).model_class() if type_id else None
            if target is not None and _publishable(target):
                return _published(target, [getattr(instance, field.fk_field)])
    return True


def _schedule_bump() -> None:
    """Bump once the change is committed: never before, so no page rendered before it is kept."""
    transaction.on_commit(bump_content_version, robust=True)


def _before_save(sender, instance, **kwargs) -> None:
    if _publishable(sender) and not instance._state.adding and instance.pk is not None:
        instance._pagecache_was_public = _published(sender, [instance.pk])


def _after_save(sender, instance, **kwargs) -> None:
    was_public = instance.__dict__.pop("_pagecache_was_public", False)
    if was_public or _is_public(instance):
        _schedule_bump()


def _before_delete(sender, instance, **kwargs) -> None:
    instance._pagecache_was_public = _is_public(instance)


def _after_delete(sender, instance, **kwargs) -> None:
    if instance.__dict__.pop("_pagecache_was_public", True):
        _schedule_bump()


def _m2m_changed(sender, *, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not {sender._meta.app_label, type(instance)._meta.app_label} & WATCHED_APPS:
        return
    # Forward (story.themes.add): the story decides; reverse (tag.<stories>.add): the stories do.
    owners_decide = reverse and _publishable(model)
    if (pk_set is None or _published(model, pk_set)) if owners_decide else _is_public(instance):
        _schedule_bump()


def connect_signals() -> None:
    """Watch the models of WATCHED_APPS only, so other models keep Django's fast deletes."""
    for model in apps.get_models():
        if model._meta.app_label in WATCHED_APPS:
            uid = f"pagecache-{model._meta.label_lower}"
            pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
            post_save.connect(_after_save, sender=model, dispatch_uid=uid)
            pre_delete.connect(_before_delete, sender=model, dispatch_uid=uid)
            post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
    m2m_changed.connect(_m2m_changed, dispatch_uid="pagecache-m2m")


# --- Requests and responses ---------------------------------------------------


def canonical_query(path: str, query: QueryDict) -> str:
    """The parameters ``path`` reads, sorted, URL-encoded: the only ones its view will see."""
    allowed = PAGE_PARAMS.get(path, ())
    return urlencode([(name, value) for name in sorted(allowed) for value in query.getlist(name)])


def page_key(scheme: str, host: str, path: str, query: str) -> str:
    raw = f"{scheme}://{host.lower()}{path}?{query}"
    return "page:" + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def _canonicalise(request) -> str:
    query = canonical_query(request.path_info, request.GET)
    if any(name not in PAGE_PARAMS.get(request.path_info, ()) for name in request.GET):
        request.GET = QueryDict(query)
        request.META["QUERY_STRING"] = query
    return query


def _anonymous(request) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


def _personal(request, response) -> bool:
    """A response made for this visitor only: it sets a cookie, holds a CSRF token or says so."""
    cache_control = response.get("Cache-Control", "")
    return bool(
        response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or "private" in cache_control
        or "no-store" in cache_control
    )


def _shareable(response) -> bool:
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return (
        response.status_code == 200
        and not response.streaming
        and "no-cache" not in response.get("Cache-Control", "")
        and vary <= {"cookie", "accept-encoding"}
        and len(response.content) <= MAX_BODY
    )


def _add_http_caching(response) -> None:
    patch_cache_control(response, public=True, max_age=getattr(settings, "PAGE_CACHE_MAX_AGE", 60))
    patch_vary_headers(response, ["Cookie"])
    if not response.has_header("ETag"):
        set_response_etag(response)
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date()


def _conditional(request, response):
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(request, etag=response.get("ETag"), last_modified=last_modified, response=response)


def _lookup(cache, key: str):
    """The current version and the entry under ``key`` (or None): one round trip with a shared cache."""
    if _shared(cache):
        found = _call(cache.get_many, [VERSION_KEY, key], default={})
        version = found.get(VERSION_KEY)
        if version is None:
            version = _seed(cache)
        return version, found.get(key)
    return _db_version(), _call(cache.get, key)


def _store(cache, key: str, version: int, response, seconds) -> None:
    body = zlib.compress(response.content, 6)
    if len(body) > getattr(settings, "PAGE_CACHE_MAX_ENTRY_BYTES", 512 * 1024):
        return
    entry = (version, time.time(), response.status_code, list(response.items()), body)
    _call(cache.set, key, entry, seconds)


def _from_entry(entry) -> HttpResponse:
    _, stored_at, status, headers, body = entry
    response = HttpResponse(zlib.decompress(body), status=status)
    for name, value in headers:
        response[name] = value
    response["Age"] = str(max(0, int(time.time() - stored_at)))
    return response


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(PASS_PREFIXES):
            return self.get_response(request)
        if path.startswith(PRIVATE_PREFIXES):
            return _private(self.get_response(request))
        query = _canonicalise(request)
        if not _anonymous(request):
            return _private(self.get_response(request))
        if request.method not in {"GET", "HEAD"}:
            return self.get_response(request)

        return self._anonymous_page(request, query)

    def _anonymous_page(self, request, query: str):
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if seconds:
            cache = _cache()
            key = page_key(request.scheme, request.get_host(), request.path, query)
            version, entry = _lookup(cache, key)
            if entry is not None and entry[0] == version:
                return _conditional(request, _from_entry(entry))

        response = self.get_response(request)
        if _personal(request, response):
            return _private(response)
        if not _shareable(response):
            return response
        _add_http_caching(response)
        if seconds:
            _store(cache, key, version, response, seconds)
        return _conditional(request, response)
