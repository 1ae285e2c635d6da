"""Machine-readable output shared by the apps: schema.org JSON-LD, iCalendar text and conditional responses."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Iterable

import icalendar
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.safestring import SafeString, mark_safe

from greenjobs.core.contentversion import content_version

# Derived documents (sitemap sections, calendars) are kept this long at most for one content version.
DOCUMENT_SECONDS = 24 * 60 * 60


def json_ld(data: dict) -> SafeString:
    """JSON for a ``<script type="application/ld+json">`` element.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so no value (a contributor's title,
    say) can close the script element.
    """
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


CALENDAR_TYPE = "text/calendar; charset=utf-8"


def calendar_response(ical: bytes, filename: str) -> HttpResponse:
    """An iCalendar download, as calendar apps expect it."""
    response = HttpResponse(ical, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def subscription_response(request, key: str, build: Callable[[], bytes]) -> HttpResponse:
    """A calendar answered inline (calendar apps subscribe to it, browsers show or open it), kept per content
    version with ETag and Last-Modified, and no ``Content-Disposition: attachment``."""
    return derived_response(request, key, build, content_type=CALENDAR_TYPE)


# --- iCalendar text, written directly (the icalendar objects cost about a millisecond per event) ---


def ical_text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 §3.3.11 says."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ical_line(line: str) -> str:
    """One content line folded at 75 octets (never inside a UTF-8 sequence), with its CRLF."""
    data = line.encode()
    if len(data) <= 75:
        return line + "\r\n"
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, 74  # continuation lines start with a space
    return "\r\n ".join(parts) + "\r\n"


def ical_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def ical_date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def ical_local(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


@functools.lru_cache(maxsize=256)
def vtimezone(tzid: str, first_year: int, last_year: int) -> str:
    """The VTIMEZONE of an IANA zone covering the given years (computed once per process)."""
    component = icalendar.Timezone.from_tzid(
        tzid, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year, 12, 31)
    )
    return component.to_ical().decode()


def entry_vevent(entry, root: str) -> str:
    """One VEVENT of a ``greenjobs.core.calendar.CalendarEntry`` (``root``: the site's address, with "/").

    All-day entries are whole local days (exclusive end) marked TRANSPARENT, so that they do not show the
    subscriber busy for weeks; entries with meeting days are one timed VEVENT per day.
    """
    url = root + entry.url.removeprefix("/")
    stamp = ical_utc(entry.updated or entry.start)
    head = [f"DTSTAMP:{stamp}", f"LAST-MODIFIED:{stamp}", f"SUMMARY:{ical_text(entry.title)}"]
    tail = []
    if entry.place:
        tail.append(f"LOCATION:{ical_text(entry.place)}")
    tail.append(f"URL:{url}")
    tail.append("DESCRIPTION:" + ical_text(f"{entry.kind_label}. {entry.summary.strip()}\n\n{url}".strip()))
    tail.append("STATUS:CONFIRMED")
    if entry.themes:
        tail.append("CATEGORIES:" + ",".join(ical_text(name) for name in entry.themes))
    tail.append("END:VEVENT")
    if entry.meeting_days:
        local_start, local_end = entry.local_start, entry.local_end
        blocks = []
        for day in entry.meeting_days:
            start = dt.datetime.combine(day, local_start.time(), tzinfo=entry.zone)
            end = dt.datetime.combine(day, local_end.time(), tzinfo=entry.zone)
            uid = entry.uid.replace("@", f"-{ical_date(day)}@", 1)
            lines = ["BEGIN:VEVENT", f"UID:{uid}", *head, *_timed(entry.timezone, start, end), *tail]
            blocks.append("".join(ical_line(line) for line in lines))
        return "".join(blocks)
    if entry.all_day:
        when = [
            f"DTSTART;VALUE=DATE:{ical_date(entry.start_date)}",
            f"DTEND;VALUE=DATE:{ical_date(entry.last_date + dt.timedelta(days=1))}",
            "TRANSP:TRANSPARENT",
        ]
    else:
        when = _timed(entry.timezone, entry.local_start, entry.local_end)
    lines = ["BEGIN:VEVENT", f"UID:{entry.uid}", *head, *when, *tail]
    return "".join(ical_line(line) for line in lines)


def _timed(zone: str, start: dt.datetime, end: dt.datetime) -> list[str]:
    if zone == "UTC":
        return [f"DTSTART:{ical_utc(start)}", f"DTEND:{ical_utc(end)}"]
    return [f"DTSTART;TZID={zone}:{ical_local(start)}", f"DTEND;TZID={zone}:{ical_local(end)}"]


def entry_zones(entries, zones: dict[str, tuple[int, int]] | None = None) -> dict[str, tuple[int, int]]:
    """The VTIMEZONE years timed ``entries`` need, added to ``zones``."""
    zones = zones if zones is not None else {}
    for entry in entries:
        if entry.all_day and not entry.meeting_days:
            continue
        first, last = entry.start_date.year - 1, entry.end_date.year + 1
        known = zones.get(entry.timezone, (first, last))
        zones[entry.timezone] = (min(known[0], first), max(known[1], last))
    return zones


def ical_document(prodid: str, name: str | None, events: Iterable[str], zones: dict[str, tuple[int, int]]) -> bytes:
    """A VCALENDAR around VEVENT texts, with one VTIMEZONE per zone id (years to cover)."""
    lines = ["BEGIN:VCALENDAR\r\n", ical_line(f"PRODID:{prodid}"), "VERSION:2.0\r\n", "CALSCALE:GREGORIAN\r\n"]
    lines.append("METHOD:PUBLISH\r\n")
    if name:
        lines.append(ical_line(f"X-WR-CALNAME:{ical_text(name)}"))
    lines.extend(events)
    lines.extend(vtimezone(tzid, *years) for tzid, years in sorted(zones.items()) if tzid != "UTC")
    lines.append("END:VCALENDAR\r\n")
    return "".join(lines).encode()


# --- Conditional, cached derived documents ---------------------------------------------------------


def derived_response(
    request,
    key: str,
    build: Callable[[], bytes],
    *,
    content_type: str,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A document computed from the content, kept per content version, answered with ETag and Last-Modified.

    ``key`` names the document (and whatever else it depends on, such as the day for a calendar
    window); the content version is added here. Last-Modified is when this version of the document
    was first built: never earlier than the last change it shows, deletions included. A matching
    If-None-Match or If-Modified-Since gets a 304 without building or reading the body. Inside a
    transaction (where the version cannot move) the document is built each time and not kept.
    """
    if connection.in_atomic_block:
        body = build()
        meta = (_etag(body), int(timezone.now().timestamp()))
        response = get_conditional_response(request, etag=meta[0], last_modified=meta[1])
        return _with_headers(response or HttpResponse(body, content_type=content_type), meta, headers)
    full_key = f"document:{content_version()}:{key}"
    meta = cache.get(f"{full_key}:meta")
    if meta is not None:
        not_modified = get_conditional_response(request, etag=meta[0], last_modified=meta[1])
        if not_modified is not None:
            return _with_headers(not_modified, meta, headers)
    body = cache.get(full_key) if meta is not None else None
    if body is None:
        body = build()
        etag = _etag(body)
        last_modified = int(timezone.now().timestamp())
        if meta is not None and meta[0] == etag:
            last_modified = meta[1]
        meta = (etag, last_modified)
        cache.set_many({full_key: body, f"{full_key}:meta": meta}, DOCUMENT_SECONDS)
    response = get_conditional_response(request, etag=meta[0], last_modified=meta[1])
    if response is None:
        response = HttpResponse(body, content_type=content_type)
    return _with_headers(response, meta, headers)


def _etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def _with_headers(response: HttpResponse, meta: tuple[str, int], headers: dict[str, str] | None) -> HttpResponse:
    response["ETag"] = meta[0]
    response["Last-Modified"] = http_date(meta[1])
    if response.status_code == 200:
        for name, value in (headers or {}).items():
            response[name] = value
    return response
