"""Seed the benchmark database at scale (`make bench`): stories, events, courses and themes.

The text comes from bench/vocabulary.py: Zipfian words, each item about a few subjects tied to a
theme. Themes and countries are Zipfian too. Rows go in with bulk_create; a marker row records the
seed version, so the data is seeded again only when SEED_VERSION or a count changes.
"""

import datetime as dt
import random

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from bench.photo import DESCRIPTION, draw_photo
from bench.vocabulary import Vocabulary, Writer, zipf_weights
from cases.models import CaseStory, OrganisationType, Status
from cases.photos import photo_store
from courses.models import Course, CourseFormat, CourseSession, PreparationStep
from events.models import AgendaItem, Event
from greenjobs.core.demo import theme_names

SEED_VERSION = 3
COUNTS = {"stories": 20_000, "pending": 2_000, "events": 5_000, "courses": 200, "themes": 300}
SUBJECTS = 150
SUBJECT_WORDS = 12
COUNTRIES = ["IN", "PH", "BD", "VN", "ID", "TH", "KE", "BR", "CN", "NP", "LK", "PE", "MY", "MN", "FJ"]
ZONES = ["Asia/Bangkok", "Asia/Kolkata", "Asia/Manila", "Pacific/Fiji", "Europe/Zurich", "America/Lima", "UTC"]
FIRST_MONTH, LAST_MONTH = dt.date(2020, 1, 1), dt.date(2028, 12, 31)


def seed(*, reseed: bool = False, **counts: int) -> None:
    """Seed `counts` (COUNTS by default) into the database, unless the data there is of this version."""
    counts = COUNTS | counts
    version = f"{SEED_VERSION}:" + ":".join(str(counts[name]) for name in COUNTS)
    if not reseed and seeded_version() == version:
        print(f"bench data already seeded (version {version})")
        return
    started = timezone.now()
    rng, vocabulary = random.Random(2014), Vocabulary()
    with transaction.atomic():
        empty()
        tags = seed_themes(rng, vocabulary, counts["themes"])
        draw = drawer(rng, vocabulary, tags)
        seed_stories(rng, vocabulary, draw, counts["stories"], counts["pending"])
        seed_events(rng, vocabulary, draw, counts["events"])
        seed_courses(rng, vocabulary, draw, counts["courses"])
    call_command("rebuild_search_index", verbosity=0)
    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum keeps them on a live site: without them the planner
        # takes a bulk-loaded table for empty and picks nested loops over thousands of rows.
        cursor.execute("ANALYZE")
        cursor.execute("INSERT INTO bench_seed (id, version) VALUES (1, %s)", [version])
    took = (timezone.now() - started).total_seconds()
    print(f"seeded in {took:.0f} s (version {version})")


