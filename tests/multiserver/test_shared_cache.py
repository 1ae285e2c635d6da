"""The page cache on Redis: a hit reads no database, a lost version is read again, a dead Redis costs nothing."""

import random
import socket
import threading
import time

import pytest
import time_machine
from django.core.cache import caches
from django.test import override_settings

from cases.models import CaseStory
from greenjobs.core import contentversion
from greenjobs.discovery import pagecache
from tests.cases.factories import CaseStoryFactory
from tests.services import free_port, redis_caches

pytestmark = [pytest.mark.multiserver, pytest.mark.django_db]


def test_a_hit_reads_nothing_from_the_database(client, shared_cache, django_assert_num_queries):
    CaseStoryFactory(title="Solar cooperative in Nepal", photo_file=False)
    first = client.get("/cases/")
    with django_assert_num_queries(0):
        again = client.get("/cases/")
    assert again.content == first.content
    assert "Age" in again


def test_a_lost_version_is_read_again_from_the_database(client, shared_cache):
    """Redis restarted, or evicted the version, while a change reached only the database."""
    story = CaseStoryFactory(title="Old title", photo_file=False)
    assert "Old title" in client.get("/cases/").content.decode()
    CaseStory.objects.filter(pk=story.pk).update(title="New title")
    contentversion.db_bump()
    caches["pages"].delete(contentversion.VERSION_KEY)

    assert "New title" in client.get("/cases/").content.decode()
    assert 0 < caches["pages"].ttl(contentversion.VERSION_KEY) <= contentversion.VERSION_TTL


def test_a_version_in_redis_is_never_older_than_its_time_out(client, shared_cache):
    CaseStoryFactory(photo_file=False)
    client.get("/cases/")
    assert 0 < caches["pages"].ttl(contentversion.VERSION_KEY) <= contentversion.VERSION_TTL
    assert contentversion.content_version() == contentversion.db_version()


