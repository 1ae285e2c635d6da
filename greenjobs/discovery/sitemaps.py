"""/sitemap.xml: an index of sections of at most 10,000 public pages each, on SITE_URL.

Each section reads only the columns it writes (a path and a date) and is kept per content version
(greenjobs.core.structured.derived_response), with ETag and Last-Modified. Besides the home page,
the list pages and the themes, a section is what an app registered (``Publication.sitemap_rows``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Count, Max
from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_safe

from greenjobs.core.paths import slug_path
from greenjobs.core.registry import registry
from greenjobs.core.siteurl import absolute
from greenjobs.core.structured import derived_response
from greenjobs.discovery.search import themes_with_counts
from greenjobs.models import SearchDocument

# Pages per sitemap file. Each page carries its three languages and x-default (about 600 bytes), so
# files of 2,000 pages stay near 1.2 MB (130 KB gzipped) for crawlers that fetch them again and again.
SECTION_SIZE = 2_000
XML_TYPE = "application/xml; charset=utf-8"

Rows = list[tuple[str, dt.datetime | None]]
Summary = dict[str, tuple[int, dt.datetime | None]]


@dataclass(frozen=True)
class Section:
    """A part of the sitemap: its number of pages (from the summary) and, per slice, their (path, lastmod)."""

    name: str
    size: Callable[[Summary], int]
    rows: Callable[[int, int], Rows]


def _summary() -> Summary:
    """Count and newest change of the public items of each kind, from the search index (one query)."""
    rows = SearchDocument.objects.order_by().values_list("kind").annotate(n=Count("id"), latest=Max("updated"))
    return {kind: (n, latest) for kind, n, latest in rows}


def _static_names() -> list[str]:
    return ["home", "themes:list"] + [publication.list_url for publication in registry.with_("list_url")]


def _static_rows(offset: int, limit: int) -> Rows:
    latest = max((latest for _, latest in _summary().values() if latest), default=None)
    return [(reverse(name), latest) for name in _static_names()][offset : offset + limit]


def _theme_rows(offset: int, limit: int) -> Rows:
    themes = themes_with_counts(used_only=True)[offset : offset + limit]
    return [(slug_path("themes:detail", theme.slug), theme.last_change) for theme in themes]


def _kind_size(kind: str) -> Callable[[Summary], int]:
    return lambda summary: summary.get(kind, (0, None))[0]


def _theme_count(summary: Summary) -> int:
    return len(themes_with_counts(used_only=True))


def sections() -> dict[str, Section]:
    found = {"static": Section("static", lambda summary: len(_static_names()), _static_rows)}
    for publication in registry.with_("sitemap_rows"):
        found[publication.section] = Section(
            publication.section, _kind_size(publication.kind), publication.sitemap_rows
        )
    found["themes"] = Section("themes", _theme_count, _theme_rows)
    return found


def _section_path(name: str, page: int) -> str:
    suffix = f"-{page}" if page > 1 else ""
    return reverse("sitemap_section", kwargs={"section": f"{name}{suffix}"})


def _lastmod(value: dt.datetime | None) -> str:
    return f"<lastmod>{value.date().isoformat()}</lastmod>" if value else ""


def _index_xml() -> bytes:
    """Every non-empty section, in files of SECTION_SIZE pages (two queries: the summary and the themes)."""
    summary, entries = _summary(), []
    for name, section in sections().items():
        size = section.size(summary)
        for page in range(1, -(-size // SECTION_SIZE) + 1):
            entries.append(f"<sitemap><loc>{escape(absolute(_section_path(name, page)))}</loc></sitemap>")
    return _xml("sitemapindex", entries)


XHTML = ' xmlns:xhtml="http://www.w3.org/1999/xhtml"'


def _alternates() -> list[tuple[str, str]]:
    """(hreflang, path prefix) of every language of a page, and x-default (English, unprefixed)."""
    prefixes = [(code, "" if code == settings.LANGUAGE_CODE else f"{code}/") for code, _name in settings.LANGUAGES]
    return [*prefixes, ("x-default", "")]


def _xml(root: str, entries: list[str], namespaces: str = "") -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{namespaces}>\n'
    return (head + "\n".join(entries) + f"\n</{root}>\n").encode()


@require_safe
def sitemap_index(request):
    return derived_response(request, "sitemap:index", _index_xml, content_type=XML_TYPE)


@require_safe
def sitemap_section(request, section: str):
    """/sitemap-<section>.xml, then /sitemap-<section>-2.xml and so on: unknown or empty ones are 404."""
    name, _, number = section.partition("-")
    found = sections().get(name)
    if found is None or (number and (not number.isdigit() or number.startswith("0") or len(number) > 6)):
        raise Http404
    page = int(number or 1)
    if number == "1":
        raise Http404  # the first page has no number

    def build() -> bytes:
        rows = found.rows((page - 1) * SECTION_SIZE, SECTION_SIZE)
        if page > 1 and not rows:
            raise Http404
        root = absolute("/")  # paths are joined to it directly: urljoin per URL costs more than the rest
        entries = []
        for path, lastmod in rows:
            bare = escape(path.removeprefix("/"))
            links = "".join(f'<xhtml:link rel="alternate" hreflang="{code}" href="{root}{prefix}{bare}"/>'
                            for code, prefix in _alternates())  # fmt: skip
            entries.append(f"<url><loc>{root}{bare}</loc>{_lastmod(lastmod)}{links}</url>")
        return _xml("urlset", entries, XHTML)

    return derived_response(request, f"sitemap:{name}:{page}", build, content_type=XML_TYPE)
