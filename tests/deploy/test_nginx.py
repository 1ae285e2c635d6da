"""What a visitor and an operator see through `make serve`'s nginx (deploy/nginx/greenjobs.conf)."""

import gzip
import http.client
import re
import socket
import subprocess
import time
from http.cookies import SimpleCookie
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt, AccessLog

from tests.services import free_port

from .conftest import load_serve, stylesheet_path

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def request(site, method, path, *, source="127.0.0.1", headers=None, body=None):
    """One HTTP request to nginx from the local address ``source`` (all of 127/8 is local)."""
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30, source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def logged(read_log, text: str, timeout: float = 5) -> bool:
    """Whether ``text`` shows up in the log (servers write the line just after answering)."""
    deadline = time.monotonic() + timeout
    while text not in read_log():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_static_files_are_served_by_nginx_compressed_and_cached_for_a_year(production_site):
    response, html = request(production_site, "GET", "/")
    assert response.status == 200
    css = stylesheet_path(html.decode())

    response, body = request(production_site, "GET", css, headers={"Accept-Encoding": "gzip"})

    assert response.status == 200
    assert response.getheader("Content-Type") == "text/css"
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert gzip.decompress(body) == (production_site.static_root / css.removeprefix("/static/")).read_bytes()
    unhashed, _ = request(production_site, "GET", "/static/css/site.css")
    assert unhashed.status == 200
    assert unhashed.getheader("Cache-Control") == "max-age=3600"
    missing, _ = request(production_site, "GET", "/static/css/missing.css")
    assert missing.status == 404
    assert logged(production_site.nginx_log, f"GET {css} ")
    assert logged(production_site.gunicorn_log, '"GET / HTTP/1.0" 200')
    assert "/static/" not in production_site.gunicorn_log()


def test_uploads_are_served_by_nginx_with_their_type_nosniff_and_only_images_and_pdfs_inline(production_site):
    docs = production_site.media_root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "pixel.png").write_bytes(PNG)
    (docs / "note.pdf").write_bytes(b"%PDF-1.4\n%fake but harmless\n")
    (docs / "page.html").write_bytes(b"<script>alert(1)</script>")

    png, body = request(production_site, "GET", "/media/docs/pixel.png")
    assert png.status == 200
    assert body == PNG
    assert png.getheader("Content-Type") == "image/png"
    assert png.getheader("X-Content-Type-Options") == "nosniff"
    assert png.getheader("Content-Disposition") is None
    pdf, _ = request(production_site, "GET", "/media/docs/note.pdf")
    assert pdf.getheader("Content-Type") == "application/pdf"
    assert pdf.getheader("Content-Disposition") == "inline"  # opens in the browser's PDF viewer
    page, _ = request(production_site, "GET", "/media/docs/page.html")
    assert page.getheader("Content-Disposition") == "attachment"
    assert page.getheader("X-Content-Type-Options") == "nosniff"
    assert logged(production_site.nginx_log, "GET /media/docs/page.html ")
    assert "/media/" not in production_site.gunicorn_log()


def test_django_itself_does_not_serve_media_in_production(production_site):
    (production_site.media_root / "pixel.png").write_bytes(PNG)

    class UnixConnection(http.client.HTTPConnection):
        def connect(self):
            self.sock = socket.socket(socket.AF_UNIX)
            self.sock.connect(str(production_site.run_dir / "gunicorn.sock"))

    connection = UnixConnection("127.0.0.1", timeout=30)
    connection.request("GET", "/media/pixel.png")
    assert connection.getresponse().status == 404
    connection.close()
    assert request(production_site, "GET", "/media/pixel.png")[0].status == 200


def test_a_body_over_12_mb_is_refused_by_nginx_and_never_reaches_django(production_site):
    # The headers announce 13 MB; nginx must answer before reading any of it (else this times out).
    with socket.create_connection(("127.0.0.1", production_site.port), timeout=30) as connection:
        connection.sendall(
            b"POST /cases/submit/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
            + f"Content-Length: {13 * 1024 * 1024}\r\n\r\n".encode()
        )
        response = http.client.HTTPResponse(connection)
        response.begin()
        body = response.read()

    assert response.status == 413
    assert response.getheader("Server") == "nginx"
    assert b"What you sent is too large" in body
    assert b"a photo may be at most 10 MB" in body
    assert logged(production_site.nginx_log, '"POST /cases/submit/ HTTP/1.1" 413')
    assert "POST /cases/submit/" not in production_site.gunicorn_log()
    # A body under the cap goes through to Django (which then refuses it for other reasons).
    small, _ = request(production_site, "POST", "/cases/submit/", body=b"0" * 1024 * 1024)
    assert small.status != 413
    assert logged(production_site.gunicorn_log, f'"POST /cases/submit/ HTTP/1.0" {small.status}')


def admin_login(site, *, source, password, forwarded_for=None):
    """Load the admin log-in form and send it from ``source``; return the response and its page."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    form, html = request(site, "GET", "/admin/login/", source=source, headers=headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html.decode()).group(1)
    cookies = SimpleCookie()
    for header in form.headers.get_all("Set-Cookie"):
        cookies.load(header)
    data = {"username": "root", "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"}
    headers |= {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookies['csrftoken'].value}",
    }
    path = "/admin/login/?next=/admin/"
    response, body = request(site, "POST", path, source=source, headers=headers, body=urlencode(data))
    return response.status, body.decode()


def test_django_sees_the_address_nginx_received_and_ignores_a_forged_forwarded_for(
    production_site, transactional_db, django_user_model, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what production checks
    django_user_model.objects.create_superuser("root", "root@greenjobs.example", "root-pass-123")

    for attempt in range(1, 6):
        status, html = admin_login(production_site, source="127.0.0.2", password="wrong", forwarded_for="203.0.113.9")
        assert status == (429 if attempt == 5 else 200)
    assert "Too many failed log-in attempts" in html

    # Locked out, even with the right password and whatever address the header claims.
    for forged in (None, "127.0.0.3", "127.0.0.3, 127.0.0.4"):
        status, _ = admin_login(production_site, source="127.0.0.2", password="root-pass-123", forwarded_for=forged)
        assert status == 429
    # The neighbour logs in, even claiming the address the failures were forged with.
    status, _ = admin_login(production_site, source="127.0.0.3", password="root-pass-123", forwarded_for="203.0.113.9")
    assert status == 302

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.2"]
    assert list(AccessLog.objects.values_list("ip_address", flat=True)) == ["127.0.0.3"]


@pytest.mark.parametrize("path", ["/", "/static/css/site.css"])
def test_text_is_sent_gzipped_when_the_browser_accepts_it(production_site, path):
    response, body = request(production_site, "GET", path, headers={"Accept-Encoding": "gzip"})

    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Vary") and "Accept-Encoding" in response.getheader("Vary")
    assert gzip.decompress(body)


def test_when_gunicorn_is_down_nginx_answers_with_a_page_saying_so(nginx_binary, tmp_path):
    serve = load_serve()
    port = free_port()
    config = serve.write_nginx_config(
        tmp_path,
        listen=f"127.0.0.1:{port}",
        app_socket=tmp_path / "nobody-listens.sock",
        static_root=tmp_path,
        media_root=tmp_path,
    )
    nginx = subprocess.Popen(serve.nginx_command(tmp_path, config, "-g", "daemon off;"))
    try:
        serve.wait_until((tmp_path / "nginx.pid").exists, "nginx", nginx)
        response, body = request(SimpleNamespace(port=port), "GET", "/cases/")
    finally:
        nginx.terminate()
        nginx.wait(30)

    assert response.status == 502
    assert b"Back in a moment" in body
