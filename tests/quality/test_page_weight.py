"""Page weight as a visitor on a phone pays for it, with the demo content.

Sizes are gzip level 6 of each body, as whitenoise (which pre-compresses static files with gzip and
brotli) or gunicorn would send it; gzip is the conservative choice. Only resources the page references
are counted: <link rel=stylesheet> (print too: browsers fetch it), <link rel=icon>, <script src>,
<img src>. For an <img srcset> we count the candidate a 375 px phone at 2x picks (the smallest at least
750 px wide, or the largest there is) instead of src. Images are counted as stored (already compressed).
"""

import gzip
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.quality.pages import EXPECTED_STATUS, PAGES, load_demo, page_path

pytestmark = pytest.mark.django_db

KB = 1024
TEXT_BUDGET = 20 * KB  # HTML + CSS + JS of one page
HOME_BUDGET = 200 * KB  # everything on the home page, photos included
RENDITION_BUDGET = 100 * KB  # one photo rendition at 800 px
PHONE_PIXELS = 375 * 2
IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".webp", ".gif")


class Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.styles, self.scripts, self.images = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").split()
        if tag == "link" and "stylesheet" in rel:
            self.styles.append(attrs["href"])
        elif tag == "link" and "icon" in rel:
            self.images.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        elif tag == "img":
            self.images.append(phone_choice(attrs))


def phone_choice(attrs: dict) -> str:
    candidates = []
    for item in (attrs.get("srcset") or "").split(","):
        url, _, width = item.strip().partition(" ")
        if width.endswith("w"):
            candidates.append((int(width[:-1]), url))
    if not candidates:
        return attrs["src"]
    candidates.sort()
    return next((url for width, url in candidates if width >= PHONE_PIXELS), candidates[-1][1])


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def fetch(client, url: str) -> bytes:
    """A referenced file's bytes: static files from the finders (as collectstatic would copy them), media
    through the site's own media view, data: URLs not at all (they are inside the HTML)."""
    path = urlsplit(url).path
    if url.startswith("data:"):
        return b""
    if path.startswith(settings.STATIC_URL):
        found = finders.find(path.removeprefix(settings.STATIC_URL))
        assert found, f"{url} is referenced but missing"
        return Path(found).read_bytes()
    response = client.get(path)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return b"".join(response.streaming_content) if response.streaming else response.content


def weigh(client, page_type: str) -> dict:
    path = page_path(page_type)
    response = client.post(path, {}) if page_type == "submit-form-errors" else client.get(path)
    assert response.status_code == EXPECTED_STATUS.get(page_type, 200), path
    html = response.content
    found = Resources()
    found.feed(html.decode())
    css = sum(gzipped(fetch(client, url)) for url in dict.fromkeys(found.styles))
    js = sum(gzipped(fetch(client, url)) for url in dict.fromkeys(found.scripts))
    images = 0
    for url in dict.fromkeys(found.images):
        data = fetch(client, url)
        images += len(data) if url.lower().endswith(IMAGE_TYPES) else gzipped(data)
    text = gzipped(html) + css + js
    return {"path": path, "html": gzipped(html), "css": css, "js": js, "text": text, "images": images}


@pytest.fixture(scope="module")
def weights(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every page type weighed once, on the demo content, in one rolled-back transaction."""
    from django.core.cache import cache
    from django.db import transaction
    from django.test import Client, override_settings

    cache.clear()  # a fresh content version: no page cached by an earlier test is served
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")))
    with django_db_blocker.unblock(), media, transaction.atomic():
        load_demo()
        client = Client()
        table = {page_type: weigh(client, page_type) for page_type in PAGES}
        transaction.set_rollback(True)
    cache.clear()  # nothing rendered from the rolled-back content may outlive it
    print("\npage type            HTML   CSS    JS   total (gzip, bytes)  images")
    for page_type, w in table.items():
        print(f"{page_type:20} {w['html']:5} {w['css']:5} {w['js']:5} {w['text']:6} {w['images']:14}")
    return table


@pytest.mark.parametrize("page_type", PAGES)
def test_html_css_and_js_of_each_page_type_weigh_at_most_20_kb(weights, page_type):
    weight = weights[page_type]
    assert weight["css"] > 0 and weight["html"] > 0
    assert weight["text"] <= TEXT_BUDGET, f"{page_type} {weight}"


def test_everything_on_the_home_page_weighs_at_most_200_kb(weights):
    home = weights["home"]
    assert home["images"] > 0, "the demo home page shows photos: they must be counted"
    assert home["text"] + home["images"] <= HOME_BUDGET, home


def test_each_demo_photo_rendition_at_800_px_weighs_at_most_100_kb(settings, media_root):
    from cases.models import CaseStory

    load_demo()
    stories = list(CaseStory.objects.exclude(photo=""))
    assert len(stories) >= 12
    for story in stories:
        rendition = next(r for r in story.photo_renditions if r["width"] == 800)
        size = story.photo.storage.size(rendition["name"])
        assert 0 < size <= RENDITION_BUDGET, (story.slug, size)


def test_the_srcset_choice_is_what_a_phone_fetches():
    srcset = "/a-400w.jpg 400w, /a-800w.jpg 800w, /a-1200w.jpg 1200w"
    assert phone_choice({"src": "/a.jpg", "srcset": srcset}) == "/a-800w.jpg"
    assert phone_choice({"src": "/a.jpg", "srcset": "/a-400w.jpg 400w"}) == "/a-400w.jpg"
    assert phone_choice({"src": "/a.jpg"}) == "/a.jpg"
