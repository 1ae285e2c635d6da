"""One calendar for every app: the entries an app adds to the events calendar, and how they are gathered.

An app whose content has dates (course sessions) registers ``Publication.calendar_entries``, a function
``(start, end, *, theme=None, limit=None) -> list[CalendarEntry]`` giving its public entries that have not
ended at ``start`` and begin before ``end`` (either may be None: no bound), soonest first, on the theme
with slug ``theme`` when given. The events app shows them beside its own events (month grids, lists, the
home calendar, ``calendar.ics``) without importing the app; the iCalendar text is in core.structured.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from greenjobs.core.labels import formatted
from greenjobs.core.registry import registry
from greenjobs.core.timezones import Zoned


@dataclass(frozen=True)
class CalendarEntry(Zoned):
    """Something on the calendar that is not an event: its times are aware instants, shown in ``timezone``."""

    uid: str  # stable across edits: "course-session-12@greenjobs"
    title: str
    kind: str  # the filter value ("course")
    kind_label: str  # "Course session"
    start: dt.datetime
    end: dt.datetime
    timezone: str
    url: str  # a path on the site (the page to go to: the course's preparation page)
    place: str = ""
    country: str = ""  # ISO code, "" when online or unknown
    summary: str = ""
    themes: tuple[str, ...] = ()  # theme names
    theme_slugs: tuple[str, ...] = ()
    updated: dt.datetime | None = None
    all_day: bool = False  # shown and exported as whole local days
    meeting_days: tuple[dt.date, ...] = ()  # when given, the only days it meets (start/end times on each)

    # --- what the month grids and lists read (the same names as on an event) ---

    @property
    def start_date(self) -> dt.date:
        return self.local_start.date()

    @property
    def end_date(self) -> dt.date:
        return self.local_end.date()

    @property
    def last_date(self) -> dt.date:
        """The last local day it covers: an end at 00:00 does not cover that day."""
        end = self.local_end
        if end.time() == dt.time(0) and end.date() > self.start_date:
            return end.date() - dt.timedelta(days=1)
        return end.date()

    @property
    def is_multi_day(self) -> bool:
        return self.last_date > self.start_date

    @property
    def start_hhmm(self) -> str:
        return "" if self.all_day else f"{self.local_start:%H:%M}"

    @property
    def starts_at(self) -> dt.datetime:
        return self.start

    @property
    def ends_at(self) -> dt.datetime:
        return self.end

    @property
    def is_entry(self) -> bool:
        """True: templates tell entries from events by it."""
        return True

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def place_label(self) -> str:
        return self.place

    @property
    def online_url(self) -> str:
        return ""

    def when_label(self) -> str:
        """ "4 March 2030 to 8 March 2030", with the local times of timed entries and their zone."""
        first, last = formatted(self.start_date, "DATE_FORMAT"), formatted(self.last_date, "DATE_FORMAT")
        days = first if first == last else f"{first} \N{EN DASH} {last}"
        if self.all_day:
            return days
        return f"{days}, {self.local_start:%H:%M}\N{EN DASH}{self.local_end:%H:%M} ({self.timezone})"

    def dates(self) -> list[dt.date]:
        if self.meeting_days:
            return list(self.meeting_days)
        first, last = self.start_date, self.last_date
        return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def calendar_entries(
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    *,
    theme: str | None = None,
    limit: int | None = None,
    exclude: tuple[str, ...] = (),
) -> list[CalendarEntry]:
    """The entries every registered app gives for the window (not the kinds in ``exclude``), soonest first.

    One query per app that registers entries.
    """
    found: list[CalendarEntry] = []
    for publication in registry.with_("calendar_entries"):
        if publication.kind not in exclude:
            found.extend(publication.calendar_entries(start, end, theme=theme, limit=limit))
    found.sort(key=lambda entry: (entry.start, entry.title, entry.uid))
    return found[:limit] if limit is not None else found


def webcal(url: str) -> str:
    """The ``webcal://`` twin of an absolute http(s) address: calendar apps open it as a subscription."""
    return "webcal://" + url.split("://", 1)[1]
