import datetime
import zoneinfo

import pytest
from django.urls import reverse
from taggit.models import Tag

from courses.models import Course, CourseSession, PreparationStep

from .factories import CourseFactory, CourseSessionFactory, PreparationStepFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
ADD = reverse("admin:courses_course_add")
CHANGELIST = reverse("admin:courses_course_changelist")


def session_row(**overrides):
    row = {
        "start_0": "2030-03-04",
        "start_1": "09:00",
        "end_0": "2030-03-08",
        "end_1": "17:00",
        "timezone": "Asia/Tokyo",
        "venue": "Centre",
        "city": "Tokyo",
        "country": "JP",
        "language": "en",
        "application_deadline": "2030-02-15",
        "registration_url": "https://apply.example/tokyo/",
        "status": "open",
    }
    row.update(overrides)
    return row


def step_row(**overrides):
    row = {
        "order": "10",
        "title": "Read the guide",
        "kind": "read",
        "description": "",
        "url": "https://www.example.org/guide",
        "estimated_minutes": "30",
        "required": "on",
    }
    row.update(overrides)
    return row


def course_form(*, sessions=(), steps=(), initial_sessions=0, initial_steps=0, **overrides):
    data = {
        "title": "Skills for green jobs",
        "slug": "skills-for-green-jobs",
        "summary": "Find the skills the transition needs.",
        "description": "An overview.",
        "is_published": "on",
        "learning_objectives": "One\nTwo",
        "who_should_attend": "",
        "prerequisites": "",
        "format": "online",
        "languages": ["en", "fr"],
        "duration": "6 weeks",
        "effort": "",
        "themes": [str(Tag.objects.get_or_create(name=name)[0].pk) for name in ("Skills for green jobs", "Policy")],
        "image_alt": "",
    }
    for prefix, rows, initial in (("sessions", sessions, initial_sessions), ("steps", steps, initial_steps)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": str(initial),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_login(client):
    for url in (CHANGELIST, ADD, reverse("admin:courses_coursesession_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("who", ["webmaster_client", "superuser_client"])
def test_staff_see_the_course_list_and_forms(request, who):
    client = request.getfixturevalue(who)
    course = CourseFactory(title="Green business basics")
    CourseSessionFactory(course=course)
    PreparationStepFactory(course=course, title="Read the primer")

    listing = client.get(CHANGELIST)
    assert listing.status_code == 200
    assert "Green business basics" in listing.content.decode()
    assert client.get(CHANGELIST, {"q": "business"}).status_code == 200
    assert client.get(ADD).status_code == 200
    change = client.get(reverse("admin:courses_course_change", args=[course.pk]))
    assert change.status_code == 200
    assert "Read the primer" in change.content.decode()
    assert client.get(reverse("admin:courses_coursesession_changelist")).status_code == 200


def test_webmaster_adds_a_course_with_session_in_local_time_and_steps(webmaster_client):
    response = webmaster_client.post(
        ADD, course_form(sessions=[session_row()], steps=[step_row(), step_row(order="5", title="Quiz", kind="do")])
    )

    assert response.status_code == 302, response.context["errors"] if response.context else response
    course = Course.objects.get(slug="skills-for-green-jobs")
    assert course.languages == ["en", "fr"]
    assert sorted(tag.name for tag in course.themes.all()) == ["Policy", "Skills for green jobs"]
    session = course.sessions.get()
    # Typed as 09:00 in Tokyo, stored as midnight UTC.
    assert session.start == datetime.datetime(2030, 3, 4, 0, 0, tzinfo=UTC)
    assert session.local_start == datetime.datetime(2030, 3, 4, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert [step.title for step in course.steps.all()] == ["Quiz", "Read the guide"]

    change = webmaster_client.get(reverse("admin:courses_course_change", args=[course.pk])).content.decode()
    assert 'name="sessions-0-start_1" value="09:00:00"' in change


def test_end_before_start_is_refused_with_a_clear_message(webmaster_client):
    response = webmaster_client.post(
        ADD, course_form(sessions=[session_row(end_0="2030-03-03", application_deadline="2030-03-01")])
    )
    assert response.status_code == 200
    assert "The session cannot end before it starts." in response.content.decode()
    assert not Course.objects.exists()
    assert not CourseSession.objects.exists()


def test_deadline_after_start_is_refused_with_a_clear_message(webmaster_client):
    response = webmaster_client.post(ADD, course_form(sessions=[session_row(application_deadline="2030-03-05")]))
    assert response.status_code == 200
    assert (
        "The application deadline (2030-03-05) is after the session starts (2030-03-04). "
        "Choose a day on or before the start."
    ) in response.content.decode()
    assert not CourseSession.objects.exists()


def test_unknown_time_zone_is_refused(webmaster_client):
    response = webmaster_client.post(ADD, course_form(sessions=[session_row(timezone="Mars/Base")]))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Course.objects.exists()


def test_step_needs_a_link_or_a_file(webmaster_client):
    response = webmaster_client.post(ADD, course_form(steps=[step_row(url="")]))
    assert response.status_code == 200
    assert "Give either a link or a file, not both and not neither." in response.content.decode()
    assert not PreparationStep.objects.exists()


def test_step_can_only_be_tied_to_a_session_of_its_own_course(superuser_client):
    course = CourseFactory(slug="skills-for-green-jobs")
    own = CourseSessionFactory(course=course)
    foreign = CourseSessionFactory(city="Elsewhere")
    url = reverse("admin:courses_course_change", args=[course.pk])

    page = superuser_client.get(url).content.decode()
    assert f'<option value="{own.pk}">' in page
    assert "Elsewhere" not in page

    own_row = {"id": str(own.pk), "course": str(course.pk)}
    own_row.update(session_row(timezone="Europe/Rome", application_deadline="2030-02-01"))
    response = superuser_client.post(
        url,
        course_form(
            sessions=[own_row],
            initial_sessions=1,
            steps=[step_row(session=str(foreign.pk))],
        ),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not PreparationStep.objects.exists()

    response = superuser_client.post(
        url, course_form(sessions=[own_row], initial_sessions=1, steps=[step_row(session=str(own.pk))])
    )
    assert response.status_code == 302
    assert PreparationStep.objects.get().session == own


def test_time_zone_is_the_same_select_as_an_events(webmaster_client):
    inline = webmaster_client.get(ADD).content.decode()
    assert '<select name="sessions-__prefix__-timezone"' in inline
    session_add = webmaster_client.get(reverse("admin:courses_coursesession_add")).content.decode()
    assert '<select name="timezone"' in session_add
    assert '<option value="Asia/Bangkok">Asia/Bangkok</option>' in session_add


def test_themes_are_ticked_from_the_list_never_typed(webmaster_client):
    response = webmaster_client.post(ADD, course_form(themes=["New typed theme"]))
    assert response.status_code == 200
    assert "is not one of the themes. New themes are added under Themes." in response.content.decode()
    assert not Course.objects.exists()
    assert not Tag.objects.filter(name="New typed theme").exists()
