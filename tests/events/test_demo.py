import datetime as dt

import pytest
import time_machine

from events import demo
from events.models import AgendaItem, Document, Event

pytestmark = pytest.mark.django_db

DAY_ONE = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)


def rows():
    return (
        list(Event.objects.order_by("pk").values()),
        list(AgendaItem.objects.order_by("pk").values()),
        list(Document.objects.order_by("pk").values()),
    )


@time_machine.travel(DAY_ONE, tick=False)
def test_demo_loads_idempotently_and_surrounds_today(client):
    assert demo.load() == "12 events created, 0 already there"
    before = rows()
    assert demo.load() == "0 events created, 12 already there"
    assert rows() == before
    assert Event.objects.count() == 12
    lpm = Event.objects.get(slug=demo.LPM_SLUG)
    assert lpm.when_label() == "Monday 28 April 2014, 09:00 \u2013 Wednesday 30 April 2014, 17:00 Bangkok time (UTC+7)"
    assert {item.date.day for item in lpm.agenda_items.all()} == {28, 29, 30}
    assert lpm.documents.get().file_type == "PDF" and lpm.documents.get().size > 1000
    assert lpm.contact_name and lpm.themes.count() == 9
    assert Event.objects.published().upcoming().count() >= 6
    assert Event.objects.filter(kind="webinar").exclude(timezone="Asia/Bangkok").exists()
    crossing = Event.objects.get(slug="regional-forum-just-transition")
    assert crossing.all_day and crossing.start_date.month != crossing.end_date.month
    html = client.get("/events/2026/11/").content.decode()
    assert "is-today" in html and "Green jobs research seminar" in html


def test_the_webmasters_edit_to_the_bangkok_meeting_survives_a_load(client, time_machine):
    time_machine.move_to(DAY_ONE, tick=False)
    demo.load()
    lpm = Event.objects.get(slug=demo.LPM_SLUG)
    lpm.contact_name, lpm.contact_title = "Somchai Jaidee", "Green jobs officer"
    lpm.save()
    lpm.agenda_items.filter(title="Closing").delete()
    lpm.documents.get().delete()
    before = rows()

    time_machine.move_to(DAY_ONE + dt.timedelta(days=3), tick=False)
    demo.load()

    assert rows() == before
    html = client.get(lpm.get_absolute_url()).content.decode()
    assert "Somchai Jaidee" in html and "Green jobs officer" in html
    assert "Mai Suwannarat" not in html and "Closing" not in html


def test_events_keep_their_dates_ids_and_calendar_uids_on_a_later_day(client, time_machine):
    time_machine.move_to(DAY_ONE, tick=False)
    demo.load()
    before = rows()
    seminar = Event.objects.get(slug="green-jobs-research-seminar")

    time_machine.move_to(DAY_ONE + dt.timedelta(days=40), tick=False)
    demo.load()

    assert rows() == before
    assert Event.objects.get(slug="green-jobs-research-seminar").start_date == dt.date(2026, 11, 22)
    ics = client.get(seminar.get_ics_url())
    assert ics.status_code == 200
    assert f"UID:event-{seminar.pk}@greenjobs" in ics.content.decode()
