"""Head metadata helpers: capture a block's output once, build the canonical URL (on SITE_URL); and
markup every page shares (header, footer, fixed texts), rendered once per language and kept."""

import functools
import html
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django import template
from django.conf import settings
from django.db import connection
from django.utils.encoding import iri_to_uri
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, override

from greenjobs.core.contentversion import content_version
from greenjobs.core.derived import kept_in_process
from greenjobs.core.languages import localized, og_locale, unprefixed
from greenjobs.core.registry import registry
from greenjobs.core.siteurl import absolute
from greenjobs.models import AboutPage

register = template.Library()


def current_link(path: str, nav: list) -> str:
    """The entry of the main menu ``nav`` (its ``NavLink.url``) a path belongs to, the most specific first
    (``aria-current``)."""
    path = unprefixed(path)
    for url, exact, prefix in _by_specificity(tuple(nav)):
        if path == prefix or (not exact and path.startswith(prefix)):
            return url
    return ""


@functools.lru_cache(maxsize=4)
def _by_specificity(links: tuple) -> tuple[tuple[str, bool, str], ...]:
    """(url, exact, section path) of each menu entry, the longest section first: worked out once, not on
    every page view."""
    with override(settings.LANGUAGE_CODE):
        found = [(link.url, link.exact, link.section_path) for link in links]
    return tuple(sorted(found, key=lambda entry: -len(entry[2])))


def _render_once(context, name: str, values: dict, key=(), fill: dict[str, str] | None = None) -> str:
    """An include that is the same for every page of a language (and ``key``), rendered once.

    ``fill``: the page's own values (name: text). ``values`` then holds ``stand_in(name)`` where each
    goes; the kept markup has the stand-ins, and each page puts in its text, escaped as the template
    would escape it. Kept on the loaded template, so a template reloaded in development is rendered
    afresh.
    """
    page = context.template.engine.get_template(name)
    kept = page.__dict__.setdefault("rendered_once", {})
    full_key = (get_language(), *key)
    html = kept.get(full_key)
    if html is None:
        html = kept[full_key] = mark_safe(page.render(context.new(values)))
    for slot, text in (fill or {}).items():
        html = html.replace(stand_in(slot), escape(text))
    return mark_safe(html)


def stand_in(name: str) -> str:
    """Where the page's own value ``name`` goes in markup kept by ``_render_once`` (nothing escapes it)."""
    return f"\x00{name}\x00"


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    """``includes/header.html`` with the menu the apps registered and the current entry marked: one
    rendering per entry (on a search page, the box shows the words searched for, escaped)."""
    request = context.get("request")
    path = getattr(request, "path", "") or ""
    nav = registry.nav()
    values = {"nav": nav, "current": current_link(path, nav), "search_q": ""}
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name == "search" and request.GET.get("q"):
        values["search_q"] = stand_in("search_q")
        fill = {"search_q": request.GET["q"][:200]}
        return _render_once(context, "includes/header.html", values, (values["current"], "search"), fill)
    return _render_once(context, "includes/header.html", values, (values["current"],))


@dataclass(frozen=True)
class AboutLink:
    url: str
    title: str
    in_footer: bool


def _menu_title(about: AboutPage, language: str) -> str:
    """The page's name in menus in ``language``: its menu title, else its title, else the English ones."""
    names = (f"menu_title_{language}", f"title_{language}", "menu_title_en", "title_en")
    return next((value for name in names if (value := getattr(about, name, None))), about.page.title)


def _about_links() -> dict[str, tuple[AboutLink, ...]]:
    """The links in each language (one query)."""
    pages = list(AboutPage.objects.menu(settings.SITE_ID))
    return {
        code: tuple(AboutLink(about.page.url, _menu_title(about, code), about.in_footer) for about in pages)
        for code, _name in settings.LANGUAGES
    }


def _in_language(links: dict[str, tuple[AboutLink, ...]]) -> tuple[AboutLink, ...]:
    return links.get(get_language() or settings.LANGUAGE_CODE) or links.get(settings.LANGUAGE_CODE, ())


# (content version, links): every page shows them, so the process keeps them for the current version
# (the version is read once per page view anyway); inside a transaction they are read afresh, as
# ``greenjobs.core.derived`` does, since the version moves only on commit.
_kept_about_links: list = []


