"""Demo courses, in our own words, with sessions around today and preparation steps."""

import datetime
import io
import textwrap
import zoneinfo

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from .models import Course, CourseFormat, CourseSession, PreparationStep, SessionStatus, StepKind

# Sessions: (days from today, extra days, zone, online, venue, city, country, language, status).
# Steps: (kind, title, "pdf" | "txt" | "url:<address>", estimated minutes, required).

HOW_TO = {
    "read": "Read it through once and mark two passages you would like to discuss.",
    "watch": "Watch it in one sitting and note one idea to share with the group.",
    "do": "Write your answers down: you will use them in the first exercise.",
    "bring": "Pack it the day before the course starts.",
    "self_assess": "Be honest: nobody else sees your answers. It shows you where to focus.",
}

COURSES = [
    {
        "slug": "green-jobs-policies-and-assessment",
        "title": "Green jobs policies and assessment",
        "summary": "Measure how many green jobs a policy can create, and design measures that make those jobs decent.",
        "description": (
            "Governments are asked to show that climate and environment policies create work, not only cut "
            "emissions. This course walks through the main ways of estimating green jobs, from simple employment "
            "factors to input-output models, and what each method can and cannot tell you.\n\n"
            "Participants work on a policy from their own country and leave with a short assessment plan."
        ),
        "objectives": [
            "Explain what makes a job both green and decent",
            "Choose an assessment method that fits the data you have",
            "Read an input-output table and an employment factor with a critical eye",
            "Draft an assessment plan for a policy from your own country",
        ],
        "who": "Staff of labour, environment, planning and finance ministries; statisticians; researchers and "
        "social partners who advise on policy.",
        "prerequisites": "Comfort with spreadsheets. No economics degree needed.",
        "format": CourseFormat.FACE_TO_FACE,
        "languages": ["en", "fr"],
        "duration": "5 days",
        "effort": "Full days, 9:00 to 17:00",
        "themes": ["Policy", "Green jobs research and assessment"],
        "colour": (20, 90, 44),
        "sessions": [
            (-120, 4, "Europe/Rome", False, "International Training Centre", "Turin", "IT", "en", "closed"),
            (45, 4, "Europe/Rome", False, "International Training Centre", "Turin", "IT", "en", "open"),
            (110, 4, "Africa/Dakar", False, "Hotel Terrou-Bi conference rooms", "Dakar", "SN", "fr", "open"),
        ],
        "steps": [
            ("read", "Read the policy brief on green jobs concepts", "pdf", 40, True),
            (
                "do",
                "Collect employment figures for one sector in your country",
                "url:https://ilostat.ilo.org/",
                60,
                True,
            ),
            ("watch", "Watch the introduction to input-output tables", "url:https://www.youtube.com/", 25, True),
            ("self_assess", "Take the spreadsheet self-check", "txt", 20, False),
            ("bring", "Bring a laptop with a spreadsheet program", "url:https://www.libreoffice.org/", 5, True),
        ],
    },
    {
        "slug": "start-and-improve-your-green-business",
        "title": "Start and improve your green business",
        "summary": "Turn an idea that saves energy, water or materials into a business that pays its workers well.",
        "description": (
            "Many small firms already save resources without calling it green. This course helps would-be and "
            "existing entrepreneurs find the green opportunity in their market, cost it, and write a simple "
            "business plan.\n\n"
            "Trainers use practical exercises and local examples rather than lectures."
        ),
        "objectives": [
            "Spot a green business idea that local customers will pay for",
            "Work out costs, prices and cash flow",
            "Plan safe and fair working conditions from the start",
            "Pitch the plan to a lender",
        ],
        "who": "People starting a business, owners of micro and small enterprises, and business trainers.",
        "prerequisites": "Basic reading and arithmetic. Bring a business idea, however rough.",
        "format": CourseFormat.BLENDED,
        "languages": ["en", "es"],
        "duration": "3 weeks online, then 3 days in class",
        "effort": "4 hours a week online",
        "themes": ["Green entrepreneurship", "Green enterprises"],
        "colour": (11, 83, 148),
        "sessions": [
            (-60, 2, "America/Lima", False, "Centro de Formación", "Lima", "PE", "es", "closed"),
            (30, 2, "America/Lima", False, "Centro de Formación", "Lima", "PE", "es", "full"),
            (75, 2, "Africa/Nairobi", False, "Kenya School of Government", "Nairobi", "KE", "en", "open"),
        ],
        "steps": [
            ("self_assess", "Am I ready to start a business? A short quiz", "txt", 15, True),
            ("do", "Write down your business idea in five lines", "txt", 30, True),
            ("read", "Read the guide to costing and pricing", "pdf", 45, True),
            ("watch", "Watch three entrepreneurs tell their story", "url:https://www.youtube.com/", 30, False),
            ("bring", "Bring a calculator and a notebook", "url:https://en.wikipedia.org/wiki/Calculator", 0, True),
            (
                "do",
                "Visit two possible customers and ask what they need",
                "url:https://en.wikipedia.org/wiki/Customer_development",
                120,
                False,
            ),
        ],
    },
    {
        "slug": "skills-for-green-jobs",
        "title": "Skills for green jobs",
        "summary": "Find out which skills the green transition needs and adapt training systems to supply them.",
        "description": (
            "New technologies and rules change what workers need to know, often faster than curricula. This "
            "online course shows how to anticipate skill needs, update occupational standards and involve "
            "employers and unions in training.\n\n"
            "Each week ends with a short assignment reviewed by a tutor."
        ),
        "objectives": [
            "Identify skills gaps caused by environmental change",
            "Use labour market information to anticipate needs",
            "Update a training programme together with employers and workers",
        ],
        "who": "Training providers, employment services, employers' and workers' organisations.",
        "prerequisites": "A stable internet connection and about three hours a week.",
        "format": CourseFormat.ONLINE,
        "languages": ["en", "fr", "es"],
        "duration": "6 weeks",
        "effort": "3 hours a week",
        "themes": ["Skills for green jobs", "Renewable energy", "Green building and construction"],
        "colour": (122, 60, 0),
        "sessions": [
            (-30, 41, "UTC", True, "", "", "", "en", "closed"),
            (21, 41, "UTC", True, "", "", "", "en", "open"),
            (90, 41, "America/Bogota", True, "", "", "", "es", "open"),
        ],
        "steps": [
            ("do", "Create your account on the learning platform", "url:https://www.itcilo.org/", 10, True),
            ("read", "Read the note on anticipating skill needs", "pdf", 35, True),
            ("self_assess", "Rate your own knowledge of the topics", "txt", 15, True),
            ("watch", "Watch the welcome video from the tutors", "url:https://www.youtube.com/", 10, False),
        ],
    },
    {
        "slug": "a-just-transition-for-all",
        "title": "A just transition for all",
        "summary": "Plan a move to a low-carbon economy that leaves no worker or community behind.",
        "description": (
            "Closing a coal mine or a polluting plant changes a whole region. This course looks at how social "
            "dialogue, social protection and active labour market policies can make the shift fair.\n\n"
            "It uses the guidelines agreed by governments, employers and workers as a framework, and real "
            "transitions as cases."
        ),
        "objectives": [
            "Describe the main policy areas of a just transition",
            "Map who wins and who loses in a transition you know",
            "Design social dialogue around a closure or a new industry",
        ],
        "who": "Trade unionists, employers' representatives, ministry staff and local authorities.",
        "prerequisites": "Experience of social dialogue or of labour policy is helpful but not required.",
        "format": CourseFormat.FACE_TO_FACE,
        "languages": ["en"],
        "duration": "4 days",
        "effort": "Full days",
        "themes": ["Policy", "Climate resilience and adaptation"],
        "colour": (90, 40, 120),
        "sessions": [
            (-200, 3, "Asia/Bangkok", False, "United Nations Conference Centre", "Bangkok", "TH", "en", "closed"),
            (60, 3, "Asia/Manila", False, "Asian Institute of Management", "Manila", "PH", "en", "open"),
        ],
        "steps": [
            ("read", "Read the just transition guidelines in summary", "pdf", 50, True),
            ("do", "Map the workers and communities affected in your region", "txt", 60, True),
            ("watch", "Watch a panel of union and employer leaders", "url:https://www.youtube.com/", 45, False),
            (
                "bring",
                "Bring one newspaper article about a closure",
                "url:https://en.wikipedia.org/wiki/Just_transition",
                10,
                True,
            ),
            ("self_assess", "Check your knowledge of social protection", "txt", 15, False),
        ],
    },
    {
        "slug": "decent-work-in-sustainable-tourism",
        "title": "Decent work in sustainable tourism",
        "summary": "Grow tourism that protects nature and culture and offers steady, safe and fairly paid jobs.",
        "description": (
            "Tourism employs many young people and women, often in seasonal and informal jobs. This course "
            "looks at how destinations, hotels and tour operators can reduce their footprint and improve "
            "working conditions at the same time.\n\n"
            "Participants visit a local eco-lodge and interview its staff."
        ),
        "objectives": [
            "Assess the environmental and social footprint of a tourism business",
            "Improve working conditions in seasonal work",
            "Build partnerships with local communities",
        ],
        "who": "Tourism officials, hotel and tour managers, and workers' representatives in tourism.",
        "prerequisites": "Work experience in tourism or hospitality.",
        "format": CourseFormat.FACE_TO_FACE,
        "languages": ["en", "es"],
        "duration": "5 days",
        "effort": "Full days, with a field visit",
        "themes": ["Sustainable tourism"],
        "colour": (0, 100, 110),
        "sessions": [
            (14, 4, "America/Costa_Rica", False, "Universidad para la Paz", "San José", "CR", "es", "open"),
            (150, 4, "Pacific/Fiji", False, "University of the South Pacific", "Suva", "FJ", "en", "open"),
        ],
        "steps": [
            ("read", "Read the case of a family-run eco-lodge", "pdf", 30, True),
            ("do", "List the jobs in a tourism business you know", "txt", 30, True),
            ("bring", "Bring walking shoes and a rain jacket", "url:https://en.wikipedia.org/wiki/Ecotourism", 0, True),
            ("watch", "Watch the short film on seasonal work", "url:https://www.youtube.com/", 20, False),
        ],
    },
    {
        "slug": "enterprises-in-waste-management-and-recycling",
        "title": "Enterprises in waste management and recycling",
        "summary": "Build recycling enterprises where the work is safe, formal and fairly paid.",
        "description": (
            "Millions of people make a living by collecting and sorting waste, often without protection or "
            "contracts. This course shows how cooperatives and small firms in waste and e-waste can grow, "
            "formalise and work safely with municipalities.\n\n"
            "It mixes business skills with occupational safety and health."
        ),
        "objectives": [
            "Understand the value chain of recycled materials",
            "Organise waste pickers into cooperatives or enterprises",
            "Set up safe handling of hazardous and electronic waste",
            "Negotiate a service contract with a municipality",
        ],
        "who": "Cooperative leaders, small recycling firms, municipal officers and NGO staff.",
        "prerequisites": "None.",
        "format": CourseFormat.BLENDED,
        "languages": ["en", "fr", "pt"],
        "duration": "2 weeks online, then 4 days in class",
        "effort": "5 hours a week online",
        "themes": ["Waste management and recycling (including e-waste)", "Green enterprises"],
        "colour": (70, 80, 30),
        "sessions": [
            (-90, 3, "Africa/Accra", False, "Ghana Institute of Management", "Accra", "GH", "en", "closed"),
            (50, 3, "America/Sao_Paulo", False, "SENAI training centre", "São Paulo", "BR", "pt", "open"),
            (130, 3, "Africa/Accra", False, "Ghana Institute of Management", "Accra", "GH", "en", "open"),
        ],
        "steps": [
            ("read", "Read the safety sheet on handling e-waste", "pdf", 20, True),
            ("watch", "Watch how a waste pickers' cooperative works", "url:https://www.youtube.com/", 25, True),
            ("do", "Sketch the waste flows in your town", "txt", 45, True),
            ("self_assess", "Quiz: which materials can be recycled locally?", "txt", 10, False),
            (
                "bring",
                "Bring safety boots if you have them",
                "url:https://en.wikipedia.org/wiki/Steel-toe_boot",
                0,
                False,
            ),
            ("read", "Read a model service contract with a municipality", "pdf", 40, True),
            (
                "do",
                "Prepare three questions for the municipal officer",
                "url:https://en.wikipedia.org/wiki/Waste_picker",
                15,
                False,
            ),
        ],
    },
]


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType
        return ImageFont.load_default()


