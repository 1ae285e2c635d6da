import datetime as dt

import factory
from django.core.files.base import ContentFile

from events.models import AgendaItem, Document, Event


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Green jobs meeting {n}")
    slug = factory.Sequence(lambda n: f"green-jobs-meeting-{n}")
    kind = Event.Kind.MEETING
    status = Event.Status.PUBLISHED
    all_day = False
    start_date = dt.date(2021, 3, 10)
    start_time = dt.time(9)
    end_date = factory.SelfAttribute("start_date")
    end_time = dt.time(17)
    timezone = "Asia/Bangkok"
    venue = "Conference centre"
    city = "Bangkok"
    country = "TH"
    summary = "People who build green jobs meet to learn from each other."
    organiser = "Green Jobs Programme"

    class Params:
        whole_days = factory.Trait(all_day=True, start_time=None, end_time=None)
        draft = factory.Trait(status=Event.Status.DRAFT)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    event = factory.SubFactory(EventFactory)
    date = factory.SelfAttribute("event.start_date")
    start_time = dt.time(9)
    end_time = dt.time(10, 30)
    title = factory.Sequence(lambda n: f"Session {n}")
    session_type = AgendaItem.SessionType.PLENARY


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    event = factory.SubFactory(EventFactory)
    title = "Technical note"
    kind = Document.Kind.TECHNICAL_NOTE
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4\n" + b"x" * 2048, name="note.pdf"))
