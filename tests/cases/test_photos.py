import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from cases.photos import PHOTO_ERROR, photo_open, photo_store

from . import images
from .conftest import media_files

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
