import datetime

import pytest
import time_machine

from courses import demo
from courses.models import Course, CourseSession, PreparationStep

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2030, 1, 10, 12, tzinfo=datetime.UTC), tick=False)
def test_demo_courses_load_twice_without_duplicates():
    first = demo.load()
    second = demo.load()

    assert first == second == "6 courses, 16 sessions, 31 preparation steps"
    assert Course.objects.published().count() == 6
    assert CourseSession.objects.count() == 16
    now = datetime.datetime(2030, 1, 10, 12, tzinfo=datetime.UTC)
    assert CourseSession.objects.filter(start__lt=now).exists()
    assert CourseSession.objects.filter(start__gte=now).count() >= 10
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
    # Files are replaced, not piled up, on a second load.
    storage = pdf.file.storage
    assert len(storage.listdir("courses/steps")[1]) == PreparationStep.objects.exclude(file="").count()
