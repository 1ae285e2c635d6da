"""Seed the benchmark database at scale, and list the URLs to load (used by `make bench`).

The text follows Zipf's law over bench/vocabulary.txt (plus generated rare words), and each item is
about a few *subjects*, clusters of words tied to a theme, so searches and filters match as often as
on a real site. Themes and countries are Zipfian too. Rows go in with bulk_create; a marker row
records the seed version, so the data is seeded again only when SEED_VERSION or a count changes.
"""

import datetime as dt
import json
import math
import random
from functools import cached_property
from itertools import accumulate
from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from cases.demo import draw_photo
from cases.models import CaseStory, OrganisationType, Status
from cases.photos import photo_store
from courses.models import Course, CourseFormat, CourseSession, PreparationStep
from events.models import AgendaItem, Event
from greenjobs.themes import DEMO_THEMES

SEED_VERSION = 3
VOCABULARY_FILE = settings.BASE_DIR / "bench" / "vocabulary.txt"
VOCABULARY_SIZE = 3000
SUBJECTS = 150
SUBJECT_WORDS = 12
SENTENCES, SENTENCE_WORDS = 50_000, 13
COUNTRIES = ["IN", "PH", "BD", "VN", "ID", "TH", "KE", "BR", "CN", "NP", "LK", "PE", "MY", "MN", "FJ"]
ZONES = ["Asia/Bangkok", "Asia/Kolkata", "Asia/Manila", "Pacific/Fiji", "Europe/Zurich", "America/Lima", "UTC"]
SYLLABLES = "ba bo da de di fa ga ka ke ki ko la le li lo lu ma me mi mo na ne ni no pa pi ra re ri ro sa se si so"
FIRST_MONTH, LAST_MONTH = dt.date(2020, 1, 1), dt.date(2028, 12, 31)
# URLs per page type in the lists (fewer when the site has fewer), and the long-tail mix in per cent.
POOL = 5000
LONG_TAIL = {
    "story": 40,
    "cases-page": 10,
    "cases-filter": 10,
    "event": 10,
    "month": 10,
    "course": 5,
    "search": 10,
    "theme": 5,
}
MIX_SIZE = 10_000


def zipf_weights(count: int) -> list[float]:
    """Cumulative Zipf-Mandelbrot weights of ranks 1..count (s = 1, q = 2.7, as fitted to English text)."""
    return list(accumulate(1 / (rank + 2.7) for rank in range(1, count + 1)))


