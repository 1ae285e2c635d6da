"""iCalendar output: VALUE=DATE for all-day events, TZID + VTIMEZONE for timed ones.

The text is written directly (greenjobs.structured), so a calendar of thousands of events takes
milliseconds; the tests read it back with the icalendar library.
"""

import datetime as dt

from greenjobs.structured import ical_date, ical_document, ical_line, ical_local, ical_text, ical_utc

PRODID = "-//Green Jobs Portal//Events//EN"
# Columns a calendar entry needs (``Event.objects.only(*ICAL_FIELDS)``).
ICAL_FIELDS = (
    "pk", "slug", "title", "all_day", "start_date", "start_time", "end_date", "end_time", "timezone",
    "venue", "city", "country", "online_url", "summary", "updated",
)  # fmt: skip


def event_uid(event) -> str:
    return f"event-{event.pk}@greenjobs"


def vevent(event, url: str, themes: list[str]) -> str:
    """One VEVENT; timed events in their own zone, all-day events as dates with an exclusive end."""
    stamp = ical_utc(event.updated)
    lines = ["BEGIN:VEVENT", f"UID:{event_uid(event)}", f"DTSTAMP:{stamp}", f"LAST-MODIFIED:{stamp}"]
    lines.append(f"SUMMARY:{ical_text(event.title)}")
    if event.all_day:
        lines.append(f"DTSTART;VALUE=DATE:{ical_date(event.start_date)}")
        lines.append(f"DTEND;VALUE=DATE:{ical_date(event.end_date + dt.timedelta(days=1))}")
    elif event.timezone == "UTC":
        lines.append(f"DTSTART:{ical_utc(event.local_start)}")
        lines.append(f"DTEND:{ical_utc(event.local_end)}")
    else:
        lines.append(f"DTSTART;TZID={event.timezone}:{ical_local(event.local_start)}")
        lines.append(f"DTEND;TZID={event.timezone}:{ical_local(event.local_end)}")
    location = event.place_label or event.online_url
    if location:
        lines.append(f"LOCATION:{ical_text(location)}")
    lines.append(f"URL:{url}")
    description = event.summary.strip()
    if event.online_url:
        description += f"\n\nOnline: {event.online_url}"
    lines.append("DESCRIPTION:" + ical_text(f"{description}\n\n{url}"))
    lines.append("STATUS:CONFIRMED")
    if themes:
        lines.append("CATEGORIES:" + ",".join(ical_text(name) for name in themes))
    lines.append("END:VEVENT")
    return "".join(ical_line(line) for line in lines)


def calendar_for(events, url_for, themes_of, name: str | None) -> bytes:
    """A VCALENDAR with one VEVENT per event; url_for(event) is its absolute URL, themes_of(event) its theme names."""
    entries, zones = [], {}
    for event in events:
        entries.append(vevent(event, url_for(event), themes_of(event)))
        if not event.all_day:
            first, last = zones.get(event.timezone, (event.start_date.year, event.end_date.year))
            zones[event.timezone] = (min(first, event.start_date.year - 1), max(last, event.end_date.year + 1))
    return ical_document(PRODID, name, entries, zones)
