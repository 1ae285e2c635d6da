"""The URLs `make bench` loads: real ones from the seeded database, per page type, and a long-tail mix."""

import math
import random
from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import TaggedItem

from bench.seed import FIRST_MONTH, LAST_MONTH
from bench.vocabulary import Vocabulary
from cases.models import CaseStory
from cases.selectors import PAGE_SIZE
from courses.models import Course
from events.models import Event
from greenjobs.core.demo import theme_names

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


def url_lists() -> dict:
    """Real URLs per page type from the database: {"types": [{key, label, urls}], "mix": [...], "long_tail": {...}}.

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

    last_page = max(1, math.ceil(len(story_ids) / PAGE_SIZE))
    filters = []
    for pk in rng.choices([pk for pk in story_ids if pk in themes_of], k=POOL):
        filters.append(f"/cases/?{urlencode({'theme': rng.choice(themes_of[pk]), 'country': country_of[pk]})}")
    events = sample(list(Event.objects.published().values_list("slug", flat=True)))
    today = timezone.localdate()
    months = [(year, month) for year in range(FIRST_MONTH.year, LAST_MONTH.year + 1) for month in range(1, 13)]
    months = [(today.year, today.month)] + [m for m in sample(months) if m != (today.year, today.month)]
    used_themes = sorted(set(TaggedItem.objects.values_list("tag__slug", flat=True)))
    hot_theme = slugify(theme_names()[0])
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
        "story": ("story page", [reverse("cases:detail", kwargs={"slug": slug_of[pk]}) for pk in sample(story_ids)]),
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
        "cases-feed": ("/cases/feed/", [reverse("cases:feed")]),
        "events-feed": ("/events/feed/", [reverse("events:feed")]),
        "sitemap": ("/sitemap.xml", ["/sitemap.xml"]),
        "sitemap-section": ("sitemap section", sitemap_sections()),
        "calendar": ("/events/calendar.ics", [reverse("events:calendar_feed")]),
    }
    # The same pages in French and Spanish (/fr/, /es/): each language is its own page and cache entry.
    for key, language in (("story", "fr"), ("cases-page", "es"), ("event", "es"), ("month", "fr"), ("course", "fr")):
        label, urls = lists[key]
        lists[f"{key}-{language}"] = (f"{label} in /{language}/", [f"/{language}{url}" for url in urls])
    lists["cases-search"][1].extend(f"/cases/?{urlencode({'q': vocabulary.query(rng)})}" for _ in range(999))
    lists["search"][1].extend(f"{reverse('search')}?{urlencode({'q': vocabulary.query(rng)})}" for _ in range(1000))
    mix = [rng.choice(lists[key][1]) for key, share in LONG_TAIL.items() for _ in range(share * MIX_SIZE // 100)]
    rng.shuffle(mix)
    types = [{"key": key, "label": label, "urls": urls} for key, (label, urls) in lists.items() if urls]
    return {"types": types, "mix": mix, "long_tail": LONG_TAIL}


def sitemap_sections() -> list[str]:
    """The sections that /sitemap.xml lists when it is an index, largest first; none when it is one file."""
    host = next((host for host in settings.ALLOWED_HOSTS if host != "*" and host[0] != "."), "localhost")
    client = Client(HTTP_HOST=host)

    def body(path: str) -> bytes:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
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
