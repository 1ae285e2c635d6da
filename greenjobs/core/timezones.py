"""Time zones as events and course sessions use them: validated IANA names and readable labels."""

import datetime as dt
import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@functools.cache
def available_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name. Use an IANA name such as Asia/Bangkok or Europe/Rome."),
            code="invalid_timezone",
            params={"value": value},
        )


def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(available_timezones())]


def zone_city(name: str) -> str:
    """The readable place of an IANA name: Asia/Ho_Chi_Minh -> Ho Chi Minh."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def utc_offset_label(moment: dt.datetime) -> str:
    """UTC+7, UTC+5:30, UTC-3 or UTC for an aware datetime (DST-aware: the offset of that moment)."""
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


class Zoned:
    """Local times of something with aware ``start`` and ``end`` instants and an IANA ``timezone`` name
    (a course session, a calendar entry); an unknown name reads as UTC."""

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def local_start(self) -> dt.datetime:
        return self.start.astimezone(self.zone)

    @property
    def local_end(self) -> dt.datetime:
        return self.end.astimezone(self.zone)
