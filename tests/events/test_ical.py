import datetime as dt
import zoneinfo

import icalendar
import pytest

from events.models import Event

from .factories import EventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_all_day_multi_day_event_uses_dates_and_an_exclusive_end(client):
    event = EventFactory(
        whole_days=True,
        slug="lpm",
        title="Learning and Planning Meeting",
        start_date=dt.date(2014, 4, 28),
        end_date=dt.date(2014, 4, 30),
        summary="Three days to learn and plan.",
    )
    response = client.get("/events/lpm.ics")
    assert response["Content-Disposition"] == 'attachment; filename="lpm.ics"'
    cal = parse(response)
    assert cal["VERSION"] == "2.0" and "Green Jobs Portal" in str(cal["PRODID"])
    [vevent] = cal.walk("VEVENT")
    assert vevent["DTSTART"].dt == dt.date(2014, 4, 28)
    assert vevent["DTEND"].dt == dt.date(2014, 5, 1)
    assert b"DTSTART;VALUE=DATE:20140428" in response.content
    assert b"DTEND;VALUE=DATE:20140501" in response.content
    assert str(vevent["UID"]) == f"event-{event.pk}@greenjobs"
    assert vevent["DTSTAMP"].dt == event.updated
    assert str(vevent["SUMMARY"]) == "Learning and Planning Meeting"
    assert str(vevent["LOCATION"]) == "Conference centre, Bangkok, Thailand"
    assert str(vevent["URL"]) == "http://testserver/events/lpm/"
    assert str(vevent["DESCRIPTION"]) == "Three days to learn and plan.\n\nhttp://testserver/events/lpm/"
    assert cal.walk("VTIMEZONE") == []


