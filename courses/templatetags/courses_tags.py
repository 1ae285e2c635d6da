from django import template
from django.utils import timezone

from courses.labels import format_minutes
from courses.models import CourseSession

register = template.Library()


@register.inclusion_tag("courses/_home_sessions.html", takes_context=False)
def upcoming_course_sessions(limit: int = 3):
    """Home page slot: the next sessions of published courses (one query)."""
    sessions = list(
        CourseSession.objects.of_published_courses().upcoming(timezone.now()).select_related("course")[:limit]
    )
    return {"sessions": sessions}


@register.filter
def minutes(value) -> str:
    """Format a number of minutes: 45 min, 1 h, 3 h 30 min."""
    return format_minutes(value)