def about_links() -> tuple[AboutLink, ...]:
    """The about pages by menu order, for the footer and the About menu (one query per content version).

    With the database away (the 503 page has a footer too) the links last read are shown, or none.
    """

    def key():
        return None if connection.in_atomic_block else content_version()

    return _in_language(kept_in_process(_kept_about_links, key, _about_links, {}))


@register.simple_tag
def about_section_links(current: str) -> tuple[AboutLink, ...]:
    """The About menu on an about page: the pages under /about/ by menu order (none elsewhere, or alone)."""
    current = unprefixed(current)
    links = tuple(link for link in about_links() if link.url.startswith("/about/"))
    if len(links) < 2 or not any(link.url == current for link in links):
        return ()
    return tuple(AboutLink(localized(link.url), link.title, link.in_footer) for link in links)


@register.simple_tag(takes_context=True)
def site_footer(context) -> str:
    """``includes/footer.html``: the same on every page, rendered once per set of about pages in the footer
    (read per content version)."""
    links = tuple(AboutLink(localized(link.url), link.title, True) for link in about_links() if link.in_footer)
    return _render_once(context, "includes/footer.html", {"links": links}, (links,))


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # Rendered by the template engine with autoescaping: the output is already safe HTML.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))
        return ""


@register.tag
def capture(parser, token):
    """``{% capture as name %}…{% endcapture %}``: store the rendered content (blocks may be inside)."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


class OnceNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist, self.rendered = nodelist, {}

    def render(self, context):
        key = (get_language(), context.autoescape)
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = self.nodelist.render(context)
        return html


@register.tag
def once(parser, token):
    """``{% once %}…{% endonce %}``: markup that depends on nothing but the language (fixed texts,
    static files), rendered on its first use in each language and then kept with the loaded template
    (a template reloaded in development starts afresh)."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% once %} takes no arguments")
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist)


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """The page's URL on SITE_URL, whatever the Host: no query string, except a ``page`` number above 1."""
    request = context.get("request")
    if request is None:
        return ""
    url = iri_to_uri(absolute(request.path))
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        url += "?" + urlencode({"page": int(page)})
    return url


@register.simple_tag(takes_context=True)
def head_meta(context) -> str:
    """The head's metadata, every URL on SITE_URL: canonical link, Open Graph and Twitter cards, the page
    in each language (``hreflang``, ``og:locale``).

    Reads page_title, page_description, og_type and og_image (captured in base.html, already safe HTML)
    and site_languages (``page_languages``). Written here rather than as an included template: it is on
    every page, and the template cost half a millisecond of each.
    """
    title, description = (
        conditional_escape(context.get("page_title", "")),
        conditional_escape(context.get("page_description", "")),
    )
    og_image = context.get("og_image", "")
    canonical = escape(canonical_url(context))
    image = escape(absolute_url(og_image)) if og_image else ""
    # One line each, empty where the page has no such value (as the template this replaced wrote them).
    lines = [
        "",
        f'<link rel="canonical" href="{canonical}">' if canonical else "",
        f'<meta property="og:site_name" content="{escape(gettext("Green Jobs Portal"))}">',
        f'<meta property="og:title" content="{title}">',
        f'<meta property="og:description" content="{description}">',
        f'<meta property="og:type" content="{conditional_escape(context.get("og_type") or "website")}">',
        f'<meta property="og:url" content="{canonical}">' if canonical else "",
        f'<meta property="og:image" content="{image}">' if og_image else "",
        f'<meta name="twitter:card" content="{"summary_large_image" if og_image else "summary"}">',
        f'<meta name="twitter:title" content="{title}">',
        f'<meta name="twitter:description" content="{description}">',
        f'<meta name="twitter:image" content="{image}">' if og_image else "",
    ]
    languages = context.get("site_languages") or []
    alternates = [
        f'<link rel="alternate" hreflang="{escape(lang["code"])}" href="{escape(lang["url"])}">' for lang in languages
    ]
    if languages:
        alternates.append(f'<link rel="alternate" hreflang="x-default" href="{escape(languages[0]["url"])}">')
        for lang in languages:
            kind = "og:locale" if lang["current"] else "og:locale:alternate"
            alternates.append(f'<meta property="{kind}" content="{escape(lang["og_locale"])}">')
    lines.append("".join(f"{line}\n  " for line in alternates))
    return mark_safe("\n  ".join(lines) + "\n")


