import datetime as dt
import re
from html import unescape

import feedparser
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStory
from events.models import Event
from tests.search.factories import CourseFactory, EventFactory, case

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return response, feed


def test_case_feeds_rss_and_atom_list_the_latest_published_stories(client, settings):
    now = timezone.now()
    for n in range(22):
        case(title=f"Story {n:02d}", published_at=now - dt.timedelta(days=n), themes=["Policy"])
    case(title="Pending story", pending=True)

    response, rss = parse(client, "/cases/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert rss.version == "rss20"
    assert len(rss.entries) == 20
    assert rss.entries[0].title == "Story 00"
    first = CaseStory.objects.get(title="Story 00")
    assert rss.entries[0].link == f"{settings.SITE_URL}{first.get_absolute_url()}"
    assert rss.entries[0].tags[0].term == "Policy"
    assert "Pending story" not in response.content.decode()

    response, atom = parse(client, "/cases/feed/atom/")
    assert atom.version == "atom10"
    assert [e.title for e in atom.entries] == [e.title for e in rss.entries]


@time_machine.travel(dt.datetime(2030, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_event_feed_lists_upcoming_published_events(client):
    EventFactory(title="Soon meeting", start_date=dt.date(2030, 6, 10))
    EventFactory(title="Past meeting", start_date=dt.date(2030, 5, 1))
    EventFactory(title="Draft meeting", start_date=dt.date(2030, 6, 11), draft=True)

    for url in ["/events/feed/", "/events/feed/atom/"]:
        _response, feed = parse(client, url)
        assert [e.title for e in feed.entries] == ["Soon meeting"]
        assert feed.entries[0].link.endswith(Event.objects.get(title="Soon meeting").get_absolute_url())
        assert "10 June 2030" in feed.entries[0].summary


def test_theme_feed_mixes_published_items_newest_first(client):
    old = timezone.now() - dt.timedelta(days=30)
    case(title="Old wind story", published_at=old, themes=["Wind"])
    case(title="Hidden wind story", pending=True, themes=["Wind"])
    case(title="Other story", themes=["Policy"])
    EventFactory(title="Wind meeting").themes.add("Wind")
    CourseFactory(title="Wind course", themes=["Wind"])
    CourseFactory(title="Hidden wind course", is_published=False, themes=["Wind"])

    _response, feed = parse(client, reverse("themes:feed", kwargs={"slug": "wind"}))
    titles = [e.title for e in feed.entries]
    assert set(titles) == {"Old wind story", "Wind meeting", "Wind course"}
    assert titles[-1] == "Old wind story"
    assert feed.feed.title == "Green Jobs Portal: Wind"
    assert feed.feed.link.endswith("/themes/wind/")

    _, atom = parse(client, reverse("themes:feed_atom", kwargs={"slug": "wind"}))
    assert [e.title for e in atom.entries] == titles


def test_feeds_with_nothing_published_are_valid_and_empty(client):
    case(pending=True)
    for url in ["/cases/feed/", "/cases/feed/atom/", "/events/feed/"]:
        _, feed = parse(client, url)
        assert feed.entries == []


def test_feed_text_is_escaped(client):
    case(title="Fish & chips <script>alert(1)</script>", summary="A < B & C")
    response, feed = parse(client, "/cases/feed/")
    assert feed.entries[0].title == "Fish & chips <script>alert(1)</script>"
    assert b"<script>alert" not in response.content


MARKUP = "Read <b>bold</b> & <script>alert(1)</script> here"


def assert_no_markup(content: bytes):
    assert b"<b>" not in content and b"<script>" not in content
    assert b'type="html"' not in content


def rendered(entry) -> str:
    """What a feed reader shows: text as it is, HTML with its entities decoded and its tags applied."""
    detail = entry.summary_detail
    return entry.summary if detail.type == "text/plain" else unescape(entry.summary)


@pytest.mark.parametrize("url", ["/cases/feed/", "/cases/feed/atom/", "/themes/wind/feed/", "/themes/wind/feed/atom/"])
def test_a_case_storys_summary_reaches_the_feeds_as_plain_text(client, url):
    case(title="Markup story", summary=MARKUP, themes=["Wind"])

    response, feed = parse(client, url)
    entry = feed.entries[0]
    assert "<" not in entry.summary or entry.summary_detail.type == "text/plain"
    assert rendered(entry) == MARKUP
    assert_no_markup(response.content)


def test_atom_summaries_say_type_text(client):
    case(summary=MARKUP)
    response, feed = parse(client, "/cases/feed/atom/")
    assert feed.entries[0].summary_detail.type == "text/plain"
    assert feed.entries[0].summary == MARKUP
    assert re.search(rb'<summary type="text">Read &lt;b&gt;bold&lt;/b&gt; &amp; ', response.content)


@time_machine.travel(dt.datetime(2030, 6, 1, 12, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("url", ["/events/feed/", "/events/feed/atom/"])
def test_an_events_summary_reaches_the_feeds_as_plain_text(client, url):
    EventFactory(title="Markup meeting", start_date=dt.date(2030, 6, 10), summary=MARKUP)

    response, feed = parse(client, url)
    assert rendered(feed.entries[0]).endswith(f". {MARKUP}")
    assert "10 June 2030" in rendered(feed.entries[0])
    assert_no_markup(response.content)


@pytest.mark.parametrize("url", ["/cases/feed/", "/cases/feed/atom/"])
def test_the_case_feed_reads_its_stories_and_their_themes_in_one_query(client, url, django_assert_num_queries):
    now = timezone.now()
    for n in range(20):
        case(title=f"Story {n:02d}", published_at=now - dt.timedelta(days=n), themes=["Policy", f"Theme {n}"])

    # The stories with their theme names, and Django's Sites lookup (kept per process after the first).
    with django_assert_num_queries(2):
        _response, feed = parse(client, url)
    assert len(feed.entries) == 20
    assert {tag.term for tag in feed.entries[0].tags} == {"Policy", "Theme 0"}
