"""Machine-readable views of events: iCalendar (VALUE=DATE for all-day events, TZID + VTIMEZONE for
timed ones) and schema.org JSON-LD.

The iCalendar text is written directly (greenjobs.core.structured), so a calendar of thousands of
events takes milliseconds; the tests read it back with the icalendar library.
"""

import datetime as dt

from django.utils.safestring import SafeString

from greenjobs.core.siteurl import absolute
from greenjobs.core.structured import (
    entry_vevent,
    entry_zones,
    ical_date,
    ical_document,
    ical_line,
    ical_local,
    ical_text,
    ical_utc,
    json_ld,
)

PRODID = "-//Green Jobs Portal//Events//EN"


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


def calendar_of(events, name: str | None, others=()) -> bytes:
    """A VCALENDAR with one VEVENT per event (read with ``Event.objects.for_calendars()``) and per other
    calendar entry (course sessions, ``greenjobs.core.calendar.CalendarEntry``)."""
    root = absolute("/")  # joined directly: urljoin for each of thousands of events costs more than the entry
    entries, zones = [], {}
    for event in events:
        entries.append(vevent(event, root + event.get_absolute_url().removeprefix("/"), event.theme_names))
        if not event.all_day:
            first, last = zones.get(event.timezone, (event.start_date.year, event.end_date.year))
            zones[event.timezone] = (min(first, event.start_date.year - 1), max(last, event.end_date.year + 1))
    entries.extend(entry_vevent(entry, root) for entry in others)
    return ical_document(PRODID, name, entries, entry_zones(others, zones))


def _attendance(event) -> tuple[list[dict], str]:
    """The event's places (a venue, an online link or both) and its schema.org attendance mode."""
    places = []
    if event.place_label:
        address = {"@type": "PostalAddress", "addressLocality": event.city}
        if event.country:
            address["addressCountry"] = event.country.code
        places.append({"@type": "Place", "name": event.venue or event.city, "address": address})
    if event.online_url:
        places.append({"@type": "VirtualLocation", "url": event.online_url})
    if event.online_url and places[:-1]:
        return places, "https://schema.org/MixedEventAttendanceMode"
    if event.online_url:
        return places, "https://schema.org/OnlineEventAttendanceMode"
    return places, "https://schema.org/OfflineEventAttendanceMode"


def event_json_ld(event) -> SafeString:
    """schema.org Event, safe to put inside <script>."""
    if event.all_day:
        start, end = event.start_date.isoformat(), event.end_date.isoformat()
    else:
        start, end = event.local_start.isoformat(), event.local_end.isoformat()
    places, mode = _attendance(event)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": start,
        "endDate": end,
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": mode,
        "description": event.summary,
        "url": absolute(event.get_absolute_url()),
    }
    if places:
        data["location"] = places[0] if len(places) == 1 else places
    if event.organiser:
        data["organizer"] = {"@type": "Organization", "name": event.organiser}
    return json_ld(data)
