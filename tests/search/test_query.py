import json

import pytest
from django.core.management import call_command
from django.test import Client

from greenjobs import search

from .factories import case

pytestmark = pytest.mark.django_db

S, E = search.START_MARK, search.STOP_MARK


def test_highlight_escapes_everything_but_the_markers():
    html = search.highlight(f'<img src=x onerror="alert(1)"> {S}solar{E} & pumps')
    assert html == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>solar</mark> &amp; pumps"


def test_highlight_never_emits_unbalanced_marks():
    assert search.highlight(f"{S}solar pumps") == "solar pumps"


def test_clean_query_cuts_and_removes_nul_and_markers():
    assert search.clean_query("  solar\x00   pumps ") == ("solar pumps", False)
    assert search.clean_query(f"{S}wind{E}") == ("wind", False)
    text, cut = search.clean_query("a" * 250)
    assert cut and len(text) == 200


def test_run_search_counts_pages_and_falls_back_to_the_last_page(django_assert_max_num_queries):
    for n in range(23):
        case(title=f"Kelp farm {n}")
    with django_assert_max_num_queries(2):
        results = search.run_search("kelp", page=2)
    assert results.total == 23 and results.page_obj.number == 2 and len(results.page_obj) == 10

    with django_assert_max_num_queries(3):
        results = search.run_search("kelp", page=99)
    assert results.page_obj.number == 3
    assert len(results.page_obj) == 3
    assert results.page_obj.start_index() == 21


def test_run_search_with_an_empty_query_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        results = search.run_search("   ")
    assert results.page_obj is None


def test_themes_with_counts_orders_by_count_for_suggestions():
    case(themes=["Wind", "Policy"])
    case(themes=["Wind"])
    case(pending=True, themes=["Hidden"])
    top = search.themes_with_counts(limit=5, used_only=True)
    assert [(tag.name, tag.item_count) for tag in top] == [("Wind", 2), ("Policy", 1)]


def test_bench_search_command_prints_median_and_p95(capsys):
    case(title="Solar pumps for farmers")
    call_command("bench_search", rounds=1)
    out = capsys.readouterr().out
    assert "searches over 1 documents: median" in out and "p95" in out


def test_bench_seed_fills_every_app_and_names_the_pages_to_load(tmp_path):
    from cases.models import CaseStory
    from courses.models import Course
    from events.models import Event

    call_command("bench_seed", stories=30, pending=5, events=12, courses=3, themes=15)
    assert CaseStory.objects.published().count() == 30
    assert CaseStory.objects.pending().count() == 5
    assert Event.objects.published().count() == 12
    assert Course.objects.published().count() == 3
    assert search.SearchDocument.objects.filter(kind="case").count() == 30

    urls_file = tmp_path / "urls.json"
    call_command("bench_seed", urls=str(urls_file))
    lists = json.loads(urls_file.read_text())
    by_type = {entry["key"]: entry["urls"] for entry in lists["types"]}
    assert by_type["home"] == ["/"] and by_type["cases"] == ["/cases/"] and by_type["courses"] == ["/courses/"]
    assert all(url.startswith("/search/?q=") for url in by_type["search"])
    assert len(lists["mix"]) > 100
    client = Client()
    for urls in by_type.values():
        for url in urls[:3]:
            assert client.get(url).status_code == 200, url
