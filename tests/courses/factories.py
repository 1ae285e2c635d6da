import datetime
import zoneinfo

import factory
from django.core.files.base import ContentFile

from courses.models import Course, CourseFormat, CourseSession, PreparationStep, SessionStatus, StepKind

ROME = zoneinfo.ZoneInfo("Europe/Rome")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Course {n:03d}")
    slug = factory.Sequence(lambda n: f"course-{n:03d}")
    summary = "Learn how to create green and decent jobs."
    description = "A practical course.\n\nWith exercises."
    learning_objectives = "Explain green jobs\nPlan a green business"
    who_should_attend = "Officials and entrepreneurs."
    prerequisites = "None."
    format = CourseFormat.FACE_TO_FACE
    languages = factory.LazyFunction(lambda: ["en"])
    duration = "5 days"
    effort = "Full days"
    is_published = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.add(*extracted)


class CourseSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseSession

    course = factory.SubFactory(CourseFactory)
    start = factory.LazyFunction(lambda: datetime.datetime(2030, 3, 4, 9, 0, tzinfo=ROME))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(days=4, hours=8))
    timezone = "Europe/Rome"
    is_online = False
    venue = "Training Centre"
    city = "Turin"
    country = "IT"
    language = "en"
    application_deadline = factory.LazyAttribute(lambda o: (o.start - datetime.timedelta(days=14)).date())
    registration_url = "https://apply.example/turin/"
    status = SessionStatus.OPEN


class PreparationStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreparationStep

    course = factory.SubFactory(CourseFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Step {n}")
    kind = StepKind.READ
    description = "Read it once."
    url = "https://www.example.org/reading"
    estimated_minutes = 30
    required = True


def file_step(course, *, name="notes.pdf", content=b"%PDF-1.4 demo", **kwargs):
    step = PreparationStepFactory.build(course=course, url="", **kwargs)
    step.file.save(name, ContentFile(content), save=False)
    step.save()
    return step