def _cover(title: str, colour: tuple[int, int, int]) -> ContentFile:
    image = Image.new("RGB", (1200, 800), colour)
    draw = ImageDraw.Draw(image)
    light = tuple(min(255, c + 90) for c in colour)
    draw.ellipse((820, 90, 1060, 330), fill=(242, 183, 5))
    draw.polygon([(0, 800), (0, 560), (320, 420), (640, 560), (900, 470), (1200, 600), (1200, 800)], fill=light)
    draw.polygon([(0, 800), (0, 680), (400, 600), (800, 700), (1200, 640), (1200, 800)], fill=(232, 243, 230))
    draw.multiline_text((70, 90), textwrap.fill(title, 22), font=_font(64), fill=(255, 255, 255), spacing=14)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return ContentFile(buffer.getvalue())


def _pdf(title: str, course: str) -> ContentFile:
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 1240, 150), fill=(20, 90, 44))
    draw.text((80, 50), "Green Jobs Portal · course preparation", font=_font(40), fill="white")
    draw.multiline_text((80, 230), textwrap.fill(title, 40), font=_font(54), fill=(31, 42, 34), spacing=12)
    body = (
        f"This short document prepares you for the course “{course}”. Read it before the first day and "
        "note two questions you would like the trainers to answer. It is demonstration content: the "
        "real course materials are shared with registered participants."
    )
    draw.multiline_text((80, 480), textwrap.fill(body, 58), font=_font(32), fill=(31, 42, 34), spacing=14)
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=150)
    return ContentFile(buffer.getvalue())


