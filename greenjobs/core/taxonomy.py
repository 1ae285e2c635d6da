"""Themes (one django-taggit vocabulary): reading theme names with content. The demo list is core/themes.toml."""

import re
from types import SimpleNamespace

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from django.http import HttpResponsePermanentRedirect
from taggit.models import TaggedItem

SLUG = re.compile(r"[-\w]{1,100}")  # what a theme slug can be (taggit: 100 characters)


def themes_of(model, value, *, item: str = "pk", order: str = "tag__name") -> ArraySubquery:
    """The themes of each ``model`` row (its id in the outer query's ``item``) as an array of ``value``
    (a field such as "tag__slug", or an expression), read in the outer query: no prefetch query."""
    tagged = TaggedItem.objects.filter(
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
        object_id=OuterRef(item),
    ).order_by(order)
    return ArraySubquery(tagged.values(value) if isinstance(value, str) else tagged.values(row=value))


class ThemeNamesQuerySet(models.QuerySet):
    """For content querysets whose model has ``themes`` (django-taggit)."""

    def with_theme_names(self, order: str = "tag_id"):
        """Annotate ``theme_names``, read in the same query (no per-item prefetch).

        In ``order``: by default as taggit's prefetch lists them (by tag id); calendars pass "tag__name".
        """
        return self.annotate(theme_names=themes_of(self.model, "tag__name", order=order))

    def with_card_themes(self):
        """Annotate ``theme_rows``: each theme's id, name and slug as JSON, by name, read in the same query
        (a card's theme links, without a prefetch query); ``card_themes_of`` turns them into objects."""
        row = JSONObject(id="tag_id", name="tag__name", slug="tag__slug")
        return self.annotate(theme_rows=themes_of(self.model, row))


def card_themes_of(item) -> list[SimpleNamespace]:
    """The themes read by ``with_card_themes``, with ``id``, ``name`` and ``slug`` as a ``Tag`` has them."""
    return [SimpleNamespace(**row) for row in item.theme_rows or ()]


def moved_theme_redirect(request, *, known: bool) -> HttpResponsePermanentRedirect | None:
    """A list filtered by ``?theme=<old slug>`` of a merged or renamed theme: 301 to the same list and query
    with the theme's slug now. ``known``: the list found a live theme with the slug (then no query is made)."""
    slug = request.GET.get("theme", "")
    if known or not SLUG.fullmatch(slug):
        return None
    from greenjobs.models import ThemeAlias

    query = ThemeAlias.objects.moved_query(request.GET)
    return HttpResponsePermanentRedirect(f"{request.path}?{query}") if query else None
