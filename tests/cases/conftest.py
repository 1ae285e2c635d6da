import functools
import os
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from django.core.cache import cache

from . import images


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


# A story that passes every check: the same one through the service and through the public form.
STORY = {
    "title": "Solar pumps for rice farmers",
    "summary": "Farmers replaced diesel pumps with solar ones.",
    "challenge": "Diesel was expensive.",
    "actions": "A cooperative bought solar pumps.",
    "environment_results": "No more diesel.",
    "job_results": "Ten technicians hired.",
    "country": "NP",
    "organisation": "Sun Farmers",
    "organisation_type": "cooperative",
    "photo_description": "A solar pump in a rice field",
    "contributor_name": "Maya",
    "contributor_email": "maya@example.org",
}


def submission(**overrides) -> dict:
    """The valid story as ``case_submit`` takes it, with a real photo."""
    return {**STORY, "lessons": "", "themes": [], "photo": images.upload(), "consent": True, **overrides}


def form_data(**overrides) -> dict:
    """The valid story as the public form posts it; a ``None`` leaves the field out."""
    data = {**STORY, "lessons": "Start small.", "photo": images.upload(), "consent": "on", "website": "", **overrides}
    return {name: value for name, value in data.items() if value is not None}


def html_of(response) -> str:
    return response.content.decode()


def media_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file())


@pytest.fixture
def site_domain(db, settings):
    """The canonical address of the site (SITE_URL), as links in emails must show it."""
    settings.SITE_URL = "http://greenjobs.example"
    return "greenjobs.example"


@functools.cache
def pixel_bomb_bytes(width: int = 1, height: int = 40_000_000) -> bytes:
    """A real, complete grey PNG of ``width`` x ``height`` pixels: about 78 KB that decode to 40 MB."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    squeeze = zlib.compressobj(9)
    row = b"\x00" + b"\x80" * width
    rows_per_piece = max(1, (1 << 20) // len(row))
    idat = []
    for start in range(0, height, rows_per_piece):
        idat.append(squeeze.compress(row * min(rows_per_piece, height - start)))
    idat.append(squeeze.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(idat)) + chunk(b"IEND", b"")


def pixel_bomb(width: int = 1, height: int = 40_000_000):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("line.png", pixel_bomb_bytes(width, height), content_type="image/png")


@pytest.fixture
def tmpfs(tmp_path):
    """A real, small tmpfs of its own: 'disk full' and 'read-only' are then the kernel's own errors.

    As root, chmod stops no write, so only a real file system shows what a full or read-only
    media folder does. Skipped where mounting is not permitted.
    """
    point = tmp_path / "tmpfs"
    point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs", str(point)], capture_output=True, check=False
    )
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def fill(point: Path, *, leave: int) -> None:
    """Fill a file system so that only ``leave`` bytes (whole pages) stay free."""
    stats = os.statvfs(point)
    free = stats.f_bavail * stats.f_frsize
    with open(point / "filler", "wb") as filler:
        filler.write(b"\0" * (free - leave))
    stats = os.statvfs(point)
    assert stats.f_bavail * stats.f_frsize == leave


def remount_read_only(point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)
