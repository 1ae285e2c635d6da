"""The benchmark's own code (bench/, outside the runtime package) on a small corpus."""

from django.test import Client

from bench.search import time_searches
from bench.seed import seed
from bench.url_lists import url_lists
from cases.models import CaseStory
from courses.models import Course
from events.models import Event
from greenjobs.models import SearchDocument
from tests.search.factories import case


def test_bench_search_prints_median_and_p95(db):
    case(title="Solar pumps for farmers")
    out = time_searches(rounds=1)
    assert "searches over 1 documents: median" in out and "p95" in out


def test_bench_seed_fills_every_app_and_names_the_pages_to_load(db):
    seed(stories=30, pending=5, events=12, courses=3, themes=15)
    assert CaseStory.objects.published().count() == 30
    assert CaseStory.objects.pending().count() == 5
    assert Event.objects.published().count() == 12
    assert Course.objects.published().count() == 3
    assert SearchDocument.objects.filter(kind="case").count() == 30

    lists = url_lists()
    by_type = {entry["key"]: entry["urls"] for entry in lists["types"]}
    assert by_type["home"] == ["/"] and by_type["cases"] == ["/cases/"] and by_type["courses"] == ["/courses/"]
    assert all(url.startswith("/search/?q=") for url in by_type["search"])
    assert len(lists["mix"]) > 100
    client = Client()
    for urls in by_type.values():
        for url in urls[:3]:
            assert client.get(url).status_code == 200, url
