"""Reads of events: what is public, upcoming, past or on some days, and the columns each list needs."""

import datetime as dt

from django.contrib.postgres.fields import DateRangeField
from django.db import models
from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import F, Func, Subquery, Value
from django.utils import timezone

from greenjobs.core.derived import derived, slot_start
from greenjobs.core.publishing import PublishableQuerySet
from greenjobs.core.taxonomy import ThemeNamesQuerySet

# The upcoming list follows the clock: what it reads from the database is kept this many minutes at most.
UPCOMING_SLOT_MINUTES = 5
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# Columns that lists, grids and calendars show: the long Markdown sections stay in the database.
LIST_FIELDS = (
    "pk", "title", "slug", "kind", "status", "all_day", "start_date", "start_time", "end_date", "end_time",
    "timezone", "starts_at", "ends_at", "venue", "city", "country", "online_url", "summary", "updated",
)  # fmt: skip
GRID_FIELDS = (
    "pk", "title", "slug", "all_day", "start_date", "start_time", "end_date", "end_time", "timezone", "starts_at",
)  # fmt: skip
# Columns a calendar entry needs (events.structured.calendar_of).
ICAL_FIELDS = (
    "pk", "slug", "title", "all_day", "start_date", "start_time", "end_date", "end_time", "timezone",
    "venue", "city", "country", "online_url", "summary", "updated",
)  # fmt: skip


def event_days() -> Func:
    """The local dates an event covers, as a daterange (the expression of the event_days_gist index)."""
    return Func(F("start_date"), F("end_date"), Value("[]"), function="daterange", output_field=DateRangeField())


class EventQuerySet(PublishableQuerySet, ThemeNamesQuerySet):
    def published(self):
        return self.filter(status=self.model.Status.PUBLISHED)

    def upcoming(self, now=None):
        """Events that have not ended yet, soonest first."""
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "title")

    def past(self, now=None):
        """Events that have ended, most recent first."""
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "title")

    def overlapping(self, first: dt.date, last: dt.date):
        """Events covering at least one local date between first and last (inclusive), through event_days_gist."""
        return (
            self.alias(days=event_days())
            .filter(days__overlap=DateRange(first, last, "[]"))
            .order_by("starts_at", "title")
        )

    def for_lists(self):
        return self.only(*LIST_FIELDS)

    def for_grids(self):
        return self.only(*GRID_FIELDS)

    def for_feeds(self):
        """What an RSS or Atom item shows: the list columns, when it was announced, its theme names."""
        return self.only(*LIST_FIELDS, "created").with_theme_names()

    def for_calendars(self):
        """What an iCalendar entry shows: its columns and its theme names by name (one query)."""
        return self.only(*ICAL_FIELDS).with_theme_names("tag__name")


def _micros(moment: dt.datetime) -> int:
    return (moment - EPOCH) // dt.timedelta(microseconds=1)


class EventManager(models.Manager.from_queryset(EventQuerySet)):
    def upcoming_ids(self, now: dt.datetime | None = None) -> tuple[list[int], bool]:
        """The published events that have not ended at ``now``, soonest first, and whether any has ended.

        The events not ended when the current slot began are kept per content version and slot; those that
        ended since are dropped here, so the answer is exact to the microsecond, with no query.
        """
        now = now or timezone.now()
        start = slot_start(now, UPCOMING_SLOT_MINUTES)

        def build() -> dict:
            published = self.published()
            # Through the index on ends_at (exists() would drop the ordering and may read the whole table).
            last_past = published.filter(ends_at__lt=start).order_by("-ends_at").values("pk")[:1]
            rows = published.upcoming(start).annotate(last_past=Subquery(last_past))
            rows = list(rows.values_list("pk", "ends_at", "last_past")) or [(None, None, last_past.first())]
            return {
                "events": [(pk, _micros(ends)) for pk, ends, _past in rows if pk is not None],
                "has_past": rows[0][2] is not None,
            }

        kept = derived(f"events:upcoming:{start.isoformat()}", build)
        cutoff = _micros(now)
        ids = [pk for pk, ends in kept["events"] if ends >= cutoff]
        return ids, kept["has_past"] or len(ids) < len(kept["events"])
