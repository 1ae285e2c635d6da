"""Share links: email and the networks as plain links with encoded addresses; nothing third-party loads."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.search.factories import case

pytestmark = pytest.mark.django_db

URL = "http://testserver/cases/solar-jobs/"


@pytest.fixture
def html(client, settings):
    settings.SITE_URL = "http://testserver"
    case(title="Solar & jobs: a story", slug="solar-jobs")
    return client.get("/cases/solar-jobs/").content.decode()


def share_links(html: str) -> dict[str, str]:
    box = re.search(r'<section class="share".*?</section>', html, re.S).group(0)
    return {
        unescape(label): unescape(href) for href, label in re.findall(r'<a[^>]*href="([^"]+)"[^>]*>([^<]+)</a>', box)
    }


def test_each_network_gets_the_page_address_percent_encoded(html):
    links = share_links(html)

    def query(label):
        return parse_qs(urlsplit(links[label]).query)

    assert (
        links["LinkedIn"]
        == "https://www.linkedin.com/sharing/share-offsite/?url=http%3A%2F%2Ftestserver%2Fcases%2Fsolar-jobs%2F"
    )
    assert links["X (Twitter)"].startswith("https://x.com/intent/post?text=Solar%20%26%20jobs%3A%20a%20story&url=")
    assert query("X (Twitter)") == {"text": ["Solar & jobs: a story"], "url": [URL]}
    assert (
        links["Facebook"]
        == "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Ftestserver%2Fcases%2Fsolar-jobs%2F"
    )
    assert query("WhatsApp") == {"text": [f"Solar & jobs: a story {URL}"]}
    assert query("Share by email") == {"subject": ["Solar & jobs: a story"], "body": [f"Solar & jobs: a story\n{URL}"]}


def test_the_links_are_plain_and_nothing_third_party_loads(html):
    assert re.findall(r'<a href="https://[^"]+" rel="nofollow noopener">', html)
    for src in re.findall(r'<(?:script|img|iframe|link)\b[^>]*\b(?:src|href)="([^"]+)"', html):
        if src.startswith("http"):
            assert src.startswith("http://testserver/"), src
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all('src="/static/' in tag or "application/ld+json" in tag for tag in scripts), scripts


def test_print_and_copy_link_stand_beside_them(html):
    assert "data-share-print" in html and "data-share-copy" in html
    assert f'value="{URL}" readonly data-share-url' in html


def test_each_page_gets_its_own_links_and_its_language_in_the_kept_section(client, settings, html):
    """The section is rendered once per language and kept: a second page shows its own address and title,
    escaped, and a French page the French labels."""
    case(title='Wind "<power>" jobs', slug="wind-jobs")
    second = client.get("/cases/wind-jobs/").content.decode()
    links = share_links(second)
    assert links["LinkedIn"].endswith("?url=http%3A%2F%2Ftestserver%2Fcases%2Fwind-jobs%2F")
    assert parse_qs(urlsplit(links["X (Twitter)"]).query)["text"] == ['Wind "<power>" jobs']
    assert 'value="http://testserver/cases/wind-jobs/" readonly data-share-url' in second
    assert "solar-jobs" not in re.search(r'<section class="share".*?</section>', second, re.S).group(0)
    assert "\x00" not in second

    french = client.get("/fr/cases/wind-jobs/").content.decode()
    assert "Partager par courriel" in french
    assert 'value="http://testserver/fr/cases/wind-jobs/" readonly data-share-url' in french
