import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from taggit.managers import TaggableManager

from greenjobs.core.paths import slug_path
from greenjobs.core.publishing import PublishableQuerySet
from greenjobs.core.taxonomy import ThemeNamesQuerySet

RENDITION_WIDTHS = (400, 800, 1200)


def new_status_token() -> str:
    return secrets.token_urlsafe(32)


class OrganisationType(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    WORKERS = "workers", _("Workers' organisation")
    EMPLOYERS = "employers", _("Employers' organisation")
    GOVERNMENT = "government", _("Government")
    COOPERATIVE = "cooperative", _("Cooperative")
    COMMUNITY = "community", _("Community group")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    PENDING = "pending", _("Pending review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not accepted")


class CaseStoryQuerySet(PublishableQuerySet, ThemeNamesQuerySet):
    def published(self):
        """The stories on the site, newest first."""
        return self.filter(status=Status.PUBLISHED).order_by("-published_at", "-pk")

    def pending(self):
        return self.filter(status=Status.PENDING)

    def next_pending(self, after: "CaseStory"):
        """The pending story that follows ``after`` in the review queue (newest sent first), else the first."""
        queue = self.pending().exclude(pk=after.pk).order_by("-submitted_at", "-pk")
        return queue.filter(submitted_at__lte=after.submitted_at).first() or queue.first()


class CaseStory(models.Model):
    """A story of green, decent jobs; contributors send it, the webmaster publishes it."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True, help_text=_("Part of the story's web address."))
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One or two sentences shown on cards and lists.")
    )
    challenge = models.TextField(_("the challenge"), help_text=_("The problem the organisation faced."))
    actions = models.TextField(_("what was done"), help_text=_("The steps taken, by whom."))
    environment_results = models.TextField(
        _("results for the environment"), help_text=_("Emissions, energy, waste or nature: what changed.")
    )
    job_results = models.TextField(
        _("results for jobs and working conditions"),
        help_text=_("Jobs created or improved, pay, safety, skills, rights."),
    )
    lessons = models.TextField(_("lessons learnt"), blank=True, help_text=_("Optional advice for others."))
    country = CountryField(_("country"))
    # The language the story is written in (its page says so), and the one its contributor used on the
    # site: their emails and status link are in that one.
    # (db_default too: rows written by SQL, as bench/seed.py writes 20,000, are in English)
    language = models.CharField(
        _("language of the story"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        db_default=settings.LANGUAGE_CODE,
    )
    contact_language = models.CharField(
        _("contributor's language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        db_default=settings.LANGUAGE_CODE,
        help_text=_("The site's language when the story was sent: the contributor's emails are in it."),
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    organisation_type = models.CharField(
        _("type of organisation"), max_length=20, choices=OrganisationType.choices, default=OrganisationType.OTHER
    )
    themes = TaggableManager(
        verbose_name=_("themes"), blank=True, help_text=_("Themes shared with events and courses.")
    )

    photo = models.ImageField(
        _("photo"),
        upload_to="cases/photos/",
        max_length=200,
        blank=True,
        help_text=_("Re-encoded without metadata and stored under a random name."),
    )
    photo_width = models.PositiveIntegerField(_("photo width"), null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(_("photo height"), null=True, blank=True, editable=False)
    photo_renditions = models.JSONField(
        _("photo renditions"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Resized copies made once on upload: a list of {width, height, name}."),
    )
    photo_description = models.CharField(
        _("photo description"),
        max_length=250,
        blank=True,
        help_text=_("Alternative text for people who cannot see it."),
    )
    photo_credit = models.CharField(
        _("photo credit"), max_length=200, blank=True, help_text=_("Who took the photo; shown under it.")
    )

    contributor_name = models.CharField(_("contributor's name"), max_length=200, help_text=_("Never shown publicly."))
    contributor_email = models.EmailField(_("contributor's email"), help_text=_("Never shown publicly."))
    consent = models.BooleanField(_("consent to publish"), default=False)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.TextField(
        _("reason for the decision"),
        blank=True,
        help_text=_("Shown to the contributor when a story is not accepted or needs changes."),
    )
    submission_key = models.UUIDField(
        _("submission key"),
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("One-time key of the form that sent the story, so a double submit creates nothing."),
    )
    status_token = models.CharField(
        _("status token"),
        max_length=64,
        unique=True,
        default=new_status_token,
        editable=False,
        help_text=_("Private, unguessable key of the contributor's status page."),
    )

    objects = CaseStoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("case story")
        verbose_name_plural = _("case stories")
        ordering = ["-published_at", "-submitted_at"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="cases_status_published_idx"),
            # Read whole, index-only, once per content version by cases.selectors.StoryIndex.
            models.Index(
                fields=["-published_at", "-id"],
                include=["country", "organisation_type", "language"],
                condition=Q(status=Status.PUBLISHED),
                name="cases_published_facets_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="cases_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.REJECTED) | ~Q(decision_reason=""),
                name="cases_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CHANGES_REQUESTED) | ~Q(decision_reason=""),
                name="cases_changes_requested_has_note",
            ),
            models.CheckConstraint(
                condition=Q(consent=False) | Q(consent_at__isnull=False), name="cases_consent_dated"
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="cases_status_valid"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_path("cases:detail", self.slug)

    def get_status_url(self):
        return reverse("cases:status", kwargs={"token": self.status_token})

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def card_themes(self) -> list:
        """Themes shown on the story's card: set by the list (from its index), else read (prefetch them)."""
        if "card_themes" in self.__dict__:
            return self.__dict__["card_themes"]
        return list(self.themes.all())

    @card_themes.setter
    def card_themes(self, themes: list) -> None:
        self.__dict__["card_themes"] = themes

    def rendition_url(self, width: int = 800) -> str:
        """URL of the smallest rendition at least ``width`` wide (or the largest there is)."""
        if not self.photo_renditions:
            return self.photo.url if self.photo else ""
        ordered = sorted(self.photo_renditions, key=lambda r: r["width"])
        chosen = next((r for r in ordered if r["width"] >= width), ordered[-1])
        return self.photo.storage.url(chosen["name"])

    @property
    def thumbnail_url(self) -> str:
        return self.rendition_url(400)

    @property
    def thumbnail_height(self) -> int | None:
        return self.rendition_height(400)

    @property
    def display_height(self) -> int | None:
        return self.rendition_height(1200)

    @property
    def display_width(self) -> int | None:
        return min(self.photo_width, 1200) if self.photo_width else None

    @property
    def srcset(self) -> str:
        storage = self.photo.storage
        return ", ".join(
            f"{storage.url(r['name'])} {r['width']}w" for r in sorted(self.photo_renditions, key=lambda r: r["width"])
        )

    def rendition_height(self, width: int = 800) -> int | None:
        if not (self.photo_width and self.photo_height):
            return None
        width = min(width, self.photo_width)
        return round(self.photo_height * width / self.photo_width)


class ModerationDecision(models.Model):
    """Who decided what about a story, and why: the moderation history."""

    class Action(models.TextChoices):
        PUBLISHED = "published", _("Published")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        RESENT = "resent", _("Sent again by the contributor")
        REJECTED = "rejected", _("Rejected")

    case = models.ForeignKey(
        CaseStory, verbose_name=_("case story"), on_delete=models.CASCADE, related_name="decisions"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


class StorySubmission(models.Model):
    """The story exactly as the contributor sent it, once per sending: edits are compared with it."""

    case = models.ForeignKey(
        CaseStory, verbose_name=_("case story"), on_delete=models.CASCADE, related_name="submissions"
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    fields = models.JSONField(
        _("fields as sent"),
        default=dict,
        help_text=_("The story's fields as the contributor sent them (cases.revisions.SENT_FIELDS); never edited."),
    )

    class Meta:
        verbose_name = _("story as sent")
        verbose_name_plural = _("stories as sent")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["case", "-sent_at"], name="cases_submission_case_idx")]

    def __str__(self):
        return f"{self.case_id} · {self.sent_at:%Y-%m-%d %H:%M}"


class CaseStoryTranslation(models.Model):
    """The webmaster's translation of a published story into another site language: its page in that
    language shows it, says so and links the original."""

    story = models.ForeignKey(CaseStory, on_delete=models.CASCADE, related_name="translations", verbose_name=_("story"))
    language = models.CharField(_("language of the translation"), max_length=5, choices=settings.LANGUAGES)
    title = models.CharField(_("translated title"), max_length=200)
    summary = models.CharField(_("translated summary"), max_length=300)
    challenge = models.TextField(_("the challenge, translated"))
    actions = models.TextField(_("what was done, translated"))
    environment_results = models.TextField(_("results for the environment, translated"))
    job_results = models.TextField(_("results for jobs and working conditions, translated"))
    lessons = models.TextField(_("lessons learnt, translated"), blank=True)

    TEXT_FIELDS = ("title", "summary", "challenge", "actions", "environment_results", "job_results", "lessons")

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["story", "language"], name="cases_translation_one_per_language"),
        ]

    def __str__(self):
        return f"{self.story_id} ({self.language})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.story_id and self.language == self.story.language:
            raise ValidationError({"language": _("The story is written in this language: choose another one.")})
