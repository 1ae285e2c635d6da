"""The case list's search box answers from the site index: the same stories as /search/ limited to stories."""

import pytest
from django.urls import reverse

from .factories import EventFactory, TagFactory, case

pytestmark = pytest.mark.django_db


def listed(client, query: str) -> set[str]:
    response = client.get("/cases/", {"q": query})
    assert response.status_code == 200
    return {story.get_absolute_url() for story in response.context["stories"]}


def searched(client, query: str) -> set[str]:
    response = client.get(reverse("search"), {"q": query, "type": "case"})
    assert response.status_code == 200
    return {row["url"] for row in response.context["page_obj"].object_list} if response.context["page_obj"] else set()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("solar", 2),
        ("solar pumps", 1),
        ('"solar pumps"', 1),
        ("solar -diesel", 1),
        ("solar or mangroves", 3),
        ("Nepal", 2),
        ("renewable", 1),
        ("mini-grids", 1),
        ("the", 0),
        ("zzzz", 0),
        ("'; drop table", 0),
    ],
)
def test_case_list_search_finds_the_stories_site_search_finds(client, query, found):
    energy = TagFactory(name="Renewable energy")
    case(title="Solar pumps for farmers", country="IN")
    case(title="Diesel to solar", challenge="Diesel generators were loud.", country="NP")
    case(title="Mangroves against storms", summary="Fishing villages planted mangroves.", country="FJ")
    case(title="Mini-grids in the hills", themes=[energy], country="NP")
    case(title="Hidden solar story", pending=True)
    EventFactory(title="Solar pumps workshop")

    stories = listed(client, query)
    assert stories == searched(client, query)
    assert len(stories) == found


def test_search_words_combine_with_filters_and_each_count_uses_the_words(client):
    energy = TagFactory(name="Renewable energy")
    case(title="Solar pumps in Nepal", country="NP", themes=[energy])
    case(title="Solar roofs in India", country="IN", organisation_type="cooperative")
    case(title="Recycling in Nepal", country="NP", themes=[energy])

    response = client.get("/cases/", {"q": "solar", "country": "NP"})

    assert [story.title for story in response.context["stories"]] == ["Solar pumps in Nepal"]
    options = response.context["options"]
    assert {o["value"]: o["count"] for o in options["country"]} == {"IN": 1, "NP": 1}
    assert {o["value"]: o["count"] for o in options["theme"]} == {"renewable-energy": 1}
    assert {o["value"]: o["count"] for o in options["type"]} == {"enterprise": 1}
    assert "1 story" in response.content.decode()
