"""Data derived from the public content (counts, sidebars, related items), kept per content version.

Every committed change to public content moves ``content_version()``, so a value stored under the
current version is never stale; old versions simply age out of the cache. Inside a transaction (a
test, a data migration) the version does not move until commit, so values are computed and not kept.
"""

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, connection

from greenjobs.core.contentversion import content_version

T = TypeVar("T")
SECONDS = 60 * 60
SLOT_MINUTES = 5
_MISSING = object()


# Values also kept in this process (``derived(..., in_process=True)``), newest last; a few only, as
# their keys hold the content version (and the upcoming list's, its five-minute slot).
_IN_PROCESS: OrderedDict[str, object] = OrderedDict()
IN_PROCESS_ENTRIES = 16


def derived(key: str, build: Callable[[], T], *, seconds: int = SECONDS, in_process: bool = False) -> T:
    """The value of ``build()`` for the current content version, computed once and shared through the cache.

    ``in_process``: also kept in this process, for a large value that every request of a busy page reads
    (unpickling it from the cache each time costs more than the rest of the page).
    """
    if connection.in_atomic_block:
        return build()
    full_key = f"derived:{content_version()}:{key}"
    value = _IN_PROCESS.get(full_key, _MISSING) if in_process else _MISSING
    if value is not _MISSING:
        return value
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(full_key, value, seconds)
    if in_process:
        _IN_PROCESS[full_key] = value
        while len(_IN_PROCESS) > IN_PROCESS_ENTRIES:  # the oldest go first
            try:
                _IN_PROCESS.popitem(last=False)
            except KeyError:  # another thread emptied it
                break
    return value


def forget_in_process() -> None:
    """Drop the values ``derived`` keeps in this process (tests: each test database counts versions
    from the same number again)."""
    _IN_PROCESS.clear()


def kept_in_process(store: list, key: Callable[[], object], build: Callable[[], T], default: T) -> T:
    """``build()`` kept in this process (``store``: a module's one-item list) while ``key()`` stays the same.

    For small values every page reads (the footer's about links, theme names): no cache round trip. ``key``
    is usually the content version; None reads afresh (inside a transaction). With the database away (or
    this request's connection closed by a query that timed out) the value last read is returned, or
    ``default``.
    """
    kept = store[0] if store else None
    try:
        current = key()
        if current is None:
            return build()
        if kept is not None and kept[0] == current:
            return kept[1]
        value = build()
    except (DatabaseError, InterfaceError):
        return kept[1] if kept is not None else default
    store[:] = [(current, value)]
    return value


def slot_start(now: dt.datetime, minutes: int = SLOT_MINUTES) -> dt.datetime:
    """The start of the ``minutes``-long slot ``now`` falls in: what moves with the clock (the upcoming
    events, the next sessions) is kept per content version and slot, and trimmed to ``now`` when read."""
    return now.replace(minute=now.minute - now.minute % minutes, second=0, microsecond=0)
