"""A course page: its sections, sessions, preparation, JSON-LD, related case stories and previews."""

import datetime
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import SessionStatus, StepKind
from tests.cases.factories import CaseStoryFactory

from .conftest import NOW, UTC
from .factories import CourseFactory, CourseSessionFactory, PreparationStepFactory, file_step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_course_page_shows_overview_objectives_audience_prerequisites(client, course):
    html = client.get(course.get_absolute_url()).content.decode()
    assert '<h1 id="course-title">Skills for green jobs</h1>' in html
    assert "<p>Second paragraph.</p>" in html
    assert "<li>Spot skills gaps</li><li>Update a curriculum</li>" in html
    assert "Training providers." in html
    assert "An internet connection." in html
    assert "English, French" in html
    assert '<li aria-current="page">Skills for green jobs</li>' in html


def test_course_page_has_one_share_box(client, course):
    html = client.get("/courses/skills/").content.decode()
    assert html.count('class="share"') == 1
    assert 'href="mailto:?subject=Skills%20for%20green%20jobs&amp;body=' in html
    assert "data-share-print" in html and "data-share-copy" in html


def test_course_page_sessions_in_their_time_zone_with_past_folded(client, course):
    CourseSessionFactory(
        course=course,
        start=datetime.datetime(2030, 3, 4, 0, 30, tzinfo=UTC),  # 09:30 in Tokyo
        end=datetime.datetime(2030, 3, 4, 8, 0, tzinfo=UTC),
        timezone="Asia/Tokyo",
        city="Tokyo",
        country="JP",
        language="fr",
        application_deadline=datetime.date(2030, 2, 1),
        status=SessionStatus.FULL,
    )
    CourseSessionFactory(course=course, start=datetime.datetime(2029, 5, 1, 9, tzinfo=UTC), city="Accra", country="GH")

    html = client.get(course.get_absolute_url()).content.decode()

    upcoming, past = html.split('<details class="past-sessions">')
    assert "Mon 4 Mar 2030, 09:30" in upcoming
    assert "17:00" in upcoming
    assert "Asia/Tokyo time (JST)" in upcoming
    assert "Tokyo, Japan" in upcoming
    assert "French" in upcoming
    assert "1 Feb 2030" in upcoming
    assert "Full" in upcoming
    assert ">Apply<" not in upcoming  # full sessions take no applications
    assert "Accra" not in upcoming
    assert "<summary>1 past session</summary>" in past
    assert "Accra, Ghana" in past
    assert '<th scope="col">When</th>' in html


def test_course_page_apply_link_only_for_open_sessions(client, course):
    session = CourseSessionFactory(
        course=course, start=datetime.datetime(2030, 3, 4, 9, tzinfo=UTC), registration_url="https://apply.example/x"
    )
    html = client.get(course.get_absolute_url()).content.decode()
    assert 'href="https://apply.example/x"' in html
    assert f'href="/courses/skills/sessions/{session.pk}.ics"' in html


def test_course_page_preparation_checklist(client, course):
    session = CourseSessionFactory(course=course, start=datetime.datetime(2030, 3, 4, 9, tzinfo=UTC), city="Turin")
    PreparationStepFactory(course=course, order=2, title="Watch the film", kind=StepKind.WATCH, estimated_minutes=45)
    file_step(course, name="guide.pdf", content=b"x" * 3000, order=1, title="Read the guide", estimated_minutes=120)
    PreparationStepFactory(
        course=course,
        order=3,
        title="Bring boots",
        kind=StepKind.BRING,
        estimated_minutes=45,
        required=False,
        session=session,
    )

    html = client.get(course.get_absolute_url()).content.decode()

    assert "About 3 h 30 min of preparation." in html
    assert html.index("Read the guide") < html.index("Watch the film") < html.index("Bring boots")
    assert '<ol class="checklist print-keep" data-course="skills">' in html
    boxes = re.findall(r'<input type="checkbox" id="(step-check-\d+)"', html)
    assert len(boxes) == 3
    for box in boxes:
        assert f'<label for="{box}"' in html
    assert "(PDF, 2.9\xa0KB)" in html
    assert "web page on www.example.org" in html
    assert "Only for the session in Training Centre, Turin, Italy" in html
    assert "Optional" in html
    assert 'href="#icon-watch"' in html
    assert "<form" not in html.split('id="prepare"')[1].split("</section>")[0]
    assert 'src="/static/js/courses.js" defer' in html


