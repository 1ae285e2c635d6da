"""Head metadata helpers: capture a block's output once, build the canonical URL."""

import html
from urllib.parse import quote, urlencode

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


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


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """Absolute URL of the page without its query string, except a ``page`` number above 1."""
    request = context.get("request")
    if request is None:
        return ""
    url = request.build_absolute_uri(request.path)
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        url += "?" + urlencode({"page": int(page)})
    return url


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """An absolute URL for a path or URL (e.g. an image rendition) on this site."""
    request = context.get("request")
    if not path or request is None:
        return path or ""
    return request.build_absolute_uri(html.unescape(str(path)))


@register.simple_tag
def mailto_href(title: str, url: str) -> str:
    """``mailto:?subject=…&body=…`` with the title and the link, percent-encoded."""
    subject = html.unescape(str(title or ""))
    body = f"{subject}\n{html.unescape(str(url or ''))}"
    return "mailto:?" + urlencode({"subject": subject, "body": body}, quote_via=quote)
