"""The anonymous page cache serves repeat visits without work, and never shows stale content."""

import pytest

from cases.services import case_publish
from greenjobs import pagecache
from tests.cases.factories import CaseStoryFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    pagecache.clear()
    pagecache.bump_content_version()
    yield
    pagecache.clear()


def test_a_repeat_anonymous_visit_costs_only_the_version_read(client, django_assert_num_queries):
    CaseStoryFactory(title="Solar cooperative in Nepal", photo_file=False)
    first = client.get("/cases/")
    assert "Solar cooperative in Nepal" in first.content.decode()
    with django_assert_num_queries(1) as captured:
        again = client.get("/cases/")
    assert "greenjobs_contentversion" in captured.captured_queries[0]["sql"]
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_story_published_shows_on_the_next_request(client, webmaster, django_capture_on_commit_callbacks):
    CaseStoryFactory(title="Older story", photo_file=False)
    pending = CaseStoryFactory(title="Recycling e-waste safely in Dhaka", pending=True, photo_file=False)
    assert "Recycling e-waste safely in Dhaka" not in client.get("/cases/").content.decode()
    assert client.get(f"/cases/{pending.slug}/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        case_publish(case=pending, by=webmaster)

    assert "Recycling e-waste safely in Dhaka" in client.get("/cases/").content.decode()
    assert client.get(f"/cases/{pending.slug}/").status_code == 200


def test_an_event_edited_shows_on_the_next_request(client, django_capture_on_commit_callbacks):
    event = EventFactory(title="Planning meeting")
    url = event.get_absolute_url()
    assert "Planning meeting" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Learning and planning meeting"
        event.save()

    assert "Learning and planning meeting" in client.get(url).content.decode()


def test_an_edit_rolled_back_keeps_the_cache(client, django_assert_num_queries, django_capture_on_commit_callbacks):
    CaseStoryFactory(title="Kept story", photo_file=False)
    client.get("/cases/")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        CaseStoryFactory(title="Never committed", photo_file=False)
    assert callbacks, "the change registers a bump to run on commit"
    with django_assert_num_queries(1):
        client.get("/cases/")


def test_logged_in_staff_never_get_the_anonymous_copy(client, webmaster):
    draft = CaseStoryFactory(title="Draft story", pending=True, photo_file=False)
    assert client.get(f"/cases/{draft.slug}/").status_code == 404
    client.force_login(webmaster)
    response = client.get(f"/cases/{draft.slug}/")
    assert response.status_code == 200
    assert "Not published: preview" in response.content.decode()
    client.logout()
    assert client.get(f"/cases/{draft.slug}/").status_code == 404


def test_pages_with_a_csrf_token_are_not_cached(client):
    first = client.get("/cases/submit/")
    assert first.status_code == 200
    assert "csrftoken" in first.cookies
    fresh = client.__class__()
    second = fresh.get("/cases/submit/")
    assert "csrftoken" in second.cookies
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_query_strings_are_cached_apart(client):
    CaseStoryFactory(title="Nepal story", country="NP", photo_file=False)
    CaseStoryFactory(title="Fiji story", country="FJ", photo_file=False)
    nepal = client.get("/cases/?country=NP").content.decode()
    fiji = client.get("/cases/?country=FJ").content.decode()
    assert "Nepal story" in nepal and "Fiji story" not in nepal
    assert "Fiji story" in fiji and "Nepal story" not in fiji


def test_entries_expire(client, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0.001
    CaseStoryFactory(photo_file=False)
    client.get("/cases/")
    import time

    time.sleep(0.01)
    with django_assert_max_num_queries(10) as captured:
        client.get("/cases/")
    assert len(captured.captured_queries) > 0
