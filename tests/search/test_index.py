import re

import pytest
from django.core.management import call_command
from taggit.models import Tag

from cases.models import CaseStory, Status
from greenjobs.core import searchtext
from greenjobs.discovery import search
from greenjobs.models import SearchDocument

from .factories import CourseFactory, EventFactory, FlatPageFactory, case

pytestmark = pytest.mark.django_db


def document_of(obj):
    return SearchDocument.objects.filter(object_id=obj.pk, url=obj.get_absolute_url()).first()


def test_a_published_story_gets_a_row_with_weighted_vector():
    story = case(title="Solar mini-grids", summary="Villages get power", challenge="Diesel was costly")

    row = document_of(story)
    assert row.kind == "case"
    assert row.title == "Solar mini-grids"
    assert "Diesel was costly" in row.body
    assert re.search(r"'solar':\d+A", row.vector)
    assert re.search(r"'villag':\d+B", row.vector)
    assert re.search(r"'diesel':\d+C", row.vector)


def test_pending_and_rejected_stories_have_no_row():
    pending = case(pending=True)
    rejected = case(rejected=True)

    assert document_of(pending) is None
    assert document_of(rejected) is None


def test_publishing_adds_and_unpublishing_removes_the_row():
    story = case(pending=True)
    assert not SearchDocument.objects.exists()

    story.status, story.published_at = Status.PUBLISHED, story.submitted_at
    story.save()
    assert document_of(story) is not None

    story.status, story.decision_reason = Status.REJECTED, "Off topic."
    story.save()
    assert document_of(story) is None


def test_deleting_an_item_deletes_its_row():
    story = case()
    story.delete()
    assert not SearchDocument.objects.exists()


def test_draft_events_unpublished_courses_and_private_pages_are_not_indexed():
    EventFactory(draft=True)
    CourseFactory(is_published=False)
    FlatPageFactory(registration_required=True)
    assert not SearchDocument.objects.exists()

    event, course, page = EventFactory(), CourseFactory(), FlatPageFactory(content="<p>Hello <b>there</b></p>")
    kinds = dict(SearchDocument.objects.values_list("url", "kind"))
    assert kinds == {event.get_absolute_url(): "event", course.get_absolute_url(): "course", page.url: "page"}
    assert SearchDocument.objects.get(kind="page").body == "Hello there"


def test_theme_changes_refresh_the_row():
    story = case()
    story.themes.add("Renewable energy", "Policy")
    row = document_of(story)
    assert row.themes == "Policy, Renewable energy"
    assert sorted(row.theme_ids) == sorted(Tag.objects.values_list("pk", flat=True))

    story.themes.remove("Policy")
    assert document_of(story).themes == "Renewable energy"

    tag = Tag.objects.get(name="Renewable energy")
    tag.name = "Clean energy"
    tag.save()
    assert document_of(story).themes == "Clean energy"

    tag.delete()
    assert document_of(story).themes == ""
    assert document_of(story).theme_ids == []


def test_themes_are_case_insensitive():
    first, second = case(), case()
    first.themes.add("Renewable energy")
    second.themes.add("RENEWABLE ENERGY")
    assert Tag.objects.count() == 1


def test_highlight_markers_in_contributed_text_are_removed():
    story = case(challenge=f"Fake {searchtext.START_MARK}mark{searchtext.STOP_MARK} here")
    assert searchtext.START_MARK not in document_of(story).body


def test_rebuild_command_indexes_bulk_created_items(capsys):
    story = case()
    CaseStory.objects.bulk_create(
        [CaseStory(**{**_fields(story), "slug": f"bulk-{n}", "status_token": f"token-{n}"}) for n in range(3)]
    )
    SearchDocument.objects.all().delete()

    call_command("rebuild_search_index")

    assert SearchDocument.objects.filter(kind="case").count() == 4
    assert SearchDocument.objects.filter(vector__isnull=True).count() == 0
    assert "Indexed 4 documents" in capsys.readouterr().out


def test_rebuild_drops_rows_of_items_no_longer_public():
    story = case()
    CaseStory.objects.filter(pk=story.pk).update(status=Status.PENDING, published_at=None)  # no signal
    assert document_of(story) is not None

    search.rebuild()
    assert document_of(story) is None


def _fields(story):
    names = [f.attname for f in CaseStory._meta.concrete_fields if f.attname != "id"]
    return {name: getattr(story, name) for name in names}
