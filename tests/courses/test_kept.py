"""Course pages kept per content version: read once, shown again without the database, never stale.

Transactional tests, so that the content version moves on commit and kept parts are really kept.
"""

import datetime

import pytest
import time_machine

from courses import selectors

from .factories import CourseFactory, CourseSessionFactory, PreparationStepFactory

pytestmark = pytest.mark.django_db(transaction=True)

UTC = datetime.UTC
LIST = "/courses/"


@pytest.fixture(autouse=True)
def fresh_catalogue():
    selectors.forget()
    yield
    selectors.forget()


def test_a_kept_catalogue_and_course_page_read_only_the_content_version(client, django_assert_max_num_queries):
    course = CourseFactory(title="Kept course", slug="kept")
    CourseSessionFactory(course=course, start=datetime.datetime(2099, 3, 4, 9, tzinfo=UTC))
    PreparationStepFactory(course=course, title="Read the kept guide", url="https://example.org/")
    first_list, first_page = client.get(LIST).content, client.get("/courses/kept/").content

    with django_assert_max_num_queries(1):  # the version (from the database without a shared cache)
        assert client.get(LIST).content == first_list
    with django_assert_max_num_queries(1):
        assert client.get("/courses/kept/").content == first_page
    assert b"Read the kept guide" in first_page


def test_an_edit_shows_on_the_next_request(client):
    course = CourseFactory(title="Old title", slug="edited")
    assert b"Old title" in client.get(LIST).content
    assert b"Old title" in client.get("/courses/edited/").content

    course.title = "New title"
    course.save()

    assert b"New title" in client.get(LIST).content
    assert b"New title" in client.get("/courses/edited/").content
    CourseFactory(title="Draft", slug="draft", is_published=False)
    assert b"Draft" not in client.get(LIST).content
    assert client.get("/courses/draft/").status_code == 404


def test_kept_pages_follow_the_clock(client):
    course = CourseFactory(title="Timed", slug="timed")
    first = CourseSessionFactory(course=course, start=datetime.datetime(2030, 3, 4, 9, tzinfo=UTC), city="Lima")
    CourseSessionFactory(course=course, start=datetime.datetime(2030, 6, 4, 9, tzinfo=UTC), city="Accra")
    with time_machine.travel(datetime.datetime(2030, 1, 1, tzinfo=UTC), tick=False):
        card = client.get(LIST).content.decode()
        page = client.get("/courses/timed/").content.decode()
        assert "Lima" in card and "Accra" not in card
        assert "past session" not in page
        assert f'href="{first.registration_url}"' in page
    with time_machine.travel(datetime.datetime(2030, 4, 1, tzinfo=UTC), tick=False):
        card = client.get(LIST).content.decode()
        page = client.get("/courses/timed/").content.decode()
        assert "Accra" in card and "Lima" not in card
        assert "<summary>1 past session</summary>" in page
        assert page.index("Accra") < page.index("Lima")  # the past one is folded after the upcoming ones
    with time_machine.travel(datetime.datetime(2030, 7, 1, tzinfo=UTC), tick=False):
        assert "No session scheduled" in client.get(LIST).content.decode()


def test_staff_see_a_draft_as_it_is_now(client, webmaster_client):
    course = CourseFactory(title="Draft one", slug="draft-one", is_published=False)
    assert b"Draft one" in webmaster_client.get("/courses/draft-one/").content
    course.title = "Draft two"
    course.save()  # a draft's edit does not move the content version
    assert b"Draft two" in webmaster_client.get("/courses/draft-one/").content
