"""Case pages at bench scale (20,000 published stories): no sequential scan of the big tables, six queries at most.

The story index (cases/selectors.py) is built once per content version by reading every published
story; the fixture builds it first, as the first request after an edit would. What is checked is the
work of each page after that, with the cache of search words and cards empty.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from cases import selectors
from cases.models import CaseStory
from greenjobs.core.related import related
from greenjobs.models import SearchDocument
from tests.cases.factories import CaseStoryFactory
from tests.services import redis_caches

from .conftest import plan_nodes, rows_read

pytestmark = pytest.mark.scale
at_scale = pytest.mark.usefixtures("big", "db_open")

BIG_TABLES = {"cases_casestory", "taggit_taggeditem", "greenjobs_searchdocument"}
# Words in one story of eight or more.
COMMON_WORDS = "cooperative"
PAGES = [
    "/cases/",
    "/cases/?page=2",
    "/cases/?page=900",
    "/cases/?page=99999",
    "/cases/?theme=scale-theme-3",
    "/cases/?theme=scale-theme-200",
    "/cases/?country=NP",
    "/cases/?type=cooperative",
    "/cases/?q=mangroves",
    "/cases/?q=mangroves+storms&theme=scale-theme-4",
    "/cases/?q=cooperative",
    "/cases/?q=cooperative+-mangroves&page=40",
    "/cases/?theme=scale-theme-3&country=NP",
    "/cases/?theme=scale-theme-3&country=NP&type=cooperative&page=2",
    "/cases/?theme=scale-theme-5&country=IN&type=workers&q=cooperative",
    "/cases/?theme=no-such-theme&country=ZZ",
    "/cases/scale-story-1/",
    "/cases/scale-story-777/",
]


@at_scale
@pytest.mark.parametrize("path", PAGES)
def test_no_case_page_reads_a_big_table_sequentially(client, path):
    cache.clear()  # the words' matches and the cards: the page as if never asked for before
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    assert b"Scale story" in response.content or b"No published story matches" in response.content
    # Common words (COMMON_WORDS) are matched through the index too: reading the
    # search table whole tests every row's toasted vector (110 ms at bench scale, 13 through the index).
    seq_scans = [
        (relation, query["sql"][:300])
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("SELECT", "WITH", "SET LOCAL"))
        for node, relation in plan_nodes(query["sql"])
        if node == "Seq Scan" and relation in BIG_TABLES
    ]
    assert seq_scans == []


@at_scale
@pytest.mark.parametrize("path", PAGES)
def test_case_pages_stay_within_6_queries_at_20000_stories(client, django_assert_max_num_queries, path):
    cache.clear()
    with django_assert_max_num_queries(6):
        assert client.get(path).status_code == 200


@at_scale
def test_deep_and_filtered_pages_list_what_the_database_orders(client):
    published = CaseStory.objects.published()
    for path, expected in [
        ("/cases/?page=2", published[12:24]),
        ("/cases/?page=900", published[900 * 12 - 12 : 900 * 12]),
        ("/cases/?page=99999", published[(20_000 - 1) // 12 * 12 :]),
        (
            "/cases/?theme=scale-theme-3&country=NP&page=5",
            published.filter(themes__slug="scale-theme-3", country="NP")[48:60],
        ),
    ]:
        response = client.get(path)
        assert [s.slug for s in response.context["stories"]] == [s.slug for s in expected], path
    assert "Page 1667 of 1667" in client.get("/cases/?page=99999").content.decode()


@at_scale
def test_related_stories_share_most_themes_newest_first(client):
    themes = set(CaseStory.objects.get(slug="scale-story-1").themes.values_list("pk", flat=True))

    related = client.get("/cases/scale-story-1/").context["related"]

    assert len(related) == 3
    others = [CaseStory.objects.get(slug=item.url.strip("/").rsplit("/", 1)[1]) for item in related]
    for other in others:
        assert set(other.themes.values_list("pk", flat=True)) == themes  # both themes in common
    assert [s.published_at for s in others] == sorted((s.published_at for s in others), reverse=True)


@at_scale
def test_stories_with_the_same_themes_share_one_kept_list_each_without_itself(client):
    themes = set(CaseStory.objects.get(slug="scale-story-1").themes.values_list("pk", flat=True))
    rows = SearchDocument.objects.filter(kind="case", theme_ids__contains=list(themes))
    ids = rows.filter(theme_ids__contained_by=list(themes)).values_list("object_id", flat=True)[:5]
    same = list(CaseStory.objects.filter(pk__in=list(ids)))
    assert len(same) >= 5
    cache.clear()
    first = client.get(same[0].get_absolute_url()).context["related"]

    for story in same[1:5]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(story.get_absolute_url())
        shown = [item.url for item in response.context["related"]]
        assert len(shown) == 3 and story.get_absolute_url() not in shown
        assert not [query for query in queries.captured_queries if "greenjobs_searchdocument" in query["sql"]]
    assert same[0].get_absolute_url() not in [item.url for item in first]


@at_scale
@pytest.mark.parametrize(
    "themes",
    [
        ["scale-theme-1"],  # one common theme (about 1,800 stories): its newest three
        ["scale-theme-1", "scale-theme-40"],  # a common and a rare one, as every seeded story has
        ["scale-theme-1", "scale-theme-2"],  # two common themes that no story has together
        ["scale-theme-1", "scale-theme-2", "scale-theme-3", "scale-theme-200"],
        ["scale-theme-250"],  # a rare theme alone
    ],
)
def test_related_items_read_a_few_hundred_rows_whatever_the_themes(themes):
    """Ranking every story that shares a common theme read 1,800 to 40,000 rows of the search table a
    story page (23 ms at bench scale). Now: a few hundred, as many as the planner needs to find a
    theme's newest items (a walk of the date index for a common theme, the GIN index for a rare one)."""
    ids = list(Tag.objects.filter(slug__in=themes).values_list("pk", flat=True))
    assert len(ids) == len(themes)
    cache.clear()  # the list is kept per content version: read it afresh
    with CaptureQueriesContext(connection) as queries:
        found = related("case", ids, exclude=0)
    (query,) = [query for query in queries.captured_queries if "greenjobs_searchdocument" in query["sql"]]

    assert len(found) == 3
    read = rows_read(query["sql"], "greenjobs_searchdocument")
    assert read <= 1_000, f"{themes}: {read} rows of the search table read"


