import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tests.search.factories import case

pytestmark = pytest.mark.django_db


def head(html: str) -> str:
    return html.split("</head>", maxsplit=1)[0]


def meta(html: str, attribute: str, name: str) -> str | None:
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', head(html))
    return unescape(found.group(1)) if found else None


def canonical(html: str) -> str | None:
    found = re.search(r'<link rel="canonical" href="([^"]*)">', head(html))
    return unescape(found.group(1)) if found else None


@pytest.mark.parametrize("path", ["/", "/themes/", "/search/?q=solar", "/about/green-jobs/"])
def test_every_page_has_title_description_canonical_open_graph_and_twitter(client, about_pages, path):
    html = client.get(path).content.decode()
    assert re.search(r"<title>[^<]+ · Green Jobs Portal</title>", html)
    description = meta(html, "name", "description")
    assert description and len(description) > 20
    assert canonical(html).startswith("http://testserver/")
    assert meta(html, "property", "og:site_name") == "Green Jobs Portal"
    assert meta(html, "property", "og:title")
    assert meta(html, "property", "og:description") == description
    assert meta(html, "property", "og:url") == canonical(html)
    assert meta(html, "property", "og:type") == "website"
    assert meta(html, "name", "twitter:card") == "summary"
    assert meta(html, "name", "twitter:title") == meta(html, "property", "og:title")
    assert meta(html, "property", "og:image") is None


def test_titles_match_the_page(client, about_pages):
    html = client.get("/about/green-jobs/").content.decode()
    assert "<title>What makes a job green and decent? · Green Jobs Portal</title>" in html
    assert meta(html, "property", "og:title") == "What makes a job green and decent?"


def test_canonical_drops_the_query_string_except_the_page(client):
    html = client.get("/themes/?utm_source=x&sort=y").content.decode()
    assert canonical(html) == "http://testserver/themes/"
    html = client.get("/search/?q=wind&page=3&type=case").content.decode()
    assert canonical(html) == "http://testserver/search/?page=3"
    html = client.get("/search/?q=wind&page=abc").content.decode()
    assert canonical(html) == "http://testserver/search/"


def test_titles_with_quotes_and_ampersands_stay_escaped_in_attributes(client):
    story = case(title='Fish & "chips" <b>')
    story.themes.add('Sun & "wind"')
    html = client.get("/themes/sun-wind/").content.decode()
    assert meta(html, "property", "og:title") == 'Sun & "wind"'
    assert "<b>" not in head(html)


def test_pages_can_give_an_og_type_and_image():
    template = Template(
        '{% extends "base.html" %}{% block title %}A story{% endblock title %}'
        "{% block og_type %}article{% endblock og_type %}"
        "{% block og_image %}/media/cases/photo-800.jpg{% endblock og_image %}"
    )
    request = RequestFactory().get("/cases/a-story/")
    html = template.render(Context({"request": request}))
    assert meta(html, "property", "og:type") == "article"
    assert meta(html, "property", "og:image") == "http://testserver/media/cases/photo-800.jpg"
    assert meta(html, "name", "twitter:image") == "http://testserver/media/cases/photo-800.jpg"
    assert meta(html, "name", "twitter:card") == "summary_large_image"


def test_share_actions_on_a_theme_page(client):
    case(themes=["Sun & wind"])
    html = client.get("/themes/sun-wind/").content.decode()

    mailto = unescape(re.search(r'href="(mailto:[^"]+)">Share by email', html).group(1))
    fields = parse_qs(urlsplit(mailto).query)
    assert fields["subject"] == ["Sun & wind"]
    assert fields["body"] == ["Sun & wind\nhttp://testserver/themes/sun-wind/"]
    assert (
        '<input type="text" id="share-url" value="http://testserver/themes/sun-wind/" readonly data-share-url>' in html
    )
    assert re.search(r"<button [^>]*data-share-copy hidden>Copy link</button>", html)
    assert re.search(r"<button [^>]*data-share-print hidden>Print</button>", html)
    assert "use your browser's Print command" in html
    assert '<script src="/static/js/share.js" defer' in html
    assert "onclick" not in html


def test_no_inline_scripts_on_finding_pages(client, about_pages):
    case(themes=["Wind"])
    for path in ["/search/?q=wind", "/themes/", "/themes/wind/"]:
        html = client.get(path).content.decode()
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag or 'type="application/ld+json"' in tag, (path, tag)
        assert 'style="' not in html
