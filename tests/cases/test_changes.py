"""Changes requested: the webmaster sends a story back with a note, the contributor edits it from the
status link and sends it again, with the same checks as the first time. Rejected stays final."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from taggit.models import Tag

from cases.models import CaseStory, ModerationDecision, Status, StorySubmission
from cases.photos import photo_names
from cases.services import case_publish, case_reject, case_request_changes, case_resend, case_submit

from . import images
from .conftest import html_of, media_files, submission
from .factories import CaseStoryFactory

pytestmark = pytest.mark.django_db

NOTE = "Please add how many <b>jobs</b> were created."


@pytest.fixture
def sent(media_root, webmaster, site_domain):
    """A story sent through the form's service, with a photo and a theme; the webmaster asked for changes."""
    Tag.objects.create(name="Renewable energy")
    story = case_submit(**submission(themes=["Renewable energy"], lessons="Start small."))
    mail.outbox.clear()
    return case_request_changes(case=story, by=webmaster, note=NOTE)


def resend_data(story, **overrides) -> dict:
    """What the status page's form posts when the contributor changes nothing; a ``None`` leaves a field out."""
    data = {
        "title": story.title,
        "summary": story.summary,
        "challenge": story.challenge,
        "actions": story.actions,
        "environment_results": story.environment_results,
        "job_results": story.job_results,
        "lessons": story.lessons,
        "country": story.country.code,
        "organisation": story.organisation,
        "organisation_type": story.organisation_type,
        "themes": [theme.slug for theme in story.themes.all()],
        "photo_description": story.photo_description,
        "contributor_name": story.contributor_name,
        "contributor_email": story.contributor_email,
        "consent": "on",
        **overrides,
    }
    return {name: value for name, value in data.items() if value is not None}


# --- The service -------------------------------------------------------------------------------------


def test_asking_for_changes_records_the_note_and_emails_the_status_link(sent, webmaster):
    sent.refresh_from_db()
    assert sent.status == Status.CHANGES_REQUESTED and sent.decision_reason == NOTE
    assert sent.moderated_by == webmaster
    decision = sent.decisions.get()
    assert (decision.action, decision.by, decision.reason) == ("changes_requested", webmaster, NOTE)
    [message] = mail.outbox
    assert message.to == ["maya@example.org"] and "\n" not in message.subject
    assert NOTE in message.body and f"http://greenjobs.example/cases/status/{sent.status_token}/" in message.body
    html = message.alternatives[0][0]
    assert "&lt;b&gt;jobs&lt;/b&gt;" in html and "<b>jobs</b>" not in html


def test_a_note_is_required_and_only_a_pending_story_can_be_sent_back(webmaster):
    pending = CaseStoryFactory(pending=True, photo_file=False)
    with pytest.raises(ValidationError):
        case_request_changes(case=pending, by=webmaster, note="  ")
    for story in (CaseStoryFactory(photo_file=False), CaseStoryFactory(rejected=True, photo_file=False)):
        with pytest.raises(ValidationError) as refused:
            case_request_changes(case=story, by=webmaster, note="Add figures.")
        assert refused.value.code == "state"
    assert not ModerationDecision.objects.exists() and mail.outbox == []


def test_the_changes_email_is_queued_with_the_decision(webmaster, settings):
    from mailer.models import Message

    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    story = CaseStoryFactory(pending=True, photo_file=False)
    with pytest.raises(RuntimeError), transaction.atomic():
        case_request_changes(case=story, by=webmaster, note="Add figures.")
        assert Message.objects.count() == 1
        raise RuntimeError("the request fails after the decision was written")
    assert not Message.objects.exists()
    story.refresh_from_db()
    assert story.status == Status.PENDING

    case_request_changes(case=story, by=webmaster, note="Add figures.")
    [queued] = Message.objects.all()
    assert queued.to_addresses == [story.contributor_email] and "Add figures." in queued.email.body


def test_a_story_waiting_for_changes_is_never_public(client, sent, webmaster):
    assert not CaseStory.objects.published().exists()
    for path in (sent.get_absolute_url(), "/cases/", "/cases/feed/", "/search/?q=solar", "/sitemap-cases.xml", "/"):
        response = client.get(path)
        assert sent.title not in response.content.decode(), path
    assert client.get(sent.get_absolute_url()).status_code == 404
    staff = Client()
    staff.force_login(webmaster)
    preview = html_of(staff.get(sent.get_absolute_url()))
    assert "Not published: preview" in preview and "Changes requested" in preview and 'content="noindex"' in preview


