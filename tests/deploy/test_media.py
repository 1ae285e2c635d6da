"""Django serves /media/ only in development (SERVE_MEDIA, DEBUG by default); nginx does in production."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db


def test_the_media_view_answers_404_when_serve_media_is_off(client, settings):
    (Path(settings.MEDIA_ROOT) / "note.pdf").write_bytes(b"%PDF-1.4\n")

    assert client.get("/media/note.pdf").status_code == 200
    settings.SERVE_MEDIA = False
    assert client.get("/media/note.pdf").status_code == 404
