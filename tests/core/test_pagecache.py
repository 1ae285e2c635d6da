"""The anonymous page cache serves repeat visits without work, and never shows stale content.

Here the cache is process-local (test settings), so a hit costs one read of the version row; with
Redis it costs none (tests/multiserver/test_shared_cache.py).
"""

import gzip
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from cases.models import ModerationDecision
from cases.services import case_publish, case_reject, case_submit
from greenjobs.core import contentversion
from greenjobs.discovery import pagecache
from tests.cases.factories import CaseStoryFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    pagecache.clear()
    contentversion.bump_content_version()
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
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]  # kept with the page
    assert again["Permissions-Policy"] == first["Permissions-Policy"]


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
    time.sleep(0.01)
    with django_assert_max_num_queries(10) as captured:
        client.get("/cases/")
    assert len(captured.captured_queries) > 0


def served_from_cache(client, url, **extra) -> bool:
    """A hit reads the version row and nothing else; a render reads much more."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **extra).status_code == 200
    return len(captured.captured_queries) == 1


# --- The key: scheme, host, path and only the parameters the page reads ------------------


def test_parameters_a_page_does_not_read_make_no_new_entry(client):
    CaseStoryFactory(title="Nepal story", country="NP", photo_file=False)
    client.get("/cases/?country=NP")
    assert served_from_cache(client, "/cases/?utm_source=mail&country=NP")
    assert served_from_cache(client, "/cases/?country=NP&x=1")
    client.get("/sitemap.xml")
    for n in range(3):
        assert served_from_cache(client, f"/sitemap.xml?x={n}")


def test_views_never_see_the_dropped_parameters(client):
    CaseStoryFactory(title="Nepal story", country="NP", photo_file=False, themes=["Energy"])
    html = client.get("/cases/?country=NP&utm_source=newsletter").content.decode()
    assert "Nepal story" in html
    assert 'href="?country=NP&amp;theme=energy"' in html
    assert "utm_source" not in html
    assert "newsletter" not in html


def test_parameters_a_page_reads_are_kept_in_any_order(client):
    CaseStoryFactory(title="Nepal story", country="NP", photo_file=False)
    client.get("/cases/?country=NP&q=story")
    assert served_from_cache(client, "/cases/?q=story&country=NP")
    assert not served_from_cache(client, "/cases/?q=other&country=NP")


def test_https_and_http_are_cached_apart(client):
    CaseStoryFactory(photo_file=False)
    client.get("/cases/")
    assert not served_from_cache(client, "/cases/", secure=True)
    assert served_from_cache(client, "/cases/", secure=True)


def test_a_page_too_large_for_an_entry_is_rendered_each_time(client, settings):
    settings.PAGE_CACHE_MAX_ENTRY_BYTES = 200
    CaseStoryFactory(photo_file=False)
    client.get("/cases/")
    assert not served_from_cache(client, "/cases/")
    assert "Age" not in client.get("/cases/")
    client.get("/robots.txt")
    assert "Age" in client.get("/robots.txt"), "a small page is still kept"


# --- Only public changes invalidate ----------------------------------------------------


def test_a_pending_submission_and_its_rejection_keep_the_cache(client, webmaster, django_capture_on_commit_callbacks):
    CaseStoryFactory(title="Published story", photo_file=False)
    Tag.objects.create(name="Energy")
    client.get("/cases/")
    with django_capture_on_commit_callbacks(execute=True):
        story = case_submit(
            title="Pending story",
            summary="A summary.",
            challenge="A challenge.",
            actions="Actions.",
            environment_results="Results.",
            job_results="Jobs.",
            country="NP",
            organisation="Coop",
            organisation_type="cooperative",
            themes=["Energy"],
            contributor_name="Asha",
            contributor_email="asha@example.org",
            consent=True,
        )
    with django_capture_on_commit_callbacks(execute=True):
        case_reject(case=story, by=webmaster, reason="Not about jobs.")
    assert ModerationDecision.objects.filter(case=story).exists()
    assert served_from_cache(client, "/cases/")


def test_a_draft_event_saved_keeps_the_cache(client, django_capture_on_commit_callbacks):
    EventFactory(title="Public meeting")
    client.get("/events/")
    with django_capture_on_commit_callbacks(execute=True):
        draft = EventFactory(title="Draft meeting", draft=True)
        draft.title = "Draft meeting, renamed"
        draft.save()
    assert served_from_cache(client, "/events/")


def test_a_story_taken_down_disappears_on_the_next_request(client, webmaster, django_capture_on_commit_callbacks):
    story = CaseStoryFactory(title="Story to withdraw", photo_file=False)
    assert "Story to withdraw" in client.get("/cases/").content.decode()
    assert client.get(story.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        case_reject(case=story, by=webmaster, reason="Asked by the contributor.")
    assert "Story to withdraw" not in client.get("/cases/").content.decode()
    assert client.get(story.get_absolute_url()).status_code == 404


def test_a_theme_added_to_a_published_story_shows_on_the_next_request(client, django_capture_on_commit_callbacks):
    story = CaseStoryFactory(title="Tagged story", photo_file=False)
    assert "Wind power" not in client.get(story.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        story.themes.add("Wind power")
    assert "Wind power" in client.get(story.get_absolute_url()).content.decode()


# --- HTTP caching ----------------------------------------------------------------------


def test_anonymous_pages_tell_browsers_and_proxies_how_to_cache(client):
    CaseStoryFactory(photo_file=False)
    first = client.get("/cases/")
    cache_control = {part.strip() for part in first["Cache-Control"].split(",")}
    assert {"public", "max-age=60"} <= cache_control
    assert first["ETag"].startswith('"')
    assert first["Last-Modified"].endswith("GMT")
    assert "Cookie" in first["Vary"]
    assert "Age" not in first

    again = client.get("/cases/")
    for header in ("Cache-Control", "ETag", "Last-Modified", "Vary", "Content-Type"):
        assert again[header] == first[header]
    assert int(again["Age"]) >= 0


def test_clients_that_accept_gzip_get_the_stored_bytes_others_the_page(client, settings):
    CaseStoryFactory(title="Solar cooperative in Nepal", photo_file=False)
    settings.PAGE_CACHE_SECONDS = 0
    rendered = client.get("/cases/").content  # the page as rendered, no cache involved
    settings.PAGE_CACHE_SECONDS = 60

    for _ in range(2):  # a miss, then a hit: both gzipped for a client that takes gzip
        zipped = client.get("/cases/", headers={"Accept-Encoding": "gzip, deflate, br"})
        assert zipped["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped.content) == rendered
        assert int(zipped["Content-Length"]) == len(zipped.content) < len(rendered) / 2
        assert zipped["ETag"].startswith('W/"')
        assert "Accept-Encoding" in zipped["Vary"]

    plain = client.get("/cases/")  # a hit for a client without gzip: decompressed
    assert "Content-Encoding" not in plain
    assert plain.content == rendered
    assert int(plain["Content-Length"]) == len(rendered)
    assert zipped["ETag"] == "W/" + plain["ETag"]
    # Either ETag validates the page (weak comparison for GET).
    assert client.get("/cases/", headers={"If-None-Match": zipped["ETag"]}).status_code == 304


def test_a_matching_etag_gets_304_from_the_cache_and_without_it(client, settings):
    CaseStoryFactory(photo_file=False)
    etag = client.get("/cases/")["ETag"]
    cached = client.get("/cases/", headers={"If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached["ETag"] == etag
    assert "public" in cached["Cache-Control"]
    assert client.get("/cases/", headers={"If-None-Match": '"something-else"'}).status_code == 200

    settings.PAGE_CACHE_SECONDS = 0
    assert client.get("/cases/", headers={"If-None-Match": etag}).status_code == 304


def test_an_edit_changes_the_etag(client, django_capture_on_commit_callbacks):
    story = CaseStoryFactory(title="First title", photo_file=False)
    etag = client.get("/cases/")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        story.title = "Second title"
        story.save()
    response = client.get("/cases/", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Second title" in response.content.decode()


def test_personal_pages_are_private_and_never_stored(client, webmaster):
    story = CaseStoryFactory(pending=True, photo_file=False)
    for url in ("/cases/submit/", story.get_status_url()):
        response = Client().get(url)
        assert response.status_code == 200
        assert {"private", "no-store"} <= {p.strip() for p in response["Cache-Control"].split(",")}, url
        assert "public" not in response["Cache-Control"]

    client.force_login(webmaster)
    for url in ("/cases/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"], url
        assert "no-store" in response["Cache-Control"], url
        assert "public" not in response["Cache-Control"]
