"""Reads of courses and their sessions: what is public, what comes next, and the columns each list needs."""

import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import F, Min, OuterRef, Q
from django.utils import timezone

from greenjobs.core.publishing import PublishableQuerySet
from greenjobs.core.taxonomy import ThemeNamesQuerySet

# Columns of the catalogue cards.
CARD_FIELDS = ("pk", "title", "slug", "summary", "format", "languages", "duration", "image", "image_alt")


class CourseQuerySet(PublishableQuerySet, ThemeNamesQuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_next_session(self, now: datetime.datetime | None = None):
        """Annotate ``next_session_start``: the start of the soonest session not yet begun."""
        now = now or timezone.now()
        return self.annotate(next_session_start=Min("sessions__start", filter=Q(sessions__start__gte=now)))

    def catalogue(self, now: datetime.datetime | None = None):
        """Courses with an upcoming session first (soonest first), then the rest by title."""
        return self.with_next_session(now).order_by(F("next_session_start").asc(nulls_last=True), "title", "pk")

    def with_upcoming_starts(self, now: datetime.datetime | None = None):
        """Annotate ``upcoming_starts`` and ``upcoming_session_ids``: the sessions not yet begun, soonest first."""
        sessions = self.model._meta.get_field("sessions").related_model.objects
        upcoming = sessions.filter(course=OuterRef("pk")).upcoming(now)
        return self.annotate(
            upcoming_starts=ArraySubquery(upcoming.values("start")),
            upcoming_session_ids=ArraySubquery(upcoming.values("pk")),
        )

    def for_cards(self):
        return self.only(*CARD_FIELDS)


class CourseSessionQuerySet(models.QuerySet):
    def upcoming(self, now: datetime.datetime | None = None):
        return self.filter(start__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now: datetime.datetime | None = None):
        return self.filter(start__lt=now or timezone.now()).order_by("-start", "-pk")

    def of_published_courses(self):
        return self.filter(course__in=self.model._meta.get_field("course").related_model.objects.published())
