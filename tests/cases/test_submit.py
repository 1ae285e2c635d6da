"""The public form: labels, success, every bad input of issues 4 and 11, honeypot, double submits, CSRF.

The story limit is tested in test_ratelimit.py.
"""

import re
import time

import pytest
from django.core import mail
from django.test import Client
from taggit.models import Tag

from cases.forms import CaseSubmitForm
from cases.models import CaseStory, Status

from . import images
from .conftest import fill, form_data, media_files, pixel_bomb, remount_read_only
from .factories import CaseStoryFactory

pytestmark = pytest.mark.django_db

LABELS = [
    "Title",
    "Language of your story",  # added with French and Spanish (issue 14); every earlier label is unchanged
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

    story = CaseStory.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/submit/thanks/{story.status_token}/"
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
    assert PHOTO_ERROR not in html and 'href="#id_photo"' not in html  # the photo is optional
    assert "please choose your photo again" not in html.lower()  # none was chosen
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
        webmaster_client.get("/admin/cases/casestory/?status__exact=all"),
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


# --- Double submits -------------------------------------------------------------------


def rendered_key(html: str) -> str:
    return re.search(r'<input type="hidden" name="submission_key" value="([0-9a-f-]{36})"', html).group(1)


def test_every_rendered_form_carries_a_new_one_time_key(client):
    first, second = (rendered_key(client.get("/cases/submit/").content.decode()) for _ in range(2))
    assert first != second


def test_a_double_submit_creates_one_story_one_photo_set_and_one_set_of_emails(client, media_root, webmaster):
    key = rendered_key(client.get("/cases/submit/").content.decode())

    first = client.post("/cases/submit/", form_data(submission_key=key))
    again = client.post("/cases/submit/", form_data(submission_key=key, title="Changed in between"))

    assert first.status_code == again.status_code == 302
    story = CaseStory.objects.get()
    assert again["Location"] == first["Location"] == f"/cases/submit/thanks/{story.status_token}/"
    assert story.title == "Solar pumps for rice farmers" and str(story.submission_key) == key
    assert len(media_files(media_root)) == 4
    assert len(mail.outbox) == 2
    other = client.post(
        "/cases/submit/", form_data(submission_key=rendered_key(client.get("/cases/submit/").content.decode()))
    )
    assert other.status_code == 302 and CaseStory.objects.count() == 2


def test_a_form_sent_back_with_errors_keeps_its_key(client):
    key = rendered_key(client.get("/cases/submit/").content.decode())
    html = client.post("/cases/submit/", form_data(submission_key=key, title="")).content.decode()
    assert rendered_key(html) == key
    assert client.post("/cases/submit/", form_data(submission_key=key)).status_code == 302
    assert CaseStory.objects.count() == 1


@pytest.mark.parametrize("key", ["not-a-uuid", "", "\x00"])
def test_a_broken_key_is_no_error_and_no_replay(client, key):
    assert client.post("/cases/submit/", form_data(submission_key=key)).status_code == 302
    assert CaseStory.objects.get().submission_key is None


# --- Bad input: never a 500 ----------------------------------------------------------------


@pytest.mark.parametrize("token", ["%00", "abc%00def", "a.b", "x" * 65, "%C3%A9t%C3%A9", "%2e%2e"])
def test_a_malformed_status_token_is_404(client, token):
    CaseStoryFactory(pending=True, photo_file=False)
    assert client.get(f"/cases/status/{token}/").status_code == 404


def email_of_length(length: int) -> str:
    local, labels = "a" * 64, []
    left = length - len(local) - 1 - len(".org")
    while left > 0:
        label = min(63, left if left <= 63 else left - 2)
        labels.append("b" * label)
        left -= label + 1
    address = f"{local}@{'.'.join(labels)}.org"
    assert len(address) == length, len(address)
    return address


@pytest.mark.parametrize("length", [255, 300, 320])
def test_an_email_of_255_to_320_characters_is_a_clear_form_error(client, length):
    email = email_of_length(length)
    response = client.post("/cases/submit/", form_data(contributor_email=email))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Ensure this value has at most 254 characters (it has {length})." in html
    assert 'href="#id_contributor_email"' in html
    assert f'value="{email}"' in html and 'value="Solar pumps for rice farmers"' in html and "Start small." in html
    assert not CaseStory.objects.exists()


# --- Uploads that cannot exhaust memory ---------------------------------------------------------


def test_a_one_by_40_million_pixel_png_gets_the_photo_error_in_under_100_ms(client, media_root):
    """The one timed test: the issue demands it. Judged by its header, the bomb is never decoded.

    Timed is the validation, where the old code decoded 40 million pixels (5 s here); the page
    around the error is the usual form page, whose rendering the benchmark measures.
    """
    response = client.post("/cases/submit/", form_data(photo=pixel_bomb(), consent=None))
    assert response.status_code == 200
    html = response.content.decode()
    assert PHOTO_ERROR in html and 'href="#id_photo"' in html and 'href="#id_consent"' in html
    assert not CaseStory.objects.exists() and media_files(media_root) == []

    data = form_data(consent=None)
    del data["photo"]
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        form = CaseSubmitForm(data, {"photo": pixel_bomb()})
        assert not form.is_valid()
        assert form.errors["photo"] == [PHOTO_ERROR]
        timings.append(time.perf_counter() - started)
    assert min(timings) < 0.1, timings


# --- When the disk fails ---------------------------------------------------------------------


def master_bytes(upload) -> int:
    from cases.photos import _encode, photo_open

    image = photo_open(upload)
    try:
        return len(_encode(image, 85))
    finally:
        image.close()


@pytest.mark.parametrize("failure", ["full", "full-after-the-first-file", "read-only"])
def test_a_full_or_read_only_media_folder_keeps_the_story_on_the_form_and_leaves_nothing(
    client, settings, tmpfs, webmaster, failure
):
    media = tmpfs / "media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    photo = images.image_bytes(size=(1600, 1200))
    if failure == "full":
        fill(tmpfs, leave=0)
    elif failure == "full-after-the-first-file":
        page = 4096
        fill(tmpfs, leave=(master_bytes(images.upload(content=photo)) // page + 2) * page)
    else:
        remount_read_only(tmpfs)

    response = client.post("/cases/submit/", form_data(photo=images.upload(content=photo)))

    assert response.status_code == 503
    html = response.content.decode()
    assert "Your story could not be saved" in html and 'role="alert"' in html
    assert "please choose your photo again" in html.lower()
    assert 'value="Solar pumps for rice farmers"' in html and "Diesel was expensive." in html
    assert 'value="maya@example.org"' in html and '<option value="NP" selected>' in html
    assert not CaseStory.objects.exists()
    assert media_files(media) == []
    assert mail.outbox == []