@register.simple_tag(takes_context=True)
def language_switch(context) -> str:
    """The language switch: plain links to this page in the other languages, each named in itself (from
    site_languages, ``page_languages``); nothing on a page that is the same in every language. A tag
    rather than an included template, as it is on every page."""
    languages = context.get("site_languages") or []
    if not languages:
        return ""
    items = []
    for lang in languages:
        code, name = escape(lang["code"]), escape(lang["name"])
        if lang["current"]:
            items.append(f'<span aria-current="true" lang="{code}">{name}</span>')
        else:
            items.append(f'<a href="{escape(lang["path"])}" hreflang="{code}" lang="{code}">{name}</a>')
    links = "".join(f"\n    <li>{item}</li>" for item in items)
    return mark_safe(
        f'<nav class="lang-switch" aria-label="{escape(gettext("Language"))}">\n  <ul>{links}\n  </ul>\n</nav>\n'
    )


@register.simple_tag(takes_context=True)
def page_languages(context) -> list[dict]:
    """The page in each language: code, name (in itself), its path with the query (the switch's link),
    its absolute canonical URL (``hreflang``), its og:locale, and whether it is the page shown.
    Empty on a page that is the same in every language (no language prefix applies)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if request is None or match is None or request.path.startswith(("/admin/", "/media/")):
        return []
    current = get_language()
    query = request.META.get("QUERY_STRING", "")
    # The canonical URL's query (a page number), kept on every language's canonical URL.
    canonical_query = canonical_url(context).partition("?")[2]
    languages = []
    for code, name in settings.LANGUAGES:
        path = iri_to_uri(localized(request.path, code))
        languages.append(
            {
                "code": code,
                "name": name,
                "path": path + (f"?{query}" if query else ""),
                "url": absolute(path) + (f"?{canonical_query}" if canonical_query else ""),
                "og_locale": og_locale(code),
                "current": code == current,
            }
        )
    return languages


@register.simple_tag
def absolute_url(path: str) -> str:
    """An absolute URL on SITE_URL for a path (e.g. an image rendition); full URLs pass through."""
    if not path:
        return ""
    return absolute(html.unescape(str(path)))


def _encoded(address: str, **params: str) -> str:
    return address + "?" + urlencode(params, quote_via=quote)


def mailto_href(title: str, url: str) -> str:
    """``mailto:?subject=…&body=…`` with the title and the link, percent-encoded."""
    subject = html.unescape(str(title or ""))
    body = f"{subject}\n{html.unescape(str(url or ''))}"
    return _encoded("mailto:", subject=subject, body=body)


def share_links(title: str, url: str) -> list[dict[str, str]]:
    """Plain links that share a page on the networks ILO users use: nothing loads until one is followed."""
    title, url = html.unescape(str(title or "")), html.unescape(str(url or ""))
    return [
        {"label": "LinkedIn", "href": _encoded("https://www.linkedin.com/sharing/share-offsite/", url=url)},
        {"label": "X (Twitter)", "href": _encoded("https://x.com/intent/post", text=title, url=url)},
        {"label": "Facebook", "href": _encoded("https://www.facebook.com/sharer/sharer.php", u=url)},
        {"label": "WhatsApp", "href": _encoded("https://wa.me/", text=f"{title} {url}")},
    ]


@register.simple_tag(takes_context=True)
def share_section(context, title) -> str:
    """``includes/share.html`` for this page (its canonical URL, shared with ``title``).

    The section is rendered once per language with stand-ins, then each page puts in its own links,
    escaped as the template would: rendering it for every page cost a story page a tenth of its time.
    """
    url = canonical_url(context)
    networks = share_links(title, url)
    fill = {"mailto": mailto_href(title, url), "url": url}
    fill.update((f"network{n}", network["href"]) for n, network in enumerate(networks))
    values = {"mailto": stand_in("mailto"), "url": stand_in("url")}
    values["networks"] = [
        {"label": network["label"], "href": stand_in(f"network{n}")} for n, network in enumerate(networks)
    ]
    return _render_once(context, "includes/share.html", values, fill=fill)
