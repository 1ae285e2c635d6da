"""The public form: labels, success, every bad input of issue 4, honeypot, rate limit, CSRF."""

import re

import pytest
from django.core import mail
from django.test import Client
from taggit.models import Tag

from cases.models import CaseStory, Status

from . import images
from .conftest import media_files

pytestmark = pytest.mark.django_db

LABELS = [
    "Title",
    "Summary",
    "The challenge",
    "What was done",
    "Results for the environment",
    "Results for jobs and working conditions",
    "Lessons learnt",
    "Country",
    "Organisation",
    "Type of organisation",
    "Themes",
    "Photo",
    "Photo description",
    "Your name",
    "Your email",
    "I agree that this story and photo may be published on this site",
]
PHOTO_ERROR = "Upload a JPEG, PNG or WebP photo of at most 10 MB"
TEXT_FIELDS = [
    "title",
    "summary",
    "challenge",
    "actions",
    "environment_results",
    "job_results",
    "lessons",
    "organisation",
    "photo_description",
    "contributor_name",
]


def form_data(**overrides):
    data = {
        "title": "Solar pumps for rice farmers",
        "summary": "Farmers replaced diesel pumps with solar ones.",
        "challenge": "Diesel was expensive.",
        "actions": "A cooperative bought solar pumps.",
        "environment_results": "No more diesel.",
        "job_results": "Ten technicians hired.",
        "lessons": "Start small.",
        "country": "NP",
        "organisation": "Sun Farmers",
        "organisation_type": "cooperative",
        "photo": images.upload(),
        "photo_description": "A solar pump in a rice field",
        "contributor_name": "Maya",
        "contributor_email": "maya@example.org",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def visible_labels(html: str) -> list[str]:
    form = html.split('class="case-form"', 1)[1].split('class="hp-field"', 1)[0]
    texts = re.findall(r"<(?:label|legend)[^>]*>(.*?)</(?:label|legend)>", form, re.S)
    return [re.sub(r"<[^>]+>", "", t).strip() for t in texts]


def test_form_labels_are_exactly_the_contract(client):
    Tag.objects.create(name="Renewable energy")
    labels = visible_labels(client.get("/cases/submit/").content.decode())
    groups = {"Your story", "Where and who", "Your photo", "About you"}
    assert [label for label in labels if label not in groups and label != "Renewable energy"] == LABELS


def test_form_has_csrf_honeypot_and_described_fields(client):
    html = client.get("/cases/submit/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'class="hp-field"' in html and 'tabindex="-1"' in html and 'autocomplete="off"' in html
    assert 'aria-describedby="summary-help"' in html and 'id="summary-help"' in html
    assert 'enctype="multipart/form-data"' in html


def test_csrf_is_enforced():
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/cases/submit/", form_data()).status_code == 403
    assert not CaseStory.objects.exists()


def test_a_good_submission_redirects_to_thanks_and_sends_two_emails(client, media_root, webmaster):
    Tag.objects.create(name="Renewable energy")
    response = client.post("/cases/submit/", form_data(themes=["renewable-energy"]))

    assert response.status_code == 302 and response["Location"] == "/cases/submit/thanks/"
    story = CaseStory.objects.get()
    assert story.status == Status.PENDING and story.title == "Solar pumps for rice farmers"
    assert list(story.themes.names()) == ["Renewable energy"]
    assert len(media_files(media_root)) == 4
    assert len(mail.outbox) == 2
    thanks = client.get(response["Location"]).content.decode()
    assert "awaits review" in thanks
    assert client.get(f"/cases/{story.slug}/").status_code == 404


def test_required_fields_missing_keep_the_others_and_summarise_errors(client, media_root):
    response = client.post("/cases/submit/", form_data(title="", challenge="", consent=None, photo=None))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary" role="alert"' in html
    assert 'href="#id_title"' in html and 'href="#id_challenge"' in html and 'href="#id_consent"' in html
    assert 'id="title-error"' in html and 'aria-describedby="title-error"' in html
    assert 'aria-invalid="true"' in html
    assert "Diesel" not in html  # challenge was emptied on purpose
    assert 'value="Sun Farmers"' in html  # other fields keep their value
    assert "A cooperative bought solar pumps." in html
    assert PHOTO_ERROR in html
    assert not CaseStory.objects.exists()
    assert media_files(media_root) == []


def test_after_an_error_the_contributor_is_told_to_choose_the_photo_again(client):
    html = client.post("/cases/submit/", form_data(title="")).content.decode()
    assert "please choose your photo again" in html.lower()
    assert "Start small." in html and 'value="maya@example.org"' in html


def test_a_10000_character_title_is_refused(client):
    response = client.post("/cases/submit/", form_data(title="x" * 10_000))
    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters" in response.content.decode()
    assert not CaseStory.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [images.text_as_jpg, images.svg, images.truncated_jpeg, images.bomb_png, images.eleven_megabytes],
    ids=["text-named-jpg", "svg", "truncated-jpeg", "decompression-bomb", "11-mb"],
)
def test_bad_photos_get_the_error_write_no_row_and_leave_no_file(client, media_root, bad):
    response = client.post("/cases/submit/", form_data(photo=bad()))

    assert response.status_code == 200
    html = response.content.decode()
    assert PHOTO_ERROR in html
    assert 'value="Solar pumps for rice farmers"' in html and "Diesel was expensive." in html
    assert not CaseStory.objects.exists()
    assert media_files(media_root) == []
    assert mail.outbox == []


def test_html_and_script_in_every_text_field_is_escaped_on_every_page_and_email(client, webmaster, site_domain):
    payload = '<script>alert("x")</script>'
    data = form_data(**{name: f"{name} {payload}" for name in TEXT_FIELDS})
    assert client.post("/cases/submit/", data).status_code == 302
    story = CaseStory.objects.get()
    assert story.title == f"title {payload}"  # stored as typed

    webmaster_client = Client()
    webmaster_client.force_login(webmaster)
    pages = [
        client.get(story.get_status_url()),
        webmaster_client.get(story.get_absolute_url()),
        webmaster_client.get("/admin/cases/casestory/"),
        webmaster_client.get(f"/admin/cases/casestory/{story.pk}/change/"),
    ]
    from cases.services import case_publish

    case_publish(case=story, by=webmaster)
    pages += [client.get("/cases/"), client.get(story.get_absolute_url()), client.get("/")]
    for page in pages:
        assert page.status_code == 200
        assert payload not in page.content.decode()
    assert "&lt;script&gt;" in pages[-2].content.decode()
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert payload not in html
        assert "&lt;script&gt;" in html


def test_a_filled_honeypot_writes_nothing_but_looks_like_success(client, media_root):
    response = client.post("/cases/submit/", form_data(website="http://spam.example"))
    assert response.status_code == 302 and response["Location"] == "/cases/submit/thanks/"
    assert not CaseStory.objects.exists()
    assert media_files(media_root) == []
    assert mail.outbox == []


def test_the_sixth_submission_in_an_hour_gets_429(client, time_machine):
    time_machine.move_to("2026-03-01 10:00Z")
    for n in range(5):
        response = client.post("/cases/submit/", form_data(title=f"Story {n}"), REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 302

    sixth = client.post("/cases/submit/", form_data(title="Story 6"), REMOTE_ADDR="10.0.0.1")

    assert sixth.status_code == 429
    assert sixth["Retry-After"] == "3600"
    html = sixth.content.decode()
    assert "Too many stories sent" in html and "Skip to main content" in html
    assert CaseStory.objects.count() == 5
    other = client.post("/cases/submit/", form_data(title="Other IP"), REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302


def test_invalid_posts_do_not_count_towards_the_limit(client):
    for _ in range(6):
        assert client.post("/cases/submit/", form_data(title=""), REMOTE_ADDR="10.0.0.3").status_code == 200
    assert client.post("/cases/submit/", form_data(), REMOTE_ADDR="10.0.0.3").status_code == 302


def test_honeypot_posts_count_towards_the_limit(client):
    for _ in range(5):
        client.post("/cases/submit/", form_data(website="spam"), REMOTE_ADDR="10.0.0.4")
    assert client.post("/cases/submit/", form_data(), REMOTE_ADDR="10.0.0.4").status_code == 429


def test_the_limit_resets_after_an_hour(client, time_machine):
    from django.core.cache import cache

    time_machine.move_to("2026-03-01 10:00Z", tick=False)
    for n in range(5):
        client.post("/cases/submit/", form_data(title=f"S{n}"), REMOTE_ADDR="10.0.0.5")
    assert client.post("/cases/submit/", form_data(), REMOTE_ADDR="10.0.0.5").status_code == 429
    time_machine.move_to("2026-03-01 11:01Z", tick=False)
    assert cache.get("cases:submit:10.0.0.5") is None
    assert client.post("/cases/submit/", form_data(), REMOTE_ADDR="10.0.0.5").status_code == 302


def test_unknown_theme_choice_is_a_form_error(client):
    response = client.post("/cases/submit/", form_data(themes=["no-such-theme"]))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not CaseStory.objects.exists()


def test_invalid_email_and_country_are_form_errors(client):
    html = client.post("/cases/submit/", form_data(contributor_email="not-an-email", country="ZZ")).content.decode()
    assert "Enter a valid email address." in html
    assert "Select a valid choice. ZZ is not one of the available choices." in html
    assert not CaseStory.objects.exists()


def test_a_body_over_12_mb_is_refused_unread_with_a_clear_413(client, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    huge = SimpleUploadedFile("huge.jpg", b"\xff\xd8" + b"0" * (13 * 1024 * 1024), content_type="image/jpeg")
    response = client.post("/cases/submit/", form_data(photo=huge))

    assert response.status_code == 413
    html = response.content.decode()
    assert "Your photo is too large" in html
    assert "Upload a JPEG, PNG or WebP photo of at most 10 MB" in html
    assert not CaseStory.objects.exists()
    assert media_files(media_root) == []
