"""Test files: real images made with Pillow, and the bad inputs of issue 4."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MODEL = 0x0110


def image_bytes(fmt="JPEG", size=(900, 600), colour=(40, 120, 80), *, exif=False) -> bytes:
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 50):  # some detail, so encoders have work to do
        image.paste((200, 200, 60), (x, 0, x + 10, size[1]))
    buffer = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[ORIENTATION] = 6  # the camera was turned: show rotated 90 degrees
        data[MODEL] = "SpyCam 3000"
        data.get_ifd(GPS_IFD).update({1: "N", 2: (27.0, 42.0, 3.5), 3: "E", 4: (85.0, 19.0, 1.0)})
        kwargs["exif"] = data.tobytes()
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def upload(name="photo.jpg", content=None, content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes() if content is None else content, content_type=content_type)


def text_as_jpg() -> SimpleUploadedFile:
    return upload("notes.jpg", b"These are my notes, not a photo.\n" * 20)


def svg() -> SimpleUploadedFile:
    content = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
    return upload("drawing.svg", content, "image/svg+xml")


def truncated_jpeg() -> SimpleUploadedFile:
    data = image_bytes(size=(1200, 800))
    return upload("cut.jpg", data[: len(data) // 2])


def bomb_png(width=20000, height=20000) -> SimpleUploadedFile:
    """A tiny file that claims 20000x20000 pixels (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )
    return upload("bomb.png", data, "image/png")


def eleven_megabytes() -> SimpleUploadedFile:
    head = image_bytes()
    return upload("huge.jpg", head + b"\x00" * (11 * 1024 * 1024 - len(head)))
