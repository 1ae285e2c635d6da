import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import CaseStory, Status

from .factories import CaseStoryFactory

pytestmark = pytest.mark.django_db


def test_published_queryset_excludes_pending_and_rejected_and_orders_newest_first():
    now = timezone.now()
    old = CaseStoryFactory(published_at=now - timezone.timedelta(days=1), photo_file=False)
    new = CaseStoryFactory(published_at=now, photo_file=False)
    CaseStoryFactory(pending=True, photo_file=False)
    CaseStoryFactory(rejected=True, photo_file=False)
    assert list(CaseStory.objects.published()) == [new, old]
    assert CaseStory.objects.pending().count() == 1


def test_urls_and_tokens():
    story = CaseStoryFactory(slug="solar-pumps", photo_file=False)
    other = CaseStoryFactory(photo_file=False)
    assert story.get_absolute_url() == "/cases/solar-pumps/"
    assert story.get_status_url() == f"/cases/status/{story.status_token}/"
    assert len(story.status_token) >= 43 and story.status_token != other.status_token


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Status.PUBLISHED, "published_at": None},
        {"status": Status.REJECTED, "decision_reason": ""},
        {"consent": True, "consent_at": None},
        {"status": "archived"},
    ],
    ids=["published-without-date", "rejected-without-reason", "consent-without-date", "unknown-status"],
)
def test_database_constraints_hold_the_invariants(changes):
    story = CaseStoryFactory(pending=True, photo_file=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStory.objects.filter(pk=story.pk).update(**changes)


def test_slug_and_token_are_unique():
    story = CaseStoryFactory(photo_file=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStoryFactory(slug=story.slug, photo_file=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStoryFactory(status_token=story.status_token, photo_file=False)


def test_renditions_give_urls_srcset_and_heights():
    story = CaseStoryFactory()
    assert story.rendition_url(400).endswith("-400w.jpg")
    assert story.rendition_url(700).endswith("-800w.jpg")
    assert story.rendition_url(5000).endswith("-1200w.jpg") or story.rendition_url(5000).endswith("-900w.jpg")
    assert story.srcset.count("w, ") == len(story.photo_renditions) - 1
    assert story.thumbnail_height == 267  # 900x600 source


def test_a_story_without_photo_has_no_urls():
    story = CaseStoryFactory(photo_file=False)
    assert story.rendition_url() == "" and story.thumbnail_height is None
