"""The home page's slot of the next course sessions."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.templatetags.courses_tags import upcoming_course_sessions

from .conftest import UTC
from .factories import CourseFactory, CourseSessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_home_lists_next_three_sessions_of_published_courses(client, django_assert_max_num_queries):
    draft = CourseFactory(title="Draft course", is_published=False)
    CourseSessionFactory(course=draft, start=datetime.datetime(2030, 1, 20, tzinfo=UTC))
    past = CourseFactory(title="Past course")
    CourseSessionFactory(course=past, start=datetime.datetime(2029, 1, 20, tzinfo=UTC))
    for number, month in enumerate([5, 2, 3, 4], start=1):
        course = CourseFactory(title=f"Course in month {month}")
        CourseSessionFactory(
            course=course,
            start=datetime.datetime(2030, month, 1, 9, tzinfo=UTC),
            city=f"City {number}",
            application_deadline=datetime.date(2030, 1, 25),
        )
    with django_assert_max_num_queries(1):
        context = upcoming_course_sessions()
    assert [s.course.title for s in context["sessions"]] == [
        "Course in month 2",
        "Course in month 3",
        "Course in month 4",
    ]

    html = client.get("/").content.decode()
    slot = html.split('aria-labelledby="home-courses-title"')[1].split("</section>")[0]
    assert "Next course sessions" in slot
    assert slot.index("Course in month 2") < slot.index("Course in month 3") < slot.index("Course in month 4")
    assert "Course in month 5" not in slot
    assert "Draft course" not in slot
    assert "25 Jan 2030" in slot


def test_home_slot_renders_nothing_without_sessions(client):
    CourseFactory()
    assert "home-courses-title" not in client.get("/").content.decode()


@pytest.mark.django_db(transaction=True)  # no test transaction: the slot's sessions are kept, as in production
def test_a_session_that_begins_drops_off_the_home_page_at_once_though_the_slot_is_kept(client):
    cache.clear()
    start = datetime.datetime(2030, 1, 15, 10, 0, 30, tzinfo=UTC)
    course = CourseFactory(title="Solar skills")
    CourseSessionFactory(course=course, start=start + datetime.timedelta(minutes=2), city="Soon")
    CourseSessionFactory(course=course, start=start + datetime.timedelta(days=3), city="Later")
    with time_machine.travel(start, tick=False):
        assert [s.city for s in upcoming_course_sessions()["sessions"]] == ["Soon", "Later"]
    with time_machine.travel(start + datetime.timedelta(minutes=3), tick=False), CaptureQueriesContext(connection) as q:
        shown = [s.city for s in upcoming_course_sessions()["sessions"]]
    assert shown == ["Later"]  # the session begun a minute ago is gone, within the same five minutes
    assert not [query for query in q.captured_queries if "courses_coursesession" in query["sql"]]
    cache.clear()
