"""Machine-readable views of a course: iCalendar entries and schema.org JSON-LD."""

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from greenjobs.core.siteurl import absolute
from greenjobs.core.structured import (
    entry_vevent,
    entry_zones,
    ical_document,
    ical_line,
    ical_local,
    ical_text,
    ical_utc,
    json_ld,
)

from .models import Course, CourseFormat, CourseSession

PRODID = "-//Green Jobs Portal//Courses//EN"


def session_uid(session: CourseSession) -> str:
    return f"course-session-{session.pk}@greenjobs"


def course_calendar(course: Course, session: CourseSession) -> bytes:
    """One VEVENT for the session, in its own time zone (with the VTIMEZONE it needs)."""
    url = absolute(course.get_absolute_url())
    lines = [course.summary, "", url]
    if session.application_deadline:
        lines.insert(1, _("Application deadline: %(date)s") % {"date": session.application_deadline.isoformat()})
    if session.registration_url:
        lines.append(_("Apply: %(url)s") % {"url": session.registration_url})
    description = "\n".join(lines)
    start, end, zone = session.local_start, session.local_end, session.timezone
    if zone == "UTC":
        when = [f"DTSTART:{ical_utc(start)}", f"DTEND:{ical_utc(end)}"]
    else:
        when = [f"DTSTART;TZID={zone}:{ical_local(start)}", f"DTEND;TZID={zone}:{ical_local(end)}"]
    vevent = [
        "BEGIN:VEVENT",
        f"UID:{session_uid(session)}",
        f"DTSTAMP:{ical_utc(timezone.now())}",
        *when,
        f"SUMMARY:{ical_text(course.title)}",
        f"LOCATION:{ical_text(session.place)}",
        f"URL:{url}",
        f"DESCRIPTION:{ical_text(description)}",
        "STATUS:CONFIRMED",
        "END:VEVENT",
    ]
    years = (start.year - 1, end.year + 1)
    return ical_document(PRODID, None, ["".join(ical_line(line) for line in vevent)], {zone: years})


def course_sessions_calendar(course: Course, entries) -> bytes:
    """The course's calendar: one VEVENT per session (``courses.calendar`` entries), named after the course."""
    root = absolute("/")
    name = _("Green Jobs Portal course: %(title)s") % {"title": course.title}
    return ical_document(PRODID, name, [entry_vevent(entry, root) for entry in entries], entry_zones(entries))


def _course_mode(course: Course, session: CourseSession) -> str:
    if session.is_online:
        return "online"
    return "blended" if course.format == CourseFormat.BLENDED else "onsite"


def _location(session: CourseSession, fallback_url: str) -> dict:
    if session.is_online:
        return {"@type": "VirtualLocation", "url": session.registration_url or fallback_url}
    address = {"@type": "PostalAddress", "addressLocality": session.city}
    if session.country:
        address["addressCountry"] = session.country.code
    return {"@type": "Place", "name": session.venue or session.city, "address": address}


def course_json_ld(course: Course, sessions) -> SafeString:
    """schema.org Course with its upcoming sessions, safe to put inside <script>."""
    url = absolute(course.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "description": course.summary,
        "url": url,
        "provider": {"@type": "Organization", "name": "Green Jobs Portal", "url": absolute("/")},
        "inLanguage": list(course.languages),
        "about": [tag.name for tag in course.themes.all()],
        "hasCourseInstance": [
            {
                "@type": "CourseInstance",
                "courseMode": _course_mode(course, session),
                "startDate": session.local_start.isoformat(),
                "endDate": session.local_end.isoformat(),
                "location": _location(session, url),
                "inLanguage": session.language,
            }
            for session in sessions
        ],
    }
    if course.image:
        data["image"] = absolute(course.image.url)
    return json_ld(data)
