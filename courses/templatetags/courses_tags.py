from django import template
from django.utils import timezone

from courses.labels import format_minutes
from courses.models import CourseSession
from greenjobs.core.derived import derived, slot_start

register = template.Library()


# The sessions not begun when the slot began are kept per content version and slot (a few more than shown,
# as some may begin before it ends); those begun since are dropped at each request.
SPARE = 10


@register.inclusion_tag("courses/_home_sessions.html", takes_context=False)
def upcoming_course_sessions(limit: int = 3):
    """Home page slot: the next sessions of published courses (one query, once per content version and slot)."""
    now = timezone.now()
    slot = slot_start(now)

    def next_sessions(since, count: int) -> list:
        return list(CourseSession.objects.of_published_courses().upcoming(since).select_related("course")[:count])

    kept = derived(f"courses:home-sessions:{slot.isoformat()}:{limit}", lambda: next_sessions(slot, limit + SPARE))
    sessions = [session for session in kept if session.start >= now]
    if len(sessions) < limit and len(kept) == limit + SPARE:  # more began in five minutes than were kept
        sessions = next_sessions(now, limit)
    return {"sessions": sessions[:limit]}


@register.filter
def minutes(value) -> str:
    """Format a number of minutes: 45 min, 1 h, 3 h 30 min."""
    return format_minutes(value)
