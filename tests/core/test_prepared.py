"""Querysets compiled once (greenjobs.core.prepared): the ORM's rows, and no SQL compiled per page view."""

import datetime as dt
from unittest import mock

import pytest
from django.db.models.sql.compiler import SQLCompiler
from taggit.models import Tag

from cases.models import CaseStory, CaseStoryTranslation
from cases.views import translation_of
from events.models import AgendaItem, Document, Event
from greenjobs.core.prepared import Prepared, child_rows, instances, read
from tests.cases.factories import CaseStoryFactory
from tests.events.factories import AgendaItemFactory, DocumentFactory, EventFactory

pytestmark = pytest.mark.django_db


def compiled_sql():
    """Counts the SQL statements the ORM compiles meanwhile."""
    return mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql)


def by_slug(language, slug):
    return CaseStory.objects.published().filter(slug=slug)


def test_rows_are_those_of_the_queryset_with_each_requests_values():
    first, second = CaseStoryFactory(slug="first"), CaseStoryFactory(slug="second")
    CaseStoryFactory(slug="pending", status="pending")
    stories = Prepared(by_slug)

    assert stories.first("en", "first") == first
    assert stories.first("en", "second") == second
    assert stories.first("en", "pending") is None  # the queryset's own filters hold
    assert stories.first("en", "missing") is None
    assert stories.first("en", "x'; DROP TABLE cases_casestory; --") is None  # a parameter, never SQL


def test_each_key_is_compiled_once():
    CaseStoryFactory(slug="first")
    CaseStoryFactory(slug="second")
    stories = Prepared(by_slug)

    with compiled_sql() as as_sql:
        stories.first("en", "first")
        stories.first("en", "second")
        stories.first("fr", "first")
        stories.first("fr", "second")

    assert as_sql.call_count == 2


def test_integer_slots_and_several_rows_in_the_querysets_order():
    event = EventFactory()
    later = DocumentFactory(event=event, title="Later", order=2)
    sooner = DocumentFactory(event=event, title="Sooner", order=1)
    DocumentFactory(title="Another event's")
    documents = Prepared(lambda key, pk: Document.objects.filter(event_id=pk))

    assert documents.rows(None, event.pk) == [sooner, later]
    assert documents.rows(None, event.pk + 1000) == []


def test_json_annotations_are_decoded():
    story = CaseStoryFactory(slug="solar", language="en")
    CaseStoryTranslation.objects.create(story=story, language="fr", title="Énergie solaire", summary="Résumé")
    stories = Prepared(
        lambda language, slug: CaseStory.objects.annotate(translation=translation_of(language)).filter(slug=slug),
        json_annotations=("translation",),
    )

    assert stories.first("fr", "solar").translation["title"] == "Énergie solaire"
    assert stories.first("es", "solar").translation is None


def test_child_rows_are_read_in_the_parents_query_and_made_model_instances_again(django_assert_num_queries):
    event, other = EventFactory(), EventFactory()
    later = AgendaItemFactory(event=event, date=dt.date(2030, 5, 2), start_time=dt.time(9), title="Later")
    sooner = AgendaItemFactory(
        event=event, date=dt.date(2030, 5, 1), start_time=dt.time(14), end_time=None, title="Sooner"
    )
    AgendaItemFactory(event=other, title="Another event's")
    DocumentFactory(event=other)
    pages = Prepared(
        lambda key, slug: Event.objects.filter(slug=slug).annotate(
            agenda_rows=child_rows(AgendaItem.objects.all(), "event", order_by=("date", "start_time")),
            document_rows=child_rows(Document.objects.all(), "event", order_by=("order",)),
        ),
        json_annotations=("agenda_rows", "document_rows"),
    )

    with django_assert_num_queries(1):
        page = pages.first(None, event.slug)
        items = instances(AgendaItem, page.agenda_rows)

    assert items == [sooner, later]  # the same rows, in the subquery's order
    assert items[0].date == dt.date(2030, 5, 1) and items[0].start_time == dt.time(14)  # typed again
    assert items[0].get_session_type_display() == sooner.get_session_type_display()
    assert not items[0]._state.adding and items[0]._state.db == "default"  # as the ORM loads them
    assert page.document_rows is None and instances(Document, page.document_rows) == []  # no rows: no objects
    assert len(instances(Document, pages.first(None, other.slug).document_rows)) == 1


def test_child_rows_with_named_columns_across_a_join():
    event = EventFactory()
    event.themes.add("Renewable energy", "Coal")
    pages = Prepared(
        lambda key, pk: Event.objects.filter(pk=pk).annotate(
            themes_json=child_rows(
                Event.themes.through.objects.filter(content_type__model="event"),
                "object_id",
                order_by=("tag__name",),
                id="tag_id",
                name="tag__name",
            )
        ),
        json_annotations=("themes_json",),
    )

    themes = instances(Tag, pages.first(None, event.pk).themes_json)

    assert [(theme.pk, theme.name) for theme in themes] == [
        (Tag.objects.get(name=name).pk, name) for name in ("Coal", "Renewable energy")
    ]


def test_a_slot_that_is_not_a_parameter_is_refused():
    ignores_its_slot = Prepared(lambda key, slug: CaseStory.objects.filter(slug="always"))

    with pytest.raises(ValueError, match="each slot"):
        ignores_its_slot.first("en", "solar")


