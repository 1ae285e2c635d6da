"""Server errors reach the webmasters: an honest 500 page, one log record, one queued mail per error per window."""

import pytest
from django.test import Client
from django.urls import path
from mailer.models import Message

import greenjobs.urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def boom(request):
    raise ValueError("the view broke")


def other_boom(request):
    raise KeyError("another fault")


urlpatterns = [path("boom/", boom), path("other-boom/", other_boom), *greenjobs.urls.urlpatterns]
handler500 = greenjobs.urls.handler500


@pytest.fixture
def reported(settings):
    """Production error reporting: ADMINS set, mail through the queue, one mail per error per 10 minutes."""
    settings.ADMINS = [("", "admin@greenjobs.example")]
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.ERROR_MAIL_MINUTES = 10
    return settings


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def test_a_server_error_shows_the_500_page_and_queues_one_mail_to_the_admins(reported, visitor):
    response = visitor.get("/boom/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "The error has been recorded and reported to the webmaster." in html
    assert 'class="site-header"' in html  # the site's own styled page
    message = Message.objects.get()
    assert message.to_addresses == ["admin@greenjobs.example"]
    assert "Internal Server Error: /boom/" in message.subject
    assert "ValueError" in message.email.body


def test_the_same_error_again_within_the_window_queues_no_second_mail(reported, visitor):
    assert visitor.get("/boom/").status_code == 500
    assert visitor.get("/boom/").status_code == 500
    assert visitor.get("/boom/?again=1").status_code == 500

    assert Message.objects.count() == 1


def test_a_different_error_is_mailed_too(reported, visitor):
    visitor.get("/boom/")
    visitor.get("/other-boom/")

    assert sorted(m.subject.split(": ", 1)[1] for m in Message.objects.all()) == [
        "Internal Server Error: /boom/",
        "Internal Server Error: /other-boom/",
    ]


def test_after_the_window_the_same_error_is_mailed_again(reported, visitor, time_machine):
    time_machine.move_to("2026-03-01 10:00Z", tick=False)
    visitor.get("/boom/")
    time_machine.move_to("2026-03-01 10:09Z", tick=False)
    visitor.get("/boom/")
    assert Message.objects.count() == 1

    time_machine.move_to("2026-03-01 10:11Z", tick=False)
    visitor.get("/boom/")
    assert Message.objects.count() == 2


def test_the_error_is_logged_once_with_the_request_and_one_traceback(reported, visitor, console):
    visitor.get("/boom/")
    err = console.getvalue()

    assert err.count("Traceback (most recent call last)") == 1
    assert err.count("ValueError: the view broke") == 1
    assert "ERROR django.request [GET /boom/ 500] Internal Server Error: /boom/" in err


def test_without_admins_the_page_claims_no_report(settings, visitor):
    settings.ADMINS = []
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"

    html = visitor.get("/boom/").content.decode()

    assert "The error has been recorded." in html
    assert "webmaster" not in html
    assert not Message.objects.exists()
