"""Courses, their sessions, and the steps a participant takes to prepare for them."""

import datetime
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from taggit.managers import TaggableManager

from greenjobs.core.labels import country_name, formatted
from greenjobs.core.media import stored_size
from greenjobs.core.paths import slug_path
from greenjobs.core.timezones import Zoned, validate_timezone

from .labels import choice_label
from .querysets import CourseQuerySet, CourseSessionQuerySet


class CourseFormat(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face-to-face")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    ARABIC = "ar", _("Arabic")
    PORTUGUESE = "pt", _("Portuguese")
    RUSSIAN = "ru", _("Russian")
    CHINESE = "zh", _("Chinese")


class Course(models.Model):
    title = models.CharField(_("title"), max_length=200, help_text=_("The course name, as on certificates."))
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("The last part of the page address."))
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One or two sentences shown on the catalogue card.")
    )
    description = models.TextField(_("description"), help_text=_("The overview. Separate paragraphs by a blank line."))
    learning_objectives = models.TextField(
        _("learning objectives"),
        blank=True,
        help_text=_("One objective per line; shown as a list."),
    )
    who_should_attend = models.TextField(_("who should attend"), blank=True, help_text=_("The intended participants."))
    prerequisites = models.TextField(
        _("prerequisites"), blank=True, help_text=_("What participants should know or have before applying.")
    )
    format = models.CharField(_("format"), max_length=20, choices=CourseFormat.choices, default=CourseFormat.BLENDED)
    languages = ArrayField(
        models.CharField(max_length=5, choices=Language.choices),
        verbose_name=_("languages"),
        default=list,
        blank=True,
        help_text=_("Languages the course is taught in."),
    )
    duration = models.CharField(
        _("duration"), max_length=100, blank=True, help_text=_("For example “5 days” or “6 weeks”.")
    )
    effort = models.CharField(
        _("effort"), max_length=100, blank=True, help_text=_("For example “full days” or “3 hours a week”.")
    )
    themes = TaggableManager(verbose_name=_("themes"), blank=True, help_text=_("Themes shared with case stories."))
    image = models.ImageField(
        _("image"), upload_to="courses/images/", blank=True, help_text=_("A landscape picture, at least 900 px wide.")
    )
    image_alt = models.CharField(
        _("image description"),
        max_length=200,
        blank=True,
        help_text=_("Describe the picture for people who cannot see it."),
    )
    is_published = models.BooleanField(_("published"), default=False, help_text=_("Only published courses are public."))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_path("courses:detail", self.slug)

    @property
    def is_public(self) -> bool:
        return self.is_published

    @property
    def format_label(self) -> str:
        return choice_label(CourseFormat, self.format)

    @property
    def objectives(self) -> list[str]:
        return [line.strip(" -*\t") for line in self.learning_objectives.splitlines() if line.strip(" -*\t")]

    def get_language_labels(self) -> list[str]:
        return [choice_label(Language, code) for code in self.languages]


class SessionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FULL = "full", _("Full")
    CLOSED = "closed", _("Closed")


