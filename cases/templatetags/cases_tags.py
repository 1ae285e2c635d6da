import re

from django import template
from django.utils.html import urlize
from django.utils.safestring import mark_safe

from cases.models import CaseStory

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
