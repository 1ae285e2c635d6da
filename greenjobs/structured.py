"""Machine-readable output shared by the apps: schema.org JSON-LD and iCalendar responses."""

import json

from django.http import HttpResponse
from django.utils.safestring import SafeString, mark_safe


def json_ld(data: dict) -> SafeString:
    """JSON for a ``<script type="application/ld+json">`` element.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so no value (a contributor's title,
    say) can close the script element.
    """
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def calendar_response(ical: bytes, filename: str) -> HttpResponse:
    """An iCalendar download, as calendar apps expect it."""
    response = HttpResponse(ical, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
