"""Themes (one django-taggit vocabulary): reading theme names with content. The demo list is core/themes.toml."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import OuterRef
from taggit.models import TaggedItem


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
