"""Demo events: the 2014 Learning and Planning Meeting and about ten events around today."""

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from .models import AgendaItem, Document, Event

LPM_SLUG = "learning-and-planning-meeting-asia-pacific-2014"
T = dt.time


def _technical_note_pdf() -> bytes:
    """A one-page A4 PDF drawn with Pillow."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle([0, 0, 1240, 160], fill=(20, 90, 44))
    draw.text((80, 60), "Green Jobs Programme for Asia and the Pacific", fill="white")
    lines = [
        "Learning and Planning Meeting, Bangkok, 28-30 April 2014",
        "Technical note",
        "",
        "Purpose: take stock of two years of green jobs work in the region,",
        "share what worked and agree on country and regional action agendas.",
        "",
        "Days 1-2: learning - Where are we now? What do we have?",
        "Day 3: planning - Where do we go from here?",
        "",
        "Participants: green jobs officers of the country offices and",
        "technical specialists of the regional office.",
    ]
    for number, line in enumerate(lines):
        draw.text((80, 240 + number * 40), line, fill=(31, 42, 34))
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=150)
    return buffer.getvalue()


LPM_AGENDA = [
    (
        0,
        T(9),
        T(9, 30),
        "Welcome and opening",
        "plenary",
        "Regional office",
        "Why we meet and what we want to leave with.",
    ),
    (
        0,
        T(9, 30),
        T(12),
        "Where are we now? Country round",
        "plenary",
        "Green jobs officers",
        "Each country office shows its green jobs work in ten minutes: one success, one difficulty.",
    ),
    (0, T(12), T(13), "Lunch", "break", "", ""),
    (
        0,
        T(13),
        T(17),
        "What do we have? Tools and products",
        "group_work",
        "Technical specialists",
        "Hands-on sessions on the assessment methods, training packages and enterprise tools at hand.",
    ),
    (
        1,
        T(9),
        T(12),
        "Sustainable tourism and green entrepreneurship",
        "group_work",
        "Enterprise specialists",
        "What it takes to start and grow small green businesses in tourism and services.",
    ),
    (1, T(12), T(13), "Lunch", "break", "", ""),
    (
        1,
        T(13),
        T(17),
        "Waste, recycling and e-waste: a field visit",
        "field_visit",
        "Local partners",
        "A visit to a recycling cooperative to see safe, formal work in practice.",
    ),
    (
        2,
        T(9),
        T(12),
        "Where do we go from here?",
        "plenary",
        "Regional office",
        "Priorities for research, skills and policy advice in the next two years.",
    ),
    (2, T(12), T(13), "Lunch", "break", "", ""),
    (
        2,
        T(13),
        T(16),
        "Country and regional action agendas",
        "group_work",
        "All participants",
        "Country teams draft their action agendas and agree on a regional one.",
    ),
    (2, T(16), T(17), "Closing", "plenary", "Regional office", ""),
]

LPM_THEMES = [
    "Sustainable tourism",
    "Green entrepreneurship",
    "Climate resilience and adaptation",
    "Waste management and recycling (including e-waste)",
    "Green jobs research and assessment",
    "Skills for green jobs",
    "Policy",
]


def _learning_and_planning_meeting() -> bool:
    """Create the meeting with its themes, agenda and technical note, unless it exists."""
    event, created = Event.objects.get_or_create(
        slug=LPM_SLUG,
        defaults={
            "title": "Learning and Planning Meeting of the Green Jobs Programme for Asia and the Pacific",
            "kind": Event.Kind.MEETING,
            "status": Event.Status.PUBLISHED,
            "all_day": False,
            "start_date": dt.date(2014, 4, 28),
            "start_time": T(9),
            "end_date": dt.date(2014, 4, 30),
            "end_time": T(17),
            "timezone": "Asia/Bangkok",
            "venue": "Regional office conference room",
            "city": "Bangkok",
            "country": "TH",
            "summary": (
                "Three days in Bangkok for the green jobs officers of the country offices and the technical "
                "specialists: two days to learn from each other, one day to plan the work ahead."
            ),
            "background": (
                "Green jobs work in the region has grown country by country. Teams have tried assessments, "
                "trainings and enterprise support, often without hearing what their neighbours learned.\n\n"
                "This meeting brings the people doing the work into one room."
            ),
            "objectives": (
                "- Share results and lessons from each country office\n"
                "- Get to know the tools and products the programme already has\n"
                "- Agree on **country and regional action agendas** for the next two years"
            ),
            "target_participants": (
                "Green jobs officers of the country offices and the technical specialists who support them."
            ),
            "programme": (
                "Days 1 and 2 are for learning: *Where are we now? What do we have?* Day 3 is for planning: "
                "*Where do we go from here?* It ends with country and regional action agendas."
            ),
            "organiser": "Green Jobs Programme for Asia and the Pacific",
            "contact_name": "Mai Suwannarat",
            "contact_title": "Programme officer, green jobs",
            "contact_email": "greenjobs-asia@greenjobs.example",
        },
    )
    if not created:
        return False
    event.themes.add(*LPM_THEMES)
    AgendaItem.objects.bulk_create(
        AgendaItem(
            event=event,
            date=event.start_date + dt.timedelta(days=day),
            start_time=start,
            end_time=end,
            title=title,
            session_type=kind,
            speakers=speakers,
            description=description,
            order=number,
        )
        for number, (day, start, end, title, kind, speakers, description) in enumerate(LPM_AGENDA)
    )
    note = Document(event=event, kind=Document.Kind.TECHNICAL_NOTE, title="Technical note")
    note.file.save("lpm-2014-technical-note.pdf", ContentFile(_technical_note_pdf()), save=False)
    note.save()
    return True


def _around_today(today: dt.date) -> list[dict]:
    day = dt.timedelta(days=1)
    first_of_next = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    boundary = (first_of_next + dt.timedelta(days=32)).replace(day=1)  # start of the month after next
    return [
        {
            "slug": "green-jobs-research-seminar",
            "title": "Green jobs research seminar",
            "kind": "meeting",
            "all_day": True,
            "start_date": today,
            "end_date": today,
            "timezone": "Asia/Bangkok",
            "city": "Bangkok",
            "country": "TH",
            "themes": ["Green jobs research and assessment"],
            "summary": "A day of short talks on new studies that count and describe green jobs in the region.",
        },
        {
            "slug": "green-jobs-assessment-working-group",
            "title": "Green jobs assessment working group",
            "kind": "meeting",
            "start": (today + 3 * day, T(14)),
            "end": (today + 3 * day, T(16)),
            "timezone": "Europe/Zurich",
            "city": "Geneva",
            "country": "CH",
            "online_url": "https://meet.greenjobs.example/wg",
            "themes": ["Green jobs research and assessment", "Policy"],
            "summary": "The working group compares assessment methods and agrees on shared definitions.",
        },
        {
            "slug": "webinar-waste-pickers-cooperatives-lima",
            "title": "Webinar: from waste pickers to cooperatives",
            "kind": "webinar",
            "start": (today + 9 * day, T(10)),
            "end": (today + 9 * day, T(11, 30)),
            "timezone": "America/Lima",
            "online_url": "https://meet.greenjobs.example/lima",
            "themes": ["Waste management and recycling (including e-waste)"],
            "summary": "How recyclers in Lima organised, won contracts with the city and made their work safer.",
        },
        {
            "slug": "green-entrepreneurship-training-of-trainers",
            "title": "Green entrepreneurship: training of trainers",
            "kind": "training",
            "start": (today + 20 * day, T(9)),
            "end": (today + 22 * day, T(17)),
            "timezone": "Africa/Nairobi",
            "venue": "Training centre",
            "city": "Nairobi",
            "country": "KE",
            "themes": ["Green entrepreneurship", "Skills for green jobs"],
            "summary": "Three days to prepare trainers who coach young people starting green businesses.",
        },
        {
            "slug": "regional-forum-just-transition",
            "title": "Regional forum on a just transition",
            "kind": "conference",
            "all_day": True,
            "start_date": boundary - 2 * day,
            "end_date": boundary + 1 * day,
            "timezone": "Asia/Manila",
            "venue": "Convention centre",
            "city": "Manila",
            "country": "PH",
            "themes": ["Policy", "Climate resilience and adaptation"],
            "summary": "Governments, employers and workers discuss how to make the move to a low-carbon economy fair.",
        },
        {
            "slug": "skills-for-green-jobs-tvet-course",
            "title": "Skills for green jobs: course for TVET managers",
            "kind": "training",
            "start": (today + 45 * day, T(9)),
            "end": (today + 49 * day, T(16)),
            "timezone": "Europe/Rome",
            "venue": "Training campus",
            "city": "Turin",
            "country": "IT",
            "themes": ["Skills for green jobs"],
            "summary": "A week for managers of vocational schools on updating courses for green occupations.",
        },
        {
            "slug": "green-building-workshop-hanoi",
            "title": "Green building and construction workshop",
            "kind": "workshop",
            "start": (today + 75 * day, T(8, 30)),
            "end": (today + 76 * day, T(17)),
            "timezone": "Asia/Ho_Chi_Minh",
            "city": "Hanoi",
            "country": "VN",
            "themes": ["Green building and construction"],
            "summary": "Builders and trade unions look at skills and safety for energy-efficient construction.",
        },
        {
            "slug": "renewable-energy-skills-webinar",
            "title": "Webinar: skills for solar installers",
            "kind": "webinar",
            "start": (today - 12 * day, T(15)),
            "end": (today - 12 * day, T(16)),
            "timezone": "Europe/Zurich",
            "online_url": "https://meet.greenjobs.example/solar",
            "themes": ["Renewable energy", "Skills for green jobs"],
            "summary": "Trainers from three countries on what new solar installers need to learn.",
        },
        {
            "slug": "sustainable-tourism-field-workshop",
            "title": "Sustainable tourism field workshop",
            "kind": "workshop",
            "start": (today - 30 * day, T(9)),
            "end": (today - 28 * day, T(13)),
            "timezone": "Asia/Kathmandu",
            "city": "Pokhara",
            "country": "NP",
            "themes": ["Sustainable tourism"],
            "summary": "Guest-house owners and guides shared how they cut waste and kept staff all year.",
        },
        {
            "slug": "climate-resilience-planning-workshop",
            "title": "Climate resilience planning workshop",
            "kind": "workshop",
            "start": (today - 60 * day, T(9)),
            "end": (today - 59 * day, T(16)),
            "timezone": "Pacific/Fiji",
            "city": "Suva",
            "country": "FJ",
            "themes": ["Climate resilience and adaptation"],
            "summary": "Island ministries planned public works that protect coasts and create local jobs.",
        },
        {
            "slug": "recycling-enterprises-study-visit",
            "title": "Recycling enterprises study visit",
            "kind": "meeting",
            "all_day": True,
            "start_date": today - 100 * day,
            "end_date": today - 98 * day,
            "timezone": "Asia/Jakarta",
            "city": "Surabaya",
            "country": "ID",
            "themes": ["Waste management and recycling (including e-waste)", "Green enterprises"],
            "summary": "Officials visited small recycling firms that formalised their workers.",
        },
    ]


CONTENT = "events"  # what has_content() looks for, as load_demo --if-empty names it


def has_content() -> bool:
    return Event.objects.exists()


def load() -> str:
    """Create the demo events that are missing (by slug); dates around today are those of the day they are created."""
    created = int(_learning_and_planning_meeting())
    specs = _around_today(timezone.localdate())
    for original in specs:
        spec = dict(original)
        themes = spec.pop("themes")
        slug = spec.pop("slug")
        if "start" in spec:
            (spec["start_date"], spec["start_time"]), (spec["end_date"], spec["end_time"]) = (
                spec.pop("start"),
                spec.pop("end"),
            )
            spec["all_day"] = False
        else:
            spec.update(start_time=None, end_time=None)
        spec.setdefault("organiser", "Green Jobs Programme")
        spec["status"] = Event.Status.PUBLISHED
        event, was_created = Event.objects.get_or_create(slug=slug, defaults=spec)
        if was_created:
            created += 1
            event.themes.add(*themes)
    return f"{created} events created, {1 + len(specs) - created} already there"
