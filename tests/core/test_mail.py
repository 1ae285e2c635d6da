"""Mail never fails a request and is never lost: it is queued with the story and sent by the worker.

Each test starts a real SMTP server on a free port (aiosmtpd) that accepts, refuses or never answers,
and submits a story through the public form.
"""

import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from mailer.models import Message, MessageLog

from cases.models import CaseStory
from tests.cases.conftest import form_data
from tests.helpers import settings_of
from tests.services import free_port

pytestmark = pytest.mark.django_db

EMAIL_TIMEOUT = 1


def test_production_queues_every_email_and_sends_it_by_smtp_or_to_the_console():
    names = ("EMAIL_BACKEND", "MAILER_EMAIL_BACKEND", "EMAIL_TIMEOUT", "ADMINS")
    development = settings_of(*names)
    assert development == {
        "EMAIL_BACKEND": "mailer.backend.DbBackend",
        "MAILER_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "EMAIL_TIMEOUT": 10.0,
        "ADMINS": [],
    }
    production = settings_of(
        *names, EMAIL_HOST="smtp.example.org", EMAIL_TIMEOUT="4", WEBMASTER_EMAILS="a@example.org,b@example.org"
    )
    assert production == {
        "EMAIL_BACKEND": "mailer.backend.DbBackend",
        "MAILER_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_TIMEOUT": 4.0,
        "ADMINS": [["", "a@example.org"], ["", "b@example.org"]],
    }
    chosen = settings_of(
        *names, EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", ADMINS="ops@example.org"
    )
    assert chosen["EMAIL_BACKEND"] == "mailer.backend.DbBackend"
    assert chosen["MAILER_EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert chosen["ADMINS"] == [["", "ops@example.org"]]


class Inbox:
    """An aiosmtpd handler that keeps what it accepts, or refuses every message with ``refuse``."""

    def __init__(self, refuse: str = ""):
        self.refuse = refuse
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return self.refuse
        self.received.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    """Start an SMTP server; returns a function ``start(refuse="")`` giving (port, inbox)."""
    controllers = []

    def start(refuse: str = ""):
        inbox = Inbox(refuse)
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
        controller.start()
        controllers.append(controller)
        return controller.port, inbox

    yield start
    for controller in controllers:
        controller.stop()


class SilentServer:
    """Accepts TCP connections and never says a word: the SMTP greeting never comes."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.connections:
            conn.close()


@pytest.fixture
def queued_mail(settings):
    """Production mail settings: every email goes to the queue; the worker sends it by SMTP."""
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = EMAIL_TIMEOUT
    return settings


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_PORT = port


def submit(client, email: str):
    return client.post("/cases/submit/", form_data(title=f"Story from {email}", contributor_email=email))


def run_queue() -> None:
    call_command("runmailer", "--once")


def test_a_submitted_story_is_mailed_when_the_queue_runs(client, queued_mail, smtp_server, webmaster):
    port, inbox = smtp_server()
    use_smtp(queued_mail, port)

    response = submit(client, "maya@example.org")

    assert response.status_code == 302 and response["Location"].startswith("/cases/submit/thanks/")
    assert CaseStory.objects.count() == 1
    assert inbox.received == []  # the request talked no SMTP: the two emails wait in the queue
    assert Message.objects.count() == 2

    run_queue()

    recipients = sorted(rcpt for envelope in inbox.received for rcpt in envelope.rcpt_tos)
    assert recipients == ["maya@example.org", "webmaster@greenjobs.example"]
    assert "Story from maya@example.org" in inbox.received[0].content.decode()
    assert Message.objects.count() == 0
    assert MessageLog.objects.filter(result="1").count() == 2  # "1": success


def test_a_refusing_server_defers_the_mail_which_the_webmaster_sees_and_a_later_run_sends(
    client, queued_mail, smtp_server, webmaster, webmaster_client
):
    refusing_port, refusing = smtp_server(refuse="451 4.3.0 Try again later")
    use_smtp(queued_mail, refusing_port)

    response = submit(client, "refused@example.org")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert CaseStory.objects.filter(contributor_email="refused@example.org").exists()

    run_queue()

    assert refusing.received == []
    assert Message.objects.count() == 2
    assert Message.objects.deferred().count() == 2
    failures = MessageLog.objects.filter(result="3")  # "3": failure
    assert failures.count() == 2 and "Try again later" in failures.first().log_message

    queue_page = webmaster_client.get("/admin/mailer/message/")
    assert queue_page.status_code == 200
    assert "Your story “Story from refused@example.org” was received" in queue_page.content.decode()
    log_page = webmaster_client.get("/admin/mailer/messagelog/")
    assert log_page.status_code == 200 and "refused@example.org" in log_page.content.decode()

    accepting_port, accepting = smtp_server()
    use_smtp(queued_mail, accepting_port)
    run_queue()

    assert sorted(r for e in accepting.received for r in e.rcpt_tos) == [
        "refused@example.org",
        "webmaster@greenjobs.example",
    ]
    assert Message.objects.count() == 0


def test_the_webmaster_sends_deferred_mail_again_from_the_admin(
    client, queued_mail, smtp_server, webmaster, webmaster_client
):
    refusing_port, _ = smtp_server(refuse="550 5.7.1 Not now")
    use_smtp(queued_mail, refusing_port)
    submit(client, "again@example.org")
    run_queue()
    deferred = next(m for m in Message.objects.deferred() if m.to_addresses == ["again@example.org"])

    accepting_port, accepting = smtp_server()
    use_smtp(queued_mail, accepting_port)
    response = webmaster_client.post(
        "/admin/mailer/message/", {"action": "send_messages", "_selected_action": [deferred.pk]}, follow=True
    )

    assert response.status_code == 200 and "Message(s) sent." in response.content.decode()
    assert [e.rcpt_tos for e in accepting.received] == [["again@example.org"]]
    assert not Message.objects.filter(pk=deferred.pk).exists()
    assert Message.objects.deferred().count() == 1  # the webmaster notice, not selected, waits for its retry


def test_a_server_that_never_answers_holds_no_request_and_loses_no_mail(client, queued_mail, webmaster):
    silent = SilentServer()
    try:
        use_smtp(queued_mail, silent.port)

        response = submit(client, "silent@example.org")

        assert response.status_code == 302
        assert silent.connections == []  # the request never opened an SMTP connection

        started = time.monotonic()
        run_queue()
        elapsed = time.monotonic() - started

        assert len(silent.connections) >= 1  # the worker did try
        # Each message gives up after EMAIL_TIMEOUT: the worker is not held either.
        assert elapsed < 2 * EMAIL_TIMEOUT + 5
        assert Message.objects.deferred().count() == 2
        assert "timed out" in MessageLog.objects.filter(result="3").first().log_message
    finally:
        silent.close()


def test_the_mail_worker_keeps_going_when_the_database_errs(monkeypatch, caplog):
    """A database error in a round is logged once and the loop goes on (here: stopped after two rounds)."""
    from django.db import OperationalError

    from greenjobs.management.commands import runmailer

    rounds = []

    def failing_round(*, retry):
        rounds.append(retry)
        if len(rounds) >= 3:
            raise KeyboardInterrupt
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(runmailer, "run_once", failing_round)
    monkeypatch.setattr(runmailer.time, "sleep", lambda seconds: None)
    with pytest.raises(KeyboardInterrupt):
        call_command("runmailer")

    assert len(rounds) == 3
    errors = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(errors) == 1
