import xml.etree.ElementTree as ET

import pytest

from tests.search.factories import CourseFactory, EventFactory, FlatPageFactory, case

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {
        url.find("s:loc", NS).text.split("://", 1)[1].split("/", 1)[1]: getattr(url.find("s:lastmod", NS), "text", None)
        for url in root.findall("s:url", NS)
    }


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


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Disallow: /cases/status/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