@at_scale
@pytest.mark.parametrize("path", ['/cases/?q="workers changed"', '/search/?q="workers changed"&type=case'])
def test_a_quoted_phrase_reads_the_positions_of_the_stories_holding_its_word_pairs_only(client, path):
    """Every story holds "workers" and "changed", none the phrase "workers changed". Checking the positions
    of every story with both words read all 20,000 vectors (at bench scale "decent work" read 7,000,
    45 ms); the index of word pairs leaves none to read."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    assert b"Scale story" not in response.content
    matching = [query["sql"] for query in queries.captured_queries if "vector @@" in query["sql"]]
    assert matching
    read = sum(rows_read(sql, "greenjobs_searchdocument") for sql in matching)
    assert read <= 100, f"{read} rows of the search table read"


@pytest.mark.django_db
def test_inside_a_transaction_the_index_is_built_afresh_and_never_kept(client):
    selectors.forget()
    CaseStoryFactory(title="Uncommitted story", photo_file=False)

    assert "Uncommitted story" in client.get("/cases/").content.decode()
    assert selectors._kept == {}


@at_scale
def test_search_words_kept_in_redis_come_back_at_20000_stories(client, redis_url, key_prefix):
    """The kept match of common words is a bit set of 20,000 positions: Redis must store and return it."""
    with override_settings(CACHES=redis_caches(redis_url, key_prefix)):
        first = client.get(f"/cases/?q={COMMON_WORDS}")
        again = client.get(f"/cases/?q={COMMON_WORDS}")
    assert first.status_code == again.status_code == 200
    assert [s.pk for s in again.context["stories"]] == [s.pk for s in first.context["stories"]]
    assert first.context["stories"], "common words match stories"
