from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from greenjobs.core.searchtext import CONFIG


class SearchDocument(models.Model):
    """One public page as the site search sees it; only public items have a row (greenjobs/discovery/search.py).

    ``kind`` is the kind an app registered (``greenjobs.core.registry``); ``vector`` is computed by
    PostgreSQL from the text columns (a generated column, weighted A title, B summary and themes, C body).
    """

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("content type"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    kind = models.CharField(_("kind"), max_length=10, help_text=_("Filter of the search page: the app's kind."))
    title = models.CharField(_("title"), max_length=300, help_text=_("Weighted A."))
    summary = models.TextField(_("summary"), blank=True, help_text=_("Weighted B."))
    body = models.TextField(_("body"), blank=True, help_text=_("Plain text of the other sections, weighted C."))
    url = models.CharField(_("address"), max_length=500, help_text=_("Path of the public page."))
    themes = models.TextField(_("themes"), blank=True, help_text=_("Theme names, comma-separated, for display."))
    theme_ids = ArrayField(
        models.PositiveIntegerField(),
        verbose_name=_("theme ids"),
        default=list,
        blank=True,
        help_text=_("Tag ids, for counting published items per theme."),
    )
    date = models.DateTimeField(_("date"), null=True, blank=True, help_text=_("Sorts results of equal rank."))
    updated = models.DateTimeField(_("indexed at"), auto_now=True, help_text=_("Last time the row was written."))
    vector = models.GeneratedField(
        expression=(
            SearchVector("title", weight="A", config=CONFIG)
            + SearchVector("summary", "themes", weight="B", config=CONFIG)
            + SearchVector("body", weight="C", config=CONFIG)
        ),
        output_field=SearchVectorField(),
        db_persist=True,
        verbose_name=_("search vector"),
    )

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        ordering = ["kind", "title"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="searchdocument_unique_object"),
        ]
        indexes = [
            GinIndex(fields=["vector"], name="searchdocument_vector_gin"),
            GinIndex(fields=["theme_ids"], name="searchdocument_themes_gin"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.title}"

    def get_absolute_url(self):
        return self.url


class ContentVersion(models.Model):
    """One row whose counter every committed change to public content increments (see greenjobs/core/contentversion.py).

    With Redis the value is mirrored there for cheap reads; this row stays the truth it is re-read from.
    """

    version = models.BigIntegerField(
        _("version"), default=0, help_text=_("Cached pages keyed by an older value are never served.")
    )

    class Meta:
        verbose_name = _("content version")

    def __str__(self):
        return str(self.version)
