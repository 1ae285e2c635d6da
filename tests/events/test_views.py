import datetime as dt
import json
import re

import pytest
import time_machine
from django.template import Context, Template

from events.models import Event

from .conftest import NOW
from .factories import AgendaItemFactory, DocumentFactory, EventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_list_shows_upcoming_published_events_grouped_by_month(client):
    april = EventFactory(title="April workshop", start_date=dt.date(2021, 4, 20))
    march = EventFactory(title="March meeting", start_date=dt.date(2021, 3, 20))
    EventFactory(title="Old meeting", start_date=dt.date(2021, 1, 5))
    EventFactory(title="Secret draft", start_date=dt.date(2021, 3, 25), draft=True)
    response = client.get("/events/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(">March 2021</h2>") < html.index(march.title) < html.index(">April 2021</h2>")
    assert html.index(">April 2021</h2>") < html.index(april.title)
    assert "Old meeting" not in html and "Secret draft" not in html
    assert 'href="/events/past/"' in html
    assert 'href="/events/2021/03/"' in html


def test_past_is_paginated_newest_first(client):
    for number in range(25):
        EventFactory(title=f"Past {number:02d}", start_date=dt.date(2020, 1, 1) + dt.timedelta(days=number))
    EventFactory(title="Still to come", start_date=dt.date(2021, 4, 1))
    first = client.get("/events/past/").content.decode()
    assert first.index("Past 24") < first.index("Past 23") and "Still to come" not in first
    assert "Page 1 of 2" in first and "Past 04" not in first
    second = client.get("/events/past/?page=2").content.decode()
    assert "Past 04" in second and "Past 00" in second
    assert client.get("/events/past/?page=abc").status_code == 200


def test_month_grid_marks_days_and_lists_titles(client):
    event = EventFactory(whole_days=True, title="Forum", start_date=dt.date(2021, 3, 30), end_date=dt.date(2021, 4, 2))
    EventFactory(title="Hidden draft", start_date=dt.date(2021, 3, 3), draft=True)
    response = client.get("/events/2021/03/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption>March 2021</caption>" in html
    assert html.count('<th scope="col">') == 7 and '<abbr title="Monday">' in html
    for day in (30, 31):
        cell = re.search(rf'<td id="day-2021-03-{day}" class="has-events"[^>]*>(.*?)</td>', html, re.S)
        assert cell and f'href="{event.get_absolute_url()}"' in cell.group(1) and "Forum" in cell.group(1)
    assert 'id="day-2021-03-29" class=""' in html
    assert "Hidden draft" not in html
    assert 'href="/events/2021/02/" rel="prev"' in html and 'href="/events/2021/04/" rel="next"' in html
    assert 'action="/events/calendar/"' in html and '<option value="3" selected>March</option>' in html


@pytest.mark.parametrize("url", ["/events/2021/13/", "/events/2021/00/", "/events/12345/01/", "/events/abcd/01/",
                                 "/events/2021/1/", "/events/0000/01/", "/events/2021/ab/"])  # fmt: skip
def test_invalid_months_get_404(client, url):
    assert client.get(url).status_code == 404


def test_jump_form_redirects_to_the_month(client):
    response = client.get("/events/calendar/", {"month": "4", "year": "2014"})
    assert response.status_code == 302 and response["Location"] == "/events/2014/04/"


@pytest.mark.parametrize(
    "params", [{"month": "13", "year": "2021"}, {"month": "x", "year": "y"}, {}, {"month": "4", "year": "12345"}]
)
def test_bad_jump_input_gets_a_clear_message(client, params):
    response = client.get("/events/calendar/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please choose another month" in html and 'class="errorlist"' in html
    assert "<caption>March 2021</caption>" in html


def test_month_view_uses_at_most_five_queries_with_500_events(client, django_assert_max_num_queries):
    events = []
    for number in range(500):
        event = EventFactory.build(
            slug=f"bulk-{number}", title=f"Bulk {number}", start_date=dt.date(2021, 3, 1 + number % 28)
        )
        event.sync_instants()
        events.append(event)
    Event.objects.bulk_create(events)
    with django_assert_max_num_queries(5):
        response = client.get("/events/2021/03/")
    assert response.content.decode().count('href="/events/bulk-') == 500


def make_meeting():
    event = EventFactory(
        title="Learning and Planning Meeting",
        slug="lpm",
        start_date=dt.date(2014, 4, 28),
        end_date=dt.date(2014, 4, 30),
        background="Country teams **met**.",
        objectives="- Learn\n- Plan",
        contact_name="Mai Suwannarat",
        contact_title="Programme officer",
        contact_email="mai@greenjobs.example",
    )
    event.themes.add("Policy", "Sustainable tourism")
    AgendaItemFactory(event=event, date=dt.date(2014, 4, 28), title="Welcome", start_time=dt.time(9))
    AgendaItemFactory(event=event, date=dt.date(2014, 4, 30), title="Action agendas", session_type="group_work")
    DocumentFactory(event=event, title="Technical note")
    return event


def test_the_agenda_shows_each_session_escaped_and_marks_english_text_on_a_french_page(client):
    event = make_meeting()
    AgendaItemFactory(
        event=event,
        date=dt.date(2014, 4, 28),
        start_time=dt.time(14),
        end_time=None,
        title="Costs <b>&</b> benefits",
        title_fr="Coûts et bénéfices",
        description="Bring your <script>notes</script>.",
        speakers="A. Tan & B. Lee",
        session_type="field_visit",
    )
    html = client.get("/events/lpm/").content.decode()
    assert (
        '<tr class="agenda__item agenda__item--field_visit">\n'
        '          <th scope="row" class="agenda__time">14:00</th>\n'
        "          <td>\n"
        '            <strong>Costs &lt;b&gt;&amp;&lt;/b&gt; benefits</strong> <span class="tag">Field visit</span>\n'
        "            <p>Bring your &lt;script&gt;notes&lt;/script&gt;.</p>\n"
        '            <p class="meta">A. Tan &amp; B. Lee</p>\n'
        "          </td>"
    ) in html
    assert '<th scope="row" class="agenda__time">09:00\u201310:30</th>' in html
    assert html.count('<table class="agenda">') == 2 and "Times are Bangkok time." in html

    french = client.get("/fr/events/lpm/").content.decode()
    assert "<caption>Jour 1\xa0: lundi 28 avril 2014</caption>" in french
    assert "<strong>Coûts et bénéfices</strong>" in french  # translated: no lang attribute
    assert '<strong lang="en">Welcome</strong>' in french  # not translated: shown in English, marked
    assert '<p lang="en">Bring your &lt;script&gt;notes&lt;/script&gt;.</p>' in french
    assert '<th scope="col">Heure</th>' in french


def test_event_page_shows_everything_a_participant_needs(client, django_assert_max_num_queries):
    make_meeting()
    # One query: the event with its agenda, documents and themes; and the footer's about pages, read afresh
    # in a test's transaction.
    with django_assert_max_num_queries(1 + 1):
        response = client.get("/events/lpm/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Monday 28 April 2014, 09:00 \u2013 Wednesday 30 April 2014, 17:00 Bangkok time (UTC+7)" in html
    assert "Conference centre, Bangkok, Thailand" in html
    assert '<h2 id="section-1">Background</h2>' in html and "<strong>met</strong>" in html
    assert "Day 1: Monday 28 April 2014" in html and "Day 2: Wednesday 30 April 2014" in html
    assert html.index("Welcome") < html.index("Action agendas")
    assert "Technical note" in html and "PDF, 2.0\xa0KB" in html
    assert "Mai Suwannarat" in html and 'href="mailto:mai@greenjobs.example"' in html
    assert "Policy" in html and "Sustainable tourism" in html
    # A 2014 meeting: it says it is over, keeps its documents and offers no calendar entry.
    assert "This event took place on 30 April 2014." in html and 'href="/events/lpm.ics"' not in html
    assert "data-share-print" in html
    assert html.count("<h1") == 1


def test_list_and_event_page_link_the_feeds_and_the_page_has_one_share_box(client):
    make_meeting()
    feeds = (
        'type="application/rss+xml" title="Upcoming events" href="/events/feed/"',
        'type="application/atom+xml" title="Upcoming events (Atom)" href="/events/feed/atom/"',
    )
    for url in ("/events/", "/events/lpm/"):
        html = client.get(url).content.decode()
        assert all(feed in html for feed in feeds), url
    html = client.get("/events/lpm/").content.decode()
    assert html.count('class="share"') == 1 and html.count('rel="canonical"') == 1
    assert 'href="mailto:?subject=' in html and "http%3A%2F%2Ftestserver%2Fevents%2Flpm%2F" in html


def test_event_page_has_schema_org_json_ld(client):
    event = make_meeting()
    event.title = "Meeting </script><script>alert(1)</script>"
    event.save()
    html = client.get("/events/lpm/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block
    data = json.loads(block)
    assert data["@type"] == "Event" and data["name"] == event.title
    assert data["startDate"] == "2014-04-28T09:00:00+07:00" and data["endDate"] == "2014-04-30T17:00:00+07:00"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place" and data["location"]["address"]["addressCountry"] == "TH"
    assert data["organizer"] == {"@type": "Organization", "name": "Green Jobs Programme"}
    assert data["url"] == "http://testserver/events/lpm/" and data["description"] == event.summary


def test_online_event_json_ld_has_a_virtual_location(client):
    EventFactory(slug="webinar", kind="webinar", venue="", city="", country="", online_url="https://meet.example/x")
    html = client.get("/events/webinar/").content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://meet.example/x"}
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"


def test_unknown_slug_gets_404(client):
    assert client.get("/events/no-such-event/").status_code == 404
    assert client.get("/events/no-such-event.ics").status_code == 404


def test_draft_page_and_ics_get_404_for_the_public(client):
    EventFactory(slug="draft", draft=True)
    assert client.get("/events/draft/").status_code == 404
    assert client.get("/events/draft.ics").status_code == 404


def test_the_webmaster_sees_a_draft_and_its_calendar_entry_as_a_preview(webmaster_client):
    EventFactory(slug="draft", draft=True)
    response = webmaster_client.get("/events/draft/")
    assert response.status_code == 200 and response.context["is_preview"]
    html = response.content.decode()
    assert 'class="banner banner--preview"' in html and "Not published: preview" in html
    assert '<meta name="robots" content="noindex">' in html and "application/ld+json" not in html
    assert webmaster_client.get("/events/draft.ics").status_code == 200


def test_staff_without_the_permission_to_view_events_get_404_for_a_draft(client, django_user_model):
    EventFactory(slug="draft", draft=True)
    client.force_login(django_user_model.objects.create_user("editor", is_staff=True))
    assert client.get("/events/draft/").status_code == 404
    assert client.get("/events/draft.ics").status_code == 404


def test_published_page_has_no_preview_banner(webmaster_client):
    EventFactory(slug="live")
    response = webmaster_client.get("/events/live/")
    assert not response.context["is_preview"] and "banner--preview" not in response.content.decode()


def render_home_events():
    return Template("{% load events_tags %}{% home_events %}").render(Context())


def test_home_slot_is_empty_without_events():
    assert render_home_events().strip() == ""


def test_home_slot_shows_the_month_and_the_next_three_events(django_assert_max_num_queries):
    today = EventFactory(title="Today's seminar", whole_days=True, start_date=dt.date(2021, 3, 15))
    for number in range(4):
        EventFactory(title=f"Next {number}", start_date=dt.date(2021, 3, 20) + dt.timedelta(days=number))
    EventFactory(title="Draft", start_date=dt.date(2021, 3, 16), draft=True)
    with django_assert_max_num_queries(2):
        html = render_home_events()
    assert '<section class="home-slot home-events" aria-labelledby="home-events-title">' in html
    assert '<a href="/events/2021/03/">March 2021</a>' in html
    assert 'href="/events/2021/02/" rel="prev"' in html and 'href="/events/2021/04/" rel="next"' in html
    assert f'<a href="{today.get_absolute_url()}">15<span' in html
    assert 'class="has-events is-today" aria-current="date"' in html
    for title in ("Today&#x27;s seminar", "Next 0", "Next 1"):
        assert title in html
    assert "Next 2" in html  # in the mini calendar...
    coming_up = html.split("Coming up")[1]
    assert "Next 1" in coming_up and "Next 2" not in coming_up and "Draft" not in html
    assert coming_up.count('<li class="event-list__item">') == 3  # the event card, briefly: no summary
    assert '<h4 class="event-list__title"><a href="' in coming_up and "learn from each other" not in coming_up


def test_mini_calendar_links_busy_days_to_the_month_page():
    EventFactory(start_date=dt.date(2021, 3, 20))
    EventFactory(start_date=dt.date(2021, 3, 20))
    html = Template("{% load events_tags %}{% mini_calendar 2021 3 %}").render(Context())
    assert 'href="/events/2021/03/#day-2021-03-20">20<span class="visually-hidden"> March: 2 events</span>' in html


def test_list_and_past_query_counts(client, django_assert_max_num_queries):
    for number in range(35):
        EventFactory(start_date=dt.date(2021, 4, 1) + dt.timedelta(days=number)).themes.add("Policy")
        EventFactory(start_date=dt.date(2020, 4, 1) + dt.timedelta(days=number))
    # Upcoming events come 30 a page (the list's index with "any past?", the other calendar entries, the page,
    # the mini calendar and, inside a test's transaction where nothing is kept, the entries again and the
    # footer's about pages).
    with django_assert_max_num_queries(5 + 1):
        first = client.get("/events/").content.decode()
    assert first.count('class="event-list__item"') == 30
    assert 'href="?page=2"' in first
    second = client.get("/events/?page=2").content.decode()
    assert second.count('class="event-list__item"') == 5
    with django_assert_max_num_queries(3 + 1):  # the count, the page, the years with past events; the footer's
        assert client.get("/events/past/").content.decode().count('class="event-list__item"') == 20


@pytest.mark.parametrize(
    "url",
    ["/events/99999/01/", "/events/-2021/01/", "/events/2021/-1/", "/events/2021/01/%00/", "/events/%002021/01/",
     "/events/2021%00/01/", "/events/past/%00/"],
)  # fmt: skip
def test_overflowing_or_invalid_months_are_404_never_500(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "params",
    [{"page": "9223372036854775807"}, {"page": "99999999999999999999999"}, {"page": "1e400"}, {"page": "x\x00"}],
)
def test_lists_answer_any_page_number(client, params):
    EventFactory(start_date=dt.date(2021, 4, 1))
    EventFactory(start_date=dt.date(2020, 4, 1))
    for url in ("/events/", "/events/past/"):
        assert client.get(url, params).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"month": "4", "year": "99999999999999999999"},
        {"month": "99999999999", "year": "2021"},
        {"month": "4\x00", "year": "2021"},
        {"month": "4", "year": "-5"},
    ],
)
def test_jump_form_rejects_overflowing_input(client, params):
    response = client.get("/events/calendar/", params)
    assert response.status_code == 200
    assert "Please choose another month" in response.content.decode()


def test_first_and_last_months_have_no_link_beyond(client):
    first = client.get("/events/0001/01/").content.decode()
    assert "<caption>January 0001</caption>" in first and 'rel="prev"' not in first.split("<main")[1]
    last = client.get("/events/9999/12/").content.decode()
    assert "<caption>December 9999</caption>" in last and 'rel="next"' not in last.split("<main")[1]


def test_list_pages_keep_their_query_count_with_300_events(client, django_assert_max_num_queries):
    events = []
    for number in range(300):
        event = EventFactory.build(
            slug=f"many-{number}", start_date=dt.date(2020, 1, 1) + dt.timedelta(days=3 * number), all_day=False
        )
        event.sync_instants()
        events.append(event)
    Event.objects.bulk_create(events)
    # Each count includes the footer's about pages, read afresh inside a test's transaction; the month grid
    # also reads the course sessions of its weeks (one calendar).
    for url, most in [("/events/", 6), ("/events/?page=2", 6), ("/events/past/", 4), ("/events/past/?page=3", 4),
                      ("/events/2021/03/", 3), ("/events/many-7/", 5)]:  # fmt: skip
        with django_assert_max_num_queries(most, info=url):
            assert client.get(url).status_code == 200


# Committed rows (transaction=True): the content version moves and derived data is kept, as in production.


@pytest.mark.django_db(transaction=True)
def test_upcoming_list_and_feed_drop_an_event_the_minute_it_ends(client):
    ending = EventFactory(
        title="Ends at 12:02",
        start_date=dt.date(2021, 3, 15),
        start_time=dt.time(18),
        end_time=dt.time(19, 2),  # Bangkok: 12:02 UTC
    )
    EventFactory(title="Later meeting", start_date=dt.date(2021, 4, 1))
    listed = '">Ends at 12:02</a></h3>'  # in the list (the mini calendar keeps the day)
    first = client.get("/events/").content.decode()
    assert listed in first and "Later meeting" in first and "Past events" not in first
    assert "Ends at 12:02" in client.get("/events/feed/").content.decode()
    with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):  # the same five-minute slot
        assert listed in client.get("/events/").content.decode()
    with time_machine.travel(NOW + dt.timedelta(minutes=2, microseconds=1), tick=False):
        after = client.get("/events/").content.decode()
        assert listed not in after and "Later meeting" in after
        assert 'href="/events/past/"' in after
        feed = client.get("/events/feed/").content.decode()
        assert "Ends at 12:02" not in feed and "Later meeting" in feed
    assert ending.ends_at == NOW + dt.timedelta(minutes=2)


@pytest.mark.django_db(transaction=True)
def test_kept_list_month_feed_and_event_page_show_an_edit_at_once(client):
    event = EventFactory(title="Before", slug="edited", start_date=dt.date(2021, 4, 1), background="Old *text*")
    urls = ["/events/", "/events/2021/04/", "/events/feed/", "/events/feed/atom/", "/events/edited/"]
    for url in urls:
        assert "Before" in client.get(url).content.decode(), url
    event.title, event.background = "After", "New *text*"
    event.save()
    for url in urls:
        html = client.get(url).content.decode()
        assert "After" in html and "Before" not in html, url
    assert "New <em>text</em>" in client.get("/events/edited/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_kept_month_grid_marks_the_new_day_as_today(client):
    EventFactory(start_date=dt.date(2021, 3, 20))
    assert 'id="day-2021-03-15" class=" is-today"' in client.get("/events/2021/03/").content.decode()
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        html = client.get("/events/2021/03/").content.decode()
    assert 'id="day-2021-03-16" class=" is-today"' in html and 'id="day-2021-03-15" class=""' in html


@pytest.mark.django_db(transaction=True)
def test_kept_jump_form_shows_each_months_own_choice_and_a_bad_one_as_typed(client, django_assert_max_num_queries):
    EventFactory(start_date=dt.date(2021, 4, 1))
    for url in ["/events/2021/04/", "/fr/events/2021/04/", "/events/2027/11/"]:
        client.get(url)  # kept
    with django_assert_max_num_queries(1):  # the version (from the database without a shared cache)
        april = client.get("/events/2021/04/").content.decode()
    november = client.get("/events/2027/11/").content.decode()
    french = client.get("/fr/events/2021/04/").content.decode()
    assert '<option value="4" selected>April</option>' in april and 'value="2021"' in april
    assert '<option value="11" selected>November</option>' in november and 'value="2027"' in november
    assert '<option value="4" selected>avril</option>' in french and "Mois</label>" in french
    assert "errorlist" not in april + november + french
    typed = client.get("/events/calendar/", {"month": "4", "year": "12345"}).content.decode()
    assert 'value="12345"' in typed and "Please choose another month" in typed
    assert '<option value="4" selected>April</option>' in typed


def test_month_grid_cells_show_each_days_entries_escaped_with_the_time_on_the_first_day_only(client):
    EventFactory(
        title="Costs <b>&</b> benefits", slug="costs", start_date=dt.date(2021, 3, 15), end_date=dt.date(2021, 3, 16)
    )
    EventFactory(title="Field day", slug="field-day", start_date=dt.date(2021, 3, 16), whole_days=True)
    html = client.get("/events/2021/03/").content.decode()
    assert (
        '<td id="day-2021-03-16" class="has-events">\n'
        '        <span class="calendar__day"><time datetime="2021-03-16">'
        '<span class="calendar__weekday">Tuesday </span>16'
        '<span class="calendar__month-name"> March</span></time></span>\n'
        "        \n"
        "        <ul>\n"
        "          \n"
        '          <li><a href="/events/costs/">Costs &lt;b&gt;&amp;&lt;/b&gt; benefits</a></li>\n'
        "          \n"
        '          <li><a href="/events/field-day/">Field day</a></li>\n'
        "          \n"
        "        </ul>\n"
        "        \n"
        "      </td>"
    ) in html
    assert (
        '<td id="day-2021-03-15" class="has-events is-today" aria-current="date">\n'
        '        <span class="calendar__day"><time datetime="2021-03-15"><span class="calendar__weekday">Monday </span>'
        '15<span class="calendar__month-name"> March</span></time> <span class="calendar__today">today</span></span>'
    ) in html
    assert '<a href="/events/costs/"><span class="calendar__time">09:00</span> Costs &lt;b&gt;' in html
    assert html.count("Costs &lt;b&gt;") == 2 and "month-empty" not in html
    assert "<caption>March 2021</caption>" in html and '<abbr title="Monday">Mon</abbr>' in html

    french = client.get("/fr/events/2021/05/").content.decode()
    assert '<p class="month-empty">Aucun événement ce mois-ci.</p>' in french
    assert '<abbr title="lundi">lun</abbr>' in french and "<caption>mai 2021</caption>" in french
    assert '<td class="is-other-month"></td>' in french
    assert '<span class="calendar__today">aujourd\'hui</span>' in client.get("/fr/events/2021/03/").content.decode()
