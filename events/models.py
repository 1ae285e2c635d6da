import datetime as dt
import zoneinfo
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.postgres.indexes import GistIndex
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from taggit.managers import TaggableManager

from greenjobs.core.labels import country_name
from greenjobs.core.markdown import html_of, kept_html
from greenjobs.core.media import stored_size
from greenjobs.core.paths import slug_path
from greenjobs.core.timezones import validate_timezone, zone_city
from greenjobs.core.translated import in_english

from .labels import when_label
from .links import link_errors, linkable_kinds, linked_course
from .querysets import EventManager, event_days
from .validators import DOCUMENT_EXTENSIONS, validate_document_size, validate_not_reserved

# The Markdown sections of an event page, in its order, with their headings.
SECTIONS = (
    ("background", _("Background")),
    ("objectives", _("Objectives")),
    ("target_participants", _("Target participants")),
    ("programme", _("Programme and approach")),
)


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Event(models.Model):
    """A meeting or event of the programme, with dates kept in its own time zone."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        WORKSHOP = "workshop", _("Workshop")
        TRAINING = "training", _("Training")
        CONFERENCE = "conference", _("Conference")
        WEBINAR = "webinar", _("Webinar")

    Status = EventStatus

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        validators=[validate_not_reserved],
        help_text=_("The address of the event page: /events/<slug>/."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("Only published events appear on the site and in calendar feeds."),
    )
    all_day = models.BooleanField(
        _("all day"),
        default=False,
        help_text=_("Tick for events that run whole days: leave the start and end times empty."),
    )
    start_date = models.DateField(_("start date"), help_text=_("First day, in the event's time zone."))
    start_time = models.TimeField(
        _("start time"), null=True, blank=True, help_text=_("Local time in the event's time zone.")
    )
    end_date = models.DateField(_("end date"), help_text=_("Last day, in the event's time zone."))
    end_time = models.TimeField(_("end time"), null=True, blank=True, help_text=_("Local time on the end date."))
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text=_("IANA name of the place where the event happens, e.g. Asia/Bangkok or Europe/Geneva."),
    )
    starts_at = models.DateTimeField(
        _("starts at"), editable=False, db_index=True, help_text=_("Start as an instant; computed on save.")
    )
    ends_at = models.DateTimeField(
        _("ends at"),
        editable=False,
        db_index=True,
        help_text=_("End as an instant (midnight after the last day for all-day events); computed on save."),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True, help_text=_("Building or hotel."))
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Where participants join online (webinars, hybrid meetings).")
    )
    summary = models.TextField(_("summary"), help_text=_("Two or three sentences shown in lists and feeds."))
    background = models.TextField(_("background"), blank=True, help_text=_("Markdown."))
    objectives = models.TextField(_("objectives"), blank=True, help_text=_("Markdown."))
    target_participants = models.TextField(_("target participants"), blank=True, help_text=_("Markdown."))
    programme = models.TextField(_("programme and approach"), blank=True, help_text=_("Markdown."))
    # The four Markdown sections as HTML in each language, rendered at save (``sections``).
    # Null in a row written without the ORM (a bulk load): rendered when shown.
    rendered = models.JSONField(_("sections as HTML"), default=dict, null=True, blank=True, editable=False)
    themes = TaggableManager(verbose_name=_("themes"), blank=True, help_text=_("Themes shared with case stories."))
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_title = models.CharField(_("contact title"), max_length=200, blank=True, help_text=_("Job title."))
    contact_email = models.EmailField(_("contact email"), blank=True)
    # The course an event belongs to (a training held as a session of a course): a generic link, so that the
    # events app names no other app; the kinds offered are those on the one calendar.
    course_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=linkable_kinds,
        verbose_name=_("linked kind"),
        help_text=_("With “linked item”: the course this event is part of (its page links here and back)."),
    )
    course_object_id = models.PositiveBigIntegerField(
        _("linked item"), null=True, blank=True, help_text=_("The number of the course (in its admin address).")
    )
    course = GenericForeignKey("course_type", "course_object_id")
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventManager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "title"]
        indexes = [
            models.Index(fields=["start_date", "end_date"], name="event_dates_idx"),
            GistIndex(event_days(), name="event_days_gist"),
            # Public lists and the calendar feed: published events by end (upcoming, past, the feed's window).
            models.Index(
                fields=["ends_at", "starts_at"],
                name="event_published_ends_idx",
                condition=Q(status=EventStatus.PUBLISHED),
            ),
            # A course page's events: those that name it.
            models.Index(
                fields=["course_type", "course_object_id"],
                name="event_course_idx",
                condition=Q(course_object_id__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="event_end_date_after_start"
            ),
            models.CheckConstraint(
                condition=Q(all_day=True, start_time__isnull=True, end_time__isnull=True)
                | Q(all_day=False, start_time__isnull=False, end_time__isnull=False),
                name="event_times_match_all_day",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date"))
                | Q(all_day=True)
                | Q(end_time__gte=models.F("start_time")),
                name="event_end_time_after_start",
            ),
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(course_type__isnull=True, course_object_id__isnull=True)
                | Q(course_type__isnull=False, course_object_id__isnull=False),
                name="event_course_link_whole",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.sync_instants()
        self.rendered = self.render_sections()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "rendered"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_path("events:detail", self.slug)

    def get_ics_url(self):
        return slug_path("events:ics", self.slug)

    @property
    def is_public(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    # --- time --------------------------------------------------------------

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def zone_city(self) -> str:
        return zone_city(self.timezone)

    @property
    def local_start(self) -> dt.datetime | None:
        if self.all_day or self.start_time is None:
            return None
        return dt.datetime.combine(self.start_date, self.start_time, tzinfo=self.zone)

    @property
    def local_end(self) -> dt.datetime | None:
        if self.all_day or self.end_time is None:
            return None
        return dt.datetime.combine(self.end_date, self.end_time, tzinfo=self.zone)

    @property
    def start_hhmm(self) -> str:
        """Local start time as 09:00 (empty for all-day events)."""
        return f"{self.start_time:%H:%M}" if self.start_time else ""

    @property
    def last_date(self) -> dt.date:
        """Last local date the event covers: a timed event ending at 00:00 does not cover that day."""
        if not self.all_day and self.end_time == dt.time(0) and self.end_date > self.start_date:
            return self.end_date - dt.timedelta(days=1)
        return self.end_date

    @property
    def is_multi_day(self) -> bool:
        return self.last_date > self.start_date

    def dates(self) -> list[dt.date]:
        return [self.start_date + dt.timedelta(days=n) for n in range((self.last_date - self.start_date).days + 1)]

    def sync_instants(self) -> None:
        """Set starts_at/ends_at (in UTC) from the local fields; call it before bulk_create."""
        if self.all_day:
            start = dt.datetime.combine(self.start_date, dt.time(0), tzinfo=self.zone)
            end = dt.datetime.combine(self.end_date + dt.timedelta(days=1), dt.time(0), tzinfo=self.zone)
        else:
            start, end = self.local_start, self.local_end
        self.starts_at, self.ends_at = start.astimezone(dt.UTC), end.astimezone(dt.UTC)

    def when_label(self) -> str:
        """Dates and times in the event's own zone, e.g. "28 April 2014, 09:00 Bangkok time (UTC+7)"."""
        return when_label(self)

    # --- content -----------------------------------------------------------

    @property
    def kind_label(self) -> str:
        """The kind's name, without the cost of get_kind_display() (which translates every choice)."""
        try:
            return str(self.Kind(self.kind).label)
        except ValueError:
            return self.kind

    @property
    def place_label(self) -> str:
        parts = [self.venue, self.city, country_name(self.country.code) if self.country else ""]
        return ", ".join(part for part in parts if part)

    def render_sections(self) -> dict:
        """The Markdown sections of every language as HTML, kept with the event (``rendered``): a page view
        renders none. An event created in bulk, or a text changed without a save, is rendered when shown."""
        languages = settings.MODELTRANSLATION_LANGUAGES
        return kept_html(
            {f"{name}_{code}": getattr(self, f"{name}_{code}", "") for name, _heading in SECTIONS for code in languages}
        )

    def sections(self) -> list[tuple[str, str, bool]]:
        """The Markdown sections that have content, rendered and sanitised, each with whether it shows the
        English text on a French or Spanish page (its translation is empty)."""
        kept = self.__dict__.get("rendered")  # not read again when the query left it out
        language = get_language() or settings.LANGUAGE_CODE
        return [
            (
                str(heading),
                html_of(text, kept, f"{name}_{language}", f"{name}_{settings.LANGUAGE_CODE}"),
                in_english(self, name),
            )
            for name, heading in SECTIONS
            if (text := getattr(self, name)).strip()
        ]

    def clean(self):
        errors = {}
        if self.all_day:
            if self.start_time or self.end_time:
                errors["all_day"] = _("An all-day event has no start or end time: clear them or untick “all day”.")
        else:
            if self.start_time is None:
                errors["start_time"] = _("A timed event needs a start time (or tick “all day”).")
            if self.end_time is None:
                errors["end_time"] = _("A timed event needs an end time (or tick “all day”).")
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                errors["end_date"] = _("The event ends before it starts.")
            elif (
                self.end_date == self.start_date
                and self.start_time
                and self.end_time
                and self.end_time < self.start_time
                and not self.all_day
            ):
                errors["end_time"] = _("The event ends before it starts.")
        errors.update(link_errors(self))
        if errors:
            raise ValidationError(errors)

    def linked_course(self, *, public_only: bool = True):
        """The course the event names, or None (a course that is not public, for visitors)."""
        return linked_course(self, public_only=public_only)


