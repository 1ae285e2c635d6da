from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Case, F, Func, Value, When
from django.db.models.expressions import CombinedExpression
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from greenjobs.core.searchtext import CONFIGS, FRENCH_PLURAL_SQL


def _weighted(config: str, title: str, summary: list[str], body: str | None) -> SearchVector:
    def text(column: str):
        if config != CONFIGS["fr"]:
            return F(column)
        pattern, replacement = FRENCH_PLURAL_SQL
        return Func(
            F(column),
            Value(pattern),
            Value(replacement),
            Value("gi"),
            function="regexp_replace",
            output_field=models.TextField(),
        )

    vector = SearchVector(text(title), weight="A", config=config) + SearchVector(
        *(text(column) for column in summary), weight="B", config=config
    )
    return vector if body is None else vector + SearchVector(text(body), weight="C", config=config)


def _vector(*, body: bool = True):
    """The original text in its language's configuration, then each translation in its own; without the
    body, the small vector that ranks results (``head``)."""

    def column(name: str, code: str = "") -> str | None:
        return None if name == "body" and not body else f"{name}_{code}" if code else name

    original = Case(
        *(
            When(language=code, then=_weighted(config, "title", ["summary", "themes"], column("body")))
            for code, config in CONFIGS.items()
            if code != "en"
        ),
        default=_weighted(CONFIGS["en"], "title", ["summary", "themes"], column("body")),
        output_field=SearchVectorField(),
    )
    vector = original
    for code, config in CONFIGS.items():
        translated = _weighted(config, f"title_{code}", [f"summary_{code}"], column("body", code))
        vector = CombinedExpression(vector, "||", translated, output_field=SearchVectorField())
    return vector


class SearchDocument(models.Model):
    """One public page as the site search sees it; only public items have a row (greenjobs/discovery/search.py).

    ``kind`` is the kind an app registered (``greenjobs.core.registry``); ``vector`` is computed by
    PostgreSQL from the text columns (a generated column, weighted A title, B summary and themes, C body):
    the original text (``title``…, in ``language``) and its translations (``title_fr``…), each with its
    language's configuration.
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
    # db_default: rows written by SQL (bench/seed.py) are English documents without translations.
    language = models.CharField(
        _("language"),
        max_length=5,
        default="en",
        db_default="en",
        help_text=_("The language of title, summary and body."),
    )
    title_en = models.CharField(_("title in English"), max_length=300, blank=True, default="", db_default="")
    summary_en = models.TextField(_("summary in English"), blank=True, default="", db_default="")
    body_en = models.TextField(_("body in English"), blank=True, default="", db_default="")
    title_fr = models.CharField(_("title in French"), max_length=300, blank=True, default="", db_default="")
    summary_fr = models.TextField(_("summary in French"), blank=True, default="", db_default="")
    body_fr = models.TextField(_("body in French"), blank=True, default="", db_default="")
    title_es = models.CharField(_("title in Spanish"), max_length=300, blank=True, default="", db_default="")
    summary_es = models.TextField(_("summary in Spanish"), blank=True, default="", db_default="")
    body_es = models.TextField(_("body in Spanish"), blank=True, default="", db_default="")
    vector = models.GeneratedField(expression=_vector(), output_field=SearchVectorField(), db_persist=True,
                                   verbose_name=_("search vector"))  # fmt: skip
    # Title, summary and themes only: small enough to stay in the row, so ranking thousands of matches of a
    # common word does not read every match's whole text (greenjobs.core.searchindex).
    head = models.GeneratedField(expression=_vector(body=False), output_field=SearchVectorField(), db_persist=True,
                                 verbose_name=_("ranking vector"))  # fmt: skip

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        ordering = ["kind", "title"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="searchdocument_unique_object"),
        ]
        indexes = [
            GinIndex(fields=["vector"], name="searchdocument_vector_gin"),
            # Each pair of adjacent words ("decent work"), so a quoted phrase reads the positions of the
            # documents that hold its pairs, not of every document with its words (migration 0012).
            GinIndex(
                Func(F("vector"), function="gj_pairs", output_field=SearchVectorField()),
                name="searchdocument_pairs_gin",
            ),
            GinIndex(fields=["theme_ids"], name="searchdocument_themes_gin"),
            # Newest items of a kind first (related items, greenjobs.core.related).
            models.Index(F("kind"), F("date").desc(nulls_last=True), F("id").desc(), name="searchdocument_kind_date"),
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


class SearchWord(models.Model):
    """A word of the public search index: "did you mean" offers the closest of these (trigram similarity).

    Written with the index rows (``greenjobs/discovery/search.py``); a word is only offered when some
    public document still matches it (``greenjobs/core/searchindex.py``).
    """

    word = models.CharField(_("word"), max_length=40, primary_key=True, help_text=_("Lower-case letters only."))

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        indexes = [GinIndex(OpClass("word", name="gin_trgm_ops"), name="searchword_word_trgm")]

    def __str__(self):
        return self.word


class Theme(Tag):
    """django-taggit's tag under the name the site gives it: the admin's *Themes*, one list for every kind.

    A proxy: signals for it carry this class, so writes go through greenjobs/discovery/theme_services.py,
    which saves and deletes ``Tag`` rows (the search index and the content version listen to those).
    """

    class Meta:
        proxy = True
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]


class ThemeAliasQuerySet(models.QuerySet):
    def target(self, slug: str) -> Tag | None:
        """The theme an old slug now points to, or None. Callers ask only when no live theme has the slug."""
        alias = self.select_related("theme").filter(slug=slug).first()
        return alias.theme if alias else None

    def moved_query(self, params, name: str = "theme") -> str | None:
        """``params`` (a QueryDict) as a query string with the old theme slug in ``name`` replaced by the
        theme's own, for a 301; None when the slug is no old one. Ask only when no live theme has it."""
        theme = self.target(params.get(name, "")) if params.get(name) else None
        if theme is None:
            return None
        query = params.copy()
        query[name] = theme.slug
        return query.urlencode()


