"""The month grid: weeks starting on Monday, each in-month day with the events covering it."""

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.dates import MONTHS, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import date_format

from .entries import entries_between

MIN_YEAR, MAX_YEAR = 1, 9999


def month_label(day: dt.date) -> str:
    """ "April 2014", "avril 2014", "abril de 2014": the month as the active language writes it."""
    return date_format(day, "YEAR_MONTH_FORMAT")


def month_url(day: dt.date) -> str:
    return reverse("events:month", kwargs={"year": f"{day.year:04d}", "month": f"{day.month:02d}"})


@dataclass
class Day:
    date: dt.date
    is_today: bool
    events: list = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"day-{self.date.isoformat()}"

    @property
    def iso(self) -> str:
        return self.date.isoformat()

    @property
    def weekday_name(self) -> str:
        return str(WEEKDAYS[self.date.weekday()])


@dataclass
class Month:
    year: int
    month: int
    weeks: list[list[Day | None]]  # None: a cell of the previous or next month

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def previous(self) -> dt.date | None:
        if (self.year, self.month) == (MIN_YEAR, 1):
            return None
        return (self.first - dt.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> dt.date | None:
        if (self.year, self.month) == (MAX_YEAR, 12):
            return None
        return self.last + dt.timedelta(days=1)

    @property
    def url(self) -> str:
        return month_url(self.first)

    @property
    def month_name(self) -> str:
        return str(MONTHS[self.month])

    @property
    def label(self) -> str:
        """ "April 2014"."""
        return month_label(self.first)

    @property
    def previous_label(self) -> str:
        return month_label(self.previous) if self.previous else ""

    @property
    def next_label(self) -> str:
        return month_label(self.next) if self.next else ""

    @property
    def previous_url(self) -> str | None:
        return month_url(self.previous) if self.previous else None

    @property
    def next_url(self) -> str | None:
        return month_url(self.next) if self.next else None

    @property
    def weekdays(self) -> list[tuple[str, str]]:
        """(full name, abbreviation), Monday first."""
        return [(WEEKDAYS[number], WEEKDAYS_ABBR[number]) for number in range(7)]

    @property
    def has_events(self) -> bool:
        return any(day.events for week in self.weeks for day in week if day)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def build_month(year: int, month: int, events: Iterable, today: dt.date) -> Month:
    """Monday-first weeks; each event sits on every local date it covers (start_date to last_date)."""
    weeks = [
        [
            Day(date=dt.date(year, month, number), is_today=dt.date(year, month, number) == today) if number else None
            for number in week
        ]
        for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdayscalendar(year, month)
    ]
    by_date = {day.date: day for week in weeks for day in week if day}
    first, last = month_bounds(year, month)
    for event in events:
        day = max(event.start_date, first)
        end = min(event.last_date, last)
        while day <= end:
            by_date[day].events.append(event)
            day += dt.timedelta(days=1)
    return Month(year=year, month=month, weeks=weeks)


def month_of(events_qs, year: int, month: int, today: dt.date) -> Month:
    """The events overlapping the month (one query) and the other calendar entries (course sessions)."""
    first, last = month_bounds(year, month)
    return build_month(year, month, merged(events_qs.overlapping(first, last), entries_between(first, last)), today)


def merged(events: Iterable, entries: Iterable) -> list:
    """Events and calendar entries in one list, soonest first."""
    return sorted([*events, *entries], key=lambda item: (item.starts_at, item.title))
