"""/courses/feed/: new published courses with their coming sessions."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from .factories import CourseFactory, CourseSessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_course_feed_is_valid_rss_with_published_courses_only(client, course):
    CourseFactory(title="Draft course", is_published=False)
    CourseSessionFactory(course=course, start=datetime.datetime(2030, 3, 4, 9, tzinfo=datetime.UTC),
                         end=datetime.datetime(2030, 3, 8, 17, tzinfo=datetime.UTC))  # fmt: skip
    response = client.get("/courses/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    items = root.findall("./channel/item")
    assert [item.findtext("title") for item in items] == ["Skills for green jobs"]
    assert items[0].findtext("link") == "http://testserver/courses/skills/"
    assert "Next sessions: 04 Mar 2030." in items[0].findtext("description")
    atom = client.get("/courses/feed/atom/")
    assert atom.status_code == 200 and b"Draft course" not in atom.content


def test_catalogue_shows_its_feed(client, course):
    html = client.get("/courses/").content.decode()
    assert '<a href="/courses/feed/"><svg' in html and 'type="application/rss+xml"' in html