def test_course_page_json_ld(client, course):
    CourseSessionFactory(
        course=course,
        start=datetime.datetime(2030, 3, 4, 8, tzinfo=UTC),
        end=datetime.datetime(2030, 3, 8, 16, tzinfo=UTC),
        timezone="Europe/Rome",
        venue="Centre",
        city="Turin",
        country="IT",
    )
    CourseSessionFactory(course=course, start=datetime.datetime(2030, 4, 4, 8, tzinfo=UTC), is_online=True, city="")
    course.title = "Skills </script><script>alert(1)</script> & more"
    course.save()

    html = client.get(course.get_absolute_url()).content.decode()

    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in raw
    data = json.loads(raw)
    assert data["@type"] == "Course"
    assert data["name"] == course.title
    assert data["provider"]["name"] == "Green Jobs Portal"
    first, second = data["hasCourseInstance"]
    assert first["courseMode"] == "onsite"
    assert first["startDate"] == "2030-03-04T09:00:00+01:00"
    assert first["location"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Turin",
        "addressCountry": "IT",
    }
    assert second["courseMode"] == "online"
    assert second["location"]["@type"] == "VirtualLocation"


def test_unknown_course_is_404(client):
    assert client.get(reverse("courses:detail", kwargs={"slug": "nope"})).status_code == 404


def test_related_case_stories_share_the_most_course_themes_newest_first(client, course):
    course.themes.add("Renewable energy")
    solar = CaseStoryFactory(title="Solar skills", themes=["Skills for green jobs", "Renewable energy"])
    CaseStoryFactory(title="Unrelated", themes=["Sustainable tourism"])
    CaseStoryFactory(title="Pending skills", themes=["Skills for green jobs"], pending=True)
    for number in range(4):
        CaseStoryFactory(
            title=f"More skills {number}",
            themes=["skills for green jobs"],
            published_at=NOW - datetime.timedelta(days=number),
        )

    html = client.get(course.get_absolute_url()).content.decode()

    section = html[html.index('aria-labelledby="related-title"') :]
    assert '<h2 id="related-title">Real-world examples</h2>' in section
    assert "Case stories on the same themes as this course." in section
    titles = re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', section)
    assert titles == ["Solar skills", "More skills 0", "More skills 1"]
    assert f'<a href="{solar.get_absolute_url()}">Solar skills</a>' in section and solar.summary in section


def test_no_related_block_without_shared_themes(client):
    course = CourseFactory(themes=["Policy"])
    CaseStoryFactory(title="Unrelated", themes=["Sustainable tourism"])
    assert "Real-world examples" not in client.get(course.get_absolute_url()).content.decode()


def test_course_page_query_count_with_30_steps_and_10_sessions(client, course, django_assert_max_num_queries):
    sessions = [
        CourseSessionFactory(course=course, start=datetime.datetime(2029 + n % 2, 1 + n, 3, 9, tzinfo=UTC))
        for n in range(10)
    ]
    for number in range(30):
        PreparationStepFactory(course=course, session=sessions[number % 10] if number % 3 == 0 else None)
    CaseStoryFactory.create_batch(3, themes=["Skills for green jobs"], photo_file=False)

    with django_assert_max_num_queries(6):
        response = client.get(course.get_absolute_url())

    html = response.content.decode()
    assert html.count('type="checkbox"') == 30
    assert html.count('class="card related-card"') == 3


# --- Previews: the public sees published courses; staff who may view courses see drafts too --------


def test_a_draft_is_404_for_the_public_and_a_preview_for_the_webmaster(webmaster_client, course):
    CourseSessionFactory(course=course)
    course.is_published = False
    course.save()

    assert Client().get(course.get_absolute_url()).status_code == 404
    response = webmaster_client.get(course.get_absolute_url())
    assert response.status_code == 200 and response.context["is_preview"]
    html = response.content.decode()
    assert 'class="banner banner--preview"' in html and "Not published: preview" in html
    assert '<meta name="robots" content="noindex">' in html and "application/ld+json" not in html
    assert "Turin" in html and "Add to calendar" not in html  # a draft's sessions have no calendar entry


def test_staff_without_the_permission_to_view_courses_get_404_for_a_draft(client, django_user_model, course):
    course.is_published = False
    course.save()
    client.force_login(django_user_model.objects.create_user("editor", is_staff=True))

    assert client.get(course.get_absolute_url()).status_code == 404


def test_published_course_has_no_preview_banner_for_staff(webmaster_client, course):
    response = webmaster_client.get(course.get_absolute_url())
    assert not response.context["is_preview"] and "banner--preview" not in response.content.decode()
