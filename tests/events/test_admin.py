import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from taggit.models import Tag

from events.models import AgendaItem, Document, Event

from .factories import AgendaItemFactory, DocumentFactory, EventFactory

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/events/event/add/"
LIST_URL = "/admin/events/event/"


def theme_ids(*names):
    """The form ticks existing themes by id; the themes are made first, as the webmaster does under Themes."""
    return [str(Tag.objects.get_or_create(name=name)[0].pk) for name in names]


def event_post(**overrides):
    data = {
        "title": "Learning and Planning Meeting",
        "slug": "lpm",
        "kind": "meeting",
        "status": "published",
        "summary": "Three days to learn and plan.",
        "themes": theme_ids("Policy", "Sustainable tourism"),
        "all_day": "",
        "start_date": "2014-04-28",
        "start_time": "09:00",
        "end_date": "2014-04-30",
        "end_time": "17:00",
        "timezone": "Asia/Bangkok",
        "venue": "",
        "city": "Bangkok",
        "country": "TH",
        "online_url": "",
        "background": "",
        "objectives": "",
        "target_participants": "",
        "programme": "",
        "organiser": "",
        "contact_name": "",
        "contact_title": "",
        "contact_email": "",
        "agenda_items-TOTAL_FORMS": "0",
        "agenda_items-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def agenda_row(index, **fields):
    row = {"date": "2014-04-28", "start_time": "09:00", "end_time": "10:00", "title": "Welcome",
           "session_type": "plenary", "speakers": "", "description": "", "order": "0"}  # fmt: skip
    row.update(fields)
    return {f"agenda_items-{index}-{key}": value for key, value in row.items()}


def document_row(title, kind, upload):
    return {"documents-TOTAL_FORMS": "1", "documents-0-title": title, "documents-0-kind": kind,
            "documents-0-order": "0", "documents-0-file": upload}  # fmt: skip


@pytest.mark.parametrize("who", ["webmaster_client", "superuser_client"])
def test_staff_can_list_add_and_change_events(request, who):
    client = request.getfixturevalue(who)
    event = EventFactory(title="Existing event")
    assert "Existing event" in client.get(LIST_URL).content.decode()
    assert client.get(ADD_URL).status_code == 200
    assert client.get(f"{LIST_URL}{event.pk}/change/").status_code == 200


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@time_machine.travel(dt.datetime(2021, 3, 15, 12, tzinfo=dt.UTC), tick=False)
def test_list_filters_upcoming_past_kind_country_status(webmaster_client):
    EventFactory(title="Coming webinar", kind="webinar", start_date=dt.date(2021, 4, 1), country="PE")
    EventFactory(title="Finished meeting", start_date=dt.date(2021, 1, 1), draft=True)

    def titles(query):
        html = webmaster_client.get(LIST_URL + query).content.decode()
        return {title for title in ("Coming webinar", "Finished meeting") if f">{title}</a>" in html}

    assert titles("?when=upcoming") == {"Coming webinar"}
    assert titles("?when=past") == {"Finished meeting"}
    assert titles("?kind__exact=webinar") == {"Coming webinar"}
    assert titles("?country__exact=PE") == {"Coming webinar"}
    assert titles("?status__exact=draft") == {"Finished meeting"}


def test_add_event_with_agenda_inline(webmaster_client):
    data = event_post(**{"agenda_items-TOTAL_FORMS": "2"}, **agenda_row(0), **agenda_row(1, date="2014-04-30"))
    response = webmaster_client.post(ADD_URL, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    event = Event.objects.get(slug="lpm")
    assert event.starts_at == dt.datetime(2014, 4, 28, 2, tzinfo=dt.UTC)
    assert [item.date for item in event.agenda_items.all()] == [dt.date(2014, 4, 28), dt.date(2014, 4, 30)]
    assert sorted(event.themes.names()) == ["Policy", "Sustainable tourism"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"date": "2014-05-01"}, "1 May 2014 is outside the event, which runs from 28 April 2014 to 30 April 2014."),
        ({"date": "2014-04-27"}, "27 April 2014 is outside the event"),
        ({"start_time": "11:00", "end_time": "10:00"}, "This session ends before it starts."),
    ],
)
def test_agenda_item_outside_the_event_or_ending_early_is_refused(webmaster_client, row, message):
    data = event_post(**{"agenda_items-TOTAL_FORMS": "1"}, **agenda_row(0, **row))
    response = webmaster_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.exists() and not AgendaItem.objects.exists()


