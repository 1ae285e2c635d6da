from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template.loader import get_template
from django.urls import reverse

from .factories import CourseFactory, EventFactory, FlatPageFactory, case

pytestmark = pytest.mark.django_db

URL = reverse("search")


def titles(response):
    return [row["title"] for row in response.context["page_obj"].object_list]


def test_an_empty_query_shows_the_form_only(client):
    case(title="Solar mini-grids")
    response = client.get(URL)
    assert response.status_code == 200
    assert b'id="search-q"' in response.content
    assert response.context["page_obj"] is None
    assert b"results for" not in response.content


def test_a_title_match_ranks_above_a_body_match(client):
    case(title="Cooperative farming in dry hills", actions="Farmers planted trees along the solar panels.")
    case(title="Solar panels on school roofs", challenge="Schools paid too much for power.")

    response = client.get(URL, {"q": "solar"})

    assert titles(response) == ["Solar panels on school roofs", "Cooperative farming in dry hills"]


def test_the_snippet_highlights_words_and_escapes_contributed_html(client):
    case(
        title="Recycling workshop",
        challenge="<script>alert(1)</script> The <b>battery</b> line: cost < 5 & <img src=x onerror=alert(1)",
    )

    response = client.get(URL, {"q": "battery"})

    html = response.content.decode()
    assert "<mark>battery</mark>" in html
    assert "<script>alert(1)</script>" not in html
    assert "<b>" not in html and "<img src=x" not in html
    snippet = str(response.context["page_obj"].object_list[0]["snippet"])
    assert snippet.count("<mark>") == snippet.count("</mark>") == 1
    assert "<script" not in snippet and "<b>" not in snippet and "<img" not in snippet
    assert "cost &lt; 5 &amp;" in snippet


def test_results_cover_every_type_with_counts_and_filters(client):
    case(title="Mangrove jobs story")
    case(title="Mangrove nursery story")
    EventFactory(title="Mangrove workshop")
    CourseFactory(title="Mangrove restoration course")
    FlatPageFactory(title="Why mangroves matter", content="<p>Mangrove forests protect coasts.</p>")
    case(title="Mangrove draft", pending=True)

    response = client.get(URL, {"q": "mangrove"})
    assert response.context["results"].counts == {"case": 2, "event": 1, "course": 1, "page": 1}
    assert "5 results for" in response.content.decode()
    assert "Mangrove draft" not in titles(response)

    response = client.get(URL, {"q": "mangrove", "type": "case"})
    assert sorted(titles(response)) == ["Mangrove jobs story", "Mangrove nursery story"]
    assert 'aria-current="page">Case story' in response.content.decode()

    response = client.get(URL, {"q": "mangrove", "type": "page"})
    assert titles(response) == ["Why mangroves matter"]


def test_an_unknown_type_is_ignored(client):
    case(title="Mangrove jobs story")
    EventFactory(title="Mangrove workshop")
    response = client.get(URL, {"q": "mangrove", "type": "nonsense"})
    assert response.status_code == 200
    assert len(titles(response)) == 2


def test_results_are_paginated_and_bad_pages_fall_back(client):
    for n in range(12):
        case(title=f"Bamboo story {n}")

    assert len(titles(client.get(URL, {"q": "bamboo"}))) == 10
    assert len(titles(client.get(URL, {"q": "bamboo", "page": 2}))) == 2
    for bad in ["99", "abc", "-1", "0"]:
        response = client.get(URL, {"q": "bamboo", "page": bad})
        assert response.status_code == 200
        assert titles(response)


def test_websearch_syntax_phrases_and_exclusions(client):
    case(title="Solar pumps for farmers")
    case(title="Solar roofs in town", summary="Coal plant workers retrained.")

    assert titles(client.get(URL, {"q": "solar -coal"})) == ["Solar pumps for farmers"]
    assert titles(client.get(URL, {"q": '"roofs in town"'})) == ["Solar roofs in town"]
    assert sorted(titles(client.get(URL, {"q": "pumps or roofs"}))) == [
        "Solar pumps for farmers",
        "Solar roofs in town",
    ]


def test_english_stemming(client):
    case(title="Training installers")
    assert titles(client.get(URL, {"q": "installer trained"})) == ["Training installers"]


def test_no_result_suggests_themes(client):
    story = case(title="Solar pumps")
    story.themes.add("Renewable energy")

    response = client.get(URL, {"q": "zeppelin"})

    html = response.content.decode()
    assert "Nothing found" in html
    assert 'href="/themes/renewable-energy/"' in html


