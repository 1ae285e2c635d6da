import datetime
import json
import re

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from courses.models import SessionStatus, StepKind

from .factories import CourseFactory, CourseSessionFactory, PreparationStepFactory, file_step

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2030, 1, 10, 12, tzinfo=UTC)
LIST = reverse("courses:list")


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def case_story(title, themes, *, published=True):
    case_story_model = apps.get_model("cases", "CaseStory")
    story = case_story_model.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        summary=f"Summary of {title}",
        challenge="c",
        actions="a",
        environment_results="e",
        job_results="j",
        country="KE",
        organisation="Org",
        status="published" if published else "pending",
        published_at=timezone.now() if published else None,
    )
    story.themes.add(*themes)
    return story


def card_titles(response):
    return re.findall(r'<h2 class="card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


# --- Catalogue ------------------------------------------------------------------------------


def test_catalogue_lists_upcoming_first_and_hides_unpublished(client):
    later = CourseFactory(title="Later")
    CourseSessionFactory(course=later, start=datetime.datetime(2030, 6, 1, 9, tzinfo=UTC))
    sooner = CourseFactory(title="Sooner")
    CourseSessionFactory(course=sooner, start=datetime.datetime(2030, 2, 1, 9, tzinfo=UTC))
    CourseFactory(title="Alpha without session")
    CourseFactory(title="Hidden draft", is_published=False)

    response = client.get(LIST)

    assert response.status_code == 200
    assert card_titles(response) == ["Sooner", "Later", "Alpha without session"]
    assert "Hidden draft" not in response.content.decode()
    assert "3 courses" in response.content.decode()


def test_catalogue_card_shows_next_session_place_and_deadline_or_none(client):
    course = CourseFactory(title="With session")
    CourseSessionFactory(
        course=course,
        start=datetime.datetime(2029, 11, 1, 9, tzinfo=UTC),
        city="Lima",
        country="PE",
        application_deadline=datetime.date(2029, 10, 1),
    )
    CourseSessionFactory(
        course=course,
        start=datetime.datetime(2030, 3, 4, 9, tzinfo=UTC),
        end=datetime.datetime(2030, 3, 8, 17, tzinfo=UTC),
        timezone="Europe/Rome",
        venue="Training Centre",
        city="Turin",
        country="IT",
        application_deadline=datetime.date(2030, 2, 15),
    )
    CourseFactory(title="Without session")

    html = client.get(LIST).content.decode()

    card = html[html.index("With session") : html.index("Without session")]
    assert "4 Mar 2030" in card
    assert "8 Mar 2030" in card
    assert "Training Centre, Turin, Italy" in card
    assert "15 Feb 2030" in card
    assert "Lima" not in card  # the past session is not the next one
    assert "No session scheduled" in html[html.index("Without session") :]


def test_catalogue_filters_by_theme_format_and_language(client):
    CourseFactory(title="Tourism online", format="online", languages=["es"], themes=["Sustainable tourism"])
    CourseFactory(title="Waste in class", format="face_to_face", languages=["en", "fr"], themes=["Recycling"])
    CourseFactory(title="Draft tourism", is_published=False, themes=["Sustainable tourism"])

    assert card_titles(client.get(LIST, {"theme": "sustainable-tourism"})) == ["Tourism online"]
    assert card_titles(client.get(LIST, {"format": "face_to_face"})) == ["Waste in class"]
    assert card_titles(client.get(LIST, {"language": "fr"})) == ["Waste in class"]
    assert card_titles(client.get(LIST, {"language": "fr", "format": "online"})) == []
    assert "No course matches these filters." in client.get(LIST, {"language": "pt"}).content.decode()


def test_catalogue_offers_only_themes_of_published_courses(client):
    CourseFactory(themes=["Sustainable tourism"])
    CourseFactory(is_published=False, themes=["Secret theme"])
    html = client.get(LIST).content.decode()
    assert '<option value="sustainable-tourism">Sustainable tourism</option>' in html
    assert "Secret theme" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"theme": "no-such-theme"},
        {"format": "underwater"},
        {"language": "xx"},
        {"language": "e'n\"<script>"},
        {"page": "999"},
        {"page": "abc"},
        {"theme": ["a", "b"], "format": ""},
    ],
)
def test_invalid_filters_give_200_and_all_courses(client, params):
    CourseFactory(title="Only course")
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert card_titles(response) == ["Only course"]
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_catalogue_paginates(client):
    CourseFactory.create_batch(30)
    first = client.get(LIST)
    second = client.get(LIST, {"page": 2, "format": "face_to_face"})
    assert len(card_titles(first)) == 24
    assert len(card_titles(second)) == 6
    assert "Page 2 of 2" in second.content.decode()
    assert "format=face_to_face" in second.content.decode()


