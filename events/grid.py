"""The month grid: weeks starting on Monday, each in-month day with the events covering it."""

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.dates import MONTHS, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

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


# --- The month page's table ----------------------------------------------------------------------
# Written here rather than in a template: a month holds a few hundred entries (an event sits on each
# day it covers), and as nested template loops they cost two thirds of a month page rendered cold,
# which every month page is after each change to public content.


def _entry(event, day: dt.date) -> str:
    is_entry = getattr(event, "is_entry", False)
    time = ""
    if not event.all_day and event.start_date == day:
        time = f'<span class="calendar__time">{conditional_escape(event.start_hhmm)}</span> '
    kind = f' <span class="calendar__kind">({conditional_escape(event.kind_label)})</span>' if is_entry else ""
    course = ' class="calendar__course"' if is_entry else ""
    return (
        f"\n          <li{course}>"
        f'<a href="{conditional_escape(event.get_absolute_url())}">'
        f"{time}{conditional_escape(event.title)}{kind}</a></li>"
        "\n          "
    )


def _cell(day: Day | None, month_name: str, today_label: str) -> str:
    if day is None:
        return '<td class="is-other-month"></td>'
    classes = ("has-events" if day.events else "") + (" is-today" if day.is_today else "")
    current = ' aria-current="date"' if day.is_today else ""
    today = f' <span class="calendar__today">{today_label}</span>' if day.is_today else ""
    entries = ""
    if day.events:
        entries = "\n        <ul>\n          " + "".join(_entry(event, day.date) for event in day.events)
        entries += "\n        </ul>\n        "
    return (
        f'\n      <td id="{day.anchor}" class="{classes}"{current}>'
        f'\n        <span class="calendar__day"><time datetime="{day.iso}">'
        f'<span class="calendar__weekday">{conditional_escape(day.weekday_name)} </span>{day.date.day}'
        f'<span class="calendar__month-name"> {month_name}</span></time>{today}</span>'
        f"\n        {entries}"
        "\n      </td>"
    )


def month_table(grid: Month) -> SafeString:
    """The month's ``<table>``, a row a week (Monday first), each day with its entries; a note first when
    the month has none."""
    month_name = conditional_escape(grid.month_name)
    today_label = gettext("today")  # as {% translate %} writes it: not escaped
    empty = ""
    if not grid.has_events:
        empty = f'<p class="month-empty">{gettext("No events in this month.")}</p>'
    heads = "".join(
        f'<th scope="col"><abbr title="{conditional_escape(name)}">{conditional_escape(abbr)}</abbr></th>'
        for name, abbr in grid.weekdays
    )
    weeks = "".join(
        "\n    <tr>\n      "
        + "".join(f"\n      {_cell(day, month_name, today_label)}\n      " for day in week)
        + "\n    </tr>\n    "
        for week in grid.weeks
    )
    return mark_safe(
        f'{empty}\n<table class="calendar calendar--month">'
        f"\n  <caption>{conditional_escape(grid.label)}</caption>"
        f"\n  <thead>\n    <tr>{heads}</tr>\n  </thead>"
        f"\n  <tbody>\n    {weeks}\n  </tbody>\n</table>"
    )
