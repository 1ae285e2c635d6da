"""The story limit: per client address (behind trusted proxies) and per email, a full hour, no story lost."""

import logging
import re
import threading
from datetime import UTC, datetime

import pytest
from django.test import RequestFactory
from django_ratelimit.core import _get_window
from taggit.models import Tag

from cases.limits import story_post_wait
from cases.models import CaseStory
from greenjobs.core.clientip import client_ip
from tests.services import redis_caches

from .conftest import form_data

pytestmark = pytest.mark.django_db

HOUR = 3600
PROXY = "10.9.9.9"


def post(client, **overrides):
    address = overrides.pop("address", "10.0.0.1")
    headers = {}
    if "forwarded" in overrides:
        headers["HTTP_X_FORWARDED_FOR"] = overrides.pop("forwarded")
    return client.post("/cases/submit/", form_data(**overrides), REMOTE_ADDR=address, **headers)


# --- The client's address ------------------------------------------------------------


def request_from(remote="192.0.2.10", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_ip(request_from(forwarded="203.0.113.5")) == "192.0.2.10"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # what the client wrote itself is ignored
        (2, "6.6.6.6, 203.0.113.5, 10.1.1.1", "203.0.113.5"),
        (1, " 2001:DB8::1 ", "2001:db8::1"),
        (1, "not-an-address", "192.0.2.10"),
        (1, "203.0.113.5, ", "192.0.2.10"),
        (1, "", "192.0.2.10"),
        (1, None, "192.0.2.10"),
        (3, "203.0.113.5, 10.1.1.1", "192.0.2.10"),  # fewer hops than proxies: not trustworthy
    ],
)
def test_with_trusted_proxies_the_nth_address_from_the_right_is_the_client(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(request_from(forwarded=forwarded)) == expected


def test_an_ipv6_client_is_counted_by_its_64_bit_network(client, settings):
    settings.STORY_LIMIT_PER_ADDRESS = 2
    for n in range(2):
        assert post(client, address=f"2001:db8:1:2::{n + 1}", contributor_email=f"v{n}@x.org").status_code == 302
    assert post(client, address="2001:db8:1:2:ffff::9", contributor_email="v9@x.org").status_code == 429
    assert post(client, address="2001:db8:1:3::1", contributor_email="w@x.org").status_code == 302


def test_behind_one_proxy_two_clients_are_limited_separately(client, settings):
    settings.TRUSTED_PROXIES = 1
    settings.STORY_LIMIT_PER_ADDRESS = 3
    for n in range(3):
        assert (
            post(client, address="10.9.9.9", forwarded="203.0.113.1", contributor_email=f"a{n}@x.org").status_code
            == 302
        )
    assert post(client, address="10.9.9.9", forwarded="203.0.113.1", contributor_email="a9@x.org").status_code == 429
    assert post(client, address="10.9.9.9", forwarded="203.0.113.2", contributor_email="b@x.org").status_code == 302
    assert CaseStory.objects.count() == 4


def test_without_trusted_proxies_a_forged_header_does_not_escape_the_limit(client, settings):
    settings.TRUSTED_PROXIES = 0
    settings.STORY_LIMIT_PER_ADDRESS = 3
    for n in range(3):
        assert post(client, forwarded=f"203.0.113.{n}", contributor_email=f"a{n}@x.org").status_code == 302
    assert post(client, forwarded="198.51.100.99", contributor_email="new@x.org").status_code == 429
    assert CaseStory.objects.count() == 3


# --- The limits ----------------------------------------------------------------------


def test_a_workshop_room_of_20_behind_one_address_loses_no_story(client):
    for n in range(20):
        response = post(client, title=f"Story {n}", contributor_email=f"participant{n}@training.example")
        assert response.status_code == 302, n
    assert CaseStory.objects.count() == 20


def test_the_sixth_story_from_one_address_and_email_gets_429_with_the_whole_form_kept(client, time_machine):
    Tag.objects.create(name="Renewable energy")
    time_machine.move_to("2026-03-01 10:00Z", tick=False)
    for n in range(5):
        assert post(client, title=f"Story {n}").status_code == 302

    sixth = post(client, title="Story six", themes=["renewable-energy"], contributor_email="MAYA@example.org ")

    assert sixth.status_code == 429
    assert sixth["Retry-After"] == str(HOUR)
    html = sixth.content.decode()
    assert "Too many stories sent" in html and "Skip to main content" in html
    assert "send it again in 60 minutes, after 11:00 (UTC)" in html
    assert "please choose your photo again" in html.lower()
    for kept in [
        'value="Story six"',
        "Farmers replaced diesel pumps with solar ones.",
        "Diesel was expensive.",
        "A cooperative bought solar pumps.",
        "No more diesel.",
        "Ten technicians hired.",
        "Start small.",
        'value="Sun Farmers"',
        'value="A solar pump in a rice field"',
        'value="Maya"',
        'value="MAYA@example.org "',
        '<option value="NP" selected>',
        '<option value="cooperative" selected>',
    ]:
        assert kept in html, kept
    assert re.search(r'<input type="checkbox" name="themes" value="renewable-energy"[^>]* checked>', html)
    assert re.search(r'<input type="checkbox" name="consent"[^>]* checked>', html)
    assert CaseStory.objects.count() == 5


def test_a_blocked_email_stays_blocked_for_the_full_hour_although_the_counting_window_ends(client, time_machine):
    # django-ratelimit's windows are fixed (with a per-key offset): start five minutes before this
    # email's window ends, so that without the block key its count would restart during the block.
    time_machine.move_to(datetime(2026, 3, 1, 10, 0, tzinfo=UTC), tick=False)
    window_end = _get_window("maya@example.org", HOUR)
    time_machine.move_to(datetime.fromtimestamp(window_end - 300, UTC), tick=False)
    for n in range(5):
        assert post(client, title=f"Story {n}", address=f"10.0.1.{n}").status_code == 302
    assert post(client, title="Sixth", address="10.0.1.9").status_code == 429

    time_machine.move_to(datetime.fromtimestamp(window_end - 300 + 600, UTC), tick=False)
    later = post(client, title="Ten minutes later", address="10.0.1.9")
    assert later.status_code == 429
    assert later["Retry-After"] == str(HOUR - 600)
    assert "in 50 minutes" in later.content.decode()

    time_machine.move_to(datetime.fromtimestamp(window_end - 300 + HOUR + 1, UTC), tick=False)
    assert post(client, title="An hour later", address="10.0.1.9").status_code == 302
    assert CaseStory.objects.count() == 6


def test_a_blocked_address_is_still_refused_after_ten_minutes(client, settings, time_machine):
    settings.STORY_LIMIT_PER_ADDRESS = 2
    time_machine.move_to("2026-03-01 10:00Z", tick=False)
    for n in range(2):
        assert post(client, contributor_email=f"p{n}@x.org").status_code == 302
    assert post(client, contributor_email="p2@x.org").status_code == 429
    time_machine.move_to("2026-03-01 10:10Z", tick=False)
    assert post(client, contributor_email="p3@x.org").status_code == 429
    assert post(client, contributor_email="p4@x.org", address="10.0.0.2").status_code == 302


def test_every_post_counts_invalid_and_honeypot_ones_too(client):
    for _ in range(3):
        assert post(client, title="").status_code == 200
    for _ in range(2):
        assert post(client, website="http://spam.example").status_code == 302
    assert post(client).status_code == 429
    assert not CaseStory.objects.exists()


def parallel_waits(request, posts: int = 15) -> list[float]:
    """What the limit answers to ``posts`` POSTs let go at the same instant."""
    start = threading.Barrier(posts)
    waits = []

    def one():
        start.wait()
        waits.append(story_post_wait(request))

    threads = [threading.Thread(target=one) for _ in range(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return waits


def test_parallel_posts_cannot_slip_past_the_limit(settings):
    settings.STORY_LIMIT_PER_ADDRESS = 5
    request = RequestFactory().post("/cases/submit/", {"contributor_email": ""}, REMOTE_ADDR="10.7.7.7")
    assert parallel_waits(request).count(0) == 5


# --- When Redis is there, and when it is down -------------------------------------------


def test_with_redis_parallel_posts_cannot_slip_past_the_limit(settings, redis_url, key_prefix):
    settings.CACHES = redis_caches(redis_url, f"{key_prefix}-limits")
    settings.STORY_LIMIT_PER_ADDRESS = 5
    request = RequestFactory().post("/cases/submit/", {"contributor_email": ""}, REMOTE_ADDR="10.7.7.8")
    assert parallel_waits(request).count(0) == 5
    assert story_post_wait(request) > HOUR - 5


def test_with_redis_down_the_story_is_accepted_and_a_warning_logged(client, settings, caplog):
    settings.CACHES = redis_caches("redis://127.0.0.1:1/1", "gj-limits-down")
    settings.STORY_LIMIT_PER_EMAIL = 1
    with caplog.at_level(logging.WARNING, logger="cases.limits"):
        for n in range(3):
            assert post(client, title=f"Story {n}").status_code == 302
    assert CaseStory.objects.count() == 3
    assert "Story limit not counted" in caplog.text