class AgendaItem(models.Model):
    """One session of an event's programme, on one of its days."""

    class SessionType(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        GROUP_WORK = "group_work", _("Group work")
        FIELD_VISIT = "field_visit", _("Field visit")
        BREAK = "break", _("Break")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("event"))
    date = models.DateField(_("date"), help_text=_("A day of the event, in its time zone."))
    start_time = models.TimeField(_("start time"), help_text=_("Local time in the event's time zone."))
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    speakers = models.CharField(_("speakers or facilitators"), max_length=300, blank=True)
    session_type = models.CharField(
        _("session type"), max_length=20, choices=SessionType.choices, default=SessionType.PLENARY
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Sorts sessions that start at the same time.")
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["date", "start_time", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(end_time__gte=models.F("start_time")),
                name="agendaitem_end_after_start",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.start_time and self.end_time and self.end_time < self.start_time:
            errors["end_time"] = _("This session ends before it starts.")
        try:
            event = self.event
        except Event.DoesNotExist:
            event = None
        if (
            self.date
            and event is not None
            and event.start_date
            and event.end_date
            and not event.start_date <= self.date <= event.end_date
        ):
            errors["date"] = _("%(date)s is outside the event, which runs from %(start)s to %(end)s.") % {
                "date": date_format(self.date, "DATE_FORMAT"),
                "start": date_format(event.start_date, "DATE_FORMAT"),
                "end": date_format(event.end_date, "DATE_FORMAT"),
            }
        if errors:
            raise ValidationError(errors)


class Document(models.Model):
    """A file for participants; its size is stored so listings need no filesystem access."""

    class Kind(models.TextChoices):
        TECHNICAL_NOTE = "technical_note", _("Technical note")
        AGENDA = "agenda", _("Agenda")
        PRESENTATION = "presentation", _("Presentation")
        REPORT = "report", _("Report")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="documents", verbose_name=_("event"))
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to="events/documents/%Y/",
        max_length=255,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS), validate_document_size],
        help_text=_("PDF, Word, PowerPoint, Excel, OpenDocument, text or CSV; at most 20 MB."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REPORT)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file:
            self.size = stored_size(self.file, default=self.size or 0)
        super().save(*args, **kwargs)

    @property
    def file_type(self) -> str:
        """PDF, DOCX, ... from the file name's extension."""
        return PurePosixPath(self.file.name).suffix.lstrip(".").upper()
