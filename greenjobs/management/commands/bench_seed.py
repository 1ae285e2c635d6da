"""Seed the benchmark database at scale with bulk_create (used by `make bench`)."""

import datetime as dt
import random

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from cases.demo import draw_photo
from cases.models import CaseStory, OrganisationType, Status
from cases.photos import photo_store
from courses.models import Course, CourseFormat, CourseSession, PreparationStep
from events.models import AgendaItem, Event
from greenjobs.management.commands.bench_search import ACTIONS, RESULTS, SUBJECTS
from greenjobs.themes import DEMO_THEMES

COUNTRIES = ["BD", "CN", "FJ", "IN", "ID", "MY", "MN", "NP", "PH", "LK", "TH", "VN", "KE", "PE", "BR"]
ZONES = ["Asia/Bangkok", "Asia/Kolkata", "Asia/Manila", "Pacific/Fiji", "Europe/Zurich", "America/Lima", "UTC"]
WORDS = [
    *("solar", "cooperative", "recycling", "workers", "union", "training", "apprentices", "energy"),
    *("efficiency", "waste", "pickers", "tourism", "farmers", "irrigation", "biogas", "construction"),
    *("insulation", "policy", "ministry", "enterprise", "wages", "safety", "contracts", "women", "youth"),
    *("skills", "forest", "restoration", "water", "climate", "adaptation", "transport"),
]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


