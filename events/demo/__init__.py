"""Demo events (events.toml): the 2014 Learning and Planning Meeting and about ten events around today."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from events.links import course_by_slug
from events.models import AgendaItem, Document, Event
from greenjobs.core import demo

LPM_SLUG = "learning-and-planning-meeting-asia-pacific-2014"  # the meeting with an agenda and a document
# Keys that are not fields of the event.
KEYS = {"slug", "themes", "agenda", "documents", "counted_from", "starts_in_days", "ends_in_days", "course"}
_just_created: set[str] = set()  # slugs created by the last load(), for link()

CONTENT = "events"  # what has_content() looks for, as load_demo --if-empty names it


def events() -> list[dict]:
    return demo.read(__file__, "events.toml")["events"]


def has_content() -> bool:
    return Event.objects.exists()


def _fields(spec: dict, today: dt.date, other: dict) -> dict:
    """The event's fields, with its dates fixed in the data or counted from today, and its French and Spanish
    text (``other``: the translated data files)."""
    fields = {key: value for key, value in spec.items() if key not in KEYS}
    for code, content in other.items():
        fields.update(demo.translated_fields(content.get("events", {}).get(spec["slug"], {}), code))
    if "starts_in_days" in spec:
        counted_from = spec.get("counted_from", "today")
        fields["start_date"] = demo.day(today, spec["starts_in_days"], counted_from)
        fields["end_date"] = demo.day(today, spec["ends_in_days"], counted_from)
    fields["status"] = Event.Status.PUBLISHED
    return fields


def _children(event: Event, spec: dict) -> None:
    """The agenda and documents of an event just created."""
    AgendaItem.objects.bulk_create(
        AgendaItem(
            event=event,
            date=event.start_date + dt.timedelta(days=item["day"] - 1),
            start_time=item["start_time"],
            end_time=item["end_time"],
            title=item["title"],
            session_type=item["session_type"],
            speakers=item.get("speakers", ""),
            description=item.get("description", ""),
            order=number,
        )
        for number, item in enumerate(spec.get("agenda", []))
    )
    for item in spec.get("documents", []):
        document = Document(event=event, kind=item["kind"], title=item["title"])
        demo.media_copy(document.file, __file__, item["file"])
        document.save()


def load() -> str:
    """Create the demo events that are missing (by slug); dates around today are those of the day they are created.

    An event that exists is never touched, nor are its agenda and documents: they are created only with it.
    """
    demo.theme_tags_ensure()
    today = timezone.localdate()
    specs = events()
    other = demo.translations(__file__, "events.toml")
    _just_created.clear()
    created = 0
    for spec in specs:
        event, was_created = Event.objects.get_or_create(slug=spec["slug"], defaults=_fields(spec, today, other))
        if was_created:
            created += 1
            _just_created.add(event.slug)
            event.themes.add(*demo.themes(spec["themes"]))
            _children(event, spec)
    return f"{created} events created, {len(specs) - created} already there"


def link() -> str:
    """Give each demo event created by the last ``load()`` that names a course (``course = "<slug>"``) its course.

    Run after every app's ``load()``, since the courses are loaded after the events; events that were already
    there are left as they are.
    """
    linked = 0
    for spec in events():
        if "course" not in spec or spec["slug"] not in _just_created:
            continue
        course = course_by_slug(spec["course"])
        if course is None:
            continue
        content_type = ContentType.objects.get_for_model(course)
        linked += Event.objects.filter(slug=spec["slug"], course_type__isnull=True).update(
            course_type=content_type, course_object_id=course.pk
        )
    return f"{linked} events linked to their course"
