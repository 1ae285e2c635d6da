from django import template
from django.utils import timezone

from events.grid import month_of
from events.models import Event

register = template.Library()

HOME_UPCOMING = 3


def _mini_calendar_context(year: int | None = None, month: int | None = None) -> dict:
    today = timezone.localdate()
    grid = month_of(Event.objects.published(), year or today.year, month or today.month, today)
    return {"grid": grid, "today": today}


@register.inclusion_tag("includes/mini_calendar.html", takes_context=False)
def mini_calendar(year: int | None = None, month: int | None = None):
    """The classic calendar portlet for sidebars: one month, days with events linked (one query)."""
    return _mini_calendar_context(year, month)


@register.inclusion_tag("events/_home_events.html", takes_context=False)
def home_events():
    """Home page slot: this month's mini calendar and the next three events (two queries)."""
    context = _mini_calendar_context()
    context["upcoming"] = list(Event.objects.published().upcoming()[:HOME_UPCOMING])
    return context
