"""Feeds you can see: the story list and every theme page link their RSS feed with an icon and words."""

import pytest

from tests.search.factories import case

pytestmark = pytest.mark.django_db


def test_the_story_list_shows_its_feed(client):
    html = client.get("/cases/").content.decode()

    assert '<p class="feed-link no-print"><a href="/cases/feed/"><svg class="feed-link__icon"' in html
    assert "New case stories (RSS feed)</a>" in html


def test_a_theme_page_shows_its_feed(client):
    case(title="Solar mini-grids", themes=["Renewable energy"])

    html = client.get("/themes/renewable-energy/").content.decode()

    assert '<a href="/themes/renewable-energy/feed/"><svg class="feed-link__icon"' in html
    assert "Follow this theme (RSS feed)</a>" in html
    assert client.get("/themes/renewable-energy/feed/").status_code == 200
