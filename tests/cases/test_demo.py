import hashlib

import pytest
from django.db.models import Count
from taggit.models import Tag

from cases import demo
from cases.models import CaseStory, Status
from greenjobs.core.demo import media_path, theme_names
from tests.search.factories import case

from .conftest import media_files

pytestmark = pytest.mark.django_db

ASIA_PACIFIC = {"BD", "CN", "FJ", "IN", "ID", "MY", "MN", "NP", "PH", "LK", "TH"}


def test_demo_loads_published_stories_pending_queue_and_themes_and_is_idempotent(media_root):
    summary = demo.load()
    files = media_files(media_root)

    published = CaseStory.objects.published()
    assert published.count() == 16 and CaseStory.objects.pending().count() == 3
    english = published.filter(language="en")
    assert english.count() == 12
    countries = set(english.values_list("country", flat=True))
    assert len(countries) >= 6 and countries <= ASIA_PACIFIC
    # Two stories written in French (francophone Africa) and two in Spanish (Latin America), without photos.
    assert set(published.exclude(language="en").values_list("language", "country")) == {
        ("fr", "SN"),
        ("fr", "MA"),
        ("es", "BO"),
        ("es", "CO"),
    }
    used = set(published.values_list("themes__name", flat=True))
    assert len(used & set(theme_names())) >= 9
    assert list(Tag.objects.order_by("pk").values_list("name", flat=True)) == theme_names()  # tag ids in list order
    assert not CaseStory.objects.filter(language="en", photo="").exists()
    assert len(set(CaseStory.objects.filter(language="en").values_list("photo", flat=True))) == 15
    assert "16 published, 3 pending" in summary

    demo.load()
    assert CaseStory.objects.count() == 19
    assert media_files(media_root) == files  # photos are not redrawn
    assert not CaseStory.objects.values("slug").annotate(n=Count("pk")).filter(n__gt=1).exists()


def test_the_demo_never_changes_a_story_that_exists(media_root):
    first, second = (spec["slug"] for spec in demo.stories()[:2])
    ours = case(slug=first, title="Our solar grids", themes=["Ours"])
    demo.load()
    edited = CaseStory.objects.get(slug=second)
    edited.title, edited.status = "Safe workshops for e-waste workers", Status.REJECTED
    edited.published_at, edited.decision_reason = None, "Told twice already."
    edited.save()
    before = list(CaseStory.objects.order_by("pk").values())

    assert "0 stories created" in demo.load()

    assert list(CaseStory.objects.order_by("pk").values()) == before
    ours.refresh_from_db()
    assert ours.title == "Our solar grids" and not ours.photo
    assert [theme.name for theme in ours.themes.all()] == ["Ours"]
    assert CaseStory.objects.count() == 19
    assert not CaseStory.objects.published().filter(title="Safe workshops for e-waste workers").exists()


def test_each_demo_story_has_a_photo_of_its_own_with_a_description(media_root):
    illustrated = [spec for spec in demo.stories() if "photo" in spec]
    photos = {hashlib.sha256(media_path(demo.__file__, spec["photo"]).read_bytes()).digest() for spec in illustrated}
    assert len(photos) == len(illustrated) == 15

    demo.load()
    story = CaseStory.objects.get(slug="mangrove-restoration-creates-coastal-jobs")
    assert (story.photo_width, story.photo_height) == (1600, 1067)
    assert [rendition["width"] for rendition in story.photo_renditions] == [400, 800, 1200]
    assert story.photo_description == "Illustration: mangrove restoration creates coastal jobs"
