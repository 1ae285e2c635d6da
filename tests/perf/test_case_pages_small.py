"""The same pages with 20 stories: the same query budget; and an edit shows at once despite the kept index."""

from unittest import mock

import pytest
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from cases.models import CaseStory
from tests.cases.factories import CaseStoryFactory

from .test_case_pages import PAGES

pytestmark = pytest.mark.scale
at_twenty = pytest.mark.usefixtures("small", "db_open")


@at_twenty
@pytest.mark.parametrize("path", PAGES)
def test_case_pages_stay_within_6_queries_at_20_stories(client, django_assert_max_num_queries, path):
    cache.clear()
    with django_assert_max_num_queries(6):
        response = client.get(path.replace("scale-story-777", "scale-story-7"))
    assert response.status_code == 200


@at_twenty
def test_an_edit_shows_on_the_next_request(client):
    assert "Scale story 9<" in client.get("/cases/?country=IN").content.decode()
    story = CaseStory.objects.get(slug="scale-story-9")
    story.title = "Edited scale story"
    story.save()  # autocommit, as in a request: the content version moves on at once

    html = client.get("/cases/?country=IN").content.decode()
    assert "Edited scale story" in html and "Scale story 9<" not in html
    cache.clear()


@pytest.mark.django_db
def test_a_story_published_in_a_transaction_is_listed_in_it(client):
    CaseStoryFactory(title="Published inside", photo_file=False, country="FJ")

    response = client.get("/cases/?country=FJ")

    assert [story.title for story in response.context["stories"]] == ["Published inside"]


@at_twenty
@override_settings(PAGE_CACHE_SECONDS=0)  # the feed itself is kept, not only the page
@pytest.mark.parametrize("path", ["/cases/feed/", "/cases/feed/atom/"])
def test_the_case_feed_is_written_once_per_content_version(client, path):
    cache.clear()
    first = client.get(path)
    with mock.patch.object(Feed, "get_feed", autospec=True, side_effect=Feed.get_feed) as get_feed:
        again = client.get(path)
    assert again.status_code == 200 and again.content == first.content
    assert get_feed.call_count == 0  # the kept feed, not built again

    story = CaseStory.objects.get(slug="scale-story-1")  # the newest
    title = story.title
    story.title = "Edited newest story"
    story.save()  # autocommit: the content version moves on
    try:
        assert b"Edited newest story" in client.get(path).content
    finally:
        story.title = title
        story.save()
        cache.clear()


@at_twenty
@override_settings(PAGE_CACHE_SECONDS=0)  # the home page's slots are kept, not only the page
def test_the_home_page_reads_its_latest_stories_and_sessions_once_per_content_version(client):
    cache.clear()
    first = client.get("/")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/")

    assert again.status_code == 200 and "Scale story 1<" in again.content.decode()
    assert again.content == first.content
    read = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in read if "cases_casestory" in sql or "courses_coursesession" in sql], read


@at_twenty
@override_settings(PAGE_CACHE_SECONDS=0)
def test_the_filters_of_unfiltered_pages_are_rendered_once_per_content_version(client):
    cache.clear()
    first = client.get("/cases/")
    second = client.get("/cases/?page=2")
    filtered = client.get("/cases/?country=NP")

    def rendered(response):
        return [template.name for template in response.templates]

    assert "cases/_filters.html" in rendered(first)
    assert "cases/_filters.html" not in rendered(second)  # kept
    assert "cases/_filters.html" in rendered(filtered)  # its own filters
    for response in (first, second):
        html = response.content.decode()
        assert 'href="?country=NP"' in html and "Clear filters" not in html
    assert "Clear filters" in filtered.content.decode()


@at_twenty
@override_settings(PAGE_CACHE_SECONDS=0)
def test_unfiltered_pages_and_theme_pages_count_no_option(client):
    """The option counts are worked out only for a page whose filters are built: not for a second
    unfiltered page (its filters are kept), nor for a theme page (it shows no filters)."""
    from cases import selectors

    cache.clear()
    client.get("/cases/")
    with mock.patch.object(selectors, "_counts", wraps=selectors._counts) as counted:
        assert client.get("/cases/?page=2").status_code == 200
        theme = CaseStory.objects.published().filter(themes__isnull=False).values_list("themes__slug", flat=True)[0]
        assert client.get(f"/themes/{theme}/").status_code == 200
        assert counted.call_count == 0
        assert client.get("/cases/?country=NP").status_code == 200
        assert counted.call_count == 4  # theme, country, type and language
