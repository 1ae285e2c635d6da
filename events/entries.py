"""The other kinds on the one calendar (course sessions), as the events pages show them beside events.

They come from the registry (``greenjobs.core.calendar``), never from another app by name. Those of the
calendar's window (a year back, and everything ahead) are read once per content version and day.
"""

import datetime as dt

from django.utils import timezone

from greenjobs.core.calendar import CalendarEntry, calendar_entries
from greenjobs.core.derived import derived

from . import search

# The window every calendar of events shows: upcoming, and what ended less than this many days ago.
DAYS_BACK = 365


def window_start(today: dt.date | None = None) -> dt.datetime:
    today = today or timezone.now().astimezone(dt.UTC).date()
    return dt.datetime.combine(today - dt.timedelta(days=DAYS_BACK), dt.time(0), tzinfo=dt.UTC)


def kept_entries() -> list[CalendarEntry]:
    """Every entry not ended a year ago, soonest first: one query per content version and day."""
    since = window_start()
    return derived(
        f"events:entries:{since.date().isoformat()}",
        lambda: calendar_entries(since, None, exclude=(search.KIND,)),
    )


def entries_between(first: dt.date, last: dt.date, kept: list[CalendarEntry] | None = None) -> list[CalendarEntry]:
    """The entries covering a local date from ``first`` to ``last``: from the kept window when it holds them."""
    if first >= window_start().date() + dt.timedelta(days=2):
        kept = kept_entries() if kept is None else kept
        return [entry for entry in kept if entry.start_date <= last and entry.last_date >= first]
    # Local dates run from UTC-12 to UTC+14: widen the window by a day or two, then keep the exact ones.
    start = dt.datetime.combine(max(first, dt.date(1, 1, 2)) - dt.timedelta(days=1), dt.time(0), tzinfo=dt.UTC)
    end = dt.datetime.combine(min(last, dt.date(9999, 12, 29)) + dt.timedelta(days=2), dt.time(0), tzinfo=dt.UTC)
    found = calendar_entries(start, end, exclude=(search.KIND,))
    return [entry for entry in found if entry.start_date <= last and entry.last_date >= first]


def upcoming_entries(now: dt.datetime, kept: list[CalendarEntry] | None = None) -> list[CalendarEntry]:
    """The kept entries not ended at ``now``, soonest first."""
    return [entry for entry in (kept_entries() if kept is None else kept) if entry.end >= now]
