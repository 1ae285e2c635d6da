"""Event, calendar, course, theme, search and sitemap pages at bench scale.

20,000 stories (tests/perf/conftest.py), 5,000 events over fifteen years and 200 courses, seeded with
INSERT … SELECT generate_series and analysed. Every page is asked as if for the first time (empty cache):
no sequential scan of the big tables on the pages that list a slice of them, and the same few
queries at 20 items as at 20,000.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import selectors
from greenjobs.core import contentversion
from greenjobs.core.derived import forget_in_process

from .conftest import plan_nodes, seed

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.scale]

BIG_TABLES = {"cases_casestory", "events_event", "taggit_taggeditem", "greenjobs_searchdocument"}
# Pages that show a bounded slice of the big tables: each must find it through an index.
SLICES = [
    "/",
    "/events/",
    "/events/?page=3",
    "/events/past/",
    "/events/past/?page=150",
    "/events/2024/05/",
    "/events/2020/01/",
    "/events/2028/12/",
    "/events/scale-event-77/",
    "/events/scale-event-77.ics",
    "/events/calendar.ics",
    "/events/calendar.ics?theme=scale-theme-3",
    "/events/calendar.ics?theme=scale-theme-200",
    "/themes/scale-theme-3/",
    "/themes/scale-theme-200/",
    "/search/?q=storms+mangroves",
    "/search/?q=workers+land",  # in every story: read through the index all the same, ranked by title and summary
    "/search/?q=mangroves&page=3",
    "/search/?q=mangroves&page=9223372036854775807",
    "/courses/",
    "/courses/?page=5",
    "/courses/?theme=scale-theme-3&format=blended",
    "/courses/scale-course-7/",
    "/courses/scale-course-7/calendar.ics",
    "/courses/feed/",
    "/events/feed/",
    "/events/?theme=scale-theme-3",
    "/events/?kind=meeting&country=TH",
    "/events/past/?year=2019",
]
# Pages that list everything of a kind (scanning is their job): only their query count is pinned.
WHOLE = ["/themes/", "/sitemap.xml", "/sitemap-cases.xml", "/sitemap-events.xml", "/sitemap-themes.xml"]


def seed_events_and_courses(events: int, courses: int) -> None:
    """Published events spread over fifteen years until two years ahead, timed and all-day, two themes each;
    courses with three sessions each; their search rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO events_event (
                title, slug, kind, status, all_day, start_date, start_time, end_date, end_time, timezone,
                starts_at, ends_at, venue, city, country, online_url, summary, background, objectives,
                target_participants, programme, organiser, contact_name, contact_title, contact_email,
                created, updated)
            SELECT 'Scale event ' || n, 'scale-event-' || n, 'meeting', 'published', n % 3 = 0, d,
                   CASE WHEN n % 3 = 0 THEN NULL ELSE time '09:00' END, d + (n % 3),
                   CASE WHEN n % 3 = 0 THEN NULL ELSE time '17:00' END, 'Asia/Bangkok',
                   d + time '02:00', d + (n % 3) + time '10:00', 'Centre', 'Bangkok', 'TH', '',
                   'Cooperative workers meet ' || n, 'Background.', '', '', '', 'Programme', '', '', '',
                   now(), now()
            FROM generate_series(1, {events}) n,
                 LATERAL (SELECT (current_date - 5475 + (n * 6205 / {events}))::date AS d) day
            """
        )
        cursor.execute(
            f"""
            INSERT INTO courses_course (
                title, slug, summary, description, learning_objectives, who_should_attend, prerequisites,
                format, languages, duration, effort, image, image_alt, is_published, created, updated)
            SELECT 'Scale course ' || n, 'scale-course-' || n, 'Summary ' || n, 'Description.', 'Learn.', '',
                   '', 'blended', ARRAY['en'], '5 days', '', '', '', true, now(), now()
            FROM generate_series(1, {courses}) n
            """
        )
        cursor.execute(
            """
            INSERT INTO courses_coursesession (
                course_id, start, "end", timezone, is_online, venue, city, country, language,
                application_deadline, registration_url, status)
            SELECT c.id, now() + (k * 90 - 100 + c.id % 30) * interval '1 day',
                   now() + (k * 90 - 96 + c.id % 30) * interval '1 day', 'Europe/Rome', false, 'Centre',
                   'Turin', 'IT', 'en', NULL, 'https://example.org/apply', 'open'
            FROM courses_course c CROSS JOIN generate_series(0, 2) k
            """
        )
        for model, table in (("event", "events_event"), ("course", "courses_course")):
            cursor.execute(
                f"""
                INSERT INTO taggit_taggeditem (object_id, content_type_id, tag_id)
                SELECT x.id, ct.id, t.id
                FROM {table} x
                CROSS JOIN django_content_type ct
                JOIN taggit_tag t
                  ON t.slug IN ('scale-theme-' || (1 + x.id % 11), 'scale-theme-' || (12 + x.id * 7 % 289))
                WHERE ct.app_label = '{table.split("_")[0]}' AND ct.model = '{model}'
                """
            )
        cursor.execute(
            """
            INSERT INTO greenjobs_searchdocument (
                content_type_id, object_id, kind, title, summary, body, url, themes, theme_ids, date, updated)
            SELECT ct.id, e.id, 'event', e.title, e.summary, '', '/events/' || e.slug || '/', '',
                   ARRAY(SELECT tag_id FROM taggit_taggeditem ti
                         WHERE ti.object_id = e.id AND ti.content_type_id = ct.id),
                   e.starts_at, now()
            FROM events_event e CROSS JOIN django_content_type ct
            WHERE ct.app_label = 'events' AND ct.model = 'event'
            """
        )
        # As autovacuum leaves a production database: statistics and the visibility map up to date.
        cursor.execute(
            "VACUUM ANALYZE events_event, courses_course, courses_coursesession, taggit_taggeditem, "
            "greenjobs_searchdocument, cases_casestory"
        )
    contentversion.bump_content_version()


def seq_scans(queries) -> list[tuple[str, str]]:
    found = []
    for query in queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith(("SELECT", "WITH", "SET LOCAL")):
            continue
        # The captured SQL has its parameters inlined: explain it as it was run.
        for node, relation in plan_nodes(sql):
            if node == "Seq Scan" and relation in BIG_TABLES:
                found.append((relation, " ".join(sql.split())[:160] + " … " + " ".join(sql.split())[-260:]))
    return found


def warm() -> None:
    """What the first request after a content change does once: build the cases app's story index.

    It reads every published story by design (cases/selectors.py); the pages are checked after it.
    """
    selectors.forget()
    selectors.story_index()


@pytest.fixture
def big():
    selectors.forget()
    seed(20_000)
    seed_events_and_courses(5_000, 200)
    warm()
    yield
    selectors.forget()


def test_no_page_reads_a_big_table_sequentially(client, big):
    problems = {}
    for path in SLICES:
        cache.clear()  # as if never asked before
        forget_in_process()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        found = seq_scans(queries.captured_queries)
        if found:
            problems[path] = found
    assert not problems, "\n".join(f"{path}: {found}" for path, found in problems.items())


@pytest.mark.parametrize("size", [20, 20_000])
def test_pages_stay_within_6_queries_at_any_size(client, django_assert_max_num_queries, size):
    selectors.forget()
    seed(size)
    seed_events_and_courses(max(size // 4, 100), min(size, 200))
    warm()
    for path in SLICES + WHOLE:
        cache.clear()
        forget_in_process()
        with django_assert_max_num_queries(6, info=path):
            response = client.get(path)
        assert response.status_code == 200, path


def test_the_calendar_holds_upcoming_and_one_year_back_only(client, big):
    from icalendar import Calendar

    from events.models import Event

    response = client.get("/events/calendar.ics")
    uids = {str(event["UID"]) for event in Calendar.from_ical(response.content).walk("VEVENT")}
    uids = {uid for uid in uids if uid.startswith("event-")}  # course sessions are on the one calendar too
    expected = Event.objects.published().filter(ends_at__gte=_year_ago_midnight())
    assert uids == {f"event-{pk}@greenjobs" for pk in expected.values_list("pk", flat=True)}
    assert 0 < len(uids) < Event.objects.count() / 4


def _year_ago_midnight():
    import datetime as dt

    from django.utils import timezone

    day = timezone.now().astimezone(dt.UTC).date() - dt.timedelta(days=365)
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)
