"""Issue 16: course sessions on the events calendar, subscriptions, where an event stands, list filters."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from icalendar import Calendar

from tests.courses.factories import CourseFactory, CourseSessionFactory

from .conftest import NOW
from .factories import DocumentFactory, EventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

ROME = zoneinfo.ZoneInfo("Europe/Rome")


def session_in_march(**kwargs):
    course = CourseFactory(title="Skills for green jobs", slug="skills", themes=["Skills"], **kwargs)
    start = dt.datetime(2021, 3, 22, 9, tzinfo=ROME)
    return CourseSessionFactory(course=course, start=start, end=start + dt.timedelta(days=2, hours=8))


def test_a_course_session_is_in_the_month_grid_linking_to_its_course(client):
    session_in_march()
    html = client.get("/events/2021/03/").content.decode()
    cell = html.split('id="day-2021-03-23"')[1].split("</td>")[0]
    assert '<a href="/courses/skills/">' in cell and "Skills for green jobs" in cell and "Course session" in cell


def test_an_unpublished_course_is_on_no_calendar(client):
    session_in_march(is_published=False)
    assert "Skills for green jobs" not in client.get("/events/2021/03/").content.decode()
    assert b"course-session" not in client.get("/events/calendar.ics").content
    assert "Skills for green jobs" not in client.get("/events/").content.decode()


def test_a_course_session_is_in_calendar_ics_the_list_and_the_home_calendar(client):
    session = session_in_march()
    response = client.get("/events/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Disposition" not in response
    [vevent] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["UID"]) == f"course-session-{session.pk}@greenjobs"
    assert str(vevent["URL"]) == "http://testserver/courses/skills/"
    assert vevent["DTSTART"].dt == session.start and vevent["DTSTART"].params["TZID"] == "Europe/Rome"
    themed = client.get("/events/calendar.ics?theme=skills").content
    assert f"course-session-{session.pk}".encode() in themed
    EventFactory(title="Policy meeting", start_date=dt.date(2021, 4, 2)).themes.add("Policy")
    assert b"course-session" not in client.get("/events/calendar.ics?theme=policy").content
    listing = client.get("/events/").content.decode()
    assert '<a href="/courses/skills/">Skills for green jobs</a>' in listing and "Course session" in listing
    from django.template import Context, Template

    home = Template("{% load events_tags %}{% home_events %}").render(Context())
    assert "Skills for green jobs" in home.split("Coming up")[1]


def test_a_long_online_session_is_whole_days_that_do_not_block_the_calendar(client):
    course = CourseFactory(slug="online", title="Online course")
    start = dt.datetime(2021, 4, 5, 13, tzinfo=dt.UTC)
    CourseSessionFactory(course=course, start=start, end=start + dt.timedelta(days=25, hours=2), timezone="UTC",
                         is_online=True, city="", venue="", country="")  # fmt: skip
    body = client.get("/events/calendar.ics").content
    assert b"DTSTART;VALUE=DATE:20210405\r\n" in body and b"DTEND;VALUE=DATE:20210501\r\n" in body
    assert b"TRANSP:TRANSPARENT\r\n" in body
    own = client.get("/courses/online/calendar.ics")
    assert own.status_code == 200 and "Content-Disposition" not in own and own["ETag"]
    assert b"TRANSP:TRANSPARENT" in own.content
    assert b"X-WR-CALNAME:Green Jobs Portal course: Online course" in own.content
    assert client.get("/courses/nope/calendar.ics").status_code == 404


def webcal_twins(html: str) -> None:
    """Every calendar link of the page has a webcal:// twin and an address to copy."""
    https = set(re.findall(r'value="(http://testserver/[^"]*\.ics[^"]*)" readonly', html))
    webcal = set(re.findall(r'href="(webcal://[^"]*)"', html))
    assert https and {"webcal://" + url.split("://")[1] for url in https} == {w.replace("&amp;", "&") for w in webcal}
    assert "Google Calendar" in html and "Outlook" in html and "Apple Calendar" in html


def test_every_calendar_link_has_a_webcal_twin(client):
    session = session_in_march()
    EventFactory(start_date=dt.date(2021, 4, 2)).themes.add("Skills")
    webcal_twins(client.get("/events/").content.decode())
    webcal_twins(client.get("/events/2021/03/").content.decode())
    course_page = client.get("/courses/skills/").content.decode()
    webcal_twins(course_page)
    assert 'value="http://testserver/courses/skills/calendar.ics"' in course_page
    theme_page = client.get("/themes/skills/").content.decode()
    webcal_twins(theme_page)
    assert "webcal://testserver/events/calendar.ics?theme=skills" in theme_page
    assert session


def test_a_past_event_says_so_and_keeps_its_documents_but_no_calendar_button(client):
    event = EventFactory(slug="old", start_date=dt.date(2014, 4, 28), end_date=dt.date(2014, 4, 30))
    DocumentFactory(event=event, title="Technical note")
    html = client.get("/events/old/").content.decode()
    assert "This event took place on 30 April 2014." in html and "It began on 28 April 2014." in html
    assert "Add to calendar" not in html and "/events/old.ics" not in html
    assert "Technical note" in html and "Happening now" not in html


