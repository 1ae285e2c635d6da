"""The theme page kept per content version: an event that ends moves to the past without an edit."""

import datetime as dt

import pytest
import time_machine
from taggit.models import Tag

from tests.search.factories import CourseFactory, EventFactory

pytestmark = pytest.mark.django_db(transaction=True)

THEME = "Renewable energy"


def test_a_kept_theme_page_reads_only_the_content_version(client, django_assert_max_num_queries):
    tag = Tag.objects.create(name=THEME)
    CourseFactory(title="Wind course", themes=[THEME])
    first, listing = client.get(f"/themes/{tag.slug}/"), client.get("/themes/")
    assert b"Wind course" in first.content
    assert b"1 item" in listing.content
    with django_assert_max_num_queries(1):
        assert client.get(f"/themes/{tag.slug}/").content == first.content
    with django_assert_max_num_queries(1):
        assert client.get("/themes/").content == listing.content


def test_an_event_that_ends_moves_to_past_events(client):
    tag = Tag.objects.create(name=THEME)
    with time_machine.travel(dt.datetime(2030, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        EventFactory(title="Wind meeting", start_date=dt.date(2030, 6, 3)).themes.add(THEME)
        html = client.get(f"/themes/{tag.slug}/").content.decode()
        assert "Coming up" in html and "Past events" not in html
    with time_machine.travel(dt.datetime(2030, 6, 10, 12, tzinfo=dt.UTC), tick=False):
        html = client.get(f"/themes/{tag.slug}/").content.decode()
        assert "Past events" in html and "Coming up" not in html
        assert "Wind meeting" in html
