"""The same pages with 20 stories: the same query budget; and an edit shows at once despite the kept index."""

import pytest
from django.core.cache import cache

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
