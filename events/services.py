"""Writes with rules for events."""

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Event


def _free_slug(base: str) -> str:
    base = base[:180]
    slug, number = f"{base}-copy", 2
    while Event.objects.filter(slug=slug).exists():
        slug = f"{base}-copy-{number}"
        number += 1
    return slug


@transaction.atomic
def event_duplicate_as_draft(*, event: Event) -> Event:
    """A draft copy of an event with a new slug, its themes, agenda items and document rows."""
    agenda = list(event.agenda_items.all())
    documents = list(event.documents.all())
    themes = list(event.themes.all())
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.slug = _free_slug(event.slug)
    copy.title = _("%(title)s (copy)") % {"title": event.title}
    copy.status = Event.Status.DRAFT
    copy.save()
    copy.themes.set(themes)
    for item in agenda:
        item.pk = None
        item.event = copy
    for document in documents:
        document.pk = None
        document.event = copy
    copy.agenda_items.model.objects.bulk_create(agenda)
    copy.documents.model.objects.bulk_create(documents)
    return copy
