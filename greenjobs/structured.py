"""Machine-readable output shared by the apps: schema.org JSON-LD and iCalendar responses."""

import json

import icalendar
from django.http import HttpResponse
from django.utils.safestring import SafeString, mark_safe


def json_ld(data: dict) -> SafeString:
    """JSON for a ``<script type="application/ld+json">`` element.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so no value (a contributor's title,
    say) can close the script element.
    """
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def calendar_new(prodid: str, name: str | None = None) -> icalendar.Calendar:
    """An empty VCALENDAR with the properties every calendar app expects."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def calendar_response(ical: bytes, filename: str) -> HttpResponse:
    """An iCalendar download, as calendar apps expect it."""
    response = HttpResponse(ical, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
