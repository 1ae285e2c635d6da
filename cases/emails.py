"""The emails of a story's journey. Called by ``cases.services`` inside the transaction that writes the row:
with the queue backend (django-mailer) sending inserts the message in that same transaction, so a
decision and its email exist together or not at all."""

import functools

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from greenjobs.core.siteurl import absolute
from greenjobs.core.webmaster import webmaster_emails

from .models import CaseStory


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def send(*, template: str, subject: str, to: list[str], context: dict) -> None:
    """Plain text (not escaped: it is not HTML) with an escaped HTML alternative."""
    if not to:
        return
    text = render_to_string(f"emails/cases/{template}.txt", context)
    html = render_to_string(f"emails/cases/{template}.html", context)
    message = EmailMultiAlternatives(one_line(subject), text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    message.send()


def story_context(case: CaseStory, **extra) -> dict:
    """Absolute links (on SITE_URL, so no request is needed): the private status page and the admin page."""
    return {
        "case": case,
        "status_url": absolute(case.get_status_url()),
        "admin_url": absolute(reverse("admin:cases_casestory_change", args=[case.pk])),
        **extra,
    }


def in_contributors_language(tell):
    """An email to the contributor, in the language they used on the site (links included)."""

    @functools.wraps(tell)
    def told(case: CaseStory, *args, **kwargs):
        with override(case.contact_language or settings.LANGUAGE_CODE):
            return tell(case, *args, **kwargs)

    return told


@in_contributors_language
def tell_received(case: CaseStory) -> None:
    send(
        template="submitted_contributor",
        subject=_("Your story “%(title)s” was received") % {"title": case.title},
        to=[case.contributor_email],
        context=story_context(case),
    )


@override(settings.LANGUAGE_CODE)
def tell_webmasters(case: CaseStory, *, again: bool = False) -> None:
    """A story waits for review: new, or sent again after changes (in the site's default language)."""
    subject = _("Case story sent again after changes: %(title)s") if again else _("New case story to review: %(title)s")
    send(
        template="submitted_webmaster",
        subject=subject % {"title": case.title},
        to=webmaster_emails(),
        context=story_context(case, again=again),
    )


@in_contributors_language
def tell_published(case: CaseStory, *, edited: bool) -> None:
    send(
        template="published",
        subject=_("Your story “%(title)s” is published") % {"title": case.title},
        to=[case.contributor_email],
        context=story_context(case, public_url=absolute(case.get_absolute_url()), edited=edited),
    )


@in_contributors_language
def tell_rejected(case: CaseStory) -> None:
    send(
        template="rejected",
        subject=_("About your story “%(title)s”") % {"title": case.title},
        to=[case.contributor_email],
        context=story_context(case),
    )


@in_contributors_language
def tell_changes_requested(case: CaseStory) -> None:
    send(
        template="changes_requested",
        subject=_("Your story “%(title)s”: the webmaster asks for changes") % {"title": case.title},
        to=[case.contributor_email],
        context=story_context(case),
    )
