from django import template
from django.db.models import Value
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from events.entries import entries_between, kept_entries, upcoming_entries
from events.grid import build_month, merged, month_bounds, month_of
from events.models import Event
from greenjobs.core.derived import derived, slot_start

register = template.Library()

HOME_UPCOMING = 3
# The home slot's "coming up" list follows the clock: it is kept at most this many minutes.
HOME_SLOT_MINUTES = 5


def _mini_calendar_context(year: int | None = None, month: int | None = None) -> dict:
    today = timezone.localdate()
    grid = month_of(Event.objects.published().for_grids(), year or today.year, month or today.month, today)
    return {"grid": grid, "today": today}


@register.simple_tag
def mini_calendar(year: int | None = None, month: int | None = None):
    """The classic calendar portlet for sidebars: one month, days with events linked.

    Rendered once per day, month and content version (one query when it is).
    """
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    return derived(
        f"events:mini-calendar:{today.isoformat()}:{year}:{month}:{get_language()}",
        lambda: render_to_string("includes/mini_calendar.html", _mini_calendar_context(year, month)),
    )


@register.simple_tag
def home_events():
    """Home page slot: this month's mini calendar and the next three events or course sessions.

    One query for the events (the month's and the next three, together), one for the other calendar entries
    (kept per day, so often none); rendered once per five-minute slot.
    """
    now = timezone.now()
    slot = slot_start(now, HOME_SLOT_MINUTES)

    def build() -> str:
        today = timezone.localdate()
        first, last = month_bounds(today.year, today.month)
        published = Event.objects.published().for_lists()
        month = published.overlapping(first, last).annotate(part=Value(0))
        soon = published.upcoming(now).annotate(part=Value(1))[:HOME_UPCOMING]
        rows = list(month.union(soon, all=True))
        in_month = {event.pk: event for event in rows if event.part == 0}
        kept = kept_entries()
        in_month_entries = entries_between(first, last, kept)
        grid = build_month(today.year, today.month, merged(in_month.values(), in_month_entries), today)
        upcoming = merged((event for event in rows if event.part == 1), upcoming_entries(now, kept)[:HOME_UPCOMING])
        context = {"grid": grid, "today": today, "upcoming": upcoming[:HOME_UPCOMING]}
        return render_to_string("events/_home_events.html", context)

    return derived(f"events:home:{slot.isoformat()}:{get_language()}", build)
