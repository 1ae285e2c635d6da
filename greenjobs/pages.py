"""The site's own publication: the about pages (django.contrib.flatpages), and the menu entries
that belong to no app. Registered by ``GreenjobsConfig.ready``.

The webmaster writes an about page in Markdown (``greenjobs.models.AboutPage``); ``about_page_save`` renders
it through the same safe pipeline as events into ``FlatPage.content``, which the flatpage view and the
search index read. The footer and the About menu list the pages by their menu order
(``about_links`` in greenjobs/templatetags/seo_tags.py).
"""

import re

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from greenjobs.core.markdown import render_markdown
from greenjobs.core.registry import NavLink, Publication
from greenjobs.core.searchtext import html_text
from greenjobs.models import AboutPage, SearchDocument

KIND = "page"
_HEADING = re.compile(r"<(/?)h([1-6])\b")


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


def about_html(markdown: str) -> str:
    """Markdown as events render it (sanitised), its top heading moved up to h2: the page's title is the h1."""
    html = str(render_markdown(markdown))
    levels = [int(level) for _slash, level in _HEADING.findall(html)]
    shift = min(levels) - 2 if levels else 0
    if shift <= 0:
        return html
    return _HEADING.sub(lambda match: f"<{match[1]}h{int(match[2]) - shift}", html)


@transaction.atomic
def about_page_save(*, page: FlatPage, markdown: str, menu_title: str = "", menu_order: int = 100,
                    in_footer: bool = False, translations: dict[str, str] | None = None) -> FlatPage:  # fmt: skip
    """Save an about page on this site (SITE_ID) with its Markdown rendered into ``content``.

    ``translations`` holds the French and Spanish title, menu title and Markdown ("title_fr", "markdown_es"…);
    each language's text is rendered like the English one. An empty field shows the English one.
    """
    page.content = about_html(markdown)
    page.save()
    page.sites.add(settings.SITE_ID)
    defaults = {
        "title_en": page.title,
        "markdown_en": markdown,
        "html_en": page.content,
        "menu_title_en": menu_title,
        "menu_order": menu_order,
        "in_footer": in_footer,
    }
    for name, value in (translations or {}).items():
        defaults[name] = value.strip()
        if name.startswith("markdown_"):
            defaults[name.replace("markdown_", "html_")] = about_html(value) if value.strip() else ""
    AboutPage.objects.update_or_create(page=page, defaults=defaults)
    return page


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
