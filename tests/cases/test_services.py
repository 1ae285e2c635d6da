import threading
import uuid
from smtplib import SMTPException
from unittest.mock import patch

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag

from cases import services
from cases.models import CaseStory, ModerationDecision, Status
from cases.photos import photo_names
from cases.services import case_publish, case_reject, case_submit, cases_delete, unique_slug

from .conftest import media_files, submission
from .factories import CaseStoryFactory

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><b>bold</b>'


def test_submit_saves_a_pending_story_with_photo_themes_and_consent(media_root, site_domain, webmaster):
    Tag.objects.create(name="Renewable energy")
    before = timezone.now()

    case = case_submit(**submission(themes=["renewable ENERGY"]))

    case.refresh_from_db()
    assert case.status == Status.PENDING
    assert case.slug == "solar-pumps-for-rice-farmers"
    assert [t.name for t in case.themes.all()] == ["Renewable energy"]
    assert case.consent and case.consent_at >= before
    assert case.published_at is None
    assert len(case.status_token) >= 40
    assert case.photo.name.startswith("cases/photos/") and "photo" not in case.photo.name.rsplit("/", 1)[1]
    assert len(media_files(media_root)) == 4
    assert not CaseStory.objects.published().exists()


def test_submit_emails_the_contributor_their_status_link_and_the_webmasters_the_admin_link(site_domain, webmaster):
    case = case_submit(**submission())

    assert len(mail.outbox) == 2
    contributor, webmasters = mail.outbox
    assert contributor.to == ["maya@example.org"]
    assert f"http://greenjobs.example/cases/status/{case.status_token}/" in contributor.body
    assert set(webmasters.to) == {"webmaster@greenjobs.example"}
    assert f"http://greenjobs.example/admin/cases/casestory/{case.pk}/change/" in webmasters.body
    assert case.status_token not in webmasters.body


def test_html_in_every_field_is_escaped_in_the_html_emails_and_subjects_stay_one_line(site_domain, webmaster):
    case_submit(
        **submission(
            title=XSS + "\r\nBcc: victim@example.org",
            summary=XSS,
            organisation=XSS,
            contributor_name=XSS,
        )
    )
    for message in mail.outbox:
        assert "\n" not in message.subject
        html = message.alternatives[0][0]
        assert "<script>" not in html and "&lt;script&gt;" in html
        assert "<b>bold</b>" not in html


def test_slugs_are_unique_and_avoid_the_reserved_words():
    CaseStoryFactory(slug="solar")
    assert unique_slug("Solar") == "solar-2"
    assert unique_slug("Submit") == "submit-story"
    assert unique_slug("Status") == "status-story"
    assert unique_slug("Feed") == "feed-story"
    assert unique_slug("¡¡!!") == "story"


def test_submit_without_consent_is_refused_and_writes_nothing(media_root):
    with pytest.raises(ValidationError):
        case_submit(**submission(consent=False))
    assert not CaseStory.objects.exists()
    assert media_files(media_root) == []


def test_a_too_long_title_is_refused_before_any_file_is_written(media_root):
    with pytest.raises(ValidationError):
        case_submit(**submission(title="x" * 10_000))
    assert not CaseStory.objects.exists()
    assert media_files(media_root) == []


def test_an_unknown_theme_rolls_back_and_deletes_the_photo(media_root):
    with pytest.raises(Tag.DoesNotExist):
        case_submit(**submission(themes=["No such theme"]))
    assert not CaseStory.objects.exists()
    assert media_files(media_root) == []


def test_publish_records_the_decision_and_emails_the_public_link(
    webmaster, site_domain, django_capture_on_commit_callbacks
):
    case = CaseStoryFactory(pending=True)

    with django_capture_on_commit_callbacks(execute=True):
        case_publish(case=case, by=webmaster)

    case.refresh_from_db()
    assert case.status == Status.PUBLISHED and case.published_at and case.moderated_by == webmaster
    decision = ModerationDecision.objects.get(case=case)
    assert (decision.action, decision.by, decision.reason) == ("published", webmaster, "")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [case.contributor_email]
    assert f"http://greenjobs.example/cases/{case.slug}/" in mail.outbox[0].body
    assert CaseStory.objects.published().get() == case


def test_publishing_twice_records_one_decision_and_one_email(webmaster, django_capture_on_commit_callbacks):
    case = CaseStoryFactory(pending=True)
    with django_capture_on_commit_callbacks(execute=True):
        case_publish(case=case, by=webmaster)
        case_publish(case=case, by=webmaster)
    assert ModerationDecision.objects.count() == 1
    assert len(mail.outbox) == 1


def test_reject_needs_a_reason(webmaster):
    case = CaseStoryFactory(pending=True)
    with pytest.raises(ValidationError):
        case_reject(case=case, by=webmaster, reason="   ")
    case.refresh_from_db()
    assert case.status == Status.PENDING
    assert not ModerationDecision.objects.exists()


