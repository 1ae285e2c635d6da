import datetime as dt

import pytest
import time_machine

from events.grid import build_month, month_of
from events.models import Event

from .factories import EventFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2021, 3, 15)


def days_with(grid, event):
    return [day.date for week in grid.weeks for day in week if day and event in day.events]


@pytest.mark.parametrize(
    ("year", "month", "weeks", "blanks_before", "blanks_after"),
    [
        (2021, 2, 4, 0, 0),  # 1 February 2021 is a Monday, the 28th a Sunday
        (2021, 3, 5, 0, 4),
        (2021, 8, 6, 6, 5),  # 1 August 2021 is a Sunday, the 31st a Tuesday
    ],
)
def test_months_of_four_five_and_six_weeks_start_on_monday(year, month, weeks, blanks_before, blanks_after):
    grid = build_month(year, month, [], TODAY)
    assert len(grid.weeks) == weeks
    cells = [day for week in grid.weeks for day in week]
    assert all(len(week) == 7 for week in grid.weeks)
    assert cells[:blanks_before] == [None] * blanks_before and cells[blanks_before] is not None
    assert cells[len(cells) - blanks_after :] == [None] * blanks_after
    days = [day.date for day in cells if day]
    assert days[0] == dt.date(year, month, 1) and days[-1] == grid.last
    assert all(day.weekday() == index % 7 for index, day in enumerate(days, start=blanks_before))


def test_today_is_marked_once():
    grid = build_month(2021, 3, [], TODAY)
    assert [day.date for week in grid.weeks for day in week if day and day.is_today] == [TODAY]


def test_event_crossing_a_month_boundary_appears_on_each_day_in_both_months():
    event = EventFactory(whole_days=True, start_date=dt.date(2021, 3, 30), end_date=dt.date(2021, 4, 2))
    march = month_of(Event.objects.all(), 2021, 3, TODAY)
    april = month_of(Event.objects.all(), 2021, 4, TODAY)
    assert days_with(march, event) == [dt.date(2021, 3, 30), dt.date(2021, 3, 31)]
    assert days_with(april, event) == [dt.date(2021, 4, 1), dt.date(2021, 4, 2)]


def test_event_near_midnight_far_from_utc_sits_on_its_local_dates():
    # 23:30 on 31 March in Auckland is 10:30 UTC on 31 March; it runs past local midnight into 1 April.
    auckland = EventFactory(
        timezone="Pacific/Auckland",
        start_date=dt.date(2021, 3, 31),
        start_time=dt.time(23, 30),
        end_date=dt.date(2021, 4, 1),
        end_time=dt.time(0, 30),
    )
    assert auckland.starts_at == dt.datetime(2021, 3, 31, 10, 30, tzinfo=dt.UTC)
    assert auckland.ends_at.astimezone(dt.UTC).date() == dt.date(2021, 3, 31)
    # 08:00 on 1 March at Kiritimati (UTC+14) is still 28 February in UTC.
    kiritimati = EventFactory(
        timezone="Pacific/Kiritimati", start_date=dt.date(2021, 3, 1), start_time=dt.time(8), end_time=dt.time(9)
    )
    assert kiritimati.starts_at.astimezone(dt.UTC).date() == dt.date(2021, 2, 28)

    february = month_of(Event.objects.all(), 2021, 2, TODAY)
    march = month_of(Event.objects.all(), 2021, 3, TODAY)
    april = month_of(Event.objects.all(), 2021, 4, TODAY)
    assert days_with(february, kiritimati) == []
    assert days_with(march, kiritimati) == [dt.date(2021, 3, 1)]
    assert days_with(march, auckland) == [dt.date(2021, 3, 31)]
    assert days_with(april, auckland) == [dt.date(2021, 4, 1)]


def test_daylight_saving_transition_keeps_local_dates_and_times():
    # Europe/Berlin springs forward on Sunday 28 March 2021 at 02:00.
    event = EventFactory(
        timezone="Europe/Berlin",
        start_date=dt.date(2021, 3, 27),
        start_time=dt.time(22),
        end_date=dt.date(2021, 3, 28),
        end_time=dt.time(10),
    )
    assert event.starts_at == dt.datetime(2021, 3, 27, 21, tzinfo=dt.UTC)
    assert event.ends_at == dt.datetime(2021, 3, 28, 8, tzinfo=dt.UTC)
    assert event.ends_at - event.starts_at == dt.timedelta(hours=11)
    march = month_of(Event.objects.all(), 2021, 3, TODAY)
    assert days_with(march, event) == [dt.date(2021, 3, 27), dt.date(2021, 3, 28)]


def test_prev_and_next_cross_years_and_stop_at_the_ends():
    january = build_month(2021, 1, [], TODAY)
    assert january.previous == dt.date(2020, 12, 1) and january.previous_url == "/events/2020/12/"
    assert build_month(2021, 12, [], TODAY).next_url == "/events/2022/01/"
    assert build_month(1, 1, [], TODAY).previous_url is None
    assert build_month(9999, 12, [], TODAY).next_url is None
    assert len(build_month(9999, 12, [], TODAY).weeks) == 5


@time_machine.travel(dt.datetime(2021, 3, 15, 23, 30, tzinfo=dt.UTC), tick=False)
def test_month_page_highlights_today_with_time_frozen(client):
    html = client.get("/events/2021/03/").content.decode()
    assert html.count("is-today") == 1
    assert 'id="day-2021-03-15" class=" is-today" aria-current="date"' in html
