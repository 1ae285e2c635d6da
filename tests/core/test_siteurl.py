"""SITE_URL is the one canonical address: emails, feeds, canonical, Open Graph and JSON-LD, whatever the Host."""

import datetime as dt
import json
import re
from html import unescape

import feedparser
import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from cases.models import CaseStory
from greenjobs.discovery.feeds import SiteFeed
from tests.cases.conftest import form_data
from tests.courses.factories import CourseSessionFactory
from tests.search.factories import CaseStoryFactory, CourseFactory, EventFactory, case

pytestmark = pytest.mark.django_db

SITE = "https://greenjobs.example"
HOST = "portal.internal"  # the Host the request comes with: a proxy's, an IP, a second name


@pytest.fixture(autouse=True)
def canonical(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = [HOST, "testserver"]
    # A stale Sites record, as the old demo loader left it: nothing may use it.
    Site.objects.filter(pk=settings.SITE_ID).update(domain="127.0.0.1:8000")
    Site.objects.clear_cache()
    cache.clear()  # the submission rate limit


def get(client, url):
    response = client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200, url
    return response


def test_the_contributors_status_link_is_on_site_url(client, webmaster, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cases/submit/", form_data(), HTTP_HOST=HOST)
    assert response.status_code == 302

    story = CaseStory.objects.get()
    contributor = next(message for message in mail.outbox if message.to == ["maya@example.org"])
    assert f"{SITE}/cases/status/{story.status_token}/" in re.findall(r"https?://\S+", contributor.body)
    links = [link for message in mail.outbox for link in re.findall(r"https?://\S+", message.body)]
    assert links and all(link.startswith(f"{SITE}/") for link in links), links


FEEDS = [
    "/cases/feed/",
    "/cases/feed/atom/",
    "/events/feed/",
    "/events/feed/atom/",
    "/themes/wind/feed/",
    "/themes/wind/feed/atom/",
]


@pytest.mark.parametrize("url", FEEDS)
def test_feed_links_item_links_and_self_link_are_on_site_url(client, url):
    case(title="Wind story", themes=["Wind"])
    EventFactory(title="Wind meeting", start_date=timezone.localdate() + dt.timedelta(days=10)).themes.add("Wind")
    CourseFactory(title="Wind course", themes=["Wind"])

    response = get(client, url)
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0
    assert feed.entries
    assert feed.feed.link.startswith(f"{SITE}/")
    assert {link.href for link in feed.feed.links if link.rel == "self"} == {f"{SITE}{url}"}
    for entry in feed.entries:
        assert entry.link.startswith(f"{SITE}/"), entry.link
        assert entry.id.startswith(f"{SITE}/"), entry.id
    body = response.content.decode()
    assert HOST not in body and "127.0.0.1" not in body


class PhotoFeed(SiteFeed):
    link = "/cases/"
    title = description = "Photos"

    def items(self):
        return CaseStory.objects.all()

    def item_enclosure_url(self, item):
        return item.photo.url

    item_enclosure_length = 1000
    item_enclosure_mime_type = "image/jpeg"


def test_a_feeds_enclosures_are_on_site_url():
    story = CaseStoryFactory()
    request = RequestFactory().get("/photos/feed/", HTTP_HOST=HOST)
    feed = feedparser.parse(PhotoFeed()(request).content)
    assert [e.href for e in feed.entries[0].enclosures] == [f"{SITE}{story.photo.url}"]
    assert feed.feed.link == f"{SITE}/cases/"


def head_links(html: str) -> dict:
    head = html.split("</head>", 1)[0]
    found = {
        "canonical": re.search(r'<link rel="canonical" href="([^"]*)">', head),
        "og:url": re.search(r'<meta property="og:url" content="([^"]*)">', head),
        "og:image": re.search(r'<meta property="og:image" content="([^"]*)">', head),
        "twitter:image": re.search(r'<meta name="twitter:image" content="([^"]*)">', head),
    }
    return {name: unescape(match.group(1)) for name, match in found.items() if match}


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def test_a_case_storys_canonical_open_graph_and_json_ld_are_on_site_url(client):
    story = CaseStoryFactory(slug="solar-jobs")

    html = get(client, "/cases/solar-jobs/?utm_source=x").content.decode()
    links = head_links(html)
    assert links["canonical"] == links["og:url"] == f"{SITE}/cases/solar-jobs/"
    assert links["og:image"] == links["twitter:image"] == f"{SITE}{story.rendition_url()}"
    data = json_ld(html)
    assert data["url"] == f"{SITE}/cases/solar-jobs/"
    assert data["image"] == f"{SITE}{story.rendition_url(1200)}"
    assert HOST not in html


def test_a_course_pages_json_ld_and_session_calendar_are_on_site_url(client):
    session = CourseSessionFactory(course__slug="skills")

    html = get(client, "/courses/skills/").content.decode()
    assert head_links(html)["canonical"] == f"{SITE}/courses/skills/"
    data = json_ld(html)
    assert data["url"] == f"{SITE}/courses/skills/"
    assert data["provider"]["url"] == f"{SITE}/"
    ics = get(client, session.get_ics_url()).content.decode()
    assert f"URL:{SITE}/courses/skills/" in ics
    assert HOST not in html + ics


@pytest.mark.parametrize("path", ["/", "/themes/", "/search/?q=solar&page=2", "/cases/"])
def test_every_pages_canonical_is_on_site_url_whatever_the_host(client, path):
    html = get(client, path).content.decode()
    links = head_links(html)
    assert links["canonical"].startswith(f"{SITE}/")
    assert links["og:url"] == links["canonical"]
    assert HOST not in html.split("</head>", 1)[0]


def test_the_sites_record_is_not_in_the_admin_so_the_webmaster_meets_no_403(client, webmaster, superuser):
    for user in (webmaster, superuser):
        client.force_login(user)
        assert client.get("/admin/sites/site/").status_code == 404
        assert client.get("/admin/sites/site/1/change/").status_code == 404
        index = client.get("/admin/")
        assert index.status_code == 200 and "/admin/sites/" not in index.content.decode()


def test_the_webmaster_adds_an_about_page_without_meeting_the_sites_record(client, webmaster, about_pages):
    client.force_login(webmaster)
    form = client.get("/admin/flatpages/flatpage/add/").content.decode()
    assert 'name="url"' in form and 'name="sites"' not in form

    data = {"url": "/about/partners/", "title": "Our partners", "markdown": "Four partners."}
    response = client.post("/admin/flatpages/flatpage/add/", data)
    assert response.status_code == 302
    page = client.get("/about/partners/")
    assert page.status_code == 200 and "Four partners." in page.content.decode()
    change = client.get(f"/admin/flatpages/flatpage/{FlatPage.objects.get(url='/about/partners/').pk}/change/")
    assert f'href="{SITE}/about/partners/"' in change.content.decode()  # "View on site"

    response = client.post("/admin/flatpages/flatpage/add/", {**data, "url": "/about/green-jobs/"})
    assert response.status_code == 200
    assert "Another about page already has this URL." in response.content.decode()
    assert FlatPage.objects.filter(url="/about/green-jobs/").count() == 1


def test_robots_txt_names_the_sitemap_on_site_url(client):
    lines = get(client, "/robots.txt").content.decode().splitlines()
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


@pytest.mark.parametrize(
    ("make", "admin_name"),
    [(CaseStoryFactory, "cases_casestory"), (EventFactory, "events_event"), (CourseFactory, "courses_course")],
)
def test_the_admins_view_on_site_leads_to_site_url(client, webmaster, make, admin_name):
    item = make()
    client.force_login(webmaster)
    change = client.get(f"/admin/{admin_name.replace('_', '/', 1)}/{item.pk}/change/", HTTP_HOST=HOST)
    assert change.status_code == 200
    link = re.search(r'href="([^"]+)"[^>]*class="viewsitelink"', change.content.decode())
    assert link, "the change form has a View on site link"
    assert unescape(link.group(1)) == f"{SITE}{item.get_absolute_url()}"


@pytest.mark.parametrize(
    "path",
    [
        "/cases/a-story/",
        "/fr/cases/?page=2#top",
        "/media/photo%20one.jpg",
        "/cases/../about/",
        "/cases/./x/",
        "relative/path/",
        "//cdn.example/x.jpg",
        "https://elsewhere.example/x",
        "/é/",
    ],
)
def test_absolute_is_what_urljoin_gives_on_site_url(path):
    from urllib.parse import urljoin

    from greenjobs.core.siteurl import absolute

    assert absolute(path) == urljoin(SITE + "/", path)
    assert absolute("") == SITE + "/"