class CourseSession(Zoned, models.Model):
    """One run of a course, at a place (or online), in a time zone."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("course"))
    start = models.DateTimeField(_("start"), help_text=_("Local time at the venue, in the session's time zone."))
    end = models.DateTimeField(_("end"), help_text=_("Local time at the venue; not before the start."))
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text=_("The IANA name of the venue's time zone, for example Europe/Rome. Online: the organisers' zone."),
    )
    is_online = models.BooleanField(_("online"), default=False, help_text=_("Held online; no venue needed."))
    venue = models.CharField(_("venue"), max_length=200, blank=True, help_text=_("Building or organisation."))
    city = models.CharField(
        _("city"), max_length=100, blank=True, help_text=_("Required unless the session is online.")
    )
    country = CountryField(_("country"), blank=True, help_text=_("Required unless the session is online."))
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH, help_text=_("Taught in.")
    )
    application_deadline = models.DateField(
        _("application deadline"),
        null=True,
        blank=True,
        help_text=_("Last day to apply, in the session's time zone; not after the day the session starts."),
    )
    registration_url = models.URLField(_("registration link"), blank=True, help_text=_("Where people apply."))
    notes = models.TextField(
        _("notes"),
        blank=True,
        db_default="",  # rows written by SQL (bench/seed.py) have none
        help_text=_("What participants of this session should know: visas, lodging, hours, what to bring."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SessionStatus.choices,
        default=SessionStatus.OPEN,
        help_text=_("Open: taking applications. Full: no places left. Closed: applications closed."),
    )

    objects = CourseSessionQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("course session")
        verbose_name_plural = _("course sessions")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="courses_session_end_after_start"),
            models.CheckConstraint(condition=Q(is_online=True) | ~Q(city=""), name="courses_session_online_or_city"),
            # The exact rule (local start day) is in clean(); this is the widest it can be in UTC.
            models.CheckConstraint(
                condition=Q(application_deadline__isnull=True)
                | Q(application_deadline__lte=TruncDate("start") + datetime.timedelta(days=1)),
                name="courses_session_deadline_before_start",
            ),
        ]

    def __str__(self):
        return f"{self.course} · {self.local_start:%Y-%m-%d} · {self.place}"

    @property
    def start_iso(self) -> str:
        return self.local_start.isoformat()

    @property
    def end_iso(self) -> str:
        return self.local_end.isoformat()

    @property
    def start_day(self) -> str:
        """ "4 Mar 2030", the local start day."""
        return formatted(self.local_start.date(), "j M Y")

    @property
    def end_day(self) -> str:
        """The local end day like start_day, or "" when the session ends the day it starts."""
        end = self.local_end.date()
        return "" if end == self.local_start.date() else formatted(end, "j M Y")

    @property
    def start_when(self) -> str:
        """ "Mon 4 Mar 2030, 09:30" in the session's zone."""
        start = self.local_start
        return f"{formatted(start.date(), 'D j M Y')}, {start:%H:%M}"

    @property
    def end_when(self) -> str:
        """The end like start_when, or only "17:00" when it ends the day it starts."""
        start, end = self.local_start, self.local_end
        if start.date() == end.date():
            return f"{end:%H:%M}"
        return f"{formatted(end.date(), 'D j M Y')}, {end:%H:%M}"

    @property
    def language_label(self) -> str:
        return choice_label(Language, self.language)

    @property
    def status_label(self) -> str:
        return choice_label(SessionStatus, self.status)

    @property
    def deadline_iso(self) -> str:
        return self.application_deadline.isoformat() if self.application_deadline else ""

    @property
    def deadline_label(self) -> str:
        return formatted(self.application_deadline, "j M Y") if self.application_deadline else ""

    @property
    def zone_abbreviation(self) -> str:
        """ "CET", or "UTC-05" where the zone has no letters of its own."""
        name = self.local_start.tzname() or ""
        return f"UTC{name}" if name[:1] in "+-" else name

    @property
    def place(self) -> str:
        if self.is_online:
            return str(_("Online"))
        parts = [self.venue, self.city, country_name(self.country.code) if self.country else ""]
        return ", ".join(part for part in parts if part)

    @property
    def is_past(self) -> bool:
        return self.start < timezone.now()

    @property
    def can_apply(self) -> bool:
        if self.status != SessionStatus.OPEN or not self.registration_url or self.is_past:
            return False
        return not self.application_deadline or self.application_deadline >= timezone.now().astimezone(self.zone).date()

    def get_ics_url(self):
        return reverse("courses:session_ics", kwargs={"slug": self.course.slug, "pk": self.pk})

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The session cannot end before it starts.")
        if self.start and self.application_deadline:
            start_day = self.start.astimezone(self.zone).date()
            if self.application_deadline > start_day:
                errors["application_deadline"] = _(
                    "The application deadline (%(deadline)s) is after the session starts (%(start)s). "
                    "Choose a day on or before the start."
                ) % {"deadline": self.application_deadline.isoformat(), "start": start_day.isoformat()}
        if not self.is_online and not self.city:
            errors["city"] = _("Give the city, or tick “online”.")
        if errors:
            raise ValidationError(errors)


class StepKind(models.TextChoices):
    READ = "read", _("Read")
    WATCH = "watch", _("Watch")
    DO = "do", _("Do")
    BRING = "bring", _("Bring")
    SELF_ASSESS = "self_assess", _("Self-assess")


class PreparationStep(models.Model):
    """Something a participant reads, watches, does or brings before the course."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="steps", verbose_name=_("course"))
    session = models.ForeignKey(
        CourseSession,
        on_delete=models.CASCADE,
        related_name="steps",
        null=True,
        blank=True,
        verbose_name=_("only for session"),
        help_text=_("Leave empty when the step is for every session of the course."),
    )
    order = models.PositiveIntegerField(_("order"), default=0, help_text=_("Steps are listed from the lowest number."))
    title = models.CharField(_("title"), max_length=200, help_text=_("What to do, starting with a verb."))
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=StepKind.choices,
        default=StepKind.READ,
        help_text=_("Shown with an icon: read, watch, do, bring or self-assess."),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("What to do and why it helps."))
    url = models.URLField(
        _("link"), max_length=500, blank=True, help_text=_("A web page or video. Give a link or a file.")
    )
    file = models.FileField(
        _("file"), upload_to="courses/steps/", blank=True, help_text=_("A document to download. Give a link or a file.")
    )
    file_size = models.PositiveBigIntegerField(
        _("file size"), null=True, blank=True, editable=False, help_text=_("In bytes; set when saved.")
    )
    estimated_minutes = models.PositiveIntegerField(
        _("estimated minutes"), default=0, help_text=_("About how long the step takes.")
    )
    required = models.BooleanField(_("required"), default=True, help_text=_("Untick for optional steps."))

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("preparation step")
        verbose_name_plural = _("preparation steps")
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="courses_step_link_or_file",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.file_size = stored_size(self.file)
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if bool(self.url) == bool(self.file):
            errors["url"] = _("Give either a link or a file, not both and not neither.")
        if self.session_id and self.course_id and self.session.course_id != self.course_id:
            errors["session"] = _("This session belongs to another course.")
        if errors:
            raise ValidationError(errors)

    @property
    def kind_label(self) -> str:
        return choice_label(StepKind, self.kind)

    @property
    def file_type(self) -> str:
        """The file's type from its extension, e.g. "PDF"."""
        if not self.file:
            return ""
        return PurePosixPath(self.file.name).suffix.lstrip(".").upper()

    @property
    def link_host(self) -> str:
        return urlsplit(self.url).hostname or "" if self.url else ""

    @property
    def href(self) -> str:
        return self.file.url if self.file else self.url
