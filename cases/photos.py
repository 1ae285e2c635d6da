"""Contributors' photos: judged by what Pillow decodes, re-encoded without metadata, resized once."""

import io
import uuid
import warnings
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import RENDITION_WIDTHS

PHOTO_ERROR = _("Upload a JPEG, PNG or WebP photo of at most 10 MB")
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
MASTER_MAX = 2400
RENDITION_MAX_BYTES = {800: 100 * 1024}
UPLOAD_DIR = "cases/photos"


def photo_error() -> ValidationError:
    return ValidationError(PHOTO_ERROR, code="invalid_photo")


def photo_open(upload) -> Image.Image:
    """Decode an upload into an upright RGB image, or raise the one photo error."""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_BYTES or size == 0:
        raise photo_error()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as probe:
                if probe.format not in ACCEPTED_FORMATS or probe.width * probe.height > MAX_PIXELS:
                    raise photo_error()
                probe.verify()
            upload.seek(0)
            image = Image.open(upload)
            image.load()
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ) as error:
        raise photo_error() from error
    finally:
        upload.seek(0)
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    image.info = {}
    return image


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
    """Write the master and its 400/800/1200 px renditions under one random name."""
    stem = f"{UPLOAD_DIR}/{uuid.uuid4().hex}"
    master = image.copy()
    master.thumbnail((MASTER_MAX, MASTER_MAX), Image.Resampling.LANCZOS)
    written: list[str] = []
    try:
        name = storage.save(f"{stem}.jpg", ContentFile(_encode(master, 85)))
        written.append(name)
        stored = StoredPhoto(name=name, width=master.width, height=master.height)
        for width in RENDITION_WIDTHS:
            resized = _resized(master, width)
            if any(r["width"] == resized.width for r in stored.renditions):
                continue
            data = _encode_within(resized, 72, RENDITION_MAX_BYTES.get(width))
            rendition = storage.save(f"{stem}-{width}w.jpg", ContentFile(data))
            written.append(rendition)
            stored.renditions.append({"width": resized.width, "height": resized.height, "name": rendition})
    except Exception:
        photo_delete(written, storage=storage)
        raise
    return stored


def photo_delete(names, *, storage: Storage = default_storage) -> None:
    for name in names:
        if name:
            storage.delete(name)
