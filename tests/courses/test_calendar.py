"""A session's calendar entry (/courses/<slug>/sessions/<pk>.ics)."""

import datetime

import pytest
from django.urls import reverse

from .conftest import NOW, UTC
from .factories import CourseSessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_unknown_session_or_session_of_another_course_is_404(client, course):
    other = CourseSessionFactory()
    own = CourseSessionFactory(course=course)
    assert client.get(reverse("courses:session_ics", args=["skills", own.pk])).status_code == 200
    assert client.get(reverse("courses:session_ics", args=["skills", 999999])).status_code == 404
    assert client.get(reverse("courses:session_ics", args=["skills", other.pk])).status_code == 404
    assert client.get(reverse("courses:session_ics", args=["nope", own.pk])).status_code == 404


def test_ics_of_unpublished_course_is_404(client, webmaster_client, course):
    session = CourseSessionFactory(course=course)
    course.is_published = False
    course.save()
    url = reverse("courses:session_ics", args=["skills", session.pk])
    assert client.get(url).status_code == 404
    assert webmaster_client.get(url).status_code == 404


def test_ics_entry_parses_with_the_session_time_zone(client, course):
    from icalendar import Calendar

    session = CourseSessionFactory(
        course=course,
        start=datetime.datetime(2030, 3, 4, 6, 0, tzinfo=UTC),  # 09:00 in Nairobi
        end=datetime.datetime(2030, 3, 8, 14, 0, tzinfo=UTC),
        timezone="Africa/Nairobi",
        venue="Kenya School of Government",
        city="Nairobi",
        country="KE",
        application_deadline=datetime.date(2030, 2, 10),
        registration_url="https://apply.example/nairobi/",
    )

    response = client.get(reverse("courses:session_ics", args=["skills", session.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="skills-session-{session.pk}.ics"'
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Africa/Nairobi"]
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"course-session-{session.pk}@greenjobs"
    assert str(event["SUMMARY"]) == "Skills for green jobs"
    assert str(event["LOCATION"]) == "Kenya School of Government, Nairobi, Kenya"
    assert str(event["URL"]) == "http://testserver/courses/skills/"
    assert event["DTSTART"].params["TZID"] == "Africa/Nairobi"
    assert event["DTSTART"].dt == session.start
    assert event["DTSTART"].dt.hour == 9
    assert event["DTEND"].dt == session.end
    assert event["DTSTAMP"].dt == NOW
    assert "Application deadline: 2030-02-10" in str(event["DESCRIPTION"])
    assert "https://apply.example/nairobi/" in str(event["DESCRIPTION"])


def test_ics_of_online_session(client, course):
    session = CourseSessionFactory(course=course, is_online=True, city="", venue="", country="", timezone="UTC")
    from icalendar import Calendar

    calendar = Calendar.from_ical(client.get(reverse("courses:session_ics", args=["skills", session.pk])).content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["LOCATION"]) == "Online"
    assert event["DTSTART"].dt == session.start
