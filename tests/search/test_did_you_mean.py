"""Search that forgives: a misspelled word gets "Did you mean" the closest word of the public index."""

import pytest
from django.urls import reverse

from greenjobs.core.searchindex import FEW_RESULTS, did_you_mean
from greenjobs.discovery.search import rebuild
from greenjobs.models import SearchWord

from .factories import case

pytestmark = pytest.mark.django_db

URL = reverse("search")


@pytest.fixture
def stories():
    case(title="Recycling plastic in Accra", summary="Waste pickers sort plastic for recycling.", themes=["Waste"])
    case(title="Solar pumps for farms", summary="A cooperative replaced diesel pumps.", themes=["Energy"])


def test_a_misspelled_word_suggests_the_word_of_the_index_on_the_search_page(client, stories):
    html = client.get(URL, {"q": "recyling"}).content.decode()

    assert "0 results for “recyling”." in html
    assert 'Did you mean: <a href="?q=recycling"><strong>recycling</strong></a>?' in html


def test_the_suggestion_keeps_the_other_words_and_drops_the_type_filter(client, stories):
    html = client.get(URL, {"q": "Recyling plastic", "type": "event"}).content.decode()

    assert 'Did you mean: <a href="?q=recycling+plastic"><strong>recycling plastic</strong></a>?' in html


def test_the_story_list_suggests_a_better_spelling_and_keeps_its_filters(client, stories):
    html = client.get("/cases/", {"q": "recyling", "country": "np"}).content.decode()

    assert "0 stories" in html
    assert 'Did you mean: <a href="?q=recycling&amp;country=np"><strong>recycling</strong></a>?' in html


def test_following_the_suggestion_finds_the_story(client, stories):
    response = client.get("/cases/", {"q": "recycling"})

    assert [story.title for story in response.context["stories"]] == ["Recycling plastic in Accra"]
    assert "Did you mean" not in response.content.decode()


def test_no_suggestion_for_words_the_index_knows_or_for_plenty_of_results(client, stories):
    assert "Did you mean" not in client.get(URL, {"q": "solar"}).content.decode()
    assert "Did you mean" not in client.get(URL, {"q": "zzxqv"}).content.decode()
    assert did_you_mean("recyling", FEW_RESULTS) == ""


def test_a_suggestion_costs_one_query_and_only_when_results_are_few(stories, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert did_you_mean("solar recyling pumpss", 0) == "solar recycling pumps"
    with django_assert_num_queries(0):
        assert did_you_mean("recyling", FEW_RESULTS) == ""
        assert did_you_mean("", 0) == ""
        assert did_you_mean("42 -- ?", 0) == ""


def test_words_of_content_no_longer_public_are_never_offered(client):
    story = case(title="Geothermal heat for greenhouses")
    assert did_you_mean("geothermol", 0) == "geothermal"

    story.delete()

    assert SearchWord.objects.filter(word="geothermal").exists()  # kept until the next rebuild...
    assert did_you_mean("geothermol", 0) == ""  # ...but never offered
    rebuild()
    assert not SearchWord.objects.filter(word="geothermal").exists()


def test_a_rebuild_fills_the_vocabulary_again(stories):
    SearchWord.objects.all().delete()

    rebuild()

    assert {"recycling", "plastic", "accra", "cooperative"} <= set(SearchWord.objects.values_list("word", flat=True))
    assert did_you_mean("cooperatve", 0) == "cooperative"


def test_the_suggestion_is_escaped(client, stories):
    html = client.get(URL, {"q": "<b>recyling</b>"}).content.decode()

    assert "<b>recycling" not in html
    assert "<strong>&lt;b&gt;recycling&lt;/b&gt;</strong>" in html
