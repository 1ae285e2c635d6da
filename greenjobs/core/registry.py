"""What each app publishes, declared by the app in its ``AppConfig.ready()``.

The core and the discovery layer (site search, themes, home page, sitemaps, feeds, page cache)
never import an app: they read this registry, filled at start-up. An app declares one
``Publication`` per public model::

    registry.register(Publication(app_label="cases", kind="case", model=CaseStory, ...))

Everything but the model and its names is optional: a model that is not searched leaves ``index``
out, a model without a theme section leaves ``theme_section`` out, and so on. URL names are
resolved only when a request needs them, so an app may register before the URLconf is loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.urls import reverse

from greenjobs.core.languages import localized


@dataclass(frozen=True)
class Block:
    """A part of a discovery page that an app renders: a template, and a function giving its context.

    ``context`` returns a dict for the template, or None when the block has nothing to show.
    """

    template: str
    context: Callable[..., dict | None] | None = None


@dataclass(frozen=True)
class NavLink:
    """An entry of the main menu: a URL name or a path, its label, and its place."""

    url: str
    # Not hashed: a label is usually a lazy translation, which hashing would translate; the menu is
    # hashed on every page view (seo_tags.current_link).
    label: Any = field(hash=False)
    order: int
    exact: bool = False  # current only on that very path (else on every path below it)
    css_class: str = ""
    section: str = ""  # the paths it is current on, when not its own ("/about/" for an about page)

    @property
    def path(self) -> str:
        """Its address in the active language."""
        return localized(self.url) if self.url.startswith("/") else reverse(self.url)

    @property
    def section_path(self) -> str:
        return self.section or self.path


@dataclass(frozen=True)
class Publication:
    """One public model of one app, and the ways the discovery layer may show it."""

    app_label: str
    kind: str  # the search document kind ("case"); also the name of its sitemap section
    model: type[models.Model]
    label: Any  # the kind's name for people ("Case story"): search filters and results
    order: int = 100  # among the kinds: search filters, theme pages, sitemap sections, home page
    nav: tuple[NavLink, ...] = ()
    list_url: str | None = None  # URL name of the list page (listed in the sitemap)
    # Search: fields of an item's search document (kind, title, summary, body, date; url, language and
    # translations {code: {title, summary, body}} optional), or None when the item is not public;
    # ``index_prefetch``: what ``index`` reads of related rows, prefetched when many items are indexed.
    index: Callable[[models.Model], dict | None] | None = None
    index_prefetch: tuple[str, ...] = ()
    dated: bool = False  # search results show the document's date (a story's publication, an event's start)
    # Sitemap: the (path, lastmod) of public items from ``offset``, at most ``limit``, in a stable order,
    # in /sitemap-<sitemap_section>.xml (by default the app label).
    sitemap_rows: Callable[[int, int], list[tuple[str, Any]]] | None = None
    sitemap_section: str = ""
    # Themes: a section of a theme page, called with (tag, now); and a theme feed's newest items,
    # called with (tag, limit) and returning [(date, item)] (items have title, summary, get_absolute_url).
    theme_section: Block | None = None
    theme_feed_items: Callable[[Any, int], list] | None = None
    home: tuple[Block, ...] = ()
    # The page cache: the query parameters each URL name reads; URL names kept private for everyone.
    page_params: dict[str, tuple[str, ...]] = field(default_factory=dict)
    private_urls: tuple[str, ...] = ()
    # Rows of these models ("app_label.model") change no public page (moderation history).
    private_models: tuple[str, ...] = ()
    # Demo content: a module with CONTENT, has_content() and load().
    demo: str | None = None
    # The one calendar (greenjobs.core.calendar): entries the events calendar shows beside its own events,
    # called with (start, end, *, theme=None, limit=None) and returning [CalendarEntry], soonest first.
    calendar_entries: Callable[..., list] | None = None
    # Links between kinds: the public items of this kind that name an item of ``model`` (events naming their
    # course), called with (model) and returning an expression to annotate that model's queryset with: a list
    # of {"title", "url", "first", "last"} (ISO dates) read in the same query; the named item's page lists them.
    linked_items: Callable[[type[models.Model]], Any] | None = None

    @property
    def label_lower(self) -> str:
        return self.model._meta.label_lower

    @property
    def section(self) -> str:
        return self.sitemap_section or self.app_label


class Registry:
    def __init__(self) -> None:
        self._publications: dict[str, Publication] = {}
        self._extra_watched: set[str] = set()
        self._extra_demo: list[str] = []
        self._extra_nav: list[NavLink] = []

    def register(self, publication: Publication) -> None:
        known = self._publications.get(publication.kind)
        if known is not None and known.model is not publication.model:
            raise ValueError(f"Two publications claim the kind {publication.kind!r}")
        self._publications[publication.kind] = publication

    def watch(self, *app_labels: str) -> None:
        """Apps whose rows show on public pages without being a publication (flatpages, taggit)."""
        self._extra_watched.update(app_labels)

    def add_nav(self, *links: NavLink) -> None:
        """Menu entries that belong to no publication (home, about pages)."""
        self._extra_nav.extend(link for link in links if link not in self._extra_nav)

    def nav(self) -> list[NavLink]:
        links = [*self._extra_nav, *(link for publication in self for link in publication.nav)]
        return sorted(links, key=lambda link: link.order)

    def add_demo(self, module: str) -> None:
        """Demo content that belongs to no publication (the about pages), loaded before the apps'."""
        if module not in self._extra_demo:
            self._extra_demo.append(module)

    def demo_modules(self) -> list[str]:
        """Modules with CONTENT, has_content() and load(), in loading order."""
        return [*self._extra_demo, *(publication.demo for publication in self if publication.demo)]

    def __iter__(self):
        return iter(sorted(self._publications.values(), key=lambda p: (p.order, p.kind)))

    def __len__(self) -> int:
        return len(self._publications)

    def get(self, kind: str) -> Publication | None:
        return self._publications.get(kind)

    def for_model(self, model) -> Publication | None:
        label = model._meta.label_lower
        return next((p for p in self._publications.values() if p.label_lower == label), None)

    def kinds(self) -> list[str]:
        return [publication.kind for publication in self]

    def kind_labels(self) -> list[tuple[str, Any]]:
        """(kind, label) of every searchable kind, in order: the search page's filters."""
        return [(publication.kind, publication.label) for publication in self.searchable()]

    def dated_kinds(self) -> set[str]:
        return {publication.kind for publication in self if publication.dated}

    def themed_kinds(self) -> list[str]:
        """The kinds whose items have themes (django-taggit ``themes``)."""
        return [publication.kind for publication in self if hasattr(publication.model, "themes")]

    def searchable(self) -> list[Publication]:
        return [publication for publication in self if publication.index is not None]

    def watched_apps(self) -> set[str]:
        return {publication.app_label for publication in self} | self._extra_watched

    def private_models(self) -> set[str]:
        return {label for publication in self for label in publication.private_models}

    def with_(self, attribute: str) -> list[Publication]:
        """The publications that declare ``attribute`` (a sitemap, a theme section, ...), in order."""
        return [publication for publication in self if getattr(publication, attribute)]

    def page_params(self) -> dict[str, tuple[str, ...]]:
        """Path -> the query parameters its page reads, resolved from the URL names."""
        return {reverse(name): params for publication in self for name, params in publication.page_params.items()}

    def private_paths(self) -> tuple[str, ...]:
        return tuple(reverse(name) for publication in self for name in publication.private_urls)


registry = Registry()