def seeded_version() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_seed (id integer PRIMARY KEY, version text NOT NULL)")
        cursor.execute("SELECT version FROM bench_seed WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def empty() -> None:
    models = (TaggedItem, Tag, AgendaItem, Event, PreparationStep, CourseSession, Course, CaseStory)
    tables = ", ".join(model._meta.db_table for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE bench_seed, {tables} RESTART IDENTITY CASCADE")


def seed_themes(rng: random.Random, vocabulary: Vocabulary, count: int) -> list[Tag]:
    """The demo themes first, then generated names up to `count`."""
    names = theme_names()
    slugs = {slugify(name) for name in names}
    while len(names) < count:
        name = " ".join(vocabulary.content_words(rng, rng.choice([1, 2, 2, 3]))).capitalize()
        if slugify(name) not in slugs:
            slugs.add(slugify(name))
            names.append(name)
    return Tag.objects.bulk_create([Tag(name=name, slug=slugify(name)) for name in names])


def drawer(rng: random.Random, vocabulary: Vocabulary, tags: list[Tag]):
    """A function giving the words and themes of one item.

    Subjects are words that go together (common ones and two rare ones), each filed under a theme;
    popular subjects get popular themes, so theme sizes stay Zipfian."""
    theme_weights = zipf_weights(len(tags))
    themes = sorted(rng.choices(range(len(tags)), cum_weights=theme_weights, k=SUBJECTS))
    subjects = [
        (
            list(dict.fromkeys(vocabulary.content_words(rng, SUBJECT_WORDS))) + rng.sample(vocabulary.content[500:], 2),
            tags[theme],
        )
        for theme in themes
    ]
    subject_weights = zipf_weights(len(subjects))

    def draw() -> tuple[list[str], set[Tag]]:
        """Words and themes of one item: one to three subjects, sometimes one more theme."""
        chosen = set(rng.choices(range(len(subjects)), cum_weights=subject_weights, k=rng.choice([1, 1, 2, 2, 3])))
        words = [word for index in chosen for word in subjects[index][0]]
        item_themes = {subjects[index][1] for index in chosen}
        if rng.random() < 0.3:
            item_themes.add(rng.choices(tags, cum_weights=theme_weights)[0])
        return words, item_themes

    return draw


def tag(model, tagged: list[tuple[int, set[Tag]]]) -> None:
    content_type = ContentType.objects.get_for_model(model)
    rows = [TaggedItem(tag=tag, content_type=content_type, object_id=pk) for pk, tags in tagged for tag in tags]
    TaggedItem.objects.bulk_create(rows, batch_size=5000)


def seed_stories(rng: random.Random, vocabulary: Vocabulary, draw, published: int, pending: int) -> None:
    photo = photo_store(draw_photo())
    now = timezone.now()
    country_weights = zipf_weights(len(COUNTRIES))
    stories, themes = [], []
    for n in range(published + pending):
        is_published = n < published
        when = now - dt.timedelta(hours=3 * n, minutes=rng.randint(0, 170))
        topic, item_themes = draw()
        write = Writer(rng, vocabulary, topic)
        title = write.title()
        themes.append(item_themes)
        stories.append(
            CaseStory(
                title=title,
                slug=f"{slugify(title)[:80].strip('-')}-{n}",
                summary=write.text(rng.randint(20, 45), limit=300),
                challenge=write.text(rng.randint(40, 90)),
                actions=write.text(rng.randint(60, 140)),
                environment_results=write.text(rng.randint(30, 70)),
                job_results=write.text(rng.randint(30, 70)),
                lessons=write.text(rng.randint(0, 40)),
                country=rng.choices(COUNTRIES, cum_weights=country_weights)[0],
                organisation=f"{write.title(1, 3)} {rng.choice(['Cooperative', 'Ltd', 'Association', 'Council'])}",
                organisation_type=rng.choice(OrganisationType.values),
                photo=photo.name,
                photo_width=photo.width,
                photo_height=photo.height,
                photo_renditions=photo.renditions,
                photo_description=DESCRIPTION,
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
    tag(CaseStory, [(story.pk, item_themes) for story, item_themes in zip(created, themes, strict=True)])
    print(f"{len(created)} case stories")


def seed_events(rng: random.Random, vocabulary: Vocabulary, draw, count: int) -> None:
    events, themes = [], []
    span = (LAST_MONTH - FIRST_MONTH).days
    for n in range(count):
        topic, item_themes = draw()
        write = Writer(rng, vocabulary, topic)
        start = FIRST_MONTH + dt.timedelta(days=rng.randint(0, span - 3))
        days = rng.choice([0, 0, 0, 1, 2])
        all_day = rng.random() < 0.3
        title = f"{write.title(3, 6)} {rng.choice(['meeting', 'workshop', 'forum', 'webinar'])}"
        event = Event(
            title=title,
            slug=f"{slugify(title)[:60].strip('-')}-{n}",
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
            summary=write.text(30, limit=300),
            background=write.text(rng.randint(40, 100)),
            objectives=write.text(rng.randint(20, 60)),
            organiser="Green Jobs Programme",
            contact_name="Bench Contact",
            contact_email="contact@example.org",
        )
        event.sync_instants()
        event.rendered = event.render_sections()  # as Event.save() does; bulk_create does not call it
        events.append(event)
        themes.append(item_themes)
    created = Event.objects.bulk_create(events, batch_size=2000)
    items = [
        AgendaItem(
            event=event,
            date=event.start_date,
            start_time=dt.time(9 + 2 * slot, 0),
            end_time=dt.time(10 + 2 * slot, 30),
            title=Writer(rng, vocabulary, vocabulary.content[:50]).title(3, 6),
            session_type=rng.choice(AgendaItem.SessionType.values),
            order=slot,
        )
        for event in created
        for slot in range(3)
    ]
    AgendaItem.objects.bulk_create(items, batch_size=5000)
    tag(Event, [(event.pk, item_themes) for event, item_themes in zip(created, themes, strict=True)])
    print(f"{len(created)} events, {len(items)} agenda items")


def seed_courses(rng: random.Random, vocabulary: Vocabulary, draw, count: int) -> None:
    now = timezone.now()
    courses, themes = [], []
    for n in range(count):
        topic, item_themes = draw()
        write = Writer(rng, vocabulary, topic)
        title = f"{write.title(2, 5)} course"
        themes.append(item_themes)
        courses.append(
            Course(
                title=title,
                slug=f"{slugify(title)[:60].strip('-')}-{n}",
                summary=write.text(25, limit=250),
                description=write.text(rng.randint(60, 120)),
                learning_objectives="\n".join(write.text(8) for _ in range(4)),
                who_should_attend=write.text(20),
                prerequisites=write.text(10),
                format=rng.choice(CourseFormat.values),
                languages=["en"],
                duration="5 days",
                effort="Full days",
                is_published=True,
            )
        )
    courses = Course.objects.bulk_create(courses)
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
            title=Writer(rng, vocabulary, vocabulary.content[:50]).title(3, 6),
            kind=rng.choice(PreparationStep._meta.get_field("kind").choices)[0],
            description=Writer(rng, vocabulary, vocabulary.content[:50]).text(20),
            url="https://example.org/reading",
            estimated_minutes=rng.choice([10, 20, 30, 45]),
        )
        for course in courses
        for k in range(5)
    ]
    PreparationStep.objects.bulk_create(steps, batch_size=2000)
    tag(Course, [(course.pk, item_themes) for course, item_themes in zip(courses, themes, strict=True)])
    print(f"{len(courses)} courses, {len(sessions)} sessions, {len(steps)} steps")
