import errno
import gc
import io
import os
import resource
from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.test import Client, RequestFactory
from PIL import Image

from cases.forms import CaseSubmitForm
from cases.models import CaseStory
from cases.photos import PHOTO_ERROR, PhotoStorageError, photo_check, photo_names, photo_open, photo_store
from cases.services import case_reject
from cases.views import case_submit_view

from . import images
from .conftest import form_data, media_files, pixel_bomb
from .factories import CaseStoryFactory

MESSAGE = "Upload a JPEG, PNG or WebP photo of at most 10 MB"


def test_the_error_text_is_the_one_the_issue_gives():
    assert str(PHOTO_ERROR) == MESSAGE


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted_whatever_their_name(fmt):
    image = photo_open(images.upload("no-extension", images.image_bytes(fmt), "application/octet-stream"))
    assert image.mode == "RGB"
    assert image.size == (900, 600)


@pytest.mark.parametrize(
    "bad",
    [images.text_as_jpg, images.svg, images.truncated_jpeg, images.bomb_png, images.eleven_megabytes],
    ids=["text-named-jpg", "svg", "truncated-jpeg", "decompression-bomb", "11-mb"],
)
def test_bad_files_get_the_one_clear_error(bad):
    with pytest.raises(ValidationError) as caught:
        photo_open(bad())
    assert caught.value.messages == [MESSAGE]


def test_a_gif_is_refused_although_pillow_reads_it():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "GIF")
    with pytest.raises(ValidationError):
        photo_open(images.upload("anim.jpg", buffer.getvalue()))


def test_more_than_40_megapixels_is_refused_before_decoding():
    with pytest.raises(ValidationError):
        photo_open(images.bomb_png(7000, 6000))  # 42 megapixels, under Pillow's own bomb limit


def test_orientation_is_applied_and_all_metadata_stripped(media_root):
    image = photo_open(images.upload(content=images.image_bytes(size=(900, 600), exif=True)))
    assert image.size == (600, 900)  # turned upright

    stored = photo_store(image)

    for name in stored.names:
        raw = (media_root / name).read_bytes()
        assert b"SpyCam" not in raw
        saved = Image.open(io.BytesIO(raw))
        assert saved.format == "JPEG"
        assert dict(saved.getexif()) == {}
        assert "exif" not in saved.info
    assert (stored.width, stored.height) == (600, 900)


def test_renditions_are_made_once_with_random_names_and_the_800_one_is_small(media_root):
    noisy = Image.effect_noise((3000, 2000), 90).convert("RGB")  # worst case for JPEG size
    stored = photo_store(noisy)

    assert [r["width"] for r in stored.renditions] == [400, 800, 1200]
    assert all(r["name"].startswith("cases/photos/") for r in stored.renditions)
    assert stored.name.startswith("cases/photos/") and len(stored.name.rsplit("/", 1)[1]) >= 36
    assert default_storage.size(stored.renditions[1]["name"]) < 100 * 1024
    assert Image.open(default_storage.open(stored.renditions[2]["name"])).size == (1200, 800)
    assert (stored.width, stored.height) == (2400, 1600)  # the master is capped too
    assert len(media_files(media_root)) == 4

    again = photo_store(noisy)
    assert again.name != stored.name


def test_a_small_photo_is_not_upscaled_and_gets_one_rendition(media_root):
    stored = photo_store(Image.new("RGB", (300, 200), "green"))
    assert [r["width"] for r in stored.renditions] == [300]


# --- Judged by the header, before any decode ------------------------------------------------


def png_header(width: int, height: int):
    return images.bomb_png(width, height)


@pytest.mark.parametrize(
    ("width", "height"),
    [(1, 40_000_000), (40_000_000, 1), (16_001, 1_000), (1_000, 10_001), (6_400, 6_400)],
    ids=["one-wide", "one-high", "too-wide", "too-narrow", "over-40-megapixels"],
)
def test_impossible_dimensions_are_refused_from_the_header(width, height):
    with pytest.raises(ValidationError) as caught:
        photo_check(png_header(width, height))
    assert caught.value.messages == [MESSAGE]


@pytest.mark.parametrize(("width", "height"), [(16_000, 1_600), (6_000, 6_000), (300, 3_000)])
def test_big_and_panoramic_photos_within_the_limits_pass_the_header_check(width, height):
    photo_check(png_header(width, height))


def test_a_big_jpeg_is_decoded_at_a_reduced_scale():
    image = photo_open(images.upload(content=images.image_bytes(size=(6000, 4000))))
    assert image.size == (2400, 1600)
    image.close()


# --- Nothing outlives a request ----------------------------------------------------------------


def kept_alive() -> Counter:
    return Counter(type(o).__name__ for o in gc.get_objects() if isinstance(o, CaseSubmitForm | Image.Image))