def test_catalogue_query_count_with_100_courses(client, django_assert_max_num_queries):
    for number in range(100):
        course = CourseFactory(themes=["Policy", f"Theme {number % 7}"])
        if number % 2:
            CourseSessionFactory(course=course, start=datetime.datetime(2030, 2, 1 + number % 27, tzinfo=UTC))
            CourseSessionFactory(course=course, start=datetime.datetime(2029, 2, 1, tzinfo=UTC))
    with django_assert_max_num_queries(5):
        response = client.get(LIST, {"language": "en"})
    assert response.status_code == 200
    assert len(card_titles(response)) == 24


# --- Course page ----------------------------------------------------------------------------


@pytest.fixture
def course():
    course = CourseFactory(
        title="Skills for green jobs",
        slug="skills",
        summary="Find the skills the transition needs.",
        description="First paragraph.\n\nSecond paragraph.",
        learning_objectives="Spot skills gaps\nUpdate a curriculum",
        who_should_attend="Training providers.",
        prerequisites="An internet connection.",
        languages=["en", "fr"],
        themes=["Skills for green jobs"],
    )
    return course


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


def test_unpublished_course_is_404_for_public_and_preview_for_staff(client, webmaster_client, course):
    course.is_published = False
    course.save()
    from django.test import Client

    assert Client().get(course.get_absolute_url()).status_code == 404
    response = webmaster_client.get(course.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="banner banner--preview"' in html
    assert "Not published: preview" in html
    assert "application/ld+json" not in html


def test_published_course_has_no_preview_banner_for_staff(webmaster_client, course):
    assert "banner--preview" not in webmaster_client.get(course.get_absolute_url()).content.decode()


def test_related_case_stories_share_the_course_themes(client, course):
    case_story("Solar skills", ["Skills for green jobs", "Renewable energy"])
    case_story("Unrelated", ["Sustainable tourism"])
    case_story("Pending skills", ["Skills for green jobs"], published=False)
    for number in range(4):
        case_story(f"More skills {number}", ["skills for green jobs"])

    html = client.get(course.get_absolute_url()).content.decode()

    section = html.split('class="related-stories"')[1]
    titles = re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', section)
    assert len(titles) == 3
    assert "Unrelated" not in section
    assert "Pending skills" not in section


def test_no_related_block_without_shared_themes(client):
    course = CourseFactory(themes=["Policy"])
    case_story("Unrelated", ["Sustainable tourism"])
    assert "Real-world examples" not in client.get(course.get_absolute_url()).content.decode()


def test_course_page_query_count_with_30_steps_and_10_sessions(client, course, django_assert_max_num_queries):
    sessions = [
        CourseSessionFactory(course=course, start=datetime.datetime(2029 + n % 2, 1 + n, 3, 9, tzinfo=UTC))
        for n in range(10)
    ]
    for number in range(30):
        PreparationStepFactory(course=course, session=sessions[number % 10] if number % 3 == 0 else None)
    for number in range(3):
        case_story(f"Story {number}", ["Skills for green jobs"])

    with django_assert_max_num_queries(6):
        response = client.get(course.get_absolute_url())

    html = response.content.decode()
    assert html.count('type="checkbox"') == 30
    assert html.count('class="case-card__summary"') == 3


# --- iCalendar ------------------------------------------------------------------------------


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


# --- Home page slot -------------------------------------------------------------------------


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
    from courses.templatetags.courses_tags import upcoming_course_sessions

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
