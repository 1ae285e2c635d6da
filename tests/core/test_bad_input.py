"""A sweep of hostile or broken addresses over every public URL: never a 500."""

import pytest
from django.test import Client

from tests.cases.factories import CaseStoryFactory
from tests.courses.factories import CourseFactory, CourseSessionFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

BAD_QUERIES = ["page=-1", "page=0", "page=1e9", "page=%00", "theme=%00", "country=%3Cscript%3E", "type=%00",
               "q=%00abc", "q=%27%3B--", "language=zz", "format=%00", "month=13&year=99999", "month=%00&year=abc",
               "next=%00", "p=x"]  # fmt: skip
PATHS = ["/", "/cases/", "/cases/submit/", "/events/", "/events/past/", "/events/calendar/", "/events/calendar.ics",
         "/events/feed/", "/courses/", "/search/", "/themes/", "/cases/feed/", "/sitemap.xml", "/about/green-jobs/",
         "/contact/"]  # fmt: skip
BAD_PATHS = ["/%00", "/cases/%00/", "/cases/status/xxx/", "/themes/%00/", "/themes/nope/feed/", "/events/0000/01/",
             "/events/2026/13/", "/events/12345/01/", "/events/x.ics", "/media/%00", "/media/../../etc/passwd",
             "/courses/nope/sessions/1.ics", "/about/%00/"]  # fmt: skip


@pytest.fixture
def content(about_pages):
    story = CaseStoryFactory(photo_file=False)
    story.themes.add("Policy")
    EventFactory().themes.add("Policy")
    course = CourseFactory()
    session = CourseSessionFactory(course=course)
    return course, session


@pytest.mark.parametrize("path", PATHS)
def test_bad_query_strings_never_give_a_500(content, path):
    client = Client(raise_request_exception=False)
    for query in BAD_QUERIES:
        response = client.get(f"{path}?{query}")
        assert response.status_code in {200, 302, 404}, f"{path}?{query} -> {response.status_code}"


@pytest.mark.parametrize("path", BAD_PATHS)
def test_bad_paths_get_404(content, path):
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 404


def test_session_ids_that_overflow_or_belong_elsewhere_get_404(content):
    course, session = content
    other = CourseSessionFactory()
    client = Client(raise_request_exception=False)
    assert client.get(f"/courses/{course.slug}/sessions/{session.pk}.ics").status_code == 200
    for pk in ("99999999999999999999999", "-1", str(other.pk)):
        assert client.get(f"/courses/{course.slug}/sessions/{pk}.ics").status_code == 404
