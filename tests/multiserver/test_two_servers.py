"""Two app servers behind one address agree: on pages, on the story limit and on who is logged in."""

import pytest
import requests
from django.test import override_settings

from greenjobs.core.webmaster import webmaster_ensure
from tests.cases.factories import CaseStoryFactory

from .conftest import csrf_token

pytestmark = [pytest.mark.multiserver, pytest.mark.django_db(transaction=True)]

PASSWORD = "webmaster-pass-123"


@pytest.fixture
def webmaster(shared_cache):
    """The webmaster, with a password hashed as the servers' production settings expect."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        user, _ = webmaster_ensure(password=PASSWORD)
    return user


def log_in(server, browser: requests.Session) -> None:
    form = server.get("/admin/login/?next=/admin/", browser=browser)
    response = server.post(
        "/admin/login/?next=/admin/",
        browser=browser,
        data={
            "csrfmiddlewaretoken": csrf_token(form.text),
            "username": "webmaster",
            "password": PASSWORD,
            "next": "/admin/",
        },
    )
    assert response.status_code == 302, response.text[:500]
    assert response.headers["Location"] == "/admin/"


def test_a_session_started_on_one_server_works_on_the_other(servers, webmaster):
    a, b = servers
    browser = requests.Session()
    log_in(a, browser)
    admin_index = b.get("/admin/", browser=browser)
    assert admin_index.status_code == 200
    assert "Site administration" in admin_index.text
    assert "webmaster" in admin_index.text
    assert "no-store" in admin_index.headers["Cache-Control"]
    assert b.get("/admin/").status_code == 302, "without the session cookie B asks to log in"


def test_a_story_published_on_one_server_shows_on_the_other(servers, webmaster):
    a, b = servers
    CaseStoryFactory(title="Older story", photo_file=False)
    pending = CaseStoryFactory(title="Recycling e-waste safely in Dhaka", pending=True, photo_file=False)
    first = a.get("/cases/")
    assert first.status_code == 200
    assert "Older story" in first.text
    assert "Recycling e-waste safely in Dhaka" not in first.text
    from_b = b.get("/cases/")
    assert "Age" in from_b.headers, "B serves the page A rendered, from the shared cache"
    assert from_b.headers["ETag"] == first.headers["ETag"]
    assert b.get(f"/cases/{pending.slug}/").status_code == 404

    browser = requests.Session()
    log_in(a, browser)
    published = a.post(
        f"/admin/cases/casestory/{pending.pk}/publish/",
        browser=browser,
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
    )
    assert published.status_code == 302

    after = b.get("/cases/")
    assert after.status_code == 200
    assert "Recycling e-waste safely in Dhaka" in after.text
    assert b.get(f"/cases/{pending.slug}/").status_code == 200
    stale = b.get("/cases/", headers={"If-None-Match": first.headers["ETag"]})
    assert stale.status_code == 200, "a browser's copy from before the publication is not confirmed"


def test_the_story_limit_is_one_budget_across_servers(servers, shared_cache):
    a, b = servers
    CaseStoryFactory(title="Published story", photo_file=False)
    a.get("/cases/")
    browser = requests.Session()
    token = csrf_token(a.get("/cases/submit/", browser=browser).text)
    statuses = []
    for n in range(6):
        server = (a, b)[n % 2]
        response = server.post(
            "/cases/submit/",
            browser=browser,
            data={"csrfmiddlewaretoken": token, "contributor_email": "Same.Person@example.org", "title": f"Try {n}"},
        )
        statuses.append(response.status_code)
    assert 429 not in statuses[:5], statuses
    assert statuses[5] == 429
    assert "Too many stories sent" in response.text
    assert int(response.headers["Retry-After"]) > 0
    assert "Age" in b.get("/cases/").headers, "story posts do not invalidate the public pages"