def test_reject_records_the_reason_and_emails_it(webmaster, site_domain, django_capture_on_commit_callbacks):
    case = CaseStoryFactory(pending=True)
    with django_capture_on_commit_callbacks(execute=True):
        case_reject(case=case, by=webmaster, reason="Please add figures <b>on jobs</b>.")

    case.refresh_from_db()
    assert case.status == Status.REJECTED
    assert case.decision_reason == "Please add figures <b>on jobs</b>."
    decision = ModerationDecision.objects.get()
    assert (decision.action, decision.by) == ("rejected", webmaster)
    message = mail.outbox[0]
    assert "Please add figures <b>on jobs</b>." in message.body
    assert "Please add figures &lt;b&gt;on jobs&lt;/b&gt;." in message.alternatives[0][0]
    assert case.status_token in message.body


def test_rejecting_a_published_story_takes_it_down(webmaster):
    case = CaseStoryFactory()
    case_reject(case=case, by=webmaster, reason="Contributor withdrew consent.")
    assert not CaseStory.objects.published().exists()
    case.refresh_from_db()
    assert case.published_at is None


# --- Double submits ----------------------------------------------------------------------


def test_a_used_submission_key_returns_the_first_story_and_creates_nothing(media_root, webmaster):
    key = uuid.uuid4()
    first = case_submit(**submission(submission_key=key))
    again = case_submit(**submission(submission_key=key, title="Another title"))

    assert again.pk == first.pk
    assert CaseStory.objects.count() == 1
    assert len(media_files(media_root)) == 4
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_of_one_form_create_one_story(media_root, webmaster):
    """Both requests pass the 'already sent?' look-up; the unique column lets only one insert."""
    key = uuid.uuid4()
    start = threading.Barrier(2)
    results, errors = [], []
    real_unique_slug = services.unique_slug

    def slug_after_both_looked(title, **kwargs):
        start.wait(timeout=10)
        return real_unique_slug(title, **kwargs)

    def one():
        try:
            results.append(case_submit(**submission(submission_key=key)).pk)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    with patch.object(services, "unique_slug", slug_after_both_looked):
        threads = [threading.Thread(target=one) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    assert len(set(results)) == 1
    assert CaseStory.objects.count() == 1
    assert len(media_files(media_root)) == 4
    assert len(mail.outbox) == 2


# --- Mail in the same transaction as the row --------------------------------------------------------


def test_decisions_send_their_email_inside_the_transaction(webmaster, django_capture_on_commit_callbacks):
    pending, published = CaseStoryFactory(pending=True, photo_file=False), CaseStoryFactory(photo_file=False)
    with django_capture_on_commit_callbacks(execute=False):
        case_publish(case=pending, by=webmaster)
        case_reject(case=published, by=webmaster, reason="Out of scope.")
    # Not committed yet (no on-commit callback has run), and the emails are already written.
    assert [m.to for m in mail.outbox] == [[pending.contributor_email], [published.contributor_email]]


@pytest.mark.parametrize("decision", ["publish", "reject"])
def test_when_the_email_cannot_be_queued_the_decision_is_not_recorded(webmaster, decision):
    story = CaseStoryFactory(pending=True, photo_file=False)
    with (
        patch.object(EmailMultiAlternatives, "send", side_effect=SMTPException("queue down")),
        pytest.raises(SMTPException),
    ):
        if decision == "publish":
            case_publish(case=story, by=webmaster)
        else:
            case_reject(case=story, by=webmaster, reason="No.")
    story.refresh_from_db()
    assert story.status == Status.PENDING
    assert not ModerationDecision.objects.exists()


def test_when_the_email_cannot_be_queued_no_story_and_no_photo_is_kept(media_root, webmaster):
    with (
        patch.object(EmailMultiAlternatives, "send", side_effect=SMTPException("queue down")),
        pytest.raises(SMTPException),
    ):
        case_submit(**submission())
    assert not CaseStory.objects.exists()
    assert media_files(media_root) == []


def test_with_the_mail_queue_a_story_and_its_emails_are_one_write(webmaster, settings):
    if "mailer" not in settings.INSTALLED_APPS:
        pytest.skip("django-mailer's queue is not installed")
    from mailer.models import Message

    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    with pytest.raises(RuntimeError), transaction.atomic():
        case_submit(**submission(photo=None))
        assert Message.objects.count() == 2
        raise RuntimeError("the request fails after the story was written")
    assert not CaseStory.objects.exists()
    assert not Message.objects.exists()


# --- Withdrawn photos ----------------------------------------------------------------------------------


def test_deleting_stories_deletes_their_photo_files_after_commit(media_root, django_capture_on_commit_callbacks):
    stories, keep = CaseStoryFactory.create_batch(2), CaseStoryFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cases_delete(CaseStory.objects.filter(pk__in=[s.pk for s in stories]))
    assert len(media_files(media_root)) == 12
    for callback in callbacks:
        callback()
    assert media_files(media_root) == sorted(photo_names(keep))
    assert list(CaseStory.objects.all()) == [keep]