def test_timed_event_carries_tzid_and_a_matching_vtimezone_across_dst(client):
    EventFactory(
        slug="berlin",
        timezone="Europe/Berlin",
        start_date=dt.date(2021, 3, 27),
        start_time=dt.time(22),
        end_date=dt.date(2021, 3, 28),
        end_time=dt.time(10),
    )
    response = client.get("/events/berlin.ics")
    assert b"DTSTART;TZID=Europe/Berlin:20210327T220000" in response.content
    assert b"DTEND;TZID=Europe/Berlin:20210328T100000" in response.content
    cal = parse(response)
    [vevent] = cal.walk("VEVENT")
    [vtimezone] = cal.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Berlin"
    assert {sub.name for sub in vtimezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    # Resolved through the VTIMEZONE, the instants are right on both sides of the change.
    assert vevent["DTSTART"].dt.astimezone(dt.UTC) == dt.datetime(2021, 3, 27, 21, tzinfo=dt.UTC)
    assert vevent["DTEND"].dt.astimezone(dt.UTC) == dt.datetime(2021, 3, 28, 8, tzinfo=dt.UTC)
    assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"


def test_timed_event_far_from_utc_near_midnight(client):
    EventFactory(
        slug="auckland",
        timezone="Pacific/Auckland",
        start_date=dt.date(2021, 3, 31),
        start_time=dt.time(23, 30),
        end_date=dt.date(2021, 4, 1),
        end_time=dt.time(0, 30),
    )
    [vevent] = parse(client.get("/events/auckland.ics")).walk("VEVENT")
    start = vevent["DTSTART"].dt
    assert start == dt.datetime(2021, 3, 31, 23, 30, tzinfo=zoneinfo.ZoneInfo("Pacific/Auckland"))
    assert start.astimezone(dt.UTC) == dt.datetime(2021, 3, 31, 10, 30, tzinfo=dt.UTC)


def test_feed_has_upcoming_and_last_twelve_months_of_published_events(client):
    upcoming = EventFactory(title="Upcoming", start_date=dt.date(2021, 6, 1))
    recent = EventFactory(title="Recent", start_date=dt.date(2020, 6, 1))
    EventFactory(title="Too old", start_date=dt.date(2020, 2, 1))
    EventFactory(title="Draft", start_date=dt.date(2021, 6, 2), draft=True)
    response = client.get("/events/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Disposition" not in response  # inline: calendar apps subscribe to it
    cal = parse(response)
    assert [str(v["SUMMARY"]) for v in cal.walk("VEVENT")] == ["Recent", "Upcoming"]
    assert {str(v["UID"]) for v in cal.walk("VEVENT")} == {
        f"event-{recent.pk}@greenjobs",
        f"event-{upcoming.pk}@greenjobs",
    }
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Bangkok"]


def test_feed_filters_by_theme_and_unknown_theme_gets_404(client):
    policy = EventFactory(title="Policy dialogue", start_date=dt.date(2021, 6, 1))
    policy.themes.add("Policy")
    EventFactory(title="Other", start_date=dt.date(2021, 6, 1))
    cal = parse(client.get("/events/calendar.ics", {"theme": "policy"}))
    assert [str(v["SUMMARY"]) for v in cal.walk("VEVENT")] == ["Policy dialogue"]
    assert str(cal.walk("VEVENT")[0]["CATEGORIES"].cats[0]) == "Policy"
    assert client.get("/events/calendar.ics", {"theme": "no-such-theme"}).status_code == 404
    for bad in ("\x00", "a\x00b", "policy; DROP TABLE", "../x"):
        assert client.get("/events/calendar.ics", {"theme": bad}).status_code == 404


def test_feed_query_count(client, django_assert_max_num_queries):
    for number in range(30):
        EventFactory(start_date=dt.date(2021, 4, 1) + dt.timedelta(days=number)).themes.add("Policy")
    with django_assert_max_num_queries(2):
        response = client.get("/events/calendar.ics")
    assert len(parse(response).walk("VEVENT")) == 30


def test_feed_window_starts_a_year_back_at_midnight_utc(client):
    # Now is 15 March 2021, 12:00 UTC: the window opens on 15 March 2020 at 00:00 UTC.
    EventFactory(title="Ended before", whole_days=True, timezone="UTC", start_date=dt.date(2020, 3, 13))
    EventFactory(title="Ended within the window", whole_days=True, timezone="UTC", start_date=dt.date(2020, 3, 14))
    titles = [str(v["SUMMARY"]) for v in parse(client.get("/events/calendar.ics")).walk("VEVENT")]
    assert titles == ["Ended within the window"]


def test_text_is_escaped_and_long_lines_are_folded(client):
    event = EventFactory(
        slug="escaped",
        title="Jobs; skills, and \\ more",
        summary="Line one\nLine two with a long tail: " + "é" * 80,
    )
    event.themes.add("Waste, recycling")
    response = client.get("/events/escaped.ics")
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))
    [vevent] = parse(response).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Jobs; skills, and \\ more"
    assert str(vevent["DESCRIPTION"]).startswith("Line one\nLine two with a long tail: " + "é" * 80)
    assert b"\r\nCATEGORIES:Waste\\, recycling\r\n" in response.content


@pytest.mark.django_db(transaction=True)  # committed: the content version moves as in production
@pytest.mark.parametrize("url", ["/events/calendar.ics", "/events/calendar.ics?theme=policy", "/events/polled.ics"])
def test_calendars_answer_304_until_the_content_changes(client, url, django_assert_max_num_queries):
    EventFactory(slug="polled", start_date=dt.date(2021, 6, 1)).themes.add("Policy")
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert (
        first["Content-Disposition"].startswith("attachment; filename=")
        if url.endswith("polled.ics")
        else ("Content-Disposition" not in first)
    )
    with django_assert_max_num_queries(1):  # the content version only
        again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    assert client.get(url, headers={"if-modified-since": first["Last-Modified"]}).status_code == 304

    event = Event.objects.get(slug="polled")
    event.title = "Renamed meeting"
    event.save()
    changed = client.get(url, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and b"Renamed meeting" in changed.content
    assert changed["ETag"] != first["ETag"]


@pytest.mark.django_db(transaction=True)
def test_an_unpublished_event_leaves_the_feed_even_for_if_modified_since(client):
    event = EventFactory(title="Soon withdrawn", start_date=dt.date(2021, 6, 1))
    first = client.get("/events/calendar.ics")
    assert b"Soon withdrawn" in first.content
    event.status = Event.Status.DRAFT
    event.save()
    response = client.get("/events/calendar.ics", headers={"if-modified-since": first["Last-Modified"]})
    assert response.status_code in (200, 304)
    if response.status_code == 200:
        assert b"Soon withdrawn" not in response.content
    assert b"Soon withdrawn" not in client.get("/events/calendar.ics").content
