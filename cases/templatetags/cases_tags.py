import re
from html import escape

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.html import urlize
from django.utils.safestring import mark_safe

from cases.models import CaseStory
from cases.selectors import DERIVED_SECONDS, Cards

register = template.Library()


PARAGRAPHS = re.compile(r"\n\s*\n")
LINK_OPEN = '<a href="'


@register.inclusion_tag("cases/_home_latest.html", takes_context=False)
def latest_cases(count: int = 3):
    """Home page slot: the latest published stories, nothing at all when there are none."""
    stories = list(CaseStory.objects.published().prefetch_related("themes")[:count])
    return {"stories": stories}


@register.simple_tag
def pending_case_count() -> int:
    return CaseStory.objects.pending().count()


@register.simple_tag
def case_cards(stories, key: str = "", heading: str = "h3") -> str:
    """``<li>`` cards of these stories. With a content-version ``key`` each card is rendered once per
    version and kept in the cache (a dozen card templates cost more than the rest of the page); the
    stories' rows are not even read when every card is kept (``cases.selectors.Cards``)."""
    ids = stories.ids if isinstance(stories, Cards) else [story.pk for story in stories]
    names = {story_id: f"cases:card:{heading}:{key}:{story_id}" for story_id in ids}
    html = {}
    if key:
        kept = cache.get_many(list(names.values()))
        html = {story_id: kept[name] for story_id, name in names.items() if name in kept}
    if len(html) < len(ids):
        context = {"heading": heading}
        fresh = {
            story.pk: render_to_string("includes/case_card.html", {**context, "story": story})
            for story in stories
            if story.pk not in html
        }
        html.update(fresh)
        if key:
            cache.set_many({names[story_id]: card for story_id, card in fresh.items()}, DERIVED_SECONDS)
    return mark_safe("".join(f"<li>{html[story_id]}</li>" for story_id in ids if story_id in html))


@register.simple_tag
def filter_options(options: list[dict]) -> str:
    """The ``<li>`` links of one list filter. Built here: a template loop over 300 themes costs 30 ms."""
    items = []
    for option in options:
        current = ' aria-current="true"' if option["selected"] else ""
        label = option.get("label_html") or escape(option["label"])
        href = option["href"].replace("&", "&amp;")  # the rest of a query string is percent-encoded
        items.append(f'<li><a href="{href}"{current}>{label} <span class="count">({option["count"]})</span></a></li>')
    return mark_safe("\n".join(items))


@register.filter(is_safe=True)
def plain_text(value) -> str:
    """A contributor's plain text as HTML: escaped, paragraphs and line breaks kept, links clickable."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    paragraphs = []
    for block in PARAGRAPHS.split(text):
        html = urlize(block.strip(), trim_url_limit=60, nofollow=False, autoescape=True)
        html = html.replace(LINK_OPEN, '<a rel="nofollow ugc noopener" href="')
        paragraphs.append("<p>" + html.replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(paragraphs))