class ThemeAlias(models.Model):
    """An old slug of a theme that was merged away or renamed: its pages and feeds answer 301 to ``theme``."""

    slug = models.SlugField(
        _("old slug"), max_length=100, unique=True, allow_unicode=True, help_text=_("No live theme has it.")
    )
    theme = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="+", verbose_name=_("theme"), help_text=_("Where it points.")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ThemeAliasQuerySet.as_manager()

    class Meta:
        verbose_name = _("old theme address")
        verbose_name_plural = _("old theme addresses")
        ordering = ["slug"]

    def __str__(self):
        return f"{self.slug} → {self.theme_id}"


class AboutPageQuerySet(models.QuerySet):
    def menu(self, site_id: int):
        """The public about pages of the site, in menu order."""
        return (
            self.filter(page__sites=site_id, page__registration_required=False)
            .select_related("page")
            .order_by("menu_order", "page__title")
        )


class AboutPage(models.Model):
    """What the webmaster writes for an about page. The rendered HTML goes into ``FlatPage.content``, so the
    flatpage view and the search index read the page as before."""

    page = models.OneToOneField(
        FlatPage, on_delete=models.CASCADE, primary_key=True, related_name="about", verbose_name=_("page")
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("The page's heading; in English, the page's own title.")
    )
    markdown = models.TextField(_("text"), blank=True, help_text=_("Markdown, rendered to safe HTML on save."))
    html = models.TextField(_("HTML"), blank=True, editable=False, help_text=_("The text rendered from Markdown."))
    menu_title = models.CharField(
        _("menu title"), max_length=80, blank=True, help_text=_("Short name in menus; the title when empty.")
    )
    menu_order = models.PositiveSmallIntegerField(
        _("menu order"), default=100, help_text=_("Smaller numbers come first in the About menu and the footer.")
    )
    in_footer = models.BooleanField(_("in the footer"), default=False, help_text=_("Linked from every page."))

    objects = AboutPageQuerySet.as_manager()

    class Meta:
        verbose_name = _("about page")
        verbose_name_plural = _("about pages")
        ordering = ["menu_order", "page__title"]

    def __str__(self):
        return self.menu_title or self.page.title


class ThemeTranslation(models.Model):
    """A theme's name in French and Spanish. Taggit's ``Tag`` is not ours to add columns to; an empty name
    shows the English one (``greenjobs.core.themenames``)."""

    theme = models.OneToOneField(
        Tag, on_delete=models.CASCADE, primary_key=True, related_name="translation", verbose_name=_("theme")
    )
    name_fr = models.CharField(_("name in French"), max_length=100, blank=True)
    name_es = models.CharField(_("name in Spanish"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("theme name in other languages")
        verbose_name_plural = _("theme names in other languages")

    def __str__(self):
        return str(self.theme_id)