def _text(title: str, course: str) -> ContentFile:
    lines = [
        title,
        "=" * len(title),
        "",
        f"Preparation for the course: {course}",
        "",
        "1. Set aside the time shown on the course page.",
        "2. Write your answers below, in a few words each.",
        "3. Bring this sheet, filled in, to the first session.",
        "",
        "Notes:",
        "",
    ]
    return ContentFile("\n".join(lines).encode())


def _session(course: Course, spec: tuple, today: datetime.date) -> CourseSession:
    offset, length, zone_name, online, venue, city, country, language, status = spec
    zone = zoneinfo.ZoneInfo(zone_name)
    first_day = today + datetime.timedelta(days=offset)
    start = datetime.datetime.combine(first_day, datetime.time(9, 0), zone)
    end = datetime.datetime.combine(first_day + datetime.timedelta(days=length), datetime.time(17, 0), zone)
    if online:
        start = start.replace(hour=13)
        end = end.replace(hour=15)
    session = CourseSession(
        course=course,
        start=start,
        end=end,
        timezone=zone_name,
        is_online=online,
        venue=venue,
        city=city,
        country=country,
        language=language,
        application_deadline=first_day - datetime.timedelta(days=10),
        registration_url=f"https://greenjobs.example/apply/{course.slug}/{first_day:%Y-%m-%d}/",
        status=SessionStatus.CLOSED if offset < 0 else status,
    )
    session.full_clean()
    session.save()
    return session


