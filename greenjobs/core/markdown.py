"""Staff-written Markdown rendered to safe HTML: markdown, then the nh3 sanitiser."""

import threading

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Building a Markdown instance (loading its extensions) costs more than converting a section:
# each thread keeps one and resets it between documents.
_local = threading.local()


def _converter() -> markdown.Markdown:
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(
            extensions=["extra", "toc", "sane_lists"],
            extension_configs={"toc": {"baselevel": 3}},
            output_format="html",
        )
    return converter


def render_markdown(text: str) -> SafeString:
    """Headings start at h3 (the page has h1, sections h2); scripts and javascript: links are dropped."""
    converter = _converter()
    try:
        html = converter.reset().convert(text or "")
    finally:
        converter.reset()
    return mark_safe(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer",
        )
    )
