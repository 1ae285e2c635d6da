import datetime

import pytest
import time_machine

from courses import demo
from courses.models import Course, CourseSession, PreparationStep
from tests.cases.conftest import media_files

pytestmark = pytest.mark.django_db

DAY_ONE = datetime.datetime(2030, 1, 10, 12, tzinfo=datetime.UTC)


def rows():
    return (
        list(Course.objects.order_by("pk").values()),
        list(CourseSession.objects.order_by("pk").values()),
        list(PreparationStep.objects.order_by("pk").values()),
    )


@time_machine.travel(DAY_ONE, tick=False)
def test_demo_courses_load_twice_without_duplicates(media_root):
    first = demo.load()
    before, files = rows(), media_files(media_root)
    second = demo.load()

    assert first == "6 courses created, 0 already there; 16 sessions, 31 preparation steps created"
    assert second == "0 courses created, 6 already there; 0 sessions, 0 preparation steps created"
    assert rows() == before
    assert media_files(media_root) == files  # no cover or document drawn again
    assert Course.objects.published().count() == 6
    assert CourseSession.objects.count() == 16
    assert CourseSession.objects.filter(start__lt=DAY_ONE).exists()
    assert CourseSession.objects.filter(start__gte=DAY_ONE).count() >= 10
    assert CourseSession.objects.filter(is_online=True).exists()
    assert CourseSession.objects.values("timezone").distinct().count() >= 8
    for course in Course.objects.all():
        assert 4 <= course.steps.count() <= 8
        assert course.themes.exists()
        assert course.image
    pdf = PreparationStep.objects.filter(file__endswith=".pdf").first()
    assert pdf.file.read(5) == b"%PDF-"
    assert pdf.file_size == pdf.file.size
    assert PreparationStep.objects.filter(file__endswith=".txt").exists()
    assert PreparationStep.objects.filter(session__isnull=False).exists()
    storage = pdf.file.storage
    assert len(storage.listdir("courses/steps")[1]) == PreparationStep.objects.exclude(file="").count()


def test_a_load_on_a_later_day_keeps_every_session_step_and_calendar_address(client, time_machine, media_root):
    time_machine.move_to(DAY_ONE, tick=False)
    demo.load()
    before = rows()
    session = CourseSession.objects.select_related("course").order_by("pk").first()
    ics = client.get(session.get_ics_url())
    assert ics.status_code == 200

    time_machine.move_to(DAY_ONE + datetime.timedelta(days=45), tick=False)
    assert demo.load().startswith("0 courses created")

    assert rows() == before
    again = client.get(session.get_ics_url())
    assert again.status_code == 200
    assert f"UID:course-session-{session.pk}@greenjobs" in again.content.decode()


@time_machine.travel(DAY_ONE, tick=False)
def test_the_webmasters_edits_and_deletions_survive_a_load(media_root):
    demo.load()
    course = Course.objects.get(slug="skills-for-green-jobs")
    course.title = "Skills for green jobs (2030 edition)"
    course.save()
    moved = course.sessions.order_by("start").last()
    moved.start += datetime.timedelta(days=7)
    moved.end += datetime.timedelta(days=7)
    moved.save()
    course.sessions.order_by("start").first().delete()
    course.steps.order_by("order").first().delete()
    before = rows()

    demo.load()

    assert rows() == before
    course.refresh_from_db()
    assert course.title == "Skills for green jobs (2030 edition)"
    assert course.sessions.count() == 2 and course.steps.count() == 3


def test_a_course_of_our_own_with_a_demo_slug_gets_no_demo_sessions_or_steps(media_root):
    ours = Course.objects.create(
        slug="a-just-transition-for-all", title="Our just transition course", summary="Ours.", description="Ours."
    )

    demo.load()

    ours.refresh_from_db()
    assert ours.title == "Our just transition course" and not ours.image
    assert not ours.sessions.exists() and not ours.steps.exists() and not ours.themes.exists()
    assert Course.objects.count() == 6