def test_resending_puts_the_story_back_in_the_queue_and_keeps_each_round(
    sent, media_root, django_capture_on_commit_callbacks
):
    photo = sent.photo.name
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        story = case_resend(
            case=sent,
            **submission(
                photo=None, themes=["Renewable energy"], job_results="Ten technicians hired, 4 of them women."
            ),
        )

    story.refresh_from_db()
    assert story.status == Status.PENDING and story.decision_reason == ""
    assert story.job_results == "Ten technicians hired, 4 of them women."
    assert story.photo.name == photo and len(media_files(media_root)) == 4  # kept
    assert [d.action for d in story.decisions.order_by("at", "pk")] == ["changes_requested", "resent"]
    first, second = story.submissions.order_by("sent_at", "pk")
    assert first.fields["job_results"] == "Ten technicians hired."
    assert second.fields["job_results"] == "Ten technicians hired, 4 of them women."
    assert [m.to for m in mail.outbox] == [["webmaster@greenjobs.example"]]
    assert "sent again" in mail.outbox[0].subject.lower()
    assert not CaseStory.objects.published().exists()


def test_a_story_not_waiting_for_changes_cannot_be_resent(sent, webmaster):
    case_publish(case=sent, by=webmaster)
    with pytest.raises(ValidationError) as refused:
        case_resend(case=sent, **submission(photo=None, title="Sneaky edit"))
    assert refused.value.code == "state"
    sent.refresh_from_db()
    assert sent.title == "Solar pumps for rice farmers"


# --- The status page: the note and the story to edit ------------------------------------------------


def test_the_status_page_shows_the_note_and_every_field_as_sent(client, sent):
    html = html_of(client.get(sent.get_status_url()))

    assert "Changes requested" in html and "Please add how many &lt;b&gt;jobs&lt;/b&gt; were created." in html
    assert 'value="Solar pumps for rice farmers"' in html
    assert "\nFarmers replaced diesel pumps with solar ones.</textarea>" in html
    assert "\nDiesel was expensive.</textarea>" in html and "\nStart small.</textarea>" in html
    assert '<option value="NP" selected>' in html and '<option value="cooperative" selected>' in html
    assert re.search(r'<input type="checkbox" name="themes" value="renewable-energy"[^>]*checked', html)
    assert 'value="A solar pump in a rice field"' in html and 'value="maya@example.org"' in html
    assert re.search(r'<input type="checkbox" name="consent"[^>]*checked', html)
    assert f'src="{sent.thumbnail_url}"' in html and "Your photo, kept unless you choose a new one." in html
    assert 'name="remove_photo"' in html and 'name="website"' not in html
    assert "Send my story again" in html


def test_the_form_keeps_the_story_s_labels(client, sent):
    from .test_submit import LABELS

    html = html_of(client.get(sent.get_status_url()))
    form = html.split('class="case-form"', 1)[1].split("</form>", 1)[0]
    labels = [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r"<(?:label|legend)[^>]*>(.*?)</", form, re.S)]
    for label in LABELS:
        assert label in labels


def test_the_contributor_edits_and_resends_and_the_photo_is_kept(client, sent, media_root):
    files = media_files(media_root)
    response = client.post(sent.get_status_url(), resend_data(sent, title="Solar pumps: 10 new jobs"))

    assert response.status_code == 302 and response["Location"] == sent.get_status_url()
    story = CaseStory.objects.get()
    assert story.status == Status.PENDING and story.title == "Solar pumps: 10 new jobs"
    assert story.slug == "solar-pumps-10-new-jobs"
    assert [t.name for t in story.themes.all()] == ["Renewable energy"]
    assert media_files(media_root) == files
    html = html_of(client.get(sent.get_status_url()))
    assert "Pending review" in html and "Thank you for your changes." in html
    assert 'name="title"' not in html  # no form any more


def test_a_new_photo_replaces_the_old_one_once_committed(client, sent, media_root, django_capture_on_commit_callbacks):
    old = set(photo_names(sent))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            sent.get_status_url(), resend_data(sent, photo=images.upload(content=images.image_bytes(size=(1200, 900))))
        )
    assert response.status_code == 302
    story = CaseStory.objects.get()
    assert story.photo.name not in old and (story.photo_width, story.photo_height) == (1200, 900)
    assert not old & set(media_files(media_root)) and len(media_files(media_root)) == 4


