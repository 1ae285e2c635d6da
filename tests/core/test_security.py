"""Production security: deploy checks and the headers every response carries."""

from pathlib import Path

import pytest

from tests.helpers import fresh_get, python, settings_of

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p7Qm2xV9kL4rT8wZ1nB6cH3jF5dS0aG7yU2iO9pE4tR1qW8eM3vN6bX5zC0lK7hJ",
    "ALLOWED_HOSTS": "greenjobs.example",
    "HTTPS": "1",
}


def test_check_deploy_gives_no_warnings_with_production_settings():
    # A fresh interpreter: the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE does not leak into a production check.
    result = python("manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("url", ["/", "/about/green-jobs/", "/no-such-page/", "/healthz", "/admin/login/"])
def test_every_response_carries_the_security_headers(client, about_pages, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy


def test_no_hsts_without_https(client):
    assert "Strict-Transport-Security" not in client.get("/")


def test_hsts_and_secure_cookies_when_https_is_on():
    env = {**PRODUCTION, "ALLOWED_HOSTS": "testserver"}
    hsts = fresh_get("/healthz", secure=True, **env)["headers"]["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    cookies = ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY")
    assert settings_of(*cookies, settings="greenjobs.settings_test", **env) == dict.fromkeys(cookies, True)


def test_uploaded_media_is_served_with_its_type_and_nosniff(client, settings, tmp_path):
    media = Path(settings.MEDIA_ROOT)
    (media / "docs").mkdir(parents=True, exist_ok=True)
    (media / "docs" / "note.pdf").write_bytes(b"%PDF-1.4\n%fake but harmless\n")
    (media / "docs" / "page.html").write_bytes(b"<script>alert(1)</script>")
    (media / "docs" / "pixel.png").write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
        )
    )

    pdf = client.get("/media/docs/note.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["X-Content-Type-Options"] == "nosniff"
    assert pdf["Content-Disposition"] == 'inline; filename="note.pdf"'  # opens in the browser's PDF viewer

    html = client.get("/media/docs/page.html")
    assert html["Content-Disposition"].startswith("attachment")

    png = client.get("/media/docs/pixel.png")
    assert png["Content-Type"] == "image/png"
    assert not png.get("Content-Disposition", "").startswith("attachment")


def test_media_path_traversal_gets_404(client):
    assert client.get("/media/../greenjobs/settings.py").status_code == 404
    assert client.get("/media/%2e%2e/manage.py").status_code == 404


@pytest.fixture
def axes_on(settings):
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]


def admin_login(client, password):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "webmaster", "password": password},
        REMOTE_ADDR="203.0.113.7",
    )


def test_admin_login_is_refused_after_five_failures_from_one_address(client, webmaster, axes_on):
    for _ in range(4):
        response = admin_login(client, "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    response = admin_login(client, "wrong")
    assert response.status_code == 429

    response = admin_login(client, "webmaster-pass-123")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed log-in attempts" in html
    assert "refused for 15 minutes" in html
    assert "_auth_user_id" not in client.session


def test_admin_login_works_below_the_limit(client, webmaster, axes_on):
    for _ in range(3):
        admin_login(client, "wrong")
    response = admin_login(client, "webmaster-pass-123")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(webmaster.pk)


def test_lockout_is_per_address(client, webmaster, axes_on):
    for _ in range(5):
        admin_login(client, "wrong")
    other = client.post(
        "/admin/login/?next=/admin/",
        {"username": "webmaster", "password": "webmaster-pass-123"},
        REMOTE_ADDR="198.51.100.20",
    )
    assert other.status_code == 302


def login_through_proxy(client, password, client_address):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "webmaster", "password": password},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR=f"6.6.6.6, {client_address}",
    )


def test_behind_a_trusted_proxy_lockout_is_per_client_not_for_the_whole_site(client, webmaster, axes_on, settings):
    settings.TRUSTED_PROXIES = 1
    for _ in range(5):
        login_through_proxy(client, "wrong", "203.0.113.7")
    assert login_through_proxy(client, "webmaster-pass-123", "203.0.113.7").status_code == 429
    assert login_through_proxy(client, "webmaster-pass-123", "198.51.100.20").status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_header_does_not_escape_the_lockout(
    client, webmaster, axes_on, settings
):
    settings.TRUSTED_PROXIES = 0
    for n in range(5):
        login_through_proxy(client, "wrong", f"203.0.113.{n}")
    assert login_through_proxy(client, "webmaster-pass-123", "198.51.100.20").status_code == 429


def test_csrf_cookie_is_httponly(client):
    response = client.get("/cases/submit/")
    assert response.cookies["csrftoken"]["httponly"] is True


def test_a_post_refused_before_its_body_was_read_is_read_to_the_end(db):
    """Else the app server closes with bytes unread, the kernel resets the connection, and nginx may
    answer 502 instead of Django's page (seen in tests/deploy/test_nginx.py)."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/cases/submit/", data=b"0" * 1024 * 1024, content_type="application/octet-stream")
    assert response.status_code == 403
    assert response.wsgi_request._stream.read(1) == b""
