"""Whole-page cache for anonymous visitors, shared by every app server, that never serves edited content.

*Where pages live.* In Django's cache ``PAGE_CACHE_ALIAS`` (Redis when ``REDIS_URL`` is set, so
one render serves every worker of every server; a small process-local cache otherwise), gzipped,
at most ``PAGE_CACHE_MAX_ENTRY_BYTES`` an entry, for ``PAGE_CACHE_SECONDS``. A client that accepts
gzip (every browser and crawler) gets the stored bytes as they are (``Content-Encoding: gzip``, a
weak ETag), others the page decompressed; pages vary on ``Accept-Encoding``.

*The key* is the scheme, host, path and only the query parameters the page reads (``page_params()``:
the search page's and those each app registered, sorted). Every other parameter is removed from the
request before any view sees it, so the page rendered is exactly the page the key names
(``?utm_source=…`` or ``?x=N`` make no new entry, and cannot leak into links the page builds).

*Freshness.* Each entry records the content version (``greenjobs.core.contentversion``) it was
rendered at and is served only while the version is the same. With a shared cache a hit is one
cache round trip (version and page together) and no database query; with a process-local cache each
hit reads the version row (one primary-key query).

*Large pages* (calendars, sitemap sections: polled by machines, a few hundred KB gzipped) cost more to
move out of Redis than the rest of a hit. Each process also keeps those it served, up to
``PAGE_CACHE_LOCAL_BYTES`` in all (the least recently used go first), and serves one after reading
only the version: the same version and not expired, or it is read from Redis again. For clients that
do not take gzip (some calendar apps and feed readers) it also keeps the page decompressed, in the
same budget, so that each such hit does not inflate a megabyte again.

*HTTP.* Anonymous pages that are the same for everyone carry ``Cache-Control: public,
max-age=PAGE_CACHE_MAX_AGE``, ``ETag`` (a hash of the body), ``Last-Modified`` (when it was rendered)
and ``Vary: Cookie``, and answer a matching ``If-None-Match`` with 304, from the cache or not. Pages
served from the cache add ``Age``. Visitors with a session, the admin, the story form and status
pages, and any response that sets a cookie or holds a CSRF token are ``private, no-store``.

*Failures.* If the shared cache errs or times out, pages are rendered as if missed, and the cache is
left alone for a few seconds (``contentversion.call``) so that no request waits on it again meanwhile.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import time
import zlib
from collections import OrderedDict

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, urlencode
from django.utils.translation import override

from greenjobs.core.contentversion import VERSION_KEY, content_version, db_version, remembered, seed, shared
from greenjobs.core.contentversion import cache_backend as _cache
from greenjobs.core.contentversion import call as _call
from greenjobs.core.languages import unprefixed
from greenjobs.core.registry import registry

# The query parameters the site's own pages read (URL name -> names); apps register theirs.
OWN_PARAMS: dict[str, tuple[str, ...]] = {"search": ("page", "q", "type")}
PASS_PREFIXES = ("/media/", "/static/", "/healthz", "/ping")
ADMIN_PREFIX = "/admin/"
MAX_BODY = 8 * 1024 * 1024  # never compressed or stored beyond this
_GZIP_WBITS = 16 + zlib.MAX_WBITS  # a gzip stream, as HTTP's Content-Encoding: gzip wants
_ANY_WBITS = 32 + zlib.MAX_WBITS  # gzip or zlib (entries stored before pages were kept gzipped)
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
LARGE_BYTES = 32 * 1024  # entries at least this large (gzipped) are also kept in the process


class _Large:
    """This process's copies of large entries (key -> entry), bounded in bytes, least recently used first."""

    def __init__(self):
        self.lock = threading.Lock()
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        self.plain: dict[str, bytes] = {}  # key -> the entry's body decompressed, once a client asked for it
        self.size = 0

    def get(self, key: str):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple) -> None:
        limit = getattr(settings, "PAGE_CACHE_LOCAL_BYTES", 0)
        if len(entry[4]) < LARGE_BYTES or len(entry[4]) > limit:
            return
        with self.lock:
            self._drop(key)
            self.entries[key] = entry
            self.size += len(entry[4])
            while self.size > limit:
                self._drop(next(iter(self.entries)))

    def plain_body(self, key: str, entry: tuple) -> bytes:
        """``entry``'s body decompressed, kept beside it while it is kept (and the budget allows)."""
        with self.lock:
            if self.entries.get(key) is entry and key in self.plain:
                return self.plain[key]
        body = zlib.decompress(entry[4], _ANY_WBITS)
        limit = getattr(settings, "PAGE_CACHE_LOCAL_BYTES", 0)
        with self.lock:
            if self.entries.get(key) is entry and key not in self.plain:
                self.plain[key] = body
                self.size += len(body)
                while self.size > limit:
                    self._drop(next(iter(self.entries)))
        return body

    def drop(self, key: str) -> None:
        with self.lock:
            self._drop(key)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.plain.clear()
            self.size = 0

    def _drop(self, key: str) -> None:
        entry = self.entries.pop(key, None)
        if entry is not None:
            self.size -= len(entry[4]) + len(self.plain.pop(key, b""))


_large = _Large()


