"""Querysets compiled once (greenjobs.core.prepared): the ORM's rows, and no SQL compiled per page view."""

from unittest import mock

import pytest
from django.db.models.sql.compiler import SQLCompiler
from taggit.models import Tag

from cases.models import CaseStory, CaseStoryTranslation
from cases.views import translation_of
from events.models import AgendaItem, Document, Event
from greenjobs.core.prepared import Prepared
from tests.cases.factories import CaseStoryFactory
from tests.events.factories import AgendaItemFactory, DocumentFactory, EventFactory

pytestmark = pytest.mark.django_db


def compiled_sql():
    """Counts the SQL statements the ORM compiles meanwhile."""
    return mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql)


def by_slug(language, slug):
    return CaseStory.objects.published().filter(slug=slug)


def test_rows_are_those_of_the_queryset_with_each_requests_values():
    first, second = CaseStoryFactory(slug="first"), CaseStoryFactory(slug="second")
    CaseStoryFactory(slug="pending", status="pending")
    stories = Prepared(by_slug)

    assert stories.first("en", "first") == first
    assert stories.first("en", "second") == second
    assert stories.first("en", "pending") is None  # the queryset's own filters hold
    assert stories.first("en", "missing") is None
    assert stories.first("en", "x'; DROP TABLE cases_casestory; --") is None  # a parameter, never SQL


def test_each_key_is_compiled_once():
    CaseStoryFactory(slug="first")
    CaseStoryFactory(slug="second")
    stories = Prepared(by_slug)

    with compiled_sql() as as_sql:
        stories.first("en", "first")
        stories.first("en", "second")
        stories.first("fr", "first")
        stories.first("fr", "second")

    assert as_sql.call_count == 2


def test_integer_slots_and_several_rows_in_the_querysets_order():
    event = EventFactory()
    later = DocumentFactory(event=event, title="Later", order=2)
    sooner = DocumentFactory(event=event, title="Sooner", order=1)
    DocumentFactory(title="Another event's")
    documents = Prepared(lambda key, pk: Document.objects.filter(event_id=pk))

    assert documents.rows(None, event.pk) == [sooner, later]
    assert documents.rows(None, event.pk + 1000) == []


def test_json_annotations_are_decoded():
    story = CaseStoryFactory(slug="solar", language="en")
    CaseStoryTranslation.objects.create(story=story, language="fr", title="Énergie solaire", summary="Résumé")
    stories = Prepared(
        lambda language, slug: CaseStory.objects.annotate(translation=translation_of(language)).filter(slug=slug),
        json_annotations=("translation",),
    )

    assert stories.first("fr", "solar").translation["title"] == "Énergie solaire"
    assert stories.first("es", "solar").translation is None


def test_a_slot_that_is_not_a_parameter_is_refused():
    ignores_its_slot = Prepared(lambda key, slug: CaseStory.objects.filter(slug="always"))

    with pytest.raises(ValueError, match="each slot"):
        ignores_its_slot.first("en", "solar")


def test_story_and_event_pages_compile_no_sql_once_seen(client):
    energy = Tag.objects.create(name="Renewable energy")
    stories = [CaseStoryFactory(themes=[energy]) for _ in range(2)]
    events = [EventFactory() for _ in range(2)]
    for event in events:
        event.themes.add(energy)
        AgendaItemFactory(event=event)
        DocumentFactory(event=event)
    assert client.get(stories[0].get_absolute_url()).status_code == 200
    assert client.get(events[0].get_absolute_url()).status_code == 200

    with compiled_sql() as as_sql:
        story_page = client.get(stories[1].get_absolute_url())
        event_page = client.get(events[1].get_absolute_url())

    assert story_page.status_code == 200 and stories[1].title in story_page.content.decode()
    assert event_page.status_code == 200 and events[1].title in event_page.content.decode()
    assert len(event_page.context["documents"]) == 1 and len(event_page.context["agenda_days"]) == 1
    assert [theme.name for theme in event_page.context["themes"]] == ["Renewable energy"]
    # (The footer's about links are read afresh inside a test's transaction; outside one they are kept.)
    compiled = {call.args[0].query.model for call in as_sql.call_args_list}
    assert compiled.isdisjoint({CaseStory, CaseStoryTranslation, Event, AgendaItem, Document, Tag})
