import xml.etree.ElementTree as ET

import pytest

from greenjobs.discovery import sitemaps
from tests.search.factories import CourseFactory, EventFactory, FlatPageFactory, case

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def section_urls(client) -> list[str]:
    root = xml(client, "/sitemap.xml")
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [loc.text for loc in root.findall("s:sitemap/s:loc", NS)]


def sitemap(client):
    """Every page of every section the index lists: {path without the leading slash: lastmod}."""
    urls = {}
    for section in section_urls(client):
        assert section.startswith("http://testserver/sitemap-"), section
        for url in xml(client, section.removeprefix("http://testserver")).findall("s:url", NS):
            urls[url.find("s:loc", NS).text.split("://", 1)[1].split("/", 1)[1]] = getattr(
                url.find("s:lastmod", NS), "text", None
            )
    return urls


def test_sitemap_lists_public_pages_with_lastmod(client, about_pages):
    story = case(themes=["Wind"])
    event = EventFactory()
    course = CourseFactory(themes=["Wind"])
    hidden = [case(pending=True, themes=["Hidden only"]), EventFactory(draft=True), CourseFactory(is_published=False)]
    FlatPageFactory(url="/about/members-only/", registration_required=True)

    urls = sitemap(client)

    expected = ["", "themes/", "cases/", "events/", "courses/", "about/green-jobs/", "about/initiative/", "contact/"]
    expected += [item.get_absolute_url()[1:] for item in (story, event, course)] + ["themes/wind/"]
    for path in expected:
        assert path in urls, path
        assert urls[path], f"{path} has no lastmod"
    assert urls[story.get_absolute_url()[1:]] == story.published_at.date().isoformat()
    for item in hidden:
        assert item.get_absolute_url()[1:] not in urls
    assert "themes/hidden-only/" not in urls
    assert "about/members-only/" not in urls


def test_the_index_splits_big_sections_into_numbered_files(client, monkeypatch):
    monkeypatch.setattr(sitemaps, "SECTION_SIZE", 2)
    stories = [case(title=f"Story {n}") for n in range(5)]
    sections = section_urls(client)
    assert [url for url in sections if "cases" in url] == [
        "http://testserver/sitemap-cases.xml",
        "http://testserver/sitemap-cases-2.xml",
        "http://testserver/sitemap-cases-3.xml",
    ]
    assert "http://testserver/sitemap-courses.xml" not in sections  # no course published
    pages = [xml(client, f"/sitemap-cases{suffix}.xml").findall("s:url/s:loc", NS) for suffix in ("", "-2", "-3")]
    assert [len(page) for page in pages] == [2, 2, 1]
    listed = [loc.text for page in pages for loc in page]
    assert sorted(listed) == sorted(f"http://testserver{story.get_absolute_url()}" for story in stories)
    for missing in ("/sitemap-cases-4.xml", "/sitemap-cases-1.xml", "/sitemap-cases-02.xml", "/sitemap-nothing.xml"):
        assert client.get(missing).status_code == 404, missing


def test_urls_are_on_site_url_whatever_the_host(client, settings):
    settings.SITE_URL = "https://greenjobs.example"
    settings.ALLOWED_HOSTS = ["other.example", "testserver"]
    story = case()
    sections = [loc.text for loc in xml(client, "/sitemap.xml").findall("s:sitemap/s:loc", NS)]
    assert "https://greenjobs.example/sitemap-cases.xml" in sections
    locs = [loc.text for loc in xml(client, "/sitemap-cases.xml").findall("s:url/s:loc", NS)]
    assert locs == [f"https://greenjobs.example{story.get_absolute_url()}"]
    response = client.get("/sitemap-cases.xml", headers={"host": "other.example"})
    assert b"other.example" not in response.content


@pytest.mark.django_db(transaction=True)  # committed: the content version moves as in production
@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-cases.xml", "/sitemap-static.xml"])
def test_sections_answer_304_to_their_etag_or_date(client, url):
    case()
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get(url, headers={"if-modified-since": first["Last-Modified"]}).status_code == 304
    assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_change_to_the_content_gives_a_new_etag(client):
    case(title="First")
    first = client.get("/sitemap-cases.xml")
    later = case(title="Second")
    response = client.get("/sitemap-cases.xml", headers={"if-none-match": first["ETag"]})
    assert response.status_code == 200
    assert later.get_absolute_url().encode() in response.content


@pytest.mark.django_db(transaction=True)
def test_sections_read_few_queries(client, django_assert_max_num_queries):
    for n in range(30):
        case(title=f"Story {n}", themes=[f"Theme {n % 4}"])
        EventFactory()
    for url in ["/sitemap.xml", "/sitemap-cases.xml", "/sitemap-events.xml", "/sitemap-themes.xml"]:
        with django_assert_max_num_queries(4):
            assert client.get(url).status_code == 200
        with django_assert_max_num_queries(1):  # kept for this content version: reading the version only
            assert client.get(url).status_code == 200


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Disallow: /cases/status/" in lines
    assert "Disallow: /cases/submit/thanks/" in lines  # the thanks page carries a private status link
    assert "Sitemap: http://testserver/sitemap.xml" in lines
