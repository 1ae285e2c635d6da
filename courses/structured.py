"""Machine-readable views of a course: iCalendar entries and schema.org JSON-LD."""

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from icalendar import Event

from greenjobs.structured import calendar_new, json_ld

from .models import Course, CourseFormat, CourseSession

PRODID = "-//Green Jobs Portal//Courses//EN"


def session_uid(session: CourseSession) -> str:
    return f"course-session-{session.pk}@greenjobs"


def course_calendar(course: Course, session: CourseSession, request) -> bytes:
    """One VEVENT for the session, in its own time zone (with the VTIMEZONE it needs)."""
    calendar = calendar_new(PRODID)

    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.local_start)
    event.add("dtend", session.local_end)
    event.add("summary", course.title)
    event.add("location", session.place)
    event.add("url", request.build_absolute_uri(course.get_absolute_url()))
    lines = [course.summary, "", request.build_absolute_uri(course.get_absolute_url())]
    if session.application_deadline:
        lines.insert(1, _("Application deadline: %(date)s") % {"date": session.application_deadline.isoformat()})
    if session.registration_url:
        lines.append(_("Apply: %(url)s") % {"url": session.registration_url})
    event.add("description", "\n".join(lines))
    event.add("status", "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


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


def course_json_ld(course: Course, sessions, request) -> SafeString:
    """schema.org Course with its upcoming sessions, safe to put inside <script>."""
    url = request.build_absolute_uri(course.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "description": course.summary,
        "url": url,
        "provider": {"@type": "Organization", "name": "Green Jobs Portal", "url": request.build_absolute_uri("/")},
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
        data["image"] = request.build_absolute_uri(course.image.url)
    return json_ld(data)
