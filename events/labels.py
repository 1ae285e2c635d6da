"""Dates as event lists show them."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from greenjobs.core.labels import formatted
from greenjobs.core.timezones import utc_offset_label


def day_label(day: dt.date) -> str:
    """ "Monday 28 April 2014" in the active language."""
    return formatted(day, "l j F Y")


def when_label(event) -> str:
    """Dates and times in the event's own zone, e.g. "28 April 2014, 09:00 Bangkok time (UTC+7)"."""
    dash = "\N{EN DASH}"
    first, last = day_label(event.start_date), day_label(event.end_date)
    if event.all_day:
        if event.end_date == event.start_date:
            return first
        return f"{first} {dash} {last}"
    start, end = event.local_start, event.local_end
    start_zone = _("%(city)s time (%(offset)s)") % {"city": event.zone_city, "offset": utc_offset_label(start)}
    end_zone = _("%(city)s time (%(offset)s)") % {"city": event.zone_city, "offset": utc_offset_label(end)}
    if event.end_date == event.start_date:
        return f"{first}, {start:%H:%M}{dash}{end:%H:%M} {start_zone}"
    if start_zone == end_zone:
        return f"{first}, {start:%H:%M} {dash} {last}, {end:%H:%M} {start_zone}"
    return f"{first}, {start:%H:%M} {start_zone} {dash} {last}, {end:%H:%M} {end_zone}"