@pytest.fixture
def silent_redis():
    """A port that accepts connections and never answers: a hung Redis."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/7"
    stop.set()
    thread.join()
    for sock in held:
        sock.close()
    listener.close()


@pytest.mark.parametrize("down", ["refused", "silent"])
def test_pages_are_served_when_redis_is_down(client, request, redis_url, key_prefix, down):
    CaseStoryFactory(title="Solar cooperative in Nepal", photo_file=False)
    dead = f"redis://127.0.0.1:{free_port()}/7" if down == "refused" else request.getfixturevalue("silent_redis")
    caches_down = redis_caches(redis_url, key_prefix)
    caches_down["pages"]["LOCATION"] = dead
    contentversion._down_until = 0.0
    try:
        with override_settings(CACHES=caches_down, PAGE_CACHE_ALIAS="pages", PAGE_CACHE_SECONDS=60):
            started = time.monotonic()
            for _ in range(5):
                response = client.get("/cases/")
                assert response.status_code == 200
                assert "Solar cooperative in Nepal" in response.content.decode()
                assert "public" in response["Cache-Control"]
            elapsed = time.monotonic() - started
    finally:
        contentversion._down_until = 0.0
    # Without stepping around it, a hung Redis would cost 3 x 0.5 s on each of the 5 requests.
    assert elapsed < 4, f"5 pages took {elapsed:.1f} s"


# --- Large pages: each process keeps a copy, checked against the shared version ---------------------------


@pytest.fixture
def large_from(monkeypatch):
    """Pages of at least this many gzipped bytes count as large (the tests' pages are small)."""
    monkeypatch.setattr(pagecache, "LARGE_BYTES", 100)
    pagecache._large.clear()
    yield
    pagecache._large.clear()


def test_a_large_page_is_served_from_the_process_copy_after_reading_only_the_version(
    client, shared_cache, large_from, django_assert_num_queries, django_capture_on_commit_callbacks
):
    CaseStoryFactory(title="Solar cooperative in Nepal", photo_file=False)
    first = client.get("/cases/")
    caches["pages"].delete(pagecache.page_key("http", "testserver", "/cases/", ""))  # gone from Redis

    with django_assert_num_queries(0):
        again = client.get("/cases/")
    assert "Age" in again and again.content == first.content  # kept by this process

    with django_capture_on_commit_callbacks(execute=True):
        CaseStoryFactory(title="Green bricks in Dhaka", photo_file=False)
    assert "Green bricks in Dhaka" in client.get("/cases/").content.decode()  # a new version: not the copy


def test_the_process_copy_expires_with_the_entry(client, shared_cache, large_from, settings):
    CaseStoryFactory(photo_file=False)
    client.get("/cases/")
    caches["pages"].delete(pagecache.page_key("http", "testserver", "/cases/", ""))
    with time_machine.travel(time.time() + settings.PAGE_CACHE_SECONDS + 1, tick=False):
        assert "Age" not in client.get("/cases/")  # rendered again


def test_the_process_copies_are_bounded_in_bytes(client, shared_cache, large_from, settings):
    CaseStoryFactory(photo_file=False)
    settings.PAGE_CACHE_LOCAL_BYTES = 100  # smaller than any page: none is kept
    client.get("/cases/")
    caches["pages"].delete(pagecache.page_key("http", "testserver", "/cases/", ""))
    assert "Age" not in client.get("/cases/")

    settings.PAGE_CACHE_LOCAL_BYTES = 10**9
    entries = {f"k{n}": (1, time.time(), 200, [], b"x" * 1000) for n in range(3)}
    for key, entry in entries.items():
        pagecache._large.put(key, entry)
    settings.PAGE_CACHE_LOCAL_BYTES = 2500
    pagecache._large.put("k3", (1, time.time(), 200, [], b"x" * 1000))
    assert list(pagecache._large.entries) == ["k2", "k3"] and pagecache._large.size == 2000  # least recent went


def test_a_large_page_is_inflated_once_for_clients_that_do_not_take_gzip(client, shared_cache, large_from, monkeypatch):
    """Calendar apps that send no Accept-Encoding get the kept copy's plain bytes, decompressed only once."""
    CaseStoryFactory(title="Solar cooperative in Nepal", photo_file=False)
    inflated = []
    real_decompress = pagecache.zlib.decompress

    def counting_decompress(data, *args):
        inflated.append(len(data))
        return real_decompress(data, *args)

    monkeypatch.setattr(pagecache.zlib, "decompress", counting_decompress)
    rendered = client.get("/cases/")  # rendered and kept: no Accept-Encoding, so sent plain
    hits = [client.get("/cases/") for _ in range(3)]
    assert all("Age" in hit and hit.content == rendered.content for hit in hits)
    assert "Content-Encoding" not in hits[-1] and int(hits[-1]["Content-Length"]) == len(rendered.content)
    assert len(inflated) == 1
    key = pagecache.page_key("http", "testserver", "/cases/", "")
    entry_bytes = len(pagecache._large.entries[key][4])
    assert pagecache._large.size == entry_bytes + len(rendered.content)  # the plain copy counts in the budget

    gzipped = client.get("/cases/", HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped["Content-Encoding"] == "gzip" and len(inflated) == 1

    pagecache._large.drop(key)
    assert pagecache._large.size == 0 and not pagecache._large.plain


def test_a_plain_copy_that_does_not_fit_pushes_out_the_least_recent(large_from, settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 10**9
    plain = random.randbytes(5000)  # does not compress: above the test's large size when gzipped
    body = pagecache._gzip(plain)
    old, new = (1, time.time(), 200, [], b"x" * 1000), (1, time.time(), 200, [], body)
    pagecache._large.put("old", old)
    pagecache._large.put("new", new)
    settings.PAGE_CACHE_LOCAL_BYTES = 1000 + len(body) + 4999  # the plain copy does not fit beside both
    assert pagecache._large.plain_body("new", new) == plain
    assert list(pagecache._large.entries) == ["new"] and pagecache._large.size == len(body) + 5000
