from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """One public page as the site search sees it; only published items have a row (see search.py)."""

    class Kind(models.TextChoices):
        CASE = "case", _("Case story")
        EVENT = "event", _("Event")
        COURSE = "course", _("Course")
        PAGE = "page", _("About page")

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("content type"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, help_text=_("Filter of the search page."))
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
    vector = SearchVectorField(_("search vector"), null=True, editable=False)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        ordering = ["kind", "title"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="searchdocument_unique_object"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["case", "event", "course", "page"]), name="searchdocument_kind_valid"
            ),
        ]
        indexes = [
            GinIndex(fields=["vector"], name="searchdocument_vector_gin"),
            GinIndex(fields=["theme_ids"], name="searchdocument_themes_gin"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self):
        return self.url


class ContentVersion(models.Model):
    """One row whose counter every committed change to public content increments (see pagecache.py).

    With Redis the value is mirrored there for cheap reads; this row stays the truth it is re-read from.
    """

    version = models.BigIntegerField(
        _("version"), default=0, help_text=_("Cached pages keyed by an older value are never served.")
    )

    class Meta:
        verbose_name = _("content version")

    def __str__(self):
        return str(self.version)
