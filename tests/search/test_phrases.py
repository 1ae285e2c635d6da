"""Quoted phrases and hyphenated words: found through the index of word pairs and as compounds
(greenjobs/migrations/0011 and 0012), with exactly the results that checking every candidate's positions
gives."""

import pytest
from django.db import connection

from greenjobs.core import searchindex, searchtext

from .factories import case

pytestmark = pytest.mark.django_db

URL = "/search/"


@pytest.fixture
def stories():
    return {
        "phrase": case(title="Decent work in recycling", challenge="Pickers wanted decent work and fair pay."),
        "apart": case(title="Work at the dump", challenge="The work was hard; wages were not decent."),
        "reversed": case(title="Sorting plastics", challenge="Hard work decent pay was the slogan."),
        "gap": case(title="Right to work", challenge="Migrants claimed the right to work in the port."),
        "hyphen": case(
            title="E-waste workshops", summary="Young people repair e-waste.", challenge="Safe e-waste recycling."
        ),
        "parts": case(title="Waste and e-mail", challenge="The waste office sent an e mail to the recycling firm."),
        "french": case(title="Des emplois verts", summary="Des emplois verts pour les jeunes.", language="fr"),
    }


def found(client, query: str) -> set[str]:
    response = client.get(URL, {"q": query, "type": "case"})
    assert response.status_code == 200
    return {row["title"] for row in response.context["page_obj"].object_list} if response.context["page_obj"] else set()


def checked_by_positions(query: str) -> set[int]:
    """What the plain readings find, every candidate's positions checked: the results before the pairs
    index and the compounds."""
    words, params = searchindex._readings_sql(searchindex._search_query(query))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT object_id FROM {searchindex._TABLE} WHERE kind = 'case' AND vector @@ {words}", params)
        return {object_id for (object_id,) in cursor.fetchall()}


QUERIES = [
    '"decent work"',
    'recycling "decent work"',
    '"decent work" or "right to work"',
    '-"decent work" decent',
    '"right to work"',
    '"work decent"',
    "e-waste",
    "-e-waste workers",
    '"e-waste recycling"',
    '"recycling e-waste"',
    'e-waste "decent work"',
    '"emplois verts"',
    '"emploi vert"',
    '"the"',
    '"decent',
    '""',
    "e-mail",
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_pairs_and_compounds_find_what_positions_find(stories, query):
    expected = checked_by_positions(query)
    assert set(searchindex.matching_object_ids(query, kind="case")) == expected
    results = searchindex.run_search(query, kind="case")
    assert results.total == len(expected)


def test_a_phrase_finds_its_words_side_by_side_only(client, stories):
    assert found(client, '"decent work"') == {"Decent work in recycling"}
    assert found(client, '"work decent"') == {"Sorting plastics"}
    assert found(client, '"right to work"') == {"Right to work"}  # across a stop word
    assert found(client, '"decent work" or "right to work"') == {"Decent work in recycling", "Right to work"}
    assert found(client, 'decent -"decent work"') == {"Work at the dump", "Sorting plastics"}
    assert found(client, '"emplois verts"') == {"Des emplois verts"}  # read by the French configuration
    assert found(client, '"e-waste recycling"') == {"E-waste workshops"}


def test_a_hyphenated_word_is_one_word_and_still_marked_in_the_snippet(client, stories):
    assert found(client, "e-waste") == {"E-waste workshops"}  # not "waste" and "e" apart
    assert found(client, "recycling -e-waste") == {"Decent work in recycling", "Waste and e-mail"}
    (row,) = client.get(URL, {"q": "e-waste"}).context["page_obj"].object_list
    assert str(row["snippet"]) == "Young people repair <mark>e</mark>-<mark>waste</mark>."


def evaluated(sql: str, params: list) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({sql})::text", params)
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("query", "asked", "pairs"),
    [
        ("e-waste", "'e-wast'", None),  # the compound alone: no positions to check
        ("cheap e-waste or -self-employed", "!'self-employ' | 'e-wast' & 'cheap'", None),
        ('"e-waste recycling"', "'e-wast' <-> 'e' <-> 'wast' <-> 'recycl'", "'e wast' & 'e-wast e' & 'wast recycl'"),
        ('"decent work"', "'decent' <-> 'work'", "'decent work'"),
        ('"right to work"', "'right' <2> 'work'", "NULL"),  # a stop word between: no pair to narrow by
        ("decent work", "'decent' & 'work'", None),
    ],
)
def test_what_the_index_is_asked(query, asked, pairs):
    """The matching query in English (the readings of the other languages OR'ed to it are left out here),
    and the pairs a phrase narrows the documents to (scale test: tests/perf/test_case_pages.py)."""
    english = searchindex.AnyReading([("gj_english", query)], compounds=True)
    assert evaluated(*english.as_sql(None, None)) == asked
    found = english.pairs_sql()
    assert (found if found is None else evaluated(*found) or "NULL") == pairs


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("e-waste", ["e-waste"]),
        ("cheap E-Waste and self-employed", ["e-waste", "self-employed"]),
        ('"e-waste recycling" low-carbon', ["low-carbon"]),  # inside a phrase the parts' positions matter
        ('a "b e-waste', []),  # an unpaired quote opens a phrase to the end
        ("-e-waste", ["e-waste"]),
        ("solar pumps", []),
    ],
)
def test_hyphenated_words_outside_phrases(query, words):
    assert searchtext.hyphenated_words(query) == words


@pytest.mark.parametrize(
    ("query", "phrases"),
    [
        ('"decent work"', ["decent work"]),
        ('solar "decent work" -"coal mine"', ["decent work"]),  # a phrase left out is not needed
        ('"decent work" or solar', []),  # either side may match
        ('"decent work" OR solar', []),
        ('a "open phrase', ["open phrase"]),
        ('""', []),
        ("color orange", []),
    ],
)
def test_required_phrases(query, phrases):
    assert searchtext.required_phrases(query) == phrases
