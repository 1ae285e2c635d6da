"""Data derived from the public content (counts, sidebars, related items), kept per content version.

Every committed change to public content moves ``content_version()``, so a value stored under the
current version is never stale; old versions simply age out of the cache. Inside a transaction (a
test, a data migration) the version does not move until commit, so values are computed and not kept.
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection

from greenjobs.core.contentversion import content_version

T = TypeVar("T")
SECONDS = 60 * 60
_MISSING = object()


def derived(key: str, build: Callable[[], T], *, seconds: int = SECONDS) -> T:
    """The value of ``build()`` for the current content version, computed once and shared through the cache."""
    if connection.in_atomic_block:
        return build()
    full_key = f"derived:{content_version()}:{key}"
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(full_key, value, seconds)
    return value
