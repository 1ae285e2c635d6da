"""Themes (one django-taggit vocabulary): the demo list, and reading theme names with content."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import OuterRef
from taggit.models import TaggedItem

DEMO_THEMES = (
    "Sustainable tourism",
    "Green entrepreneurship",
    "Green enterprises",
    "Climate resilience and adaptation",
    "Waste management and recycling (including e-waste)",
    "Renewable energy",
    "Green building and construction",
    "Sustainable agriculture",
    "Skills for green jobs",
    "Policy",
    "Green jobs research and assessment",
)


class ThemeNamesQuerySet(models.QuerySet):
    """For content querysets whose model has ``themes`` (django-taggit)."""

    def with_theme_names(self, order: str = "tag_id"):
        """Annotate ``theme_names``, read in the same query (no per-item prefetch).

        In ``order``: by default as taggit's prefetch lists them (by tag id); calendars pass "tag__name".
        """
        names = (
            TaggedItem.objects.filter(
                content_type__app_label=self.model._meta.app_label,
                content_type__model=self.model._meta.model_name,
                object_id=OuterRef("pk"),
            )
            .order_by(order)
            .values("tag__name")
        )
        return self.annotate(theme_names=ArraySubquery(names))