def clear() -> None:
    """Forget every cached page (tests, operators); never flushes anything else in a shared Redis.

    Other processes' copies of large pages are not reached: they go when the content changes, or within
    ``PAGE_CACHE_SECONDS`` (a deploy restarts the web processes anyway)."""
    _large.clear()
    cache = _cache()
    if hasattr(cache, "delete_pattern"):
        _call(cache.delete_pattern, "page:*")
        _call(cache.delete, VERSION_KEY)
    else:
        cache.clear()


# --- Requests and responses ---------------------------------------------------


@functools.cache
def page_params() -> dict[str, tuple[str, ...]]:
    """Path (without its language prefix) -> the query parameters its page reads; any other parameter is
    dropped, a page not listed reads none."""
    with override(settings.LANGUAGE_CODE):
        return {**{reverse(name): params for name, params in OWN_PARAMS.items()}, **registry.page_params()}


@functools.cache
def private_prefixes() -> tuple[str, ...]:
    """Paths (without their language prefix) below which pages are made for one visitor (the admin, forms
    the apps registered)."""
    with override(settings.LANGUAGE_CODE):
        return (ADMIN_PREFIX, *registry.private_paths())


def canonical_query(path: str, query: QueryDict) -> str:
    """The parameters ``path`` reads, sorted, URL-encoded: the only ones its view will see."""
    allowed = page_params().get(unprefixed(path), ())
    return urlencode([(name, value) for name in sorted(allowed) for value in query.getlist(name)])


def page_key(scheme: str, host: str, path: str, query: str) -> str:
    raw = f"{scheme}://{host.lower()}{path}?{query}"
    return "page:" + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def _canonicalise(request) -> str:
    query = canonical_query(request.path_info, request.GET)
    if any(name not in page_params().get(unprefixed(request.path_info), ()) for name in request.GET):
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
    patch_vary_headers(response, ["Cookie", "Accept-Encoding"])
    if not response.has_header("ETag") and not response.streaming and response.content:
        # As Django's set_response_etag, with SHA-1 (2.5 times as fast as its MD5 here; not for security).
        response["ETag"] = f'"{hashlib.sha1(response.content, usedforsecurity=False).hexdigest()}"'
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date()


def _conditional(request, response):
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(request, etag=response.get("ETag"), last_modified=last_modified, response=response)


def _lookup(cache, key: str, seconds: int):
    """The current version and the entry under ``key`` (or None): one round trip with a shared cache,
    in which only the version is read when this process keeps the (large) entry."""
    if not shared(cache):
        return db_version(), _call(cache.get, key)
    kept = _large.get(key)
    if kept is not None:
        version = content_version()
        if kept[0] == version and time.time() < kept[1] + seconds:
            return version, kept
        _large.drop(key)
    found = _call(cache.get_many, [VERSION_KEY, key], default={})
    version = found.get(VERSION_KEY)
    if version is None:
        version = seed(cache)
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        _large.put(key, entry)
    return version, entry


def _gzip(content: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, _GZIP_WBITS)
    return compressor.compress(content) + compressor.flush()


def _accepts_gzip(request) -> bool:
    return bool(_ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _store(cache, key: str, version: int, response, seconds) -> bytes:
    """Keep the page gzipped (what most clients take as it is); returns the gzipped body."""
    body = _gzip(response.content)
    if len(body) <= getattr(settings, "PAGE_CACHE_MAX_ENTRY_BYTES", 512 * 1024):
        entry = (version, time.time(), response.status_code, list(response.items()), body)
        _call(cache.set, key, entry, seconds)
        if shared(cache):
            _large.put(key, entry)
    return body


def _gzipped(response, body: bytes):
    """The response with its body as stored: gzip, a weak ETag (the bytes differ, the page does not)."""
    response.content = body
    response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(body))
    if response.get("ETag", "").startswith('"'):
        response["ETag"] = "W/" + response["ETag"]
    return response


def _from_entry(request, entry, key: str) -> HttpResponse:
    _, stored_at, status, headers, body = entry
    response = HttpResponse(status=status)
    for name, value in headers:
        response[name] = value
    response["Age"] = str(max(0, int(time.time() - stored_at)))
    if _accepts_gzip(request):
        return _gzipped(response, body)
    response.content = _large.plain_body(key, entry)
    response["Content-Length"] = str(len(response.content))
    return response


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(PASS_PREFIXES):
            return self.get_response(request)
        if unprefixed(path).startswith(private_prefixes()):
            return _private(self.get_response(request))
        query = _canonicalise(request)
        if not _anonymous(request):
            return _private(self.get_response(request))
        if request.method not in {"GET", "HEAD"}:
            return self.get_response(request)

        return self._anonymous_page(request, query)

    def _anonymous_page(self, request, query: str):
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        version = None
        if seconds:
            cache = _cache()
            key = page_key(request.scheme, request.get_host(), request.path, query)
            version, entry = _lookup(cache, key, seconds)
            if entry is not None and entry[0] == version:
                return _conditional(request, _from_entry(request, entry, key))

        # The page and everything derived it reads are of one content version, read once.
        with remembered(version):
            response = self.get_response(request)
        if _personal(request, response):
            return _private(response)
        if not _shareable(response):
            return response
        _add_http_caching(response)
        if seconds:
            body = _store(cache, key, version, response, seconds)
            if _accepts_gzip(request):
                response = _gzipped(response, body)
        return _conditional(request, response)
