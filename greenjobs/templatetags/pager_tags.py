"""The numbered pager of every list: ``{% pagination page_obj %}``."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

# Pages shown on each side of the current one: two on wide screens, one on phones.
WIDE, NARROW = 2, 1


@dataclass(frozen=True)
class PageLink:
    """One entry of the pager: a page number (with its link) or a gap ("…").

    ``wide_only`` entries are hidden on phones, ``narrow_only`` gaps are shown only there.
    """

    number: int = 0
    href: str = ""
    current: bool = False
    wide_only: bool = False
    narrow_only: bool = False

    @property
    def is_gap(self) -> bool:
        return not self.number


def _linker(request):
    """The current address with another page number (page 1 has none); the other parameters stay, in their
    order, as ``QueryDict.urlencode`` writes them (``page`` last). Encoded once for all the pager's links."""
    if request is None:
        return lambda number: f"?page={number}" if number > 1 else "."
    path = getattr(request, "path", "")
    kept = urlencode([(key, value) for key, values in request.GET.lists() if key != "page" for value in values])
    before = f"?{kept}&" if kept else "?"

    def href(number: int) -> str:
        if number > 1:
            return f"{before}page={number}"
        return f"?{kept}" if kept else path

    return href


def page_links(page_obj, request=None, *, href=None) -> list[PageLink]:
    """First and last pages, the current one and its neighbours, with gaps where pages are left out (``href``:
    a page number's link, made from ``request`` when not given)."""
    last, current = page_obj.paginator.num_pages, page_obj.number
    numbers = sorted({1, last, *range(max(1, current - WIDE), min(last, current + WIDE) + 1)})
    href = href or _linker(request)
    links: list[PageLink] = []
    shown_wide = shown_narrow = 0
    for number in numbers:
        wide_only = abs(number - current) > NARROW and number not in (1, last)
        gap_wide = number - shown_wide > 1 and shown_wide > 0
        gap_narrow = not wide_only and number - shown_narrow > 1 and shown_narrow > 0
        if gap_wide or gap_narrow:
            links.append(PageLink(wide_only=not gap_narrow, narrow_only=not gap_wide))
        links.append(PageLink(number, href(number), number == current, wide_only=wide_only))
        shown_wide = number
        if not wide_only:
            shown_narrow = number
    return links


@register.simple_tag(takes_context=True)
def pager(context, page_obj) -> dict:
    """``{% pager page_obj as pager %}``: the numbered links and the previous and next addresses."""
    request = context.get("request")
    href = _linker(request)
    return {
        "links": page_links(page_obj, request, href=href),
        "previous": href(page_obj.previous_page_number()) if page_obj.has_previous() else "",
        "next": href(page_obj.next_page_number()) if page_obj.has_next() else "",
    }


@register.simple_tag(takes_context=True)
def pagination(context, page_obj) -> SafeString:
    """``{% pagination page_obj %}``: the numbered pager of a list, nothing when it has one page.

    Built here rather than in a template: every list page shows one, and a template loop over its links
    cost 2 ms a page.
    """
    if not page_obj.has_other_pages():
        return mark_safe("")
    pager_ = pager(context, page_obj)
    page = gettext("Page")
    items = []
    if pager_["previous"]:
        items.append(
            format_html(
                '<li><a rel="prev" href="{}" aria-label="{}">\u2039<span class="pagination__label"> {}</span></a></li>',
                pager_["previous"],
                gettext("Previous page"),
                gettext("Previous"),
            )
        )
    for link in pager_["links"]:
        if link.is_gap:
            shown = " pagination__wide" if link.wide_only else " pagination__narrow" if link.narrow_only else ""
            items.append(format_html('<li class="pagination__gap{}" aria-hidden="true">…</li>', shown))
        elif link.current:
            items.append(
                format_html(
                    '<li><a href="{}" aria-current="page"><span class="visually-hidden">{} </span>{}</a></li>',
                    link.href,
                    page,
                    link.number,
                )
            )
        else:
            items.append(
                format_html(
                    '<li{}><a href="{}"><span class="visually-hidden">{} </span>{}</a></li>',
                    mark_safe(' class="pagination__wide"') if link.wide_only else "",
                    link.href,
                    page,
                    link.number,
                )
            )
    if pager_["next"]:
        items.append(
            format_html(
                '<li><a rel="next" href="{}" aria-label="{}"><span class="pagination__label">{} </span>\u203a</a></li>',
                pager_["next"],
                gettext("Next page"),
                gettext("Next"),
            )
        )
    total = page_obj.paginator.num_pages
    status = gettext("Page %(number)s of %(total)s") % {"number": page_obj.number, "total": total}
    return format_html(
        '<nav class="pagination" aria-label="{}">\n  <p class="pagination__status meta">{}</p>\n'
        "  <ul>\n    {}\n  </ul>\n</nav>",
        gettext("Pages"),
        status,
        mark_safe("\n    ".join(items)),
    )
