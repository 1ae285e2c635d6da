import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Event
from greenjobs.core.markdown import render_markdown
from greenjobs.core.timezones import utc_offset_label, zone_city

from .factories import AgendaItemFactory, DocumentFactory, EventFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.mark.parametrize(
    "fields",
    [
        {"end_date": dt.date(2021, 3, 9)},
        {"start_time": dt.time(17), "end_time": dt.time(9)},
        {"all_day": True},
        {"start_time": None, "end_time": None},
    ],
    ids=["end-date-before-start", "end-time-before-start", "all-day-with-times", "timed-without-times"],
)
def test_database_refuses_inconsistent_dates(fields):
    event = EventFactory(start_date=dt.date(2021, 3, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(**fields)


def test_clean_explains_inconsistent_dates_and_bad_time_zone():
    event = EventFactory.build(end_date=dt.date(2021, 3, 9), timezone="Europe/Geneva", slug="past")
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert set(error.value.message_dict) == {"end_date", "timezone", "slug"}
    assert "not a time zone name" in error.value.message_dict["timezone"][0]
    assert "ends before it starts" in error.value.message_dict["end_date"][0]


def test_instants_follow_the_events_zone_including_daylight_saving():
    berlin = EventFactory(timezone="Europe/Berlin", start_date=dt.date(2021, 3, 28), start_time=dt.time(9))
    assert berlin.starts_at == dt.datetime(2021, 3, 28, 7, tzinfo=UTC)  # CEST, UTC+2
    winter = EventFactory(timezone="Europe/Berlin", start_date=dt.date(2021, 3, 27), start_time=dt.time(9))
    assert winter.starts_at == dt.datetime(2021, 3, 27, 8, tzinfo=UTC)  # CET, UTC+1
    all_day = EventFactory(whole_days=True, timezone="Pacific/Auckland", start_date=dt.date(2021, 3, 10))
    assert all_day.starts_at == dt.datetime(2021, 3, 9, 11, tzinfo=UTC)
    assert all_day.ends_at == dt.datetime(2021, 3, 10, 11, tzinfo=UTC)


def test_upcoming_and_past_use_the_end_in_the_events_zone():
    auckland = EventFactory(whole_days=True, timezone="Pacific/Auckland", start_date=dt.date(2021, 3, 10))
    lima = EventFactory(whole_days=True, timezone="America/Lima", start_date=dt.date(2021, 3, 10))
    draft = EventFactory(draft=True, start_date=dt.date(2021, 4, 1))
    with time_machine.travel(dt.datetime(2021, 3, 10, 12, tzinfo=UTC), tick=False):
        # Auckland is already on 11 March; Lima still on 10 March.
        assert list(Event.objects.upcoming()) == [lima, draft]
        assert list(Event.objects.published().upcoming()) == [lima]
        assert list(Event.objects.past()) == [auckland]


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        ("Asia/Bangkok", dt.date(2014, 4, 28), "UTC+7"),
        ("Asia/Kathmandu", dt.date(2021, 1, 5), "UTC+5:45"),
        ("America/Lima", dt.date(2021, 1, 5), "UTC-5"),
        ("Europe/Berlin", dt.date(2021, 3, 27), "UTC+1"),
        ("Europe/Berlin", dt.date(2021, 3, 28), "UTC+2"),
        ("Europe/London", dt.date(2021, 1, 5), "UTC"),
    ],
)
def test_utc_offset_label_is_dst_aware(zone, day, expected):
    assert utc_offset_label(dt.datetime.combine(day, dt.time(12), tzinfo=zoneinfo.ZoneInfo(zone))) == expected


def test_zone_city_reads_the_last_part_of_the_name():
    assert zone_city("Asia/Ho_Chi_Minh") == "Ho Chi Minh"
    assert zone_city("America/Argentina/Buenos_Aires") == "Buenos Aires"


def test_when_label_names_the_zone_and_offset():
    event = EventFactory.build(start_date=dt.date(2014, 4, 28), end_date=dt.date(2014, 4, 30))
    assert event.when_label() == (
        "Monday 28 April 2014, 09:00 \u2013 Wednesday 30 April 2014, 17:00 Bangkok time (UTC+7)"
    )
    same_day = EventFactory.build(start_date=dt.date(2014, 4, 28))
    assert same_day.when_label() == "Monday 28 April 2014, 09:00\u201317:00 Bangkok time (UTC+7)"


def test_when_label_across_a_dst_change_shows_both_offsets():
    event = EventFactory.build(timezone="Europe/Berlin", start_date=dt.date(2021, 3, 27), end_date=dt.date(2021, 3, 28))
    assert event.when_label() == (
        "Saturday 27 March 2021, 09:00 Berlin time (UTC+1) \u2013 Sunday 28 March 2021, 17:00 Berlin time (UTC+2)"
    )


def test_all_day_events_show_dates_only():
    event = EventFactory.build(whole_days=True, start_date=dt.date(2014, 4, 28), end_date=dt.date(2014, 4, 30))
    assert event.when_label() == "Monday 28 April 2014 \u2013 Wednesday 30 April 2014"
    assert ":" not in event.when_label()


