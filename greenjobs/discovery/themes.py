"""Theme pages: every theme, and one theme's public items, one section per app that registered one."""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.views.decorators.http import require_safe
from taggit.models import Tag

from greenjobs.core.contentversion import content_version
from greenjobs.core.derived import SECONDS as DERIVED_SECONDS
from greenjobs.core.derived import derived
from greenjobs.core.paths import slug_path
from greenjobs.core.registry import registry
from greenjobs.discovery.search import themes_with_counts
from greenjobs.models import ThemeAlias


@require_safe
def theme_list(request):
    """Every theme. The list is rendered once per content version and language; the themes themselves are
    read from the cache only if asked for (``response.context``)."""
    language = get_language()
    themes = SimpleLazyObject(lambda: derived(f"themes:list:{language}", _listed_themes))
    listing = derived(f"themes:list-html:{language}", lambda: _listing(themes))
    return render(request, "themes/theme_list.html", {"themes": themes, "listing": listing})


def _listing(themes) -> str:
    return _fragment("themes/_theme_list.html", {"themes": themes})


def _fragment(template_name: str, context: dict) -> str:
    """A part of a page, without the line breaks that open and close its template file."""
    return mark_safe(render_to_string(template_name, context).removeprefix("\n").removesuffix("\n"))


def _listed_themes() -> list:
    """Every theme with its count of published items, its address and its count in words (kept per version)."""
    themes = themes_with_counts()
    for theme in themes:
        theme.url = slug_path("themes:detail", theme.slug)
        theme.count_label = ngettext("%(count)d item", "%(count)d items", theme.item_count) % {
            "count": theme.item_count
        }
    return themes


@dataclass
class ThemePage:
    """A theme page's sections, rendered, kept per content version until ``until``."""

    theme: Tag
    sections: str
    summary: dict = field(default_factory=dict)  # what sections tell the view (e.g. the stories shown)
    until: datetime.datetime | None = None  # the lists hold until then (a coming event becomes past)


def _theme(slug: str):
    # taggit looks up each model's content type: one query for all of them on a cold process, none after.
    ContentType.objects.get_for_models(*[publication.model for publication in registry.with_("theme_section")])
    return Tag.objects.filter(slug=slug).first()


def _theme_page(slug: str, now: datetime.datetime) -> ThemePage | None:
    """Each app's section of the theme (at most one query each), rendered in the registry's order."""
    tag = _theme(slug)
    if tag is None:
        return None
    page = ThemePage(theme=tag, sections="")
    parts = []
    for publication in registry.with_("theme_section"):
        context = publication.theme_section.context(tag, now)
        if context is None:
            continue
        page.summary.update(context.pop("summary", {}))
        until = context.pop("until", None)
        if until is not None and (page.until is None or until < page.until):
            page.until = until
        parts.append(_fragment(publication.theme_section.template, {"theme": tag, **context}))
    page.sections = _fragment("themes/_sections.html", {"theme": tag, "sections": parts})
    return page


def _kept_theme_page(slug: str, now: datetime.datetime) -> ThemePage | None:
    """The theme's page, kept per content version and language while no listed event moves to the past."""
    if connection.in_atomic_block:
        return _theme_page(slug, now)
    key = f"derived:{content_version()}:themes:page:{get_language()}:{slug}"
    page = cache.get(key)
    if page is None or (page.until is not None and now > page.until):
        page = _theme_page(slug, now)
        if page is not None:
            cache.set(key, page, DERIVED_SECONDS)
    return page


def theme_moved(request, slug: str) -> HttpResponsePermanentRedirect:
    """A theme merged away or renamed: 301 to the same page (list, feed) of the theme it became; else 404."""
    theme = ThemeAlias.objects.target(slug)
    if theme is None:
        raise Http404("No theme here.")
    return HttpResponsePermanentRedirect(slug_path(f"themes:{request.resolver_match.url_name}", theme.slug))


@require_safe
def theme_detail(request, slug):
    page = _kept_theme_page(slug, timezone.now())
    if page is None:
        return theme_moved(request, slug)
    context = {**page.summary, "theme": page.theme, "sections": page.sections}
    return render(request, "themes/theme_detail.html", context)
