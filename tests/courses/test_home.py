"""The home page's slot of the next course sessions."""

import datetime

import pytest

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