def test_changing_event_dates_re_checks_existing_agenda(webmaster_client):
    event = EventFactory(slug="lpm", start_date=dt.date(2014, 4, 28), end_date=dt.date(2014, 4, 30))
    item = AgendaItemFactory(event=event, date=dt.date(2014, 4, 30))
    data = event_post(
        end_date="2014-04-29",
        **{
            "agenda_items-TOTAL_FORMS": "1",
            "agenda_items-INITIAL_FORMS": "1",
            "agenda_items-0-id": str(item.pk),
            "agenda_items-0-event": str(event.pk),
        },
        **agenda_row(0, date="2014-04-30"),
    )
    response = webmaster_client.post(f"{LIST_URL}{event.pk}/change/", data)
    assert response.status_code == 200
    assert "30 April 2014 is outside the event" in response.content.decode()
    event.refresh_from_db()
    assert event.end_date == dt.date(2014, 4, 30)


def test_event_end_before_start_and_bad_zone_are_refused(webmaster_client):
    response = webmaster_client.post(ADD_URL, event_post(end_date="2014-04-27", timezone="Asia/Atlantis"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The event ends before it starts." in html
    assert "Asia/Atlantis is not one of the available choices." in html
    assert not Event.objects.exists()


def test_time_zone_is_the_same_select_as_a_course_sessions(webmaster_client):
    html = webmaster_client.get(ADD_URL).content.decode()
    assert '<select name="timezone"' in html
    assert '<option value="Asia/Bangkok">Asia/Bangkok</option>' in html
    assert '<option value="UTC" selected>UTC</option>' in html


def test_document_upload_stores_size_and_refuses_other_types(webmaster_client):
    pdf = SimpleUploadedFile("note.pdf", b"%PDF-1.4 " + b"0" * 3000, content_type="application/pdf")
    data = event_post(**document_row("Technical note", "technical_note", pdf))
    assert webmaster_client.post(ADD_URL, data).status_code == 302
    document = Document.objects.get()
    assert document.size == 3009 and document.file_type == "PDF"

    exe = SimpleUploadedFile("tool.exe", b"MZ" * 10, content_type="application/octet-stream")
    data = event_post(slug="other", **document_row("Tool", "report", exe))
    response = webmaster_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "File extension “exe” is not allowed" in response.content.decode()
    assert Document.objects.count() == 1


def test_duplicate_as_draft_action(webmaster_client):
    event = EventFactory(slug="lpm", title="LPM")
    event.themes.add("Policy")
    AgendaItemFactory(event=event, title="Welcome")
    DocumentFactory(event=event)
    response = webmaster_client.post(
        LIST_URL, {"action": "duplicate_as_draft", "_selected_action": [event.pk]}, follow=True
    )
    assert "Created 1 draft copy: lpm-copy." in response.content.decode()
    copy = Event.objects.get(slug="lpm-copy")
    assert copy.status == Event.Status.DRAFT and copy.title == "LPM (copy)"
    assert [item.title for item in copy.agenda_items.all()] == ["Welcome"]
    assert copy.documents.get().file.name == event.documents.get().file.name
    assert list(copy.themes.names()) == ["Policy"]
    assert event.agenda_items.count() == 1


def test_themes_are_ticked_from_the_list_never_typed(webmaster_client):
    policy = Tag.objects.create(name="Policy")
    page = webmaster_client.get(ADD_URL).content.decode()
    assert f'<input type="checkbox" name="themes" value="{policy.pk}"' in page

    response = webmaster_client.post(ADD_URL, {**event_post(), "themes": ["Polcy", "Green jobs, Policy"]})

    assert response.status_code == 200
    assert "is not one of the themes. New themes are added under Themes." in response.content.decode()
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Policy", "Sustainable tourism"]
    assert not Event.objects.exists()


def test_the_webmaster_picks_the_events_course_from_a_list_and_can_clear_it(webmaster_client):
    from django.contrib.contenttypes.models import ContentType

    from tests.courses.factories import CourseFactory

    course = CourseFactory(title="Skills for green jobs")
    choice = f"{ContentType.objects.get_for_model(course).pk}:{course.pk}"
    form = webmaster_client.get(ADD_URL).content.decode()
    assert f'<option value="{choice}">Course: Skills for green jobs</option>' in form

    assert webmaster_client.post(ADD_URL, event_post(linked_course=choice)).status_code == 302
    event = Event.objects.get(slug="lpm")
    assert event.linked_course() == course
    change = f"/admin/events/event/{event.pk}/change/"
    assert f'<option value="{choice}" selected>' in webmaster_client.get(change).content.decode()

    refused = webmaster_client.post(change, event_post(linked_course="999:1"))
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert webmaster_client.post(change, event_post(linked_course="")).status_code == 302
    assert Event.objects.get(slug="lpm").linked_course() is None


def test_the_demo_links_the_tvet_training_to_its_course_both_ways(client):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    event = Event.objects.get(slug="skills-for-green-jobs-tvet-course")
    assert event.linked_course().slug == "skills-for-green-jobs"
    assert 'href="/courses/skills-for-green-jobs/"' in client.get(event.get_absolute_url()).content.decode()
    assert f'href="{event.get_absolute_url()}"' in client.get("/courses/skills-for-green-jobs/").content.decode()
