import datetime as dt

import pytest
import time_machine

from events import demo
from events.models import Event

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False)
def test_demo_loads_idempotently_and_surrounds_today(client):
    first = demo.load()
    assert demo.load() == first
    assert Event.objects.count() == 12
    lpm = Event.objects.get(slug=demo.LPM_SLUG)
    assert lpm.when_label() == "Monday 28 April 2014, 09:00 \u2013 Wednesday 30 April 2014, 17:00 Bangkok time (UTC+7)"
    assert {item.date.day for item in lpm.agenda_items.all()} == {28, 29, 30}
    assert lpm.documents.get().file_type == "PDF" and lpm.documents.get().size > 1000
    assert lpm.contact_name and lpm.themes.count() == 7
    assert Event.objects.published().upcoming().count() >= 6
    assert Event.objects.filter(kind="webinar").exclude(timezone="Asia/Bangkok").exists()
    crossing = Event.objects.get(slug="regional-forum-just-transition")
    assert crossing.all_day and crossing.start_date.month != crossing.end_date.month
    html = client.get("/events/2026/11/").content.decode()
    assert "is-today" in html and "Green jobs research seminar" in html