def test_timed_event_ending_at_midnight_does_not_cover_the_next_day():
    event = EventFactory.build(
        start_date=dt.date(2021, 3, 31), start_time=dt.time(20), end_date=dt.date(2021, 4, 1), end_time=dt.time(0)
    )
    assert event.dates() == [dt.date(2021, 3, 31)]


def test_markdown_is_rendered_and_scripts_and_javascript_links_are_harmless():
    html = render_markdown(
        "# Aims\n\n**Bold** [ok](https://example.org) [bad](javascript:alert(1))\n\n"
        '<script>alert("x")</script>\n\n<a href="javascript:alert(2)" onclick="alert(3)">x</a>'
        '\n\n<img src=x onerror="alert(4)">'
    )
    assert "<h3" in html and "<h1" not in html
    assert "<strong>Bold</strong>" in html
    assert 'href="https://example.org"' in html
    lowered = html.lower()
    for bad in ("<script", "javascript:", "onclick", "onerror", "<img"):
        assert bad not in lowered


def test_sections_skip_empty_ones():
    event = EventFactory.build(background="Why", objectives="", target_participants="  ", programme="How")
    assert [str(heading) for heading, _html, _english in event.sections()] == ["Background", "Programme and approach"]


def test_document_stores_its_size_and_type():
    document = DocumentFactory()
    document.refresh_from_db()
    assert document.size == len(b"%PDF-1.4\n") + 2048
    assert document.file_type == "PDF"


def test_agenda_item_outside_its_event_or_ending_before_start_is_refused():
    event = EventFactory(start_date=dt.date(2014, 4, 28), end_date=dt.date(2014, 4, 30))
    item = AgendaItemFactory.build(event=event, date=dt.date(2014, 5, 1), start_time=dt.time(10), end_time=dt.time(9))
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert error.value.message_dict["date"] == [
        "1 May 2014 is outside the event, which runs from 28 April 2014 to 30 April 2014."
    ]
    assert error.value.message_dict["end_time"] == ["This session ends before it starts."]
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()


def test_documents_over_20_mb_are_refused():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from events.models import validate_document_size

    validate_document_size(SimpleUploadedFile("ok.pdf", b"0" * (20 * 1024 * 1024)))
    with pytest.raises(ValidationError, match="larger than 20 MB"):
        validate_document_size(SimpleUploadedFile("big.pdf", b"0" * (20 * 1024 * 1024 + 1)))


@pytest.mark.parametrize("slug", ["past", "calendar", "jump", "feed"])
def test_slugs_that_would_be_shadowed_by_routes_are_refused(slug):
    event = EventFactory.build(slug=slug)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "slug" in error.value.message_dict


# --- Markdown sections rendered at save ---------------------------------------------------------------


def test_saving_an_event_keeps_its_sections_as_html_in_every_language_and_the_page_shows_them(client):
    event = EventFactory(
        slug="kept", background="Country teams **met**.", background_fr="Les équipes *se sont réunies*."
    )
    assert set(event.rendered) == {"background_en", "background_fr"}
    assert event.rendered["background_en"][1] == "<p>Country teams <strong>met</strong>.</p>"

    # What the page shows is what was kept (marked here, to tell it from a fresh rendering).
    kept = {key: [digest, html.replace("<p>", '<p class="kept">')] for key, (digest, html) in event.rendered.items()}
    Event.objects.filter(pk=event.pk).update(rendered=kept)
    assert '<p class="kept">Country teams <strong>met</strong>.</p>' in client.get("/events/kept/").content.decode()
    french = client.get("/fr/events/kept/").content.decode()
    assert '<p class="kept">Les équipes <em>se sont réunies</em>.</p>' in french


def test_a_text_changed_without_a_save_is_rendered_afresh_and_never_shown_stale(client):
    event = EventFactory(slug="bulk", background="Old *text*.", objectives="- Learn")
    Event.objects.filter(pk=event.pk).update(background="New *text*.", background_en="New *text*.")

    html = client.get("/events/bulk/").content.decode()
    assert "New <em>text</em>." in html and "Old" not in html
    assert "<li>Learn</li>" in html
    french = client.get("/fr/events/bulk/").content.decode()  # no French text: the English one, marked
    assert '<div lang="en"><p>New <em>text</em>.</p></div>' in french


def test_html_kept_by_older_rendering_rules_is_not_shown(client, monkeypatch):
    from greenjobs.core import markdown

    event = EventFactory(slug="rules", background="A [link](javascript:alert(1)) and **bold**.")
    Event.objects.filter(pk=event.pk).update(rendered={"background_en": ["0000000000000000", "<script>x</script>"]})
    assert "<script>x</script>" not in client.get("/events/rules/").content.decode()

    event.refresh_from_db()
    event.save()
    monkeypatch.setattr(markdown, "RENDERING", "2")  # the rules changed after this save
    Event.objects.filter(pk=event.pk).update(rendered={"background_en": [event.rendered["background_en"][0], "stale"]})
    html = client.get("/events/rules/").content.decode()
    assert "stale" not in html and "<strong>bold</strong>" in html and "javascript:" not in html
