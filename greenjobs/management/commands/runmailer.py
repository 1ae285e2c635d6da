"""The mail worker: send the queue, retry deferred mail, and outlive database and SMTP outages.

Replaces django-mailer's ``runmailer`` (greenjobs comes before ``mailer`` in INSTALLED_APPS), whose
loop never retries deferred mail and stops at the first database error.
"""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import Error, close_old_connections, connection
from mailer.engine import send_all
from mailer.models import Message

from greenjobs.core import dbguard

logger = logging.getLogger("greenjobs.mail")

# Generous: one statement of the worker (a batch of mail) is small, but nothing should wait forever.
DB_DEADLINE = 30


def run_once(*, retry: bool) -> None:
    """One round: put deferred mail back in the queue if ``retry``, then send what is queued."""
    if retry:
        count = Message.objects.retry_deferred()
        if count:
            logger.info("Retrying %s deferred message(s)", count)
    if Message.objects.non_deferred().exists():
        send_all()


class Command(BaseCommand):
    help = (
        "Send queued email every MAILER_EMPTY_QUEUE_SLEEP seconds and retry deferred email every "
        "MAILER_RETRY_MINUTES; keep going while the database or the mail server is away."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Retry deferred mail, send the queue once and stop.")

    def handle(self, *args, once=False, **options):
        dbguard.install(query=DB_DEADLINE)
        try:
            self.loop(once=once)
        finally:
            dbguard.uninstall()

    def loop(self, *, once: bool) -> None:
        retry_every = settings.MAILER_RETRY_MINUTES * 60
        next_retry = time.monotonic() + retry_every
        failing = False
        if not once:
            self.stdout.write("Mail worker started: sending the queue (CONTROL-C to stop).")
        while True:
            retry = once or time.monotonic() >= next_retry
            try:
                run_once(retry=retry)
            except Error as exc:
                if not failing:
                    logger.error("Mail worker: database unavailable, will try again: %s", exc)
                failing = True
                connection.close()
            else:
                if failing:
                    logger.info("Mail worker: database back")
                failing = False
                if retry:
                    next_retry = time.monotonic() + retry_every
            if once:
                return
            close_old_connections()
            time.sleep(settings.MAILER_EMPTY_QUEUE_SLEEP)
