"""Writes with rules: submitting, publishing and rejecting a case story. Views and the admin call these."""

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image
from taggit.models import Tag

from greenjobs.core.siteurl import absolute
from greenjobs.core.webmaster import webmaster_emails

from .models import CaseStory, ModerationDecision, Status
from .photos import StoredPhoto, photo_delete, photo_names, photo_open, photo_store

RESERVED_SLUGS = {"submit", "status", "feed"}
SAVE_ATTEMPTS = 3  # a slug taken by a story saved meanwhile: choose again


def absolute_url(path: str) -> str:
    """An absolute link for emails, on the canonical SITE_URL, so services need no request."""
    return absolute(path)


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:200].strip("-") or "story"
    if base in RESERVED_SLUGS:
        base = f"{base}-story"
    taken = set(CaseStory.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _send(*, template: str, subject: str, to: list[str], context: dict) -> None:
    """Plain text (not escaped: it is not HTML) with an escaped HTML alternative.

    Called inside the transaction that writes the row: with the queue backend, sending inserts
    the message in the same transaction, so a story and its emails exist together or not at all.
    """
    if not to:
        return
    text = render_to_string(f"emails/cases/{template}.txt", context)
    html = render_to_string(f"emails/cases/{template}.html", context)
    message = EmailMultiAlternatives(one_line(subject), text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    message.send()


def _photo_delete_on_commit(names: list[str]) -> None:
    if names:
        transaction.on_commit(lambda: photo_delete(names), robust=True)


def case_submit(
    *,
    title: str,
    summary: str,
    challenge: str,
    actions: str,
    environment_results: str,
    job_results: str,
    lessons: str = "",
    country: str,
    organisation: str,
    organisation_type: str,
    themes: Iterable[Tag | str] = (),
    photo=None,
    photo_description: str = "",
    contributor_name: str,
    contributor_email: str,
    consent: bool,
    submission_key: uuid.UUID | None = None,
) -> CaseStory:
    """Save a contributor's story as pending and email them their status link and the webmasters.

    A ``submission_key`` already used returns that story and creates nothing (a double submit);
    the unique column makes this hold for two requests at once too. Photo files written are
    removed again if anything after them fails. A full or read-only media folder raises
    ``PhotoStorageError`` before any row is written.
    """
    if not consent:
        raise ValidationError(_("The story can only be sent with your consent to publish it."), code="consent")
    if submission_key and (first := CaseStory.objects.filter(submission_key=submission_key).first()):
        return first
    now = timezone.now()
    case = CaseStory(
        title=one_line(title),
        summary=one_line(summary),
        challenge=challenge.strip(),
        actions=actions.strip(),
        environment_results=environment_results.strip(),
        job_results=job_results.strip(),
        lessons=lessons.strip(),
        country=country,
        organisation=one_line(organisation),
        organisation_type=organisation_type,
        photo_description=one_line(photo_description),
        contributor_name=one_line(contributor_name),
        contributor_email=contributor_email.strip(),
        consent=True,
        consent_at=now,
        submitted_at=now,
        status=Status.PENDING,
        submission_key=submission_key,
    )
    case.full_clean(exclude=["slug", "photo", "status_token"], validate_unique=False, validate_constraints=False)
    stored: StoredPhoto | None = None
    if photo is not None:
        image = photo if isinstance(photo, Image.Image) else photo_open(photo)
        try:
            stored = photo_store(image)
        finally:
            if image is not photo:
                image.close()
    try:
        for attempt in range(SAVE_ATTEMPTS):
            try:
                with transaction.atomic():
                    _save_submitted(case, stored, themes)
                break
            except IntegrityError:
                if submission_key and (first := CaseStory.objects.filter(submission_key=submission_key).first()):
                    if stored:
                        photo_delete(stored.names)
                    return first
                if attempt == SAVE_ATTEMPTS - 1:
                    raise
                case.pk = None
    except BaseException:
        if stored:
            photo_delete(stored.names)
        raise
    return case


def _save_submitted(case: CaseStory, stored: StoredPhoto | None, themes) -> None:
    case.slug = unique_slug(case.title)
    if stored:
        case.photo.name = stored.name
        case.photo_width, case.photo_height = stored.width, stored.height
        case.photo_renditions = stored.renditions
    case.save(force_insert=True)
    tags = [t if isinstance(t, Tag) else Tag.objects.get(name__iexact=t) for t in themes]
    if tags:
        case.themes.set(tags)
    context = {
        "case": case,
        "status_url": absolute_url(case.get_status_url()),
        "admin_url": absolute_url(reverse("admin:cases_casestory_change", args=[case.pk])),
    }
    _send(
        template="submitted_contributor",
        subject=_("Your story “%(title)s” was received") % {"title": case.title},
        to=[case.contributor_email],
        context=context,
    )
    _send(
        template="submitted_webmaster",
        subject=_("New case story to review: %(title)s") % {"title": case.title},
        to=webmaster_emails(),
        context=context,
    )


@transaction.atomic
def case_publish(*, case: CaseStory, by) -> CaseStory:
    """Publish a story (pending or earlier rejected), record it and email the contributor the public link."""
    case = CaseStory.objects.select_for_update().get(pk=case.pk)
    if case.status == Status.PUBLISHED:
        return case
    now = timezone.now()
    case.status = Status.PUBLISHED
    case.published_at = now
    case.moderated_by = by
    case.decision_reason = ""
    case.save(update_fields=["status", "published_at", "moderated_by", "decision_reason"])
    ModerationDecision.objects.create(case=case, by=by, at=now, action=ModerationDecision.Action.PUBLISHED)
    _send(
        template="published",
        subject=_("Your story “%(title)s” is published") % {"title": case.title},
        to=[case.contributor_email],
        context={"case": case, "public_url": absolute_url(case.get_absolute_url())},
    )
    return case


@transaction.atomic
def case_reject(*, case: CaseStory, by, reason: str) -> CaseStory:
    """Decline a story (or take a published one down) with a reason the contributor will read.

    Its photo is withdrawn with it: the files are deleted once the decision is committed.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the contributor a reason."), code="reason")
    case = CaseStory.objects.select_for_update().get(pk=case.pk)
    withdrawn = photo_names(case)
    now = timezone.now()
    case.status = Status.REJECTED
    case.published_at = None
    case.moderated_by = by
    case.decision_reason = reason
    case.photo.name = ""
    case.photo_width = case.photo_height = None
    case.photo_renditions = []
    case.save(
        update_fields=[
            "status",
            "published_at",
            "moderated_by",
            "decision_reason",
            "photo",
            "photo_width",
            "photo_height",
            "photo_renditions",
        ]
    )
    ModerationDecision.objects.create(
        case=case, by=by, at=now, action=ModerationDecision.Action.REJECTED, reason=reason
    )
    _send(
        template="rejected",
        subject=_("About your story “%(title)s”") % {"title": case.title},
        to=[case.contributor_email],
        context={"case": case, "status_url": absolute_url(case.get_status_url())},
    )
    _photo_delete_on_commit(withdrawn)
    return case


@transaction.atomic
def cases_delete(stories) -> int:
    """Delete stories (a queryset or a list) and, once that is committed, their photo files."""
    stories = list(stories)
    withdrawn = [name for case in stories for name in photo_names(case)]
    CaseStory.objects.filter(pk__in=[case.pk for case in stories]).delete()
    _photo_delete_on_commit(withdrawn)
    return len(stories)


def case_set_photo(*, case: CaseStory, photo) -> CaseStory:
    """Replace a story's photo (admin): same checks and renditions as the public form; old files removed."""
    image = photo if isinstance(photo, Image.Image) else photo_open(photo)
    old = [case.photo.name, *(r["name"] for r in case.photo_renditions)] if case.photo else []
    stored = photo_store(image)
    try:
        case.photo.name = stored.name
        case.photo_width, case.photo_height = stored.width, stored.height
        case.photo_renditions = stored.renditions
        case.save(update_fields=["photo", "photo_width", "photo_height", "photo_renditions"])
    except Exception:
        photo_delete(stored.names)
        raise
    transaction.on_commit(lambda: photo_delete(old))
    return case
