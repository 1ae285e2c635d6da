"""The site's own publication: the about pages (django.contrib.flatpages), and the menu entries
that belong to no app. Registered by ``GreenjobsConfig.ready``."""

from django.contrib.flatpages.models import FlatPage
from django.utils.translation import gettext_lazy as _

from greenjobs.core.registry import NavLink, Publication
from greenjobs.core.searchtext import html_text
from greenjobs.models import SearchDocument

KIND = "page"


def page_fields(page) -> dict | None:
    if page.registration_required:
        return None
    return {
        "kind": KIND,
        "title": page.title,
        "summary": "",
        "body": html_text(page.content),
        "date": None,
        "url": page.url,
    }


def sitemap_rows(offset: int, limit: int) -> list:
    """The about pages the search index holds (the public ones), by address."""
    rows = SearchDocument.objects.filter(kind=KIND).order_by("url").values_list("url", "updated")
    return list(rows[offset : offset + limit])


ABOUT_PAGES = Publication(
    app_label="flatpages",
    kind=KIND,
    model=FlatPage,
    label=_("About page"),
    order=90,
    index=page_fields,
    sitemap_rows=sitemap_rows,
    sitemap_section="pages",
    demo="greenjobs.demo",
)

MENU = (
    NavLink("home", _("Home"), order=0, exact=True),
    NavLink("/about/green-jobs/", _("About"), order=40, section="/about/"),
)
