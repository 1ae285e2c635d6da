"""Writes with rules: submitting, asking for changes, resending, publishing and rejecting a case story.

Views and the admin call these. Each round of a story is recorded: what the contributor sent
(``StorySubmission``, see ``cases.revisions``) and what the webmaster decided (``ModerationDecision``).
Every email is sent (queued) inside the transaction that writes the row it is about (``cases.emails``).
"""

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from PIL import Image
from taggit.models import Tag

from . import emails
from .emails import one_line
from .models import CaseStory, ModerationDecision, Status
from .photos import StoredPhoto, photo_delete, photo_names, photo_open, photo_store
from .revisions import edits_since_sent, submission_record

RESERVED_SLUGS = {"submit", "status", "feed"}
SAVE_ATTEMPTS = 3  # a slug taken by a story saved meanwhile: choose again
PHOTO_FIELDS = ("photo", "photo_width", "photo_height", "photo_renditions")


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:200].strip("-") or "story"
    if base in RESERVED_SLUGS:
        base = f"{base}-story"
    taken = set(CaseStory.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _story_text(
    *,
    title: str,
    summary: str,
    challenge: str,
    actions: str,
    environment_results: str,
    job_results: str,
    lessons: str = "",
    country: str,
    language: str = "",
    organisation: str,
    organisation_type: str,
    photo_description: str = "",
    contributor_name: str,
    contributor_email: str,
) -> dict:
    """The contributor's fields as stored: one-line fields on one line, the others trimmed."""
    return {
        "title": one_line(title),
        "summary": one_line(summary),
        "challenge": challenge.strip(),
        "actions": actions.strip(),
        "environment_results": environment_results.strip(),
        "job_results": job_results.strip(),
        "lessons": lessons.strip(),
        "country": country,
        "language": language or get_language() or settings.LANGUAGE_CODE,
        "organisation": one_line(organisation),
        "organisation_type": organisation_type,
        "photo_description": one_line(photo_description),
        "contributor_name": one_line(contributor_name),
        "contributor_email": contributor_email.strip(),
    }


def _check_photo_description(case: CaseStory, has_photo: bool) -> None:
    """A photo needs its description; without one, a description left over is dropped."""
    if not has_photo:
        case.photo_description = ""
    elif not case.photo_description:
        raise ValidationError(
            {"photo_description": _("Describe the photo for people who cannot see it.")}, code="required"
        )


def _tags(themes) -> list[Tag]:
    return [t if isinstance(t, Tag) else Tag.objects.get(name__iexact=t) for t in themes]


def _stored(photo) -> StoredPhoto | None:
    """Store a new photo (an upload or a decoded image); None for none."""
    if photo is None:
        return None
    image = photo if isinstance(photo, Image.Image) else photo_open(photo)
    try:
        return photo_store(image)
    finally:
        if image is not photo:
            image.close()


def _photo_delete_on_commit(names: list[str]) -> None:
    if names:
        transaction.on_commit(lambda: photo_delete(names), robust=True)


def case_submit(
    *,
    themes: Iterable[Tag | str] = (),
    photo=None,
    consent: bool,
    submission_key: uuid.UUID | None = None,
    **text,
) -> CaseStory:
    """Save a contributor's story as pending, keep a copy as sent, and email them their status link
    and the webmasters. ``text``: the fields of ``_story_text``. The photo is optional; with one, its
    description is required.

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
        **_story_text(**text),
        consent=True,
        consent_at=now,
        submitted_at=now,
        status=Status.PENDING,
        submission_key=submission_key,
        contact_language=get_language() or settings.LANGUAGE_CODE,
    )
    _check_photo_description(case, photo is not None)
    case.full_clean(exclude=["slug", "photo", "status_token"], validate_unique=False, validate_constraints=False)
    stored = _stored(photo)
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


def _set_stored_photo(case: CaseStory, stored: StoredPhoto | None) -> None:
    case.photo.name = stored.name if stored else ""
    case.photo_width, case.photo_height = (stored.width, stored.height) if stored else (None, None)
    case.photo_renditions = stored.renditions if stored else []


def _save_submitted(case: CaseStory, stored: StoredPhoto | None, themes) -> None:
    case.slug = unique_slug(case.title)
    if stored:
        _set_stored_photo(case, stored)
    case.save(force_insert=True)
    tags = _tags(themes)
    if tags:
        case.themes.set(tags)
    submission_record(case, themes=tags, at=case.submitted_at)
    emails.tell_received(case)
    emails.tell_webmasters(case)


@transaction.atomic
def case_publish(*, case: CaseStory, by) -> CaseStory:
    """Publish a story (pending, waiting for changes or earlier rejected), record it and email the contributor
    the public link, saying whether the webmaster edited what they sent."""
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
    emails.tell_published(case, edited=bool(edits_since_sent(case)))
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
    _set_stored_photo(case, None)
    case.save(update_fields=["status", "published_at", "moderated_by", "decision_reason", *PHOTO_FIELDS])
    ModerationDecision.objects.create(
        case=case, by=by, at=now, action=ModerationDecision.Action.REJECTED, reason=reason
    )
    emails.tell_rejected(case)
    _photo_delete_on_commit(withdrawn)
    return case


@transaction.atomic
def case_request_changes(*, case: CaseStory, by, note: str) -> CaseStory:
    """Send a pending story back to its contributor with a note: they edit it from their status page.

    It stays unpublished; resending (``case_resend``) puts it back in the queue.
    """
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Tell the contributor what to change."), code="note")
    case = CaseStory.objects.select_for_update().get(pk=case.pk)
    if case.status != Status.PENDING:
        raise ValidationError(_("Only a story waiting for review can be sent back for changes."), code="state")
    now = timezone.now()
    case.status = Status.CHANGES_REQUESTED
    case.moderated_by = by
    case.decision_reason = note
    case.save(update_fields=["status", "moderated_by", "decision_reason"])
    ModerationDecision.objects.create(
        case=case, by=by, at=now, action=ModerationDecision.Action.CHANGES_REQUESTED, reason=note
    )
    emails.tell_changes_requested(case)
    return case


def case_resend(
    *,
    case: CaseStory,
    themes: Iterable[Tag | str] = (),
    photo=None,
    remove_photo: bool = False,
    consent: bool,
    **text,
) -> CaseStory:
    """The contributor's edited story, sent again: back in the queue as pending, kept as sent, the webmasters told.

    ``text``: the fields of ``_story_text``. The photo is kept unless a new one replaces it or
    ``remove_photo``; the replaced files are deleted once this is committed. Only a story waiting
    for changes can be sent again (else a ``ValidationError`` with code ``state``).
    """
    if not consent:
        raise ValidationError(_("The story can only be sent with your consent to publish it."), code="consent")
    case = CaseStory.objects.get(pk=case.pk)
    if case.status != Status.CHANGES_REQUESTED:
        raise ValidationError(_("This story is not waiting for your changes."), code="state")
    text = _story_text(**text)
    for name, value in text.items():
        setattr(case, name, value)
    _check_photo_description(case, photo is not None or (bool(case.photo) and not remove_photo))
    case.full_clean(exclude=["slug", "photo", "status_token"], validate_unique=False, validate_constraints=False)
    text["photo_description"] = case.photo_description
    stored = _stored(photo)
    try:
        with transaction.atomic():
            return _save_resent(case.pk, text, stored, themes, remove_photo=remove_photo)
    except BaseException:
        if stored:
            photo_delete(stored.names)
        raise


def _save_resent(pk: int, text: dict, stored: StoredPhoto | None, themes, *, remove_photo: bool) -> CaseStory:
    case = CaseStory.objects.select_for_update().get(pk=pk)
    if case.status != Status.CHANGES_REQUESTED:
        raise ValidationError(_("This story is not waiting for your changes."), code="state")
    now = timezone.now()
    withdrawn = photo_names(case) if stored or remove_photo else []
    if stored or remove_photo:
        _set_stored_photo(case, stored)
    if text["title"] != case.title:
        case.slug = unique_slug(text["title"], exclude_pk=case.pk)
    for name, value in text.items():
        setattr(case, name, value)
    case.status = Status.PENDING
    case.decision_reason = ""
    case.consent_at = now
    case.save(update_fields=[*text, "slug", "status", "decision_reason", "consent_at", *PHOTO_FIELDS])
    tags = _tags(themes)
    case.themes.set(tags)
    submission_record(case, themes=tags, at=now)
    ModerationDecision.objects.create(case=case, by=None, at=now, action=ModerationDecision.Action.RESENT)
    emails.tell_webmasters(case, again=True)
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
    old = photo_names(case)
    stored = _stored(photo)
    try:
        _set_stored_photo(case, stored)
        case.save(update_fields=list(PHOTO_FIELDS))
    except Exception:
        photo_delete(stored.names)
        raise
    _photo_delete_on_commit(old)
    return case
