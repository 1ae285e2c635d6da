"""Staff-written Markdown rendered to safe HTML: markdown, then the nh3 sanitiser."""

import hashlib
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
# Part of every kept rendering's digest: change it when the output of render_markdown changes (its
# extensions, the sanitiser's rules), and HTML kept by the old rules is rendered afresh when shown.
RENDERING = "1"

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


def _digest(text: str) -> str:
    return hashlib.blake2b(f"{RENDERING}\n{text}".encode(), digest_size=8).hexdigest()


def kept_html(texts: dict[str, str | None]) -> dict[str, list[str]]:
    """Markdown rendered ahead (when an item is saved): ``{key: text}`` -> ``{key: [digest, html]}`` for each
    text that is not blank. ``html_of`` gives it back while the text is the same."""
    return {key: [_digest(text), str(render_markdown(text))] for key, text in texts.items() if text and text.strip()}


def html_of(text: str, kept: dict | None, *keys: str) -> SafeString:
    """``text`` as HTML: kept under one of ``keys`` (``kept_html``) if rendered from this very text by these
    rules, else rendered now (a text changed without a save, or kept by older rules)."""
    if kept:
        digest = _digest(text)
        for key in keys:
            entry = kept.get(key)
            if entry and entry[0] == digest:
                return mark_safe(entry[1])
    return render_markdown(text)
