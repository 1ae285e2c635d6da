import pytest

from events.models import Event
from events.services import event_duplicate_as_draft

from .factories import AgendaItemFactory, DocumentFactory, EventFactory

pytestmark = pytest.mark.django_db


def test_duplicates_get_fresh_slugs_and_copy_rows_without_touching_the_original():
    event = EventFactory(slug="forum", title="Forum")
    AgendaItemFactory.create_batch(3, event=event)
    DocumentFactory(event=event)
    first = event_duplicate_as_draft(event=event)
    second = event_duplicate_as_draft(event=event)
    assert (first.slug, second.slug) == ("forum-copy", "forum-copy-2")
    assert first.status == second.status == Event.Status.DRAFT
    assert first.agenda_items.count() == 3 and first.documents.count() == 1
    assert first.starts_at == event.starts_at
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED and event.agenda_items.count() == 3
    assert Event.objects.count() == 3