def _steps(course: Course, spec: dict, upcoming: list[CourseSession]) -> int:
    for order, (kind, title, resource, minutes, required) in enumerate(spec["steps"], start=1):
        step = PreparationStep(
            course=course,
            order=order * 10,
            title=title,
            kind=StepKind(kind),
            description=HOW_TO[kind],
            estimated_minutes=minutes,
            required=required,
        )
        if resource.startswith("url:"):
            step.url = resource[4:]
        elif resource == "pdf":
            step.file.save(f"{course.slug}-{order}.pdf", _pdf(title, course.title), save=False)
        else:
            step.file.save(f"{course.slug}-{order}.txt", _text(title, course.title), save=False)
        if order == len(spec["steps"]) and len(upcoming) > 1:
            step.session = upcoming[-1]
        step.full_clean()
        step.save()
    return len(spec["steps"])


CONTENT = "courses"  # what has_content() looks for, as load_demo --if-empty names it


def has_content() -> bool:
    return Course.objects.exists()


def load() -> str:
    """Create the demo courses that are missing (by slug), each with its cover, sessions and steps.

    A course that exists is never touched, nor are its sessions and steps: their ids (and so the
    session calendar UIDs and .ics addresses) stay. Session dates are relative to the day the
    course is created, so they are no key: the course is.
    """
    today = timezone.localdate()
    courses = sessions = steps = 0
    for spec in COURSES:
        course, created = Course.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "summary": spec["summary"],
                "description": spec["description"],
                "learning_objectives": "\n".join(spec["objectives"]),
                "who_should_attend": spec["who"],
                "prerequisites": spec["prerequisites"],
                "format": spec["format"],
                "languages": spec["languages"],
                "duration": spec["duration"],
                "effort": spec["effort"],
                "is_published": True,
                "image_alt": "",
            },
        )
        if not created:
            continue
        courses += 1
        course.themes.add(*spec["themes"])
        course.image.save(f"{course.slug}.jpg", _cover(course.title, spec["colour"]), save=True)
        made = [_session(course, session_spec, today) for session_spec in spec["sessions"]]
        sessions += len(made)
        steps += _steps(course, spec, [session for session in made if session.start.date() >= today])
    return (
        f"{courses} courses created, {len(COURSES) - courses} already there; "
        f"{sessions} sessions, {steps} preparation steps created"
    )