def test_an_event_happening_now_says_so_and_is_not_kept_past_its_end(client):
    EventFactory(slug="now", start_date=NOW.date(), start_time=dt.time(9), end_time=dt.time(20))  # Bangkok: 02-13 UTC
    with time_machine.travel(dt.datetime(2021, 3, 15, 5, tzinfo=dt.UTC), tick=False):
        html = client.get("/events/now/").content.decode()
    assert "Happening now" in html and "Add to calendar" in html
    with time_machine.travel(dt.datetime(2021, 3, 15, 12, 59, 30, tzinfo=dt.UTC), tick=False):
        response = client.get("/events/now/")
    assert "Happening now" in response.content.decode() and "no-cache" in response["Cache-Control"]
    with time_machine.travel(dt.datetime(2021, 3, 15, 13, 0, 1, tzinfo=dt.UTC), tick=False):
        assert "This event took place on 15 March 2021." in client.get("/events/now/").content.decode()


def test_theme_chips_link_to_the_theme_page(client):
    EventFactory(slug="themed").themes.add("Policy")
    assert '<a class="tag" href="/themes/policy/">Policy</a>' in client.get("/events/themed/").content.decode()


def test_an_event_and_its_course_link_to_each_other(client):
    course = CourseFactory(title="Skills for green jobs", slug="skills")
    event = EventFactory(title="Skills for green jobs: course for TVET managers", slug="tvet",
                         start_date=dt.date(2021, 5, 3), kind="training",
                         course_type=ContentType.objects.get_for_model(course), course_object_id=course.pk)  # fmt: skip
    event.full_clean()
    assert (
        'Part of the course <a href="/courses/skills/">Skills for green jobs</a>'
        in client.get("/events/tvet/").content.decode()
    )
    course_page = client.get("/courses/skills/").content.decode()
    assert "Events of this course" in course_page and '<a href="/events/tvet/">' in course_page
    course.is_published = False
    course.save()
    assert "Part of the course" not in client.get("/events/tvet/").content.decode()


def test_an_event_cannot_name_a_missing_course_or_another_kind():
    from django.core.exceptions import ValidationError

    from events.models import Event

    course = CourseFactory()
    event = EventFactory.build(course_type=ContentType.objects.get_for_model(course), course_object_id=999999)
    with pytest.raises(ValidationError, match="There is no course number 999999"):
        event.full_clean(exclude=["slug"])
    event.course_type = ContentType.objects.get_for_model(Event)
    event.course_object_id = 1
    with pytest.raises(ValidationError):
        event.full_clean(exclude=["slug"])


def test_the_list_filters_by_theme_kind_and_country_with_counts(client):
    EventFactory(title="Bangkok policy", start_date=dt.date(2021, 4, 1)).themes.add("Policy")
    EventFactory(title="Nairobi workshop", kind="workshop", country="KE", start_date=dt.date(2021, 4, 2))
    EventFactory(title="Bangkok webinar", kind="webinar", start_date=dt.date(2021, 4, 3)).themes.add("Policy")
    session_in_march()
    html = client.get("/events/", {"theme": "policy"}).content.decode()
    assert "Bangkok policy" in html and "Bangkok webinar" in html and "Nairobi workshop" not in html
    assert "2 upcoming events and sessions" in html
    assert re.search(r'href="\?theme=policy&amp;country=TH">Thailand <span class="count">\(2\)', html)
    assert re.search(r'aria-current="true">Policy <span class="count">\(2\)', html)
    html = client.get("/events/", {"kind": "course"}).content.decode()
    assert "Skills for green jobs" in html and "Bangkok policy" not in html
    html = client.get("/events/", {"country": "ke"}).content.decode()
    assert "Nairobi workshop" in html and "Bangkok policy" not in html


@pytest.mark.parametrize("params", [{"theme": "nope"}, {"kind": "party"}, {"country": "Narnia"}, {"theme": "\x00"}])
def test_bad_filters_answer_clearly(client, params):
    EventFactory(start_date=dt.date(2021, 4, 1))
    response = client.get("/events/", params)
    assert response.status_code == 200  # the list, unfiltered, says what was not understood
    assert "Some filters were not understood" in response.content.decode()


def test_past_events_by_year(client):
    EventFactory(title="Old one", start_date=dt.date(2014, 4, 28))
    EventFactory(title="Recent one", start_date=dt.date(2020, 6, 1))
    html = client.get("/events/past/").content.decode()
    assert 'href="?year=2020"' in html and 'href="?year=2014"' in html and 'href="?year=2015"' not in html
    html = client.get("/events/past/", {"year": "2014"}).content.decode()
    assert "Old one" in html and "Recent one" not in html
    for bad in ("2015", "x", "99999999999999999999", "\x00"):
        response = client.get("/events/past/", {"year": bad})
        assert response.status_code == 404 and "There are no past events in that year" in response.content.decode()


def test_the_event_list_links_its_feed_visibly(client):
    html = client.get("/events/").content.decode()
    assert '<p class="feed-link no-print"><a href="/events/feed/"><svg' in html