def test_story_and_event_pages_compile_no_sql_once_seen(client):
    energy = Tag.objects.create(name="Renewable energy")
    stories = [CaseStoryFactory(themes=[energy]) for _ in range(2)]
    events = [EventFactory() for _ in range(2)]
    for event in events:
        event.themes.add(energy)
        AgendaItemFactory(event=event)
        DocumentFactory(event=event)
    assert client.get(stories[0].get_absolute_url()).status_code == 200
    assert client.get(events[0].get_absolute_url()).status_code == 200

    with compiled_sql() as as_sql:
        story_page = client.get(stories[1].get_absolute_url())
        event_page = client.get(events[1].get_absolute_url())

    assert story_page.status_code == 200 and stories[1].title in story_page.content.decode()
    assert event_page.status_code == 200 and events[1].title in event_page.content.decode()
    assert len(event_page.context["documents"]) == 1 and len(event_page.context["agenda_days"]) == 1
    assert [theme.name for theme in event_page.context["themes"]] == ["Renewable energy"]
    # (The footer's about links are read afresh inside a test's transaction; outside one they are kept.)
    compiled = {call.args[0].query.model for call in as_sql.call_args_list}
    assert compiled.isdisjoint({CaseStory, CaseStoryTranslation, Event, AgendaItem, Document, Tag})


def test_read_makes_the_instances_raw_makes():
    """``read`` (what Prepared runs) against ``Model.objects.raw`` on the same SQL: the same field values,
    converted alike (a country, JSON, dates), the unselected fields deferred, other columns set as
    attributes, and the same rows again from the plan it keeps for the statement."""
    CaseStoryFactory(slug="first", country="KE", photo_renditions=[{"name": "a.jpg", "width": 400, "height": 300}])
    CaseStoryFactory(slug="second", country="PE")
    sql = (
        "SELECT id, slug, country, photo_renditions, published_at, upper(title) AS shout"
        " FROM cases_casestory WHERE slug = ANY(%s) ORDER BY slug"
    )
    params = [["first", "second", "missing"]]

    for _ in range(2):  # the second read uses the plan kept from the first
        read_rows = read(CaseStory, sql, params)
        raw_rows = list(CaseStory.objects.raw(sql, params))
        assert [story.pk for story in read_rows] == [story.pk for story in raw_rows]
        for mine, theirs in zip(read_rows, raw_rows, strict=True):
            for name in ("slug", "country", "photo_renditions", "published_at", "shout"):
                assert getattr(mine, name) == getattr(theirs, name)
            assert mine.get_deferred_fields() == theirs.get_deferred_fields() != set()
            assert not mine._state.adding and mine._state.db == "default"
    assert read_rows[0].country.name == "Kenya" and read_rows[0].photo_renditions[0]["width"] == 400
    assert read_rows[1].shout == read_rows[1].title.upper()  # title is deferred: read on first use


def test_read_needs_the_primary_key():
    CaseStoryFactory(slug="first")
    with pytest.raises(ValueError, match="primary key"):
        read(CaseStory, "SELECT slug FROM cases_casestory", [])


# --- Prepared on the server (committed rows: requests run in autocommit, as in production) -------------


def executed(queries) -> list[str]:
    return [query["sql"].split("(")[0] for query in queries]


@pytest.mark.django_db(transaction=True)
def test_a_page_query_is_prepared_once_per_connection_and_gives_the_same_page(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    CaseStoryFactory(slug="served", title="Served <b>twice</b>", photo_file=False)
    EventFactory(slug="meeting", title="Prepared meeting")
    first = client.get("/cases/served/").content
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/cases/served/").content
        event = client.get("/fr/events/meeting/").content.decode()
    assert again == first and b"Served &lt;b&gt;twice&lt;/b&gt;" in again
    assert "Prepared meeting" in event
    statements = [sql for sql in executed(queries.captured_queries) if sql.startswith("EXECUTE")]
    assert len(statements) == 2 and statements[0] != statements[1]  # one per query (and language)

    connection.close()  # a new connection has nothing prepared: prepared again, same page
    assert client.get("/cases/served/").content == first


@pytest.mark.django_db(transaction=True)
def test_a_statement_the_server_forgot_is_run_as_sql_and_prepared_again(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    EventFactory(slug="meeting", title="Remembered meeting")
    assert "Remembered meeting" in client.get("/events/meeting/").content.decode()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as after the server lost it

    assert "Remembered meeting" in client.get("/events/meeting/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert "Remembered meeting" in client.get("/events/meeting/").content.decode()
    assert any(sql.startswith("EXECUTE") for sql in executed(queries.captured_queries))


@pytest.mark.django_db(transaction=True)
def test_nothing_is_prepared_when_turned_off(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.DB_SERVER_PREPARED = False
    EventFactory(slug="meeting", title="Plain meeting")
    with CaptureQueriesContext(connection) as queries:
        assert "Plain meeting" in client.get("/events/meeting/").content.decode()
    assert not any(sql.startswith("EXECUTE") for sql in executed(queries.captured_queries))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone() == (0,)


def test_inside_a_transaction_the_query_is_plain_sql(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    EventFactory(slug="meeting", title="Meeting in a transaction")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/events/meeting/").status_code == 200
    assert not any(sql.startswith("EXECUTE") for sql in executed(queries.captured_queries))


@pytest.mark.django_db(transaction=True)
def test_a_statement_whose_table_changed_under_it_is_run_as_sql_and_prepared_again(client):
    """As when a deploy's migration alters a table while the old processes still run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    CaseStoryFactory(slug="altered", title="Before the migration", photo_file=False)
    assert b"Before the migration" in client.get("/cases/altered/").content
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE cases_casestory ALTER COLUMN title TYPE text")
    try:
        # "cached plan must not change result type": run as SQL this once, then prepared again.
        assert b"Before the migration" in client.get("/cases/altered/").content
        with CaptureQueriesContext(connection) as queries:
            assert b"Before the migration" in client.get("/cases/altered/").content
        assert any(sql.startswith("EXECUTE") for sql in executed(queries.captured_queries))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE cases_casestory ALTER COLUMN title TYPE varchar(200)")
