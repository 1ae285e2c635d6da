"""Every list has a numbered pager: first and last pages, a window around the current one, filters kept."""

import re

import pytest
from django.core.paginator import Paginator
from django.urls import reverse

from greenjobs.templatetags.pager_tags import page_links

from .factories import case

pytestmark = pytest.mark.django_db


def shown(number: int, pages: int) -> tuple[str, str]:
    """The pager as a wide screen and as a phone show it: numbers, [current] and gaps."""
    links = page_links(Paginator(range(pages), 1).page(number))
    wide, narrow = [], []
    for link in links:
        text = "…" if link.is_gap else f"[{link.number}]" if link.current else str(link.number)
        if not link.narrow_only:
            wide.append(text)
        if not link.wide_only:
            narrow.append(text)
    return " ".join(wide), " ".join(narrow)


@pytest.mark.parametrize(
    ("number", "pages", "wide", "narrow"),
    [
        (1, 2, "[1] 2", "[1] 2"),
        (1, 20, "[1] 2 3 … 20", "[1] 2 … 20"),
        (4, 20, "1 2 3 [4] 5 6 … 20", "1 … 3 [4] 5 … 20"),
        (10, 20, "1 … 8 9 [10] 11 12 … 20", "1 … 9 [10] 11 … 20"),
        (20, 20, "1 … 18 19 [20]", "1 … 19 [20]"),
        (3, 5, "1 2 [3] 4 5", "1 2 [3] 4 5"),
    ],
)
def test_the_pager_shows_first_last_and_a_window_narrower_on_phones(number, pages, wide, narrow):
    assert shown(number, pages) == (wide, narrow)


@pytest.fixture
def many_stories():
    for n in range(12 * 5 + 1):  # six pages of twelve
        case(title=f"Bamboo story {n}", country="NP", themes=["Bamboo"])


def pager(html: str) -> str:
    return re.search(r'<nav class="pagination" aria-label="Pages">.*?</nav>', html, re.S).group(0)


def hrefs(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]*)"', pager(html))]


def test_the_story_list_pager_numbers_pages_and_keeps_the_filters(client, many_stories):
    html = client.get("/cases/", {"theme": "bamboo", "country": "NP", "page": "3"}).content.decode()

    nav = pager(html)
    assert "Page 3 of 6" in nav
    assert hrefs(html) == [
        "?theme=bamboo&country=NP&page=2",  # previous
        "?theme=bamboo&country=NP",  # page 1: no page parameter
        "?theme=bamboo&country=NP&page=2",
        "?theme=bamboo&country=NP&page=3",
        "?theme=bamboo&country=NP&page=4",
        "?theme=bamboo&country=NP&page=5",
        "?theme=bamboo&country=NP&page=6",  # last
        "?theme=bamboo&country=NP&page=4",  # next
    ]
    assert 'rel="prev"' in nav and 'rel="next"' in nav
    assert re.search(r'aria-current="page"><span class="visually-hidden">Page </span>3</a>', nav)


def test_the_first_page_links_the_last_and_has_no_previous(client, many_stories):
    nav = pager(client.get("/cases/").content.decode())

    assert 'rel="prev"' not in nav and 'href="?page=6"' in nav and 'href="?page=2" rel' not in nav
    assert nav.count('aria-current="page"') == 1
    assert 'class="pagination__gap" aria-hidden="true">…</li>' in nav


def test_the_search_pager_keeps_the_words_and_the_type(client):
    for n in range(25):
        case(title=f"Mangrove story {n}")

    html = client.get(reverse("search"), {"q": "mangrove", "type": "case", "page": "2"}).content.decode()

    assert "Page 2 of 3" in pager(html)
    assert hrefs(html)[0] == "?q=mangrove&type=case"
    assert hrefs(html)[-1] == "?q=mangrove&type=case&page=3"


def test_a_single_page_has_no_pager(client):
    case(title="Alone")
    assert 'class="pagination"' not in client.get("/cases/").content.decode()


def test_page_links_keep_encoded_words_and_page_one_of_a_plain_list_is_its_path(client, many_stories):
    for n in range(25):
        case(title=f"Énergie solaire {n}", summary="Des ateliers à Lomé & Kara.")
    html = client.get(reverse("search"), {"q": "énergie & solaire", "page": "2"}).content.decode()
    assert hrefs(html)[0] == "?q=%C3%A9nergie+%26+solaire"  # previous: page 1
    assert hrefs(html)[-1] == "?q=%C3%A9nergie+%26+solaire&page=3"

    second = client.get("/cases/", {"page": "2"}).content.decode()
    assert hrefs(second)[:2] == ["/cases/", "/cases/"]  # previous and page 1: the list's own address
