"""iCalendar output with the icalendar library: VALUE=DATE for all-day, TZID + VTIMEZONE for timed."""

import datetime as dt

import icalendar
from django.utils import timezone

from greenjobs.structured import calendar_new

PRODID = "-//Green Jobs Portal//Events//EN"


def event_uid(event) -> str:
    return f"event-{event.pk}@greenjobs"


def event_component(event, url: str) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    component.add("dtstamp", (event.updated or timezone.now()).astimezone(dt.UTC))
    component.add("last-modified", (event.updated or timezone.now()).astimezone(dt.UTC))
    component.add("summary", event.title)
    if event.all_day:
        component.add("dtstart", event.start_date)
        component.add("dtend", event.end_date + dt.timedelta(days=1))
    else:
        component.add("dtstart", event.local_start)
        component.add("dtend", event.local_end)
    location = event.place_label or event.online_url
    if location:
        component.add("location", location)
    component.add("url", url)
    description = event.summary.strip()
    if event.online_url:
        description += f"\n\nOnline: {event.online_url}"
    component.add("description", f"{description}\n\n{url}")
    component.add("status", "CONFIRMED")
    themes = [tag.name for tag in event.themes.all()]
    if themes:
        component.add("categories", themes)
    return component


def calendar_for(events, url_for, name: str) -> icalendar.Calendar:
    """A VCALENDAR with one VEVENT per event; url_for(event) gives its absolute URL."""
    cal = calendar_new(PRODID, name)
    first, last = None, None
    for event in events:
        cal.add_component(event_component(event, url_for(event)))
        first = min(first or event.start_date, event.start_date)
        last = max(last or event.end_date, event.end_date)
    if first:
        cal.add_missing_timezones(first_date=first - dt.timedelta(days=366), last_date=last + dt.timedelta(days=366))
    return cal
