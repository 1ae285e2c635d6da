import pytest

from greenjobs.core import searchindex, searchtext
from greenjobs.discovery import search

from .factories import case

pytestmark = pytest.mark.django_db

S, E = searchtext.START_MARK, searchtext.STOP_MARK


def test_highlight_escapes_everything_but_the_markers():
    html = searchtext.highlight(f'<img src=x onerror="alert(1)"> {S}solar{E} & pumps')
    assert html == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>solar</mark> &amp; pumps"


def test_highlight_never_emits_unbalanced_marks():
    assert searchtext.highlight(f"{S}solar pumps") == "solar pumps"


def test_clean_query_cuts_and_removes_nul_and_markers():
    assert searchtext.clean_query("  solar\x00   pumps ") == ("solar pumps", False)
    assert searchtext.clean_query(f"{S}wind{E}") == ("wind", False)
    text, cut = searchtext.clean_query("a" * 250)
    assert cut and len(text) == 200


def test_run_search_counts_pages_and_falls_back_to_the_last_page(django_assert_max_num_queries):
    for n in range(23):
        case(title=f"Kelp farm {n}")
    with django_assert_max_num_queries(2):
        results = searchindex.run_search("kelp", page=2)
    assert results.total == 23 and results.page_obj.number == 2 and len(results.page_obj) == 10

    with django_assert_max_num_queries(3):
        results = searchindex.run_search("kelp", page=99)
    assert results.page_obj.number == 3
    assert len(results.page_obj) == 3
    assert results.page_obj.start_index() == 21


def test_run_search_with_an_empty_query_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        results = searchindex.run_search("   ")
    assert results.page_obj is None


def test_themes_with_counts_orders_by_count_for_suggestions():
    case(themes=["Wind", "Policy"])
    case(themes=["Wind"])
    case(pending=True, themes=["Hidden"])
    top = search.themes_with_counts(limit=5, used_only=True)
    assert [(tag.name, tag.item_count) for tag in top] == [("Wind", 2), ("Policy", 1)]
