"""`load_demo`: creates what is missing, never changes or deletes a row; `--if-empty` only on an empty database."""

import datetime as dt
import io
import re
import tomllib
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.sites.models import Site
from django.core.management import call_command

from courses.models import CourseSession
from events.demo import LPM_SLUG
from events.models import Event
from greenjobs.management.commands.load_demo import demo_modules
from tests.cases.conftest import media_files
from tests.search.factories import CourseFactory, EventFactory, FlatPageFactory, case

pytestmark = pytest.mark.django_db

DAY_ONE = dt.datetime(2030, 1, 10, 12, tzinfo=dt.UTC)
FILE_KEYS = {"photo", "image", "file"}  # the keys by which demo data files name a committed media file
MAX_FILE_BYTES = 100 * 1024
MAX_TOTAL_BYTES = 1024 * 1024


def load_demo(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def database() -> dict[str, list[dict]]:
    """Every row of every table, by model: any row created, changed or deleted shows."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def row_counts() -> dict[str, int]:
    return {label: len(rows) for label, rows in database().items()}


def uids(client, urls) -> dict[str, list[str]]:
    """The UID of each calendar download, by its address: a 404 or a new UID shows."""
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = re.findall(r"^UID:(.+?)\r?$", response.content.decode(), re.M)
    return found


def calendar_urls() -> list[str]:
    return [event.get_ics_url() for event in Event.objects.order_by("pk")] + [
        session.get_ics_url() for session in CourseSession.objects.select_related("course").order_by("pk")
    ]


def test_a_second_load_even_on_a_later_day_changes_nothing_and_keeps_the_webmasters_edits(
    client, media_root, time_machine
):
    Site.objects.filter(pk=1).update(domain="greenjobs.example", name="Green Jobs")
    time_machine.move_to(DAY_ONE, tick=False)
    output = load_demo("--if-empty")
    assert "19 stories created" in output and "12 events created" in output and "6 courses created" in output

    lpm = Event.objects.get(slug=LPM_SLUG)
    lpm.contact_name, lpm.contact_email = "Somchai Jaidee", "somchai@greenjobs.example"
    lpm.save()
    before, files = database(), media_files(media_root)
    saved = uids(client, calendar_urls())
    assert all(len(found) == 1 for found in saved.values())

    assert "0 stories created" in load_demo()
    assert database() == before
    time_machine.move_to(DAY_ONE + dt.timedelta(days=40), tick=False)
    assert "0 courses created, 6 already there; 0 sessions, 0 preparation steps created" in load_demo()
    assert "not loaded" in load_demo("--if-empty")

    assert database() == before
    assert media_files(media_root) == files
    assert uids(client, saved) == saved
    html = client.get(f"/events/{LPM_SLUG}/").content.decode()
    assert "Somchai Jaidee" in html and "Mai Suwannarat" not in html
    assert Site.objects.values_list("domain", "name").get(pk=1) == ("greenjobs.example", "Green Jobs")


@pytest.mark.parametrize(
    "content",
    [
        lambda: case(title="Our own story"),
        lambda: EventFactory(title="Our own meeting"),
        lambda: CourseFactory(title="Our own course"),
        lambda: FlatPageFactory(url="/about/us/"),
    ],
    ids=["story", "event", "course", "about page"],
)
def test_if_empty_does_nothing_on_a_database_with_content(content, media_root):
    content()
    before, files = database(), media_files(media_root)

    output = load_demo("--if-empty")

    assert "the demo is not loaded" in output
    assert database() == before
    assert media_files(media_root) == files


def named_files(data) -> set[str]:
    """Every media file a demo data file names, at any depth."""
    if isinstance(data, list):
        return set().union(*(named_files(item) for item in data))
    if isinstance(data, dict):
        here = {value for key, value in data.items() if key in FILE_KEYS and isinstance(value, str)}
        return here.union(*(named_files(value) for value in data.values()))
    return set()


def test_the_demo_media_are_committed_small_and_each_named_by_a_data_file():
    total = 0
    for module in demo_modules():
        package = Path(module.__file__).parent
        named = set().union(*(named_files(tomllib.loads(path.read_text())) for path in package.glob("*.toml")))
        media = package / "media"
        committed = {str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()}
        assert named == committed, module.__name__  # none missing, none unused
        sizes = {name: (media / name).stat().st_size for name in committed}
        assert all(0 < size <= MAX_FILE_BYTES for size in sizes.values()), sizes
        total += sum(sizes.values())
    assert 0 < total <= MAX_TOTAL_BYTES