class Command(BaseCommand):
    help = "Seed 20,000 published + 2,000 pending stories, 5,000 events, 200 courses and 300 themes."

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, default=20_000)
        parser.add_argument("--pending", type=int, default=2_000)
        parser.add_argument("--events", type=int, default=5_000)
        parser.add_argument("--courses", type=int, default=200)
        parser.add_argument("--themes", type=int, default=300)
        parser.add_argument("--reseed", action="store_true", help="empty the content tables first")
        parser.add_argument("--print-paths", action="store_true", help="print the pages to benchmark and stop")

    def handle(self, *args, **options):
        if options["print_paths"]:
            self.stdout.write("\n".join(self.paths()))
            return
        if options["reseed"]:
            self.empty()
        elif CaseStory.objects.count() >= options["stories"] + options["pending"]:
            self.stdout.write("bench data already seeded")
            return
        else:
            self.empty()
        started = timezone.now()
        rng = random.Random(2014)
        with transaction.atomic():
            tags = self.seed_themes(options["themes"])
            self.seed_stories(rng, tags, options["stories"], options["pending"])
            self.seed_events(rng, tags, options["events"])
            self.seed_courses(rng, tags, options["courses"])
        call_command("rebuild_search_index", verbosity=0)
        took = (timezone.now() - started).total_seconds()
        self.stdout.write(f"seeded in {took:.0f} s")

    def empty(self):
        tables = [
            model._meta.db_table
            for model in (TaggedItem, Tag, AgendaItem, Event, PreparationStep, CourseSession, Course, CaseStory)
        ]
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")

    def seed_themes(self, count):
        names = list(DEMO_THEMES) + [f"Bench theme {n}" for n in range(count - len(DEMO_THEMES))]
        return Tag.objects.bulk_create([Tag(name=name, slug=slugify(name)) for name in names])

    def tag(self, model, objects, tags, rng, *, per_object=2, favour=11):
        content_type = ContentType.objects.get_for_model(model)
        rows = []
        for obj in objects:
            # Most items carry a demo theme, as real content would; the rest spread over all themes.
            chosen = {rng.choice(tags[:favour])} | {rng.choice(tags) for _ in range(per_object - 1)}
            rows += [TaggedItem(tag=tag, content_type=content_type, object_id=obj.pk) for tag in chosen]
        TaggedItem.objects.bulk_create(rows, batch_size=5000)

    def seed_stories(self, rng, tags, published, pending):
        photo = photo_store(draw_photo("solar", ((34, 110, 60), (240, 200, 60)), 7))
        now = timezone.now()
        stories = []
        for n in range(published + pending):
            is_published = n < published
            when = now - dt.timedelta(hours=n)
            # Each story is about one subject and one action, as real stories are; results vary.
            subject, action = rng.choice(SUBJECTS), rng.choice(ACTIONS)

            def paragraph(sentences, subject=subject, action=action):
                return " ".join(f"{subject} {action}, and {rng.choice(RESULTS)}." for _ in range(sentences))

            stories.append(
                CaseStory(
                    title=f"{subject} {action} ({n})",
                    slug=f"bench-story-{n}",
                    summary=paragraph(1)[:300],
                    challenge=paragraph(4),
                    actions=paragraph(6),
                    environment_results=paragraph(3),
                    job_results=paragraph(3),
                    lessons=paragraph(2),
                    country=rng.choice(COUNTRIES),
                    organisation=f"Organisation {n % 900}",
                    organisation_type=rng.choice(OrganisationType.values),
                    photo=photo.name,
                    photo_width=photo.width,
                    photo_height=photo.height,
                    photo_renditions=photo.renditions,
                    photo_description="Solar panels on a cooperative roof",
                    photo_credit="Bench",
                    contributor_name="Bench Contributor",
                    contributor_email=f"bench{n}@example.org",
                    consent=True,
                    consent_at=when,
                    status=Status.PUBLISHED if is_published else Status.PENDING,
                    submitted_at=when,
                    published_at=when if is_published else None,
                )
            )
        created = CaseStory.objects.bulk_create(stories, batch_size=2000)
        self.tag(CaseStory, created, tags, rng)
        self.stdout.write(f"{len(created)} case stories")

    def seed_events(self, rng, tags, count):
        today = timezone.localdate()
        events = []
        for n in range(count):
            start = today + dt.timedelta(days=rng.randint(-900, 400))
            days = rng.choice([0, 0, 0, 1, 2])
            all_day = rng.random() < 0.3
            event = Event(
                title=f"{sentence(rng, 4)[:-1]} meeting {n}",
                slug=f"bench-event-{n}",
                kind=rng.choice(Event.Kind.values),
                status=Event.Status.PUBLISHED,
                all_day=all_day,
                start_date=start,
                end_date=start + dt.timedelta(days=days),
                start_time=None if all_day else dt.time(9, 0),
                end_time=None if all_day else dt.time(17, 0),
                timezone=rng.choice(ZONES),
                venue="Conference centre",
                city="Bangkok",
                country="TH",
                summary=sentence(rng, 30),
                background=sentence(rng, 60),
                objectives=sentence(rng, 40),
                organiser="Green Jobs Programme",
                contact_name="Bench Contact",
                contact_email="contact@example.org",
            )
            event.sync_instants()
            events.append(event)
        created = Event.objects.bulk_create(events, batch_size=2000)
        items = [
            AgendaItem(
                event=event,
                date=event.start_date,
                start_time=dt.time(9 + 2 * slot, 0),
                end_time=dt.time(10 + 2 * slot, 30),
                title=sentence(rng, 5),
                session_type=rng.choice(AgendaItem.SessionType.values),
                order=slot,
            )
            for event in created
            for slot in range(3)
        ]
        AgendaItem.objects.bulk_create(items, batch_size=5000)
        self.tag(Event, created, tags, rng)
        self.stdout.write(f"{len(created)} events, {len(items)} agenda items")

    def seed_courses(self, rng, tags, count):
        now = timezone.now()
        courses = Course.objects.bulk_create(
            [
                Course(
                    title=f"{sentence(rng, 4)[:-1]} course {n}",
                    slug=f"bench-course-{n}",
                    summary=sentence(rng, 20)[:250],
                    description=sentence(rng, 80),
                    learning_objectives="\n".join(sentence(rng, 8) for _ in range(4)),
                    who_should_attend=sentence(rng, 20),
                    prerequisites=sentence(rng, 10),
                    format=rng.choice(CourseFormat.values),
                    languages=["en"],
                    duration="5 days",
                    effort="Full days",
                    is_published=True,
                )
                for n in range(count)
            ]
        )
        sessions = []
        for course in courses:
            for k in range(3):
                start = now + dt.timedelta(days=rng.randint(-300, 300) + k)
                sessions.append(
                    CourseSession(
                        course=course,
                        start=start,
                        end=start + dt.timedelta(days=4),
                        timezone=rng.choice(ZONES),
                        venue="Training centre",
                        city="Turin",
                        country="IT",
                        language="en",
                        application_deadline=(start - dt.timedelta(days=20)).date(),
                        registration_url="https://example.org/apply",
                    )
                )
        CourseSession.objects.bulk_create(sessions, batch_size=2000)
        steps = [
            PreparationStep(
                course=course,
                order=k,
                title=sentence(rng, 5),
                kind=rng.choice(PreparationStep._meta.get_field("kind").choices)[0],
                description=sentence(rng, 20),
                url="https://example.org/reading",
                estimated_minutes=rng.choice([10, 20, 30, 45]),
            )
            for course in courses
            for k in range(5)
        ]
        PreparationStep.objects.bulk_create(steps, batch_size=2000)
        self.tag(Course, courses, tags, rng)
        self.stdout.write(f"{len(courses)} courses, {len(sessions)} sessions, {len(steps)} steps")

    def paths(self) -> list[str]:
        today = timezone.localdate()
        story = CaseStory.objects.published().first()
        theme = Tag.objects.get(name=DEMO_THEMES[0])
        country = CaseStory.objects.published().filter(themes=theme).values_list("country", flat=True).first()
        event = Event.objects.published().upcoming().first() or Event.objects.published().first()
        course = Course.objects.published().order_by("pk").first()
        paths = [
            "/",
            "/cases/",
            f"/cases/?theme={theme.slug}&country={country}",
            story.get_absolute_url(),
            "/events/",
            f"/events/{today:%Y}/{today:%m}/",
            event.get_absolute_url(),
            "/courses/",
            course.get_absolute_url(),
        ]
        return [*paths, reverse("search") + "?q=solar+cooperative"]