def test_the_photo_can_be_removed(client, sent, media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(sent.get_status_url(), resend_data(sent, remove_photo="on"))
    assert response.status_code == 302
    story = CaseStory.objects.get()
    assert not story.photo and story.photo_description == "" and media_files(media_root) == []


def test_an_error_keeps_everything_typed_and_changes_nothing(client, sent, media_root):
    files = media_files(media_root)
    response = client.post(
        sent.get_status_url(), resend_data(sent, title="", challenge="Diesel cost 40% of income.", photo_description="")
    )

    assert response.status_code == 200
    html = html_of(response)
    assert 'role="alert"' in html and 'href="#id_title"' in html and 'href="#id_photo_description"' in html
    assert "Diesel cost 40% of income." in html and 'value="maya@example.org"' in html
    assert "please choose your photo again" not in html.lower()  # none was chosen; the old one is kept
    story = CaseStory.objects.get()
    assert story.status == Status.CHANGES_REQUESTED and story.title == "Solar pumps for rice farmers"
    assert media_files(media_root) == files and StorySubmission.objects.count() == 1


@pytest.mark.parametrize("bad", [images.text_as_jpg, images.svg, images.bomb_png], ids=["text", "svg", "bomb"])
def test_a_bad_new_photo_gets_the_photo_error_and_writes_nothing(client, sent, media_root, bad):
    files = media_files(media_root)
    html = html_of(client.post(sent.get_status_url(), resend_data(sent, title="Edited", photo=bad())))
    assert "Upload a JPEG, PNG or WebP photo of at most 10 MB" in html and 'value="Edited"' in html
    assert media_files(media_root) == files
    assert CaseStory.objects.get().status == Status.CHANGES_REQUESTED


def test_resending_counts_against_the_story_limit(client, sent, settings):
    settings.STORY_LIMIT_PER_EMAIL = 1
    client.post(sent.get_status_url(), resend_data(sent, title="", contributor_email="someone@example.org"))
    response = client.post(
        sent.get_status_url(), resend_data(sent, title="Over the limit", contributor_email="someone@example.org")
    )

    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    html = html_of(response)
    assert "This story was not sent yet" in html and 'value="Over the limit"' in html
    assert CaseStory.objects.get().status == Status.CHANGES_REQUESTED


def test_a_body_over_12_mb_is_refused_with_a_link_back_to_the_status_page(client, sent):
    from django.core.files.uploadedfile import SimpleUploadedFile

    huge = SimpleUploadedFile("huge.jpg", b"\xff\xd8" + b"0" * (13 * 1024 * 1024), content_type="image/jpeg")
    response = client.post(sent.get_status_url(), resend_data(sent, photo=huge))
    assert response.status_code == 413 and f'href="{sent.get_status_url()}"' in html_of(response)
    assert CaseStory.objects.get().status == Status.CHANGES_REQUESTED


def test_csrf_is_enforced_on_the_status_page(sent):
    assert Client(enforce_csrf_checks=True).post(sent.get_status_url(), resend_data(sent)).status_code == 403


def test_a_second_post_or_a_post_to_a_story_not_waiting_changes_nothing(client, sent, webmaster):
    assert client.post(sent.get_status_url(), resend_data(sent, title="First")).status_code == 302
    again = client.post(sent.get_status_url(), resend_data(sent, title="Second"))
    assert again.status_code == 302 and CaseStory.objects.get().title == "First"
    assert StorySubmission.objects.count() == 2

    case_reject(case=sent, by=webmaster, reason="Out of scope.")
    assert client.post(sent.get_status_url(), resend_data(sent, title="Third")).status_code == 302
    story = CaseStory.objects.get()
    assert story.title == "First" and story.status == Status.REJECTED
    html = html_of(client.get(sent.get_status_url()))
    assert "Not accepted" in html and 'name="title"' not in html  # rejected stays final


def test_a_post_to_an_unknown_token_is_404(client, sent):
    assert client.post("/cases/status/no-such-token/", resend_data(sent)).status_code == 404


def test_the_status_page_is_private(client, sent):
    response = client.get(sent.get_status_url())
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert 'content="noindex, nofollow"' in html_of(response)