def test_a_long_query_is_cut_with_a_notice(client):
    case(title="Solar pumps")
    response = client.get(URL, {"q": "solar " + "x" * 300})
    assert response.context["results"].query == ("solar " + "x" * 300)[:200]
    assert "was cut" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "!!! ??? ... ---",
        "the and of a",
        "x" * 10_000,
        "solar " * 2_000,
        "'; DROP TABLE greenjobs_searchdocument; --",
        "1' OR '1'='1",
        "solar & | ! ( ) : * \\ \" '",
        "nul\x00byte",
        "\ue000 marker \ue001",
    ],
)
def test_bad_queries_never_fail(client, query):
    case(title="Solar pumps")
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert case(title="Still here").pk  # the table survived


def test_script_in_the_query_is_echoed_escaped(client):
    response = client.get(URL, {"q": "<script>alert('x')</script>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_unpublished_items_never_show(client):
    case(title="Hidden pending kelp", pending=True)
    case(title="Hidden rejected kelp", rejected=True)
    EventFactory(title="Hidden draft kelp", draft=True)
    CourseFactory(title="Hidden course kelp", is_published=False)
    response = client.get(URL, {"q": "kelp"})
    assert response.context["results"].all_count == 0
    assert "Hidden" not in response.content.decode().split("<main")[1]


def test_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries):
    for n in range(25):
        case(title=f"Wind story {n}", themes=["Renewable energy", "Policy"])
        EventFactory(title=f"Wind event {n}")
    ContentType.objects.clear_cache()
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"q": "wind", "page": 2})
    assert len(titles(response)) == 10
    with django_assert_max_num_queries(8):
        client.get(URL, {"q": "nothingmatches"})


def test_the_header_search_box_is_on_every_page(client, about_pages):
    for path in ["/", "/about/green-jobs/", "/themes/", URL]:
        html = client.get(path).content.decode()
        assert '<form role="search" class="site-search" action="/search/"' in html
        assert '<label class="visually-hidden" for="site-search-q">' in html


def test_the_header_of_search_pages_is_rendered_once_and_shows_each_query_escaped(client):
    """The header is kept per language and menu entry, search pages too: only the words in its box change."""
    header = get_template("includes/header.html").template
    case(title="Bamboo story")
    client.get(URL, {"q": "bamboo"})
    client.get("/fr" + URL, {"q": "bamboo"})
    with mock.patch.object(type(header), "render", autospec=True, side_effect=type(header).render) as render:
        first = client.get(URL, {"q": "bamboo"}).content.decode()
        second = client.get(URL, {"q": "<b>bamboo</b> & \"rattan\" 'cane'"}).content.decode()
        french = client.get("/fr" + URL, {"q": "bambou"}).content.decode()

    assert not [call for call in render.call_args_list if call.args[0] is header]
    assert 'id="site-search-q" name="q" value="bamboo"' in first
    assert 'value="&lt;b&gt;bamboo&lt;/b&gt; &amp; &quot;rattan&quot; &#x27;cane&#x27;"' in second
    assert "<b>bamboo</b>" not in second
    assert 'id="site-search-q" name="q" value="bambou"' in french
    header_of = lambda html: html.split("</header>")[0].split('<header class="site-header">')[1]  # noqa: E731
    assert header_of(second).replace(
        'value="&lt;b&gt;bamboo&lt;/b&gt; &amp; &quot;rattan&quot; &#x27;cane&#x27;"', 'value="bamboo"'
    ) == header_of(first)


@pytest.mark.parametrize(
    "page", ["9223372036854775807", "99999999999999999999999", "1e400", "\uff12", "5\x00", " 2 ", "-0"]
)
def test_any_page_number_gives_a_normal_page(client, page):
    for n in range(12):
        case(title=f"Bamboo story {n}")
    response = client.get(URL, {"q": "bamboo", "page": page})
    assert response.status_code == 200
    assert titles(response)
    html = response.content.decode()
    assert ("Page 2 of 2" in html) or ("Page 1 of 2" in html)


def test_a_huge_page_number_shows_the_last_page(client):
    for n in range(12):
        case(title=f"Bamboo story {n}")
    html = client.get(URL, {"q": "bamboo", "page": "9223372036854775807"}).content.decode()
    assert "Page 2 of 2" in html
