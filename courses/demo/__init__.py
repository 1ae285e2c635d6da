"""Demo courses (courses.toml), in our own words, with sessions around today and preparation steps."""

import datetime as dt
import zoneinfo

from django.utils import timezone

from courses.models import Course, CourseSession, PreparationStep, SessionStatus, StepKind
from greenjobs.core import demo

CONTENT = "courses"  # what has_content() looks for, as load_demo --if-empty names it


def data() -> dict:
    return demo.read(__file__, "courses.toml")


def has_content() -> bool:
    return Course.objects.exists()


def _session(course: Course, spec: dict, today: dt.date) -> CourseSession:
    """A session from 9:00 on its first day to 17:00 on its last (online: 13:00 to 15:00), in its time zone."""
    zone = zoneinfo.ZoneInfo(spec["timezone"])
    first_day = demo.day(today, spec["starts_in_days"])
    last_day = first_day + dt.timedelta(days=spec["ends_after_days"])
    online = spec.get("online", False)
    start = dt.datetime.combine(first_day, dt.time(13 if online else 9), zone)
    end = dt.datetime.combine(last_day, dt.time(15 if online else 17), zone)
    session = CourseSession(
        course=course,
        start=start,
        end=end,
        timezone=spec["timezone"],
        is_online=online,
        venue=spec.get("venue", ""),
        city=spec.get("city", ""),
        country=spec.get("country", ""),
        language=spec["language"],
        application_deadline=first_day - dt.timedelta(days=10),
        registration_url=f"https://greenjobs.example/apply/{course.slug}/{first_day:%Y-%m-%d}/",
        status=SessionStatus.CLOSED if spec["starts_in_days"] < 0 else spec["status"],
    )
    session.full_clean()
    session.save()
    return session


def _steps(course: Course, specs: list[dict], how_to: dict, upcoming: list[CourseSession], other: dict) -> int:
    """The steps, in order, with their French and Spanish titles and descriptions (``other``: the translated
    data files); the last one belongs to the last upcoming session when there are several."""
    for order, spec in enumerate(specs, start=1):
        translated = {}
        for code, content in other.items():
            steps_in = content.get("courses", {}).get(course.slug, {}).get("steps", [])
            if len(steps_in) >= order:
                translated.update(demo.translated_fields(steps_in[order - 1], code))
            if spec["kind"] in content.get("how_to", {}):
                translated[f"description_{code}"] = content["how_to"][spec["kind"]]
        step = PreparationStep(
            **translated,
            course=course,
            order=order * 10,
            title=spec["title"],
            kind=StepKind(spec["kind"]),
            description=how_to[spec["kind"]],
            estimated_minutes=spec["estimated_minutes"],
            required=spec["required"],
            url=spec.get("url", ""),
        )
        if "file" in spec:
            demo.media_copy(step.file, __file__, spec["file"])
        if order == len(specs) and len(upcoming) > 1:
            step.session = upcoming[-1]
        step.full_clean()
        step.save()
    return len(specs)


def _translations(slug: str, other: dict) -> dict[str, str]:
    """The course's French and Spanish fields from the translated data files."""
    fields = {}
    for code, content in other.items():
        spec = dict(content.get("courses", {}).get(slug, {}))
        if "objectives" in spec:
            spec["objectives"] = "\n".join(spec["objectives"])
        fields.update(demo.translated_fields(spec, code, {"objectives": "learning_objectives"}))
    return fields


def _course(spec: dict, other: dict) -> tuple[Course, bool]:
    return Course.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            **_translations(spec["slug"], other),
            "title": spec["title"],
            "summary": spec["summary"],
            "description": spec["description"],
            "learning_objectives": "\n".join(spec["objectives"]),
            "who_should_attend": spec["who_should_attend"],
            "prerequisites": spec["prerequisites"],
            "format": spec["format"],
            "languages": spec["languages"],
            "duration": spec["duration"],
            "effort": spec["effort"],
            "is_published": True,
            "image_alt": "",
        },
    )


def load() -> str:
    """Create the demo courses that are missing (by slug), each with its cover, sessions and steps.

    A course that exists is never touched, nor are its sessions and steps: their ids (and so the
    session calendar UIDs and .ics addresses) stay. Session dates are relative to the day the
    course is created, so they are no key: the course is.
    """
    demo.theme_tags_ensure()
    today = timezone.localdate()
    content = data()
    other = demo.translations(__file__, "courses.toml")
    courses = sessions = steps = 0
    for spec in content["courses"]:
        course, created = _course(spec, other)
        if not created:
            continue
        courses += 1
        course.themes.add(*demo.themes(spec["themes"]))
        demo.media_copy(course.image, __file__, spec["image"])
        course.save()
        made = [_session(course, session_spec, today) for session_spec in spec["sessions"]]
        sessions += len(made)
        upcoming = [session for session in made if session.start.date() >= today]
        steps += _steps(course, spec["steps"], content["how_to"], upcoming, other)
    return (
        f"{courses} courses created, {len(content['courses']) - courses} already there; "
        f"{sessions} sessions, {steps} preparation steps created"
    )