def submit_directly(**overrides):
    """Call the view without the test client, which keeps every template context it saw."""
    request = RequestFactory().post("/cases/submit/", form_data(**overrides), REMOTE_ADDR="10.3.3.3")
    request.user = AnonymousUser()
    return case_submit_view(request).status_code


@pytest.fixture
def no_garbage_collector():
    Image.init()  # loading every plugin leaves module-level images (PalmImagePlugin): not ours
    gc.collect()
    gc.disable()
    yield
    gc.enable()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("photo", "consent", "status"),
    [
        (images.upload, "on", 302),
        (images.truncated_jpeg, "on", 200),
        (lambda: images.upload(content=images.image_bytes()[:3000]), "on", 200),
        (pixel_bomb, None, 200),
        (images.text_as_jpg, "on", 200),
    ],
    ids=["stored", "decode-error", "cut-in-the-first-scan", "pixel-bomb", "not-an-image"],
)
def test_no_form_and_no_image_survives_a_request(media_root, no_garbage_collector, photo, consent, status):
    submit_directly(contributor_email="warm@example.org")  # first use of modules and templates
    before = kept_alive()
    assert submit_directly(photo=photo(), consent=consent) == status
    assert kept_alive() - before == Counter()


def test_a_photo_that_fails_to_decode_leaves_no_image_behind(no_garbage_collector):
    """Pillow raises from inside ``except ... as``, a frame-traceback cycle holding the half-read image."""
    before = kept_alive()
    with pytest.raises(ValidationError):
        photo_open(images.upload(content=images.image_bytes()[:3000]))
    assert kept_alive() - before == Counter()


@pytest.mark.django_db
def test_a_hundred_pixel_bombs_do_not_grow_memory(media_root, settings, no_garbage_collector):
    settings.STORY_LIMIT_PER_ADDRESS = settings.STORY_LIMIT_PER_EMAIL = 1000
    submit_directly(photo=pixel_bomb(), consent=None)
    before, peak_before = kept_alive(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(100):
        assert submit_directly(photo=pixel_bomb(), consent=None) == 200
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    assert kept_alive() - before == Counter()
    assert grown_kb < 20 * 1024  # one decode of the bomb alone takes 40 MB


# --- Withdrawn photos: deleted or rejected stories -------------------------------------------------


@pytest.mark.django_db
def test_rejecting_a_story_deletes_its_photo_files_after_commit(
    media_root, webmaster, django_capture_on_commit_callbacks
):
    story = CaseStoryFactory()
    keep = CaseStoryFactory()
    assert len(media_files(media_root)) == 8

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case_reject(case=story, by=webmaster, reason="Consent withdrawn.")
    assert len(media_files(media_root)) == 8  # nothing deleted before the commit
    for callback in callbacks:
        callback()

    assert media_files(media_root) == sorted(photo_names(keep))
    story.refresh_from_db()
    assert not story.photo and story.photo_renditions == []
    client = Client()
    assert client.get(f"/cases/{story.slug}/").status_code == 404


@pytest.mark.django_db
def test_deleting_a_story_in_the_admin_deletes_its_photo_files(
    media_root, superuser_client, django_capture_on_commit_callbacks
):
    story, keep = CaseStoryFactory(), CaseStoryFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(f"/admin/cases/casestory/{story.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not CaseStory.objects.filter(pk=story.pk).exists()
    assert media_files(media_root) == sorted(photo_names(keep))


@pytest.mark.django_db
def test_deleting_stories_in_bulk_in_the_admin_deletes_their_photo_files(
    media_root, superuser_client, django_capture_on_commit_callbacks
):
    stories, keep = CaseStoryFactory.create_batch(3), CaseStoryFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            "/admin/cases/casestory/",
            {"action": "delete_selected", "_selected_action": [s.pk for s in stories], "post": "yes"},
        )
    assert response.status_code == 302
    assert CaseStory.objects.get() == keep
    assert media_files(media_root) == sorted(photo_names(keep))
    for name in photo_names(stories[0]):
        assert Client().get(f"/media/{name}").status_code == 404


# --- All or nothing on a failing disk ----------------------------------------------------------------


class FailingStorage(FileSystemStorage):
    """Writes the first ``allowed`` files, then fails the next one half-way, as a full disk does."""

    def __init__(self, *args, allowed: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def _save(self, name, content):
        if self.allowed == 0:
            path = self.path(name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as half:
                half.write(content.read()[:100])
            raise OSError(errno.ENOSPC, "No space left on device")
        self.allowed -= 1
        return super()._save(name, content)


@pytest.mark.parametrize("allowed", [0, 1, 3])
def test_a_failing_write_removes_every_file_of_the_set_even_a_half_written_one(media_root, allowed):
    storage = FailingStorage(location=str(media_root), allowed=allowed)
    with pytest.raises(PhotoStorageError):
        photo_store(Image.new("RGB", (1600, 1200), "green"), storage=storage)
    assert media_files(media_root) == []
