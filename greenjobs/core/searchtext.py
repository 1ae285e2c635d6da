"""Text for the site search: what an indexer gives (plain words) and what a query may hold.

Apps' indexers (``<app>/search.py``) build a document's fields with ``plain``, ``html_text`` and
``markdown_text``; the search page cleans queries with ``clean_query`` and shows headlines with
``highlight``. Private-use characters mark highlighted words in headlines; they are removed from
indexed text and from queries, so no contributor can forge them.
"""

from __future__ import annotations

import html
import re
from typing import Any

import markdown
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

CONFIG = "english"
MAX_QUERY_LENGTH = 200
START_MARK, STOP_MARK = "\ue000", "\ue001"
_MARKERS = re.compile("[\ue000\ue001\x00]")
_SPACES = re.compile(r"\s+")


def plain(*parts: Any) -> str:
    """Join plain-text parts into one line: no markers, single spaces. Text stays as typed (escaped on output)."""
    text = " ".join(str(part) for part in parts if part)
    return _SPACES.sub(" ", _MARKERS.sub("", text)).strip()


def html_text(source: str) -> str:
    """The words of trusted HTML (about pages, rendered Markdown), without its tags."""
    return plain(html.unescape(strip_tags(source or "")))


def markdown_text(text: str) -> str:
    return html_text(markdown.markdown(text, output_format="html")) if text else ""


def clean_query(raw: str | None) -> tuple[str, bool]:
    """Single-spaced query without NUL or marker characters, cut to 200 characters."""
    text = _SPACES.sub(" ", _MARKERS.sub("", raw or "")).strip()
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH].strip(), True
    return text, False


def highlight(snippet: str) -> SafeString:
    """Escape a headline completely, then turn only our private markers into <mark> elements."""
    text = escape(snippet or "")
    opened = text.count(START_MARK)
    text = text.replace(START_MARK, "<mark>").replace(STOP_MARK, "</mark>")
    if opened != snippet.count(STOP_MARK):  # never emit unbalanced tags
        text = escape(_MARKERS.sub("", snippet or ""))
    return mark_safe(text)
