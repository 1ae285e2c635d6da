"""Course sessions on the one calendar (greenjobs.core.calendar): the entries this app registers."""

import datetime as dt

from django.utils.translation import gettext as _

from greenjobs.core.calendar import CalendarEntry
from greenjobs.core.taxonomy import themes_of

from .models import Course, CourseSession

KIND = "course"
# A session covering more local days than this is shown and exported as whole days (the hours are in its
# description), so that a four-week online course does not fill every hour of a calendar.
LONG_SESSION_DAYS = 7
SESSION_FIELDS = (
    "pk", "start", "end", "timezone", "is_online", "venue", "city", "country", "application_deadline",
    "registration_url", "course__id", "course__slug", "course__title", "course__summary", "course__updated",
)  # fmt: skip


def is_long(session) -> bool:
    zone = session.zone
    return (session.end.astimezone(zone).date() - session.start.astimezone(zone).date()).days >= LONG_SESSION_DAYS


def session_entry(session: CourseSession, course: Course, themes=(), theme_slugs=()) -> CalendarEntry:
    """A session as the calendar shows it: the course's title, linking to its preparation page."""
    long = is_long(session)
    summary = course.summary
    if long:
        summary = _("%(summary)s Meets from %(start)s to %(end)s (%(zone)s time) over these weeks.") % {
            "summary": summary,
            "start": f"{session.local_start:%H:%M}",
            "end": f"{session.local_end:%H:%M}",
            "zone": session.timezone,
        }
    return CalendarEntry(
        uid=f"course-session-{session.pk}@greenjobs",
        title=course.title,
        kind=KIND,
        kind_label=_("Course session"),
        start=session.start,
        end=session.end,
        timezone=session.timezone,
        url=course.get_absolute_url(),
        place=session.place,
        country="" if session.is_online or not session.country else session.country.code,
        summary=summary,
        themes=tuple(themes),
        theme_slugs=tuple(theme_slugs),
        updated=course.updated,
        all_day=long,
    )


def calendar_entries(start=None, end=None, *, theme: str | None = None, limit: int | None = None, course=None):
    """``Publication.calendar_entries``: sessions of published courses in the window, soonest first (one query).

    ``course`` narrows them to one course (its own calendar).
    """
    sessions = (
        CourseSession.objects.filter(course__is_published=True)
        .select_related("course")
        .only(*SESSION_FIELDS)
        .annotate(
            theme_names=themes_of(Course, "tag__name", item="course_id"),
            theme_slugs=themes_of(Course, "tag__slug", item="course_id"),
        )
        .order_by("start", "pk")
    )
    if start is not None:
        sessions = sessions.filter(end__gt=start)
    if end is not None:
        sessions = sessions.filter(start__lt=end)
    if theme is not None:
        sessions = sessions.filter(course__in=Course.objects.filter(themes__slug=theme).values("pk"))
    if course is not None:
        sessions = sessions.filter(course=course)
    if limit is not None:
        sessions = sessions[:limit]
    return [session_entry(s, s.course, s.theme_names or (), s.theme_slugs or ()) for s in sessions]


def upcoming_of(course, now: dt.datetime | None = None) -> list[CalendarEntry]:
    """The course's own calendar: its sessions from a year back."""
    since = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=365)
    return calendar_entries(since, None, course=course)
