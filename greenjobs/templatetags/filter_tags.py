"""The links of a list's filters (``{% filter_options options.theme %}``), shared by the story and event lists."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def filter_options(options: list[dict]) -> str:
    """The ``<li>`` links of one filter (``options``: {href, label or label_html, count, selected}). Built
    here: a template loop over 300 themes costs 30 ms."""
    items = []
    for option in options:
        current = ' aria-current="true"' if option["selected"] else ""
        label = option.get("label_html") or escape(option["label"])
        href = option["href"].replace("&", "&amp;")  # the rest of a query string is percent-encoded
        items.append(f'<li><a href="{href}"{current}>{label} <span class="count">({option["count"]})</span></a></li>')
    return mark_safe("\n".join(items))