class Vocabulary:
    """Words by rank: function words, then content words, then generated rare words."""

    def __init__(self, size: int = VOCABULARY_SIZE):
        function, content, part = [], [], None
        for line in VOCABULARY_FILE.read_text().splitlines():
            if line.startswith("#"):
                part = content if "content" in line else function
            elif line.strip():
                part.append(line.strip())
        rng, syllables, known = random.Random(1), SYLLABLES.split(), set(function + content)
        while len(function) + len(content) < size:
            word = "".join(rng.choice(syllables) for _ in range(rng.choice([2, 3, 3, 4])))
            if word not in known:
                known.add(word)
                content.append(word)
        self.words, self.content = function + content, content
        self._weights, self._content_weights = zipf_weights(len(self.words)), zipf_weights(len(content))

    @cached_property
    def sentences(self) -> list[str]:
        """Sentences of 7 to 19 words, a quarter of them "{}": slots for the words of an item's subjects.

        Items draw whole sentences from this pool, which is much faster than drawing every word."""
        rng, sentences = random.Random(2), []
        for _ in range(SENTENCES):
            words = self.words_of(rng, rng.randint(7, 19))
            for position in rng.sample(range(1, len(words)), len(words) // 4):
                words[position] = "{}"
            sentences.append(" ".join(words).capitalize() + ".")
        return sentences

    def words_of(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self._weights, k=count)

    def content_words(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.content, cum_weights=self._content_weights, k=count)

    def query(self, rng: random.Random) -> str:
        """Two different content words, common ones more often, as people type them."""
        first, second = self.content_words(rng, 1)[0], self.content_words(rng, 1)[0]
        while second == first:
            second = self.content_words(rng, 1)[0]
        return f"{first} {second}"


class Writer:
    """Titles and paragraphs about a few subjects, in the vocabulary's proportions."""

    def __init__(self, rng: random.Random, vocabulary: Vocabulary, topic: list[str]):
        self.rng, self.vocabulary, self.topic = rng, vocabulary, topic

    def _tokens(self, words: list[str], share: float) -> list[str]:
        for position in self.rng.sample(range(len(words)), int(len(words) * share)):
            words[position] = self.rng.choice(self.topic)
        return words

    def title(self, low: int = 4, high: int = 8) -> str:
        words = self._tokens(self.vocabulary.content_words(self.rng, self.rng.randint(low, high)), 0.5)
        return " ".join(words).capitalize()

    def text(self, words: int, limit: int | None = None) -> str:
        """About `words` words: sentences drawn from the vocabulary's, their subject slots filled from the topic."""
        sentences = self.rng.choices(self.vocabulary.sentences, k=round(words / SENTENCE_WORDS))
        slots = sum(sentence.count("{}") for sentence in sentences)
        text = " ".join(sentences).format(*self.rng.choices(self.topic, k=slots))
        if limit and len(text) > limit:
            text = text[: text.rfind(" ", 0, limit - 1)] + "."
        return text


class Command(BaseCommand):
    help = "Seed 20,000 published + 2,000 pending stories, 5,000 events, 200 courses and 300 themes."

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, default=20_000)
        parser.add_argument("--pending", type=int, default=2_000)
        parser.add_argument("--events", type=int, default=5_000)
        parser.add_argument("--courses", type=int, default=200)
        parser.add_argument("--themes", type=int, default=300)
        parser.add_argument("--reseed", action="store_true", help="seed again even if the data is current")
        parser.add_argument("--urls", metavar="FILE", help="write the URL lists (JSON) to FILE and stop")

    def handle(self, *args, **options):
        if options["urls"]:
            with open(options["urls"], "w") as out:
                json.dump(self.url_lists(), out)
            return
        version = ":".join(str(options[name]) for name in ("stories", "pending", "events", "courses", "themes"))
        version = f"{SEED_VERSION}:{version}"
        if not options["reseed"] and self.seeded_version() == version:
            self.stdout.write(f"bench data already seeded (version {version})")
            return
        started = timezone.now()
        rng, vocabulary = random.Random(2014), Vocabulary()
        with transaction.atomic():
            self.empty()
            tags = self.seed_themes(rng, vocabulary, options["themes"])
            theme_weights = zipf_weights(len(tags))
            subjects = self.subjects(rng, vocabulary, tags, theme_weights)
            self.draw = self.drawer(rng, subjects, tags, theme_weights)
            self.seed_stories(rng, vocabulary, options["stories"], options["pending"])
            self.seed_events(rng, vocabulary, options["events"])
            self.seed_courses(rng, vocabulary, options["courses"])
        call_command("rebuild_search_index", verbosity=0)
        with connection.cursor() as cursor:
            # Fresh statistics, as autovacuum keeps them on a live site: without them the planner
            # takes a bulk-loaded table for empty and picks nested loops over thousands of rows.
            cursor.execute("ANALYZE")
            cursor.execute("INSERT INTO bench_seed (id, version) VALUES (1, %s)", [version])
        took = (timezone.now() - started).total_seconds()
        self.stdout.write(f"seeded in {took:.0f} s (version {version})")

    def seeded_version(self) -> str | None:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS bench_seed (id integer PRIMARY KEY, version text NOT NULL)")
            cursor.execute("SELECT version FROM bench_seed WHERE id = 1")
            row = cursor.fetchone()
        return row[0] if row else None

    def empty(self):
        tables = [
            model._meta.db_table
            for model in (TaggedItem, Tag, AgendaItem, Event, PreparationStep, CourseSession, Course, CaseStory)
        ]
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE bench_seed, {', '.join(tables)} RESTART IDENTITY CASCADE")

    def subjects(self, rng, vocabulary, tags, theme_weights) -> list[tuple[list[str], Tag]]:
        """Words that go together (common ones and two rare ones), each set filed under a theme.

        Popular subjects get popular themes, so theme sizes stay Zipfian."""
        themes = sorted(rng.choices(range(len(tags)), cum_weights=theme_weights, k=SUBJECTS))
        return [
            (
                list(dict.fromkeys(vocabulary.content_words(rng, SUBJECT_WORDS)))
                + rng.sample(vocabulary.content[500:], 2),
                tags[theme],
            )
            for theme in themes
        ]

    def drawer(self, rng, subjects, tags, theme_weights):
        subject_weights = zipf_weights(len(subjects))

        def draw():
            """Words and themes of one item: one to three subjects, sometimes one more theme."""
            chosen = set(rng.choices(range(len(subjects)), cum_weights=subject_weights, k=rng.choice([1, 1, 2, 2, 3])))
            words = [word for index in chosen for word in subjects[index][0]]
            themes = {subjects[index][1] for index in chosen}
            if rng.random() < 0.3:
                themes.add(rng.choices(tags, cum_weights=theme_weights)[0])
            return words, themes

        return draw

    def seed_themes(self, rng, vocabulary, count):
        names, slugs = list(DEMO_THEMES), {slugify(name) for name in DEMO_THEMES}
        while len(names) < count:
            name = " ".join(vocabulary.content_words(rng, rng.choice([1, 2, 2, 3]))).capitalize()
            if slugify(name) not in slugs:
                slugs.add(slugify(name))
                names.append(name)
        return Tag.objects.bulk_create([Tag(name=name, slug=slugify(name)) for name in names])

    def tag(self, model, tagged: list[tuple[int, set]]):
        content_type = ContentType.objects.get_for_model(model)
        rows = [TaggedItem(tag=tag, content_type=content_type, object_id=pk) for pk, tags in tagged for tag in tags]
        TaggedItem.objects.bulk_create(rows, batch_size=5000)

    def seed_stories(self, rng, vocabulary, published, pending):
        photo = photo_store(draw_photo("solar", ((34, 110, 60), (240, 200, 60)), 7))
        now = timezone.now()
        country_weights = zipf_weights(len(COUNTRIES))
        stories, themes = [], []
        for n in range(published + pending):
            is_published = n < published
            when = now - dt.timedelta(hours=3 * n, minutes=rng.randint(0, 170))
            topic, item_themes = self.draw()
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
        self.tag(CaseStory, [(story.pk, item_themes) for story, item_themes in zip(created, themes, strict=True)])
        self.stdout.write(f"{len(created)} case stories")

    def seed_events(self, rng, vocabulary, count):
        events, themes = [], []
        span = (LAST_MONTH - FIRST_MONTH).days
        for n in range(count):
            topic, item_themes = self.draw()
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
        self.tag(Event, [(event.pk, item_themes) for event, item_themes in zip(created, themes, strict=True)])
        self.stdout.write(f"{len(created)} events, {len(items)} agenda items")

    def seed_courses(self, rng, vocabulary, count):
        now = timezone.now()
        courses, themes = [], []
        for n in range(count):
            topic, item_themes = self.draw()
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
        self.tag(Course, [(course.pk, item_themes) for course, item_themes in zip(courses, themes, strict=True)])
        self.stdout.write(f"{len(courses)} courses, {len(sessions)} sessions, {len(steps)} steps")

    # --- URL lists --------------------------------------------------------------------------------

    def url_lists(self) -> dict:
        """Real URLs per page type from the database: {"types": [{key, label, urls}], "mix": [...]}.

        The first URL of each list is the one the hot pass repeats."""
        rng, vocabulary = random.Random(2026), Vocabulary()
        published = CaseStory.objects.published()
        story_ids = list(published.values_list("pk", flat=True))
        slug_of = dict(published.values_list("pk", "slug"))
        country_of = dict(published.values_list("pk", "country"))
        themes_of: dict[int, list[str]] = {}
        cases_type = ContentType.objects.get_for_model(CaseStory)
        for object_id, slug in TaggedItem.objects.filter(content_type=cases_type).values_list("object_id", "tag__slug"):
            themes_of.setdefault(object_id, []).append(slug)

        def sample(items, size=POOL):
            return rng.sample(items, min(size, len(items)))

        try:
            from cases.views import PAGE_SIZE as page_size
        except ImportError:
            page_size = 12
        last_page = max(1, math.ceil(len(story_ids) / page_size))
        filters = []
        for pk in rng.choices([pk for pk in story_ids if pk in themes_of], k=POOL):
            filters.append(f"/cases/?{urlencode({'theme': rng.choice(themes_of[pk]), 'country': country_of[pk]})}")
        events = sample(list(Event.objects.published().values_list("slug", flat=True)))
        today = timezone.localdate()
        months = [(year, month) for year in range(FIRST_MONTH.year, LAST_MONTH.year + 1) for month in range(1, 13)]
        months = [(today.year, today.month)] + [m for m in sample(months) if m != (today.year, today.month)]
        used_themes = sorted(set(TaggedItem.objects.values_list("tag__slug", flat=True)))
        hot_theme = slugify(DEMO_THEMES[0])
        used_themes = [hot_theme] + [slug for slug in sample(used_themes) if slug != hot_theme]
        lists = {
            "home": ("/", ["/"]),
            "cases": ("/cases/", ["/cases/"]),
            "cases-filter": ("/cases/?theme=…&country=…", filters),
            "cases-search": ("/cases/?q=… (two words)", [f"/cases/?{urlencode({'q': vocabulary.query(rng)})}"]),
            "cases-page": (
                f"/cases/?page=N (N ≤ {last_page}; hot: last)",
                [f"/cases/?page={last_page}"] + [f"/cases/?page={n}" for n in sample(range(1, last_page + 1))],
            ),
            "story": (
                "story page",
                [reverse("cases:detail", kwargs={"slug": slug_of[pk]}) for pk in sample(story_ids)],
            ),
            "events": ("/events/", ["/events/"]),
            "event": ("event page", [reverse("events:detail", kwargs={"slug": slug}) for slug in events]),
            "month": (
                f"month grid {FIRST_MONTH.year}-{LAST_MONTH.year}",
                [reverse("events:month", kwargs={"year": f"{y:04d}", "month": f"{m:02d}"}) for y, m in months],
            ),
            "courses": ("/courses/", ["/courses/"]),
            "course": ("course page", [c.get_absolute_url() for c in sample(list(Course.objects.published()))]),
            "search": ("/search/?q=… (two words)", []),
            "themes": ("/themes/", [reverse("themes:list")]),
            "theme": ("theme page", [reverse("themes:detail", kwargs={"slug": slug}) for slug in used_themes]),
            "cases-feed": ("/cases/feed/", [reverse("cases_feed")]),
            "events-feed": ("/events/feed/", [reverse("events_feed")]),
            "sitemap": ("/sitemap.xml", ["/sitemap.xml"]),
            "sitemap-section": ("sitemap section", self.sitemap_sections()),
            "calendar": ("/events/calendar.ics", [reverse("events:calendar_feed")]),
        }
        lists["cases-search"][1].extend(f"/cases/?{urlencode({'q': vocabulary.query(rng)})}" for _ in range(999))
        lists["search"][1].extend(f"{reverse('search')}?{urlencode({'q': vocabulary.query(rng)})}" for _ in range(1000))
        mix = [rng.choice(lists[key][1]) for key, share in LONG_TAIL.items() for _ in range(share * MIX_SIZE // 100)]
        rng.shuffle(mix)
        types = [{"key": key, "label": label, "urls": urls} for key, (label, urls) in lists.items() if urls]
        return {"types": types, "mix": mix, "long_tail": LONG_TAIL}

    def sitemap_sections(self) -> list[str]:
        """The sections that /sitemap.xml lists when it is an index, largest first; none when it is one file."""
        host = next((host for host in settings.ALLOWED_HOSTS if host != "*" and host[0] != "."), "localhost")
        client = Client(HTTP_HOST=host)

        def body(path: str) -> bytes:
            response = client.get(path)
            if response.status_code != 200:
                raise CommandError(f"{path} answered {response.status_code}")
            return b"".join(response.streaming_content) if response.streaming else response.content

        root = ElementTree.fromstring(body("/sitemap.xml"))
        if not root.tag.endswith("sitemapindex"):
            return []
        paths = []
        for loc in root.iter():
            if loc.tag.endswith("loc") and loc.text:
                parts = urlsplit(loc.text.strip())
                paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        return sorted(paths, key=lambda path: -len(body(path)))
