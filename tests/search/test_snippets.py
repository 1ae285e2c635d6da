"""Result snippets start where a sentence or a field starts, and never run two fields together."""

import pytest
from django.urls import reverse

from greenjobs.core.searchtext import FIELD_BREAK, START_MARK, STOP_MARK, html_text, plain, snippet

from .factories import EventFactory, case

pytestmark = pytest.mark.django_db


def marked(text: str, word: str) -> str:
    return text.replace(word, f"{START_MARK}{word}{STOP_MARK}")


def snippets(client, query: str) -> list[str]:
    response = client.get(reverse("search"), {"q": query})
    return [str(row["snippet"]) for row in response.context["page_obj"].object_list]


def test_the_snippet_starts_at_the_sentence_with_the_match():
    text = marked(plain("The summary.", "Workers sort waste. They sell plastic to a recycler. Income rose."), "plastic")

    assert str(snippet(text)) == "They sell <mark>plastic</mark> to a recycler. Income rose."


def test_the_snippet_never_joins_two_fields():
    text = marked(plain("Waste pickers were poor", "Bamboo was cheap and strong", "Solar lights"), "Bamboo")

    assert str(snippet(text)) == "<mark>Bamboo</mark> was cheap and strong"


def test_without_a_match_in_the_text_the_snippet_is_the_first_sentences_of_the_first_field():
    text = plain("First sentence here. Second one.", "Another field.")

    assert str(snippet(text)) == "First sentence here. Second one."


def test_a_long_sentence_is_cut_at_a_word_with_its_match_kept():
    text = marked("Start. Then " + "word " * 30 + "target " + "tail " * 80, "target")

    result = str(snippet(text))

    assert result.startswith("Then word") and result.endswith(" …")
    assert "<mark>target</mark>" in result and result.count("<mark>") == result.count("</mark>")


def test_html_blocks_become_separate_fields():
    text = html_text("<h2>Objectives</h2><p>Share tools.</p><ul><li>One</li><li>Two</li></ul>")

    assert text.split(f" {FIELD_BREAK} ") == ["Objectives", "Share tools.", "One", "Two"]


def test_a_search_result_starts_at_a_sentence_of_the_field_with_the_match(client):
    case(
        title="Cooperative of waste pickers",
        summary="Informal workers organised themselves",
        challenge="Pickers earned little. Buyers paid in cash",
        actions="The cooperative opened a depot. Members bought a baler for cardboard bales. Sales grew",
        lessons="Cardboard prices vary",
    )

    [result] = snippets(client, "baler")

    assert result == "Members bought a <mark>baler</mark> for cardboard bales. Sales grew"


def test_an_event_snippet_does_not_join_its_markdown_sections(client):
    EventFactory(
        title="Regional meeting",
        summary="Focal points meet",
        background="Green jobs grew in the region",
        objectives="- Compare approaches\n- Plan a workplan for mangroves",
    )

    [result] = snippets(client, "mangroves")

    assert result == "Plan a workplan for <mark>mangroves</mark>"


def test_a_word_in_the_summary_gives_the_summarys_snippet_else_the_body_is_marked(client):
    """Only the summary is marked when a searched word is in it (the snippet comes from there anyway);
    a result whose summary has none of the words gets its snippet from the body, marked."""
    case(
        title="Depot for pickers",
        summary="Waste pickers opened a depot. Members sort cardboard",
        challenge="Pickers earned little",
        actions="A baler presses the cardboard",
    )
    case(
        title="Recycling depot",
        summary="A town recycles more",
        challenge="Trucks came rarely",
        actions="A new baler presses the cardboard for sale",
    )

    found = sorted(snippets(client, "cardboard baler"))

    assert found == [
        "A new <mark>baler</mark> presses the <mark>cardboard</mark> for sale",
        "Members sort <mark>cardboard</mark>",
    ]
