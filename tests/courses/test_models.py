import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from courses.labels import format_minutes
from courses.models import Course, CourseSession, PreparationStep
from greenjobs.core.timezones import validate_timezone

from .factories import CourseFactory, CourseSessionFactory, PreparationStepFactory, file_step

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(0, "0 min"), (45, "45 min"), (60, "1 h"), (90, "1 h 30 min"), (210, "3 h 30 min"), (600, "10 h")],
)
def test_format_minutes(minutes, expected):
    assert format_minutes(minutes) == expected


def test_published_hides_unpublished_courses():
    shown = CourseFactory(is_published=True)
    CourseFactory(is_published=False)
    assert list(Course.objects.published()) == [shown]


@time_machine.travel(datetime.datetime(2030, 1, 10, 12, tzinfo=UTC), tick=False)
def test_catalogue_puts_courses_with_upcoming_sessions_first_soonest_first():
    later = CourseFactory(title="A later course")
    CourseSessionFactory(course=later, start=datetime.datetime(2030, 5, 1, 9, tzinfo=UTC))
    sooner = CourseFactory(title="Z sooner course")
    CourseSessionFactory(course=sooner, start=datetime.datetime(2030, 2, 1, 9, tzinfo=UTC))
    # Its only future session counts, not the past one.
    mixed = CourseFactory(title="M mixed")
    CourseSessionFactory(course=mixed, start=datetime.datetime(2029, 12, 1, 9, tzinfo=UTC))
    CourseSessionFactory(course=mixed, start=datetime.datetime(2030, 3, 1, 9, tzinfo=UTC))
    past_only = CourseFactory(title="B past only")
    CourseSessionFactory(course=past_only, start=datetime.datetime(2029, 6, 1, 9, tzinfo=UTC))
    no_session = CourseFactory(title="C nothing")

    courses = list(Course.objects.catalogue())

    assert courses == [sooner, mixed, later, past_only, no_session]
    assert courses[1].next_session_start == datetime.datetime(2030, 3, 1, 9, tzinfo=UTC)
    assert courses[3].next_session_start is None


def test_objectives_are_one_per_line_without_bullets_or_blank_lines():
    course = CourseFactory(learning_objectives="- Map green jobs\n\n* Plan a business  \nTalk to unions")
    assert course.objectives == ["Map green jobs", "Plan a business", "Talk to unions"]


def test_language_labels():
    assert CourseFactory(languages=["fr", "en"]).get_language_labels() == ["French", "English"]


def test_session_shows_dates_in_its_own_time_zone():
    session = CourseSessionFactory(start=datetime.datetime(2030, 3, 4, 0, 30, tzinfo=TOKYO), timezone="Asia/Tokyo")
    session.refresh_from_db()
    assert session.start.tzinfo == UTC  # stored in UTC...
    assert session.start.date() == datetime.date(2030, 3, 3)
    assert session.local_start.date() == datetime.date(2030, 3, 4)  # ...shown at the venue
    assert session.local_start.hour == 0


def test_session_zone_abbreviation():
    rome = CourseSessionFactory.build(start=datetime.datetime(2030, 7, 1, 9, tzinfo=UTC), timezone="Europe/Rome")
    lima = CourseSessionFactory.build(start=datetime.datetime(2030, 7, 1, 9, tzinfo=UTC), timezone="America/Lima")
    assert (rome.zone_abbreviation, lima.zone_abbreviation) == ("CEST", "UTC-05")


def test_session_place():
    assert CourseSessionFactory.build(venue="Centre", city="Turin", country="IT").place == "Centre, Turin, Italy"
    assert CourseSessionFactory.build(is_online=True, city="").place == "Online"


def test_session_end_before_start_is_refused_by_clean():
    session = CourseSessionFactory.build(
        start=datetime.datetime(2030, 3, 4, 9, tzinfo=UTC), end=datetime.datetime(2030, 3, 3, 9, tzinfo=UTC)
    )
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert error.value.message_dict["end"] == ["The session cannot end before it starts."]


def test_session_deadline_after_start_is_refused_by_clean():
    session = CourseSessionFactory.build(
        start=datetime.datetime(2030, 3, 4, 9, tzinfo=UTC), application_deadline=datetime.date(2030, 3, 5)
    )
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "after the session starts (2030-03-04)" in error.value.message_dict["application_deadline"][0]


