from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from events.grid import month_of
from events.models import Event
from greenjobs.core.derived import derived

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
    """Home page slot: this month's mini calendar and the next three events (two queries when it is rendered)."""
    now = timezone.now()
    slot = now.replace(minute=now.minute - now.minute % HOME_SLOT_MINUTES, second=0, microsecond=0)

    def build() -> str:
        context = _mini_calendar_context()
        context["upcoming"] = list(Event.objects.published().upcoming().for_lists()[:HOME_UPCOMING])
        return render_to_string("events/_home_events.html", context)

    return derived(f"events:home:{slot.isoformat()}:{get_language()}", build)
