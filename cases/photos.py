"""Contributors' photos: judged by their header, decoded once at a bounded size, re-encoded without metadata."""

import io
import logging
import uuid
import warnings
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import RENDITION_WIDTHS

log = logging.getLogger(__name__)

PHOTO_ERROR = _("Upload a JPEG, PNG or WebP photo of at most 10 MB")
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 16_000
MAX_ASPECT = 10
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MASTER_MAX = 2400
RENDITION_MAX_BYTES = {800: 100 * 1024}
UPLOAD_DIR = "cases/photos"
# Modes Pillow can shrink as they are; others (palette, 16-bit) are converted first.
RESIZABLE_MODES = {"RGB", "RGBA", "L", "LA", "CMYK", "YCbCr"}
DECODE_ERRORS = (
    UnidentifiedImageError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
)


class PhotoStorageError(Exception):
    """The media folder refused a write (full, read-only, no permission); nothing written was kept."""


def photo_error() -> ValidationError:
    return ValidationError(PHOTO_ERROR, code="invalid_photo")


def _sane(width: int, height: int) -> bool:
    return (
        0 < width <= MAX_SIDE
        and 0 < height <= MAX_SIDE
        and width * height <= MAX_PIXELS
        and max(width, height) <= MAX_ASPECT * min(width, height)
    )


def photo_check(upload) -> None:
    """Judge an upload by its size and header only (format, dimensions): no pixel is decoded."""
    size = getattr(upload, "size", None)
    if not size or size > MAX_BYTES:
        raise photo_error()
    fmt, width, height = None, 0, 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload, formats=ACCEPTED_FORMATS) as probe:
                fmt, (width, height) = probe.format, probe.size
    except DECODE_ERRORS:
        pass
    finally:
        upload.seek(0)
    # Raised here, not in the except block: an error raised there would hold the one handled,
    # and with it Pillow's frames and the upload.
    if fmt not in ACCEPTED_FORMATS or not _sane(width, height):
        raise photo_error()


def _upright_rgb(source: Image.Image) -> Image.Image:
    """A new upright RGB image at most MASTER_MAX on a side; ``source`` is shrunk in place first."""
    if source.mode in RESIZABLE_MODES:
        source.thumbnail((MASTER_MAX, MASTER_MAX), Image.Resampling.LANCZOS)
    upright = ImageOps.exif_transpose(source)
    try:
        if upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info):
            rgba = upright.convert("RGBA")
            image = Image.new("RGB", rgba.size, (255, 255, 255))
            image.paste(rgba, mask=rgba.getchannel("A"))
            rgba.close()
        else:
            image = upright.convert("RGB")
    finally:
        upright.close()
    image.thumbnail((MASTER_MAX, MASTER_MAX), Image.Resampling.LANCZOS)
    image.info = {}
    return image


def photo_open(upload) -> Image.Image:
    """Decode an upload into an upright RGB image of at most MASTER_MAX px, or raise the one photo error.

    The header is judged first (``photo_check``); a JPEG is then decoded at a reduced scale
    where it can be, so memory is bounded by what we keep, not by what was sent.
    The caller owns the returned image and should ``close()`` it when done.
    """
    photo_check(upload)
    image = _decode(upload)
    if image is None:
        raise photo_error()
    return image


def _decode(upload) -> Image.Image | None:
    """The decoded photo, or None; a frame of its own, so no error keeps ``source`` alive."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload, formats=ACCEPTED_FORMATS) as source:
                source.draft("RGB", (MASTER_MAX, MASTER_MAX))
                source.load()
                return _upright_rgb(source)
    except DECODE_ERRORS:
        pass
    finally:
        upload.seek(0)
    return None


def _encode(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def _encode_within(image: Image.Image, quality: int, max_bytes: int | None) -> bytes:
    data = _encode(image, quality)
    while max_bytes and len(data) > max_bytes and quality > 30:
        quality -= 10
        data = _encode(image, quality)
    return data


def _resized(image: Image.Image, width: int) -> Image.Image:
    if image.width <= width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


@dataclass
class StoredPhoto:
    name: str
    width: int
    height: int
    renditions: list[dict] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.name, *(r["name"] for r in self.renditions)]


def photo_store(image: Image.Image, *, storage: Storage = default_storage) -> StoredPhoto:
    """Write the master and its 400/800/1200 px renditions under one random name.

    All or nothing: if any write fails, every file of the set is removed again, including one
    left half-written, and a full or read-only media folder raises ``PhotoStorageError``.
    """
    stem = f"{UPLOAD_DIR}/{uuid.uuid4().hex}"
    master = image.copy()
    master.thumbnail((MASTER_MAX, MASTER_MAX), Image.Resampling.LANCZOS)
    touched: list[str] = []
    try:
        touched.append(f"{stem}.jpg")
        name = storage.save(touched[-1], ContentFile(_encode(master, 85)))
        touched[-1] = name
        stored = StoredPhoto(name=name, width=master.width, height=master.height)
        for width in RENDITION_WIDTHS:
            resized = _resized(master, width)
            if any(r["width"] == resized.width for r in stored.renditions):
                continue
            data = _encode_within(resized, 72, RENDITION_MAX_BYTES.get(width))
            touched.append(f"{stem}-{width}w.jpg")
            rendition = storage.save(touched[-1], ContentFile(data))
            touched[-1] = rendition
            stored.renditions.append({"width": resized.width, "height": resized.height, "name": rendition})
    except OSError as error:
        photo_delete(touched, storage=storage)
        raise PhotoStorageError(str(error)) from error
    except BaseException:
        photo_delete(touched, storage=storage)
        raise
    finally:
        master.close()
    return stored


def photo_names(case) -> list[str]:
    """The stored files of a story's photo: the master and every rendition."""
    if not case.photo:
        return []
    return [case.photo.name, *(r["name"] for r in case.photo_renditions or [])]


def photo_delete(names, *, storage: Storage = default_storage) -> None:
    """Remove files; one that cannot be removed is logged, never raised (the caller's work is done)."""
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except OSError:
            log.exception("Could not delete the photo file %s", name)