def test_session_deadline_uses_the_local_start_day():
    # 00:30 in Tokyo on 4 March is still 3 March in UTC: a deadline of 4 March is the start day there.
    session = CourseSessionFactory.build(
        course=CourseFactory(),
        start=datetime.datetime(2030, 3, 4, 0, 30, tzinfo=TOKYO),
        timezone="Asia/Tokyo",
        application_deadline=datetime.date(2030, 3, 4),
    )
    session.full_clean()
    session.application_deadline = datetime.date(2030, 3, 5)
    with pytest.raises(ValidationError):
        session.full_clean()


def test_session_needs_a_city_unless_online():
    with pytest.raises(ValidationError) as error:
        CourseSessionFactory.build(city="", is_online=False).full_clean()
    assert "city" in error.value.message_dict
    CourseSessionFactory(city="", venue="", country="", is_online=True).full_clean()


def test_session_time_zone_is_validated():
    validate_timezone("America/Lima")
    with pytest.raises(ValidationError):
        validate_timezone("Mars/Olympus_Mons")
    with pytest.raises(ValidationError) as error:
        CourseSessionFactory.build(timezone="Nowhere/Land").full_clean()
    assert "timezone" in error.value.message_dict


@pytest.mark.parametrize(
    "changes",
    [
        {"end": datetime.datetime(2030, 3, 1, tzinfo=UTC)},
        {"application_deadline": datetime.date(2030, 3, 20)},
        {"city": "", "is_online": False},
    ],
    ids=["end-before-start", "deadline-after-start", "no-place"],
)
def test_session_invariants_are_database_constraints(changes):
    session = CourseSessionFactory(start=datetime.datetime(2030, 3, 4, 9, tzinfo=UTC))
    for name, value in changes.items():
        setattr(session, name, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_step_needs_a_link_or_a_file_not_both():
    course = CourseFactory()
    with pytest.raises(ValidationError) as error:
        PreparationStepFactory.build(course=course, url="").full_clean()
    assert "url" in error.value.message_dict
    both = file_step(course)
    both.url = "https://example.org/"
    with pytest.raises(ValidationError):
        both.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        both.save()


def test_step_session_must_belong_to_the_same_course():
    course = CourseFactory()
    other_session = CourseSessionFactory()
    step = PreparationStepFactory.build(course=course, session=other_session)
    with pytest.raises(ValidationError) as error:
        step.full_clean()
    assert error.value.message_dict["session"] == ["This session belongs to another course."]
    step.session = CourseSessionFactory(course=course)
    step.full_clean()


def test_step_file_size_and_type_are_stored():
    step = file_step(CourseFactory(), name="Reading-List.pdf", content=b"x" * 2048)
    step.refresh_from_db()
    assert step.file_size == 2048
    assert step.file_type == "PDF"
    assert step.href == step.file.url
    link = PreparationStepFactory(url="https://www.youtube.com/watch?v=1")
    assert (link.file_size, link.file_type, link.link_host) == (None, "", "www.youtube.com")


def test_steps_are_ordered_by_order_field():
    course = CourseFactory()
    third = PreparationStepFactory(course=course, order=30)
    first = PreparationStepFactory(course=course, order=10)
    second = PreparationStepFactory(course=course, order=20)
    assert list(PreparationStep.objects.filter(course=course)) == [first, second, third]


@time_machine.travel(datetime.datetime(2030, 1, 10, 12, tzinfo=UTC), tick=False)
def test_session_upcoming_and_past_querysets():
    course = CourseFactory()
    past = CourseSessionFactory(course=course, start=datetime.datetime(2030, 1, 9, tzinfo=UTC))
    soon = CourseSessionFactory(
        course=course, start=datetime.datetime(2030, 1, 11, tzinfo=UTC), application_deadline=datetime.date(2030, 1, 10)
    )
    assert list(CourseSession.objects.upcoming()) == [soon]
    assert list(CourseSession.objects.past()) == [past]
    assert soon.can_apply
    soon.application_deadline = datetime.date(2030, 1, 9)
    assert not soon.can_apply
    soon.application_deadline = None
    assert soon.can_apply
    soon.status = "full"
    assert not soon.can_apply
