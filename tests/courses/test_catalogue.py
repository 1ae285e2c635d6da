"""The catalogue: courses with a session coming up first, filters, pages and the query budget."""

import datetime
import re

import pytest
from django.urls import reverse

from .conftest import UTC
from .factories import CourseFactory, CourseSessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

LIST = reverse("courses:list")


def card_titles(response):
    return re.findall(r'<h2 class="card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


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
