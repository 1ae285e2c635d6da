"""Head metadata helpers: capture a block's output once, build the canonical URL (on SITE_URL)."""

import html
from urllib.parse import quote, urlencode

from django import template
from django.utils.encoding import iri_to_uri
from django.utils.safestring import mark_safe

from greenjobs.siteurl import absolute

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
    """The page's URL on SITE_URL, whatever the Host: no query string, except a ``page`` number above 1."""
    request = context.get("request")
    if request is None:
        return ""
    url = iri_to_uri(absolute(request.path))
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        url += "?" + urlencode({"page": int(page)})
    return url


@register.simple_tag
def absolute_url(path: str) -> str:
    """An absolute URL on SITE_URL for a path (e.g. an image rendition); full URLs pass through."""
    if not path:
        return ""
    return absolute(html.unescape(str(path)))


@register.simple_tag
def mailto_href(title: str, url: str) -> str:
    """``mailto:?subject=…&body=…`` with the title and the link, percent-encoded."""
    subject = html.unescape(str(title or ""))
    body = f"{subject}\n{html.unescape(str(url or ''))}"
    return "mailto:?" + urlencode({"subject": subject, "body": body}, quote_via=quote)
