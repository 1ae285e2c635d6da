"""Search results kept per content version: a query asked again reads no index, and is never stale.

Transactional tests, so that the content version moves on commit and kept results are really kept.
"""

import pytest

from greenjobs.models import SearchDocument

from .factories import EventFactory, case

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/search/"


def titles(response):
    return [row["title"] for row in response.context["page_obj"].object_list]


def test_a_query_asked_again_reads_only_the_content_version(client, django_assert_max_num_queries):
    for n in range(3):
        case(title=f"Solar kiln {n}", summary="Potters fire their kilns with solar heat.")
    first = client.get(URL, {"q": "solar kilns"})
    assert first.status_code == 200
    assert len(titles(first)) == 3

    with django_assert_max_num_queries(1):  # the version (from the database without a shared cache)
        again = client.get(URL, {"q": "solar kilns"})
    assert titles(again) == titles(first)
    assert again.context["results"].counts == first.context["results"].counts == {"case": 3}
    assert "<mark>" in str(again.context["page_obj"].object_list[0]["snippet"])


def test_each_page_type_and_language_is_kept_apart(client):
    for n in range(12):
        case(title=f"Bamboo workshop {n}")
    EventFactory(title="Bamboo fair", summary="A fair of bamboo crafts.")

    first = client.get(URL, {"q": "bamboo"})
    second = client.get(URL, {"q": "bamboo", "page": "2"})
    events = client.get(URL, {"q": "bamboo", "type": "event"})
    french = client.get("/fr" + URL, {"q": "bamboo", "page": "2"})

    assert len(titles(first)) == 10 and len(titles(second)) == 3
    assert not set(titles(first)) & set(titles(second))
    assert titles(events) == ["Bamboo fair"]
    assert second.context["page_obj"].number == 2
    assert [row["url"] for row in french.context["page_obj"].object_list] == [
        "/fr" + row["url"] for row in second.context["page_obj"].object_list
    ]
    past_the_end = client.get(URL, {"q": "bamboo", "page": "9"})
    assert past_the_end.context["page_obj"].number == 2  # the last page, kept under the page asked for
    assert titles(past_the_end) == titles(second)


def test_a_change_to_public_content_shows_on_the_next_search(client):
    case(title="Mangrove nursery")
    assert titles(client.get(URL, {"q": "mangrove"})) == ["Mangrove nursery"]

    story = case(title="Mangrove replanting")
    assert sorted(titles(client.get(URL, {"q": "mangrove"}))) == ["Mangrove nursery", "Mangrove replanting"]

    story.delete()
    assert not SearchDocument.objects.filter(title="Mangrove replanting").exists()
    assert titles(client.get(URL, {"q": "mangrove"})) == ["Mangrove nursery"]
