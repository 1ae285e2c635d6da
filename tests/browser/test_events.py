import datetime as dt

import icalendar
import pytest
from django.utils import timezone

from events import demo

from .conftest import WIDTHS, no_horizontal_overflow

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_events(db):
    demo.load()


def test_home_mini_calendar_to_month_to_event_to_ics(page, time_machine, tmp_path):
    # The seminar is an all-day event of today in Bangkok: over from 17:00 UTC, when the page no longer
    # offers to add it to a calendar. The journey is taken at 06:00 UTC, when it is under way.
    time_machine.move_to(dt.datetime.combine(timezone.now().date(), dt.time(6), tzinfo=dt.UTC), tick=True)
    demo.load()
    today = timezone.localdate()
    page.goto("/")
    slot = page.get_by_role("region", name="Meetings and events")
    slot.get_by_role("link", name=today.strftime("%B %Y"), exact=True).click()
    page.wait_for_url(f"**/events/{today:%Y}/{today:%m}/")
    assert page.get_by_role("heading", level=1).inner_text() == f"Events in {today:%B %Y}"
    today_cell = page.locator('td[aria-current="date"]')
    assert "is-today" in today_cell.get_attribute("class")
    today_cell.get_by_role("link", name="Green jobs research seminar").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Green jobs research seminar"
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    download = download_info.value
    assert download.suggested_filename == "green-jobs-research-seminar.ics"
    path = tmp_path / "event.ics"
    download.save_as(path)
    [vevent] = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Green jobs research seminar"
    assert vevent["DTSTART"].dt == today and vevent["DTEND"].dt == today + dt.timedelta(days=1)


def test_month_grid_works_by_keyboard(page, demo_events):
    page.goto("/events/2014/04/")
    link = page.get_by_role("link", name="09:00 Learning and Planning Meeting", exact=False).first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/events/learning-and-planning-meeting-asia-pacific-2014/")
    assert "Bangkok time (UTC+7)" in page.locator("main").inner_text()


@pytest.mark.parametrize("device", WIDTHS)
def test_screenshots_of_month_grid_and_event_page(page, screenshot, demo_events, device):
    page.set_viewport_size({"width": WIDTHS[device], "height": 900})
    page.goto("/events/2014/04/")
    assert page.locator("td.has-events").count() == 3
    assert page.locator("td.has-events").first.is_visible()
    assert no_horizontal_overflow(page)
    screenshot(page, f"events-month-{device}")

    page.goto("/events/learning-and-planning-meeting-asia-pacific-2014/")
    assert page.get_by_role("table", name="Day 1: Monday 28 April 2014").is_visible()
    assert page.get_by_role("button", name="Print", exact=True).is_visible()  # revealed by share.js
    assert no_horizontal_overflow(page)
    screenshot(page, f"events-detail-{device}")

    today = timezone.localdate()
    page.goto(f"/events/{today:%Y}/{today:%m}/")
    assert no_horizontal_overflow(page)
    screenshot(page, f"events-month-today-{device}")
    page.goto("/events/")
    assert no_horizontal_overflow(page)
    screenshot(page, f"events-list-{device}")
    page.goto("/events/")
    page.get_by_text("Filter events", exact=True).click()
    page.locator("nav[aria-labelledby=filter-kind] a").first.click()  # choosing a kind keeps the filters open
    chosen = page.locator('nav[aria-labelledby=filter-kind] a[aria-current="true"]')
    assert chosen.count() == 1 and chosen.is_visible()
    assert page.get_by_role("link", name="Any", exact=True).first.is_visible()
    assert no_horizontal_overflow(page)
    screenshot(page, f"events-list-filtered-{device}")
    page.goto("/")
    assert page.get_by_role("region", name="Meetings and events").is_visible()
    assert no_horizontal_overflow(page)
    screenshot(page, f"events-home-{device}")
