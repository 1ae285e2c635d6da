"""Text for the site search: what an indexer gives (plain words) and what a query may hold.

Apps' indexers (``<app>/search.py``) build a document's fields with ``plain``, ``html_text`` and
``markdown_text``; the search page cleans queries with ``clean_query`` and shows headlines with
``highlight``. Private-use characters mark highlighted words in headlines and the breaks between an
item's fields and paragraphs; they are removed from typed text and from queries, so no contributor
can forge them. ``snippet`` cuts a highlighted text at the start of a field or a sentence.
"""

from __future__ import annotations

import html
import re
from typing import Any

import markdown
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

CONFIG = "gj_english"
# Each language's text search configuration: PostgreSQL's stemmer of the language after ``unaccent``, so
# "energia" finds "energía" (created by greenjobs/migrations/0009; without unaccent, the stemmer alone).
CONFIGS = {"en": "gj_english", "fr": "gj_french", "es": "gj_spanish"}
# French plurals the Snowball stemmer keeps ("emplois" stays "emplois", "emploi" is "emploi"): a final s or x
# after a vowel, in a word of five letters or more, is dropped before stemming, in documents (PostgreSQL,
# ``FRENCH_PLURAL_SQL``) and in queries (``french_singular``) alike.
FRENCH_PLURAL_SQL = ("([[:alpha:]]{3}[aeiouyéèêà])[sx]\\M", "\\1")
_FRENCH_PLURAL = re.compile(r"(?<=[^\W\d_]{3}[aeiouyéèêà])[sx]\b", re.IGNORECASE)


def french_singular(text: str) -> str:
    return _FRENCH_PLURAL.sub("", text)


MAX_QUERY_LENGTH = 200
START_MARK, STOP_MARK = "\ue000", "\ue001"
# Between two fields (or paragraphs) of a document: the text search parser reads it as a blank.
FIELD_BREAK = "\ue002"
_MARKERS = re.compile("[\ue000-\ue002\x00]")
_HIGHLIGHTS = re.compile("[\ue000\ue001\x00]")
_SPACES = re.compile(r"\s+")
# Where a block of HTML ends: a field break goes there before the tags are stripped.
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|dt|dd|td|th|blockquote|pre|div|section)\s*>|<br\s*/?>", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
SNIPPET_CHARS = 240


def _line(text: str) -> str:
    """Single spaces, no highlight markers; field breaks (from ``html_text``) are kept."""
    return _SPACES.sub(" ", _HIGHLIGHTS.sub("", text)).strip()


def plain(*parts: Any) -> str:
    """Plain-text parts (fields) as one line: single spaces, no markers but a ``FIELD_BREAK`` between
    two parts, so a snippet never runs two fields together. Text stays as typed (escaped on output)."""
    return f" {FIELD_BREAK} ".join(line for part in parts if part and (line := _line(str(part))))


def html_text(source: str) -> str:
    """The words of trusted HTML (about pages, rendered Markdown), without its tags; blocks (paragraphs,
    headings, list items) are separated by a ``FIELD_BREAK``."""
    blocks = _BLOCK_END.sub(FIELD_BREAK, _MARKERS.sub("", source or ""))
    return plain(*(html.unescape(strip_tags(block)) for block in blocks.split(FIELD_BREAK)))


def markdown_text(text: str) -> str:
    return html_text(markdown.markdown(text, output_format="html")) if text else ""


def clean_query(raw: str | None) -> tuple[str, bool]:
    """Single-spaced query without NUL or marker characters, cut to 200 characters."""
    text = _SPACES.sub(" ", _MARKERS.sub("", raw or "")).strip()
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH].strip(), True
    return text, False


_HYPHENATED = re.compile(r"(?<!\w)\w+(?:-\w+)+")


def hyphenated_words(query: str) -> list[str]:
    """The hyphenated words of a query ("e-waste") outside its quoted phrases, each once, at most eight.

    Quotes pair up as websearch_to_tsquery pairs them: the text after an unpaired quote is a phrase too.
    """
    outside = query.split('"')[::2]
    if query.count('"') % 2:
        outside = outside[:-1]
    found = dict.fromkeys(word.lower() for part in outside for word in _HYPHENATED.findall(part))
    return list(found)[:8]


_OR = re.compile(r"(?<!\S)or(?!\S)", re.IGNORECASE)


def required_phrases(query: str) -> list[str]:
    """The quoted phrases that every match holds: none when the query has an "or" outside quotes, and
    never a negated one (-"coal mine"). Quotes pair up as in ``hyphenated_words``."""
    parts = query.split('"')
    outside, inside = parts[::2], parts[1::2]
    if any(_OR.search(part) for part in outside):
        return []
    # outside has one part more than inside when the quotes pair up, as many when the last is unpaired.
    return [
        phrase for before, phrase in zip(outside, inside, strict=False) if phrase.strip() and not before.endswith("-")
    ]


def highlight(snippet: str) -> SafeString:
    """Escape a headline completely, then turn only our private markers into <mark> elements."""
    snippet = (snippet or "").replace(FIELD_BREAK, " ")
    text = escape(snippet)
    opened = text.count(START_MARK)
    text = text.replace(START_MARK, "<mark>").replace(STOP_MARK, "</mark>")
    if opened != snippet.count(STOP_MARK):  # never emit unbalanced tags
        text = escape(_MARKERS.sub("", snippet))
    return mark_safe(text)


def words(text: str) -> list[str]:
    """The words of a text, lower-cased (letters only: no digits, no punctuation)."""
    return [word.lower() for word in _WORD.findall(text or "")]


def respell(text: str, better: dict[str, str]) -> str:
    """The text with each word found in ``better`` (lower-cased) replaced; the rest stays as typed."""
    return _WORD.sub(lambda match: better.get(match.group(0).lower(), match.group(0)), text)


_SENTENCE_END = re.compile("[.!?\u2026][\"'\u201d\u2019)\\]]*\\s+")


def _sentences(field: str) -> list[str]:
    """A field cut after each full stop (or ! ? …) that a capital letter, a digit or a quote follows."""
    found, start = [], 0
    for end in _SENTENCE_END.finditer(field):
        following = field[end.end() : end.end() + 2].lstrip(START_MARK)[:1]
        if following and (following.isupper() or following.isdigit() or following in "\"'(\u201c\u2018["):
            found.append(field[start : end.end()].strip())
            start = end.end()
    found.append(field[start:].strip())
    return [sentence for sentence in found if sentence]


def _cut(text: str, limit: int) -> str:
    """At most about ``limit`` characters, cut at a space (with "…"); a highlight left open is closed."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    text = text[: cut if cut > limit // 2 else limit].rstrip(" ,;:" + FIELD_BREAK) + " …"
    if text.count(START_MARK) > text.count(STOP_MARK):
        text = text.replace(" …", STOP_MARK + " …")
    return text


def snippet(marked: str, limit: int = SNIPPET_CHARS) -> SafeString:
    """The part of a document to show under a result, highlighted and safe.

    ``marked`` is the document's fields (separated by ``FIELD_BREAK``) with matched words between
    ``START_MARK`` and ``STOP_MARK`` (PostgreSQL's ``ts_headline`` with ``HighlightAll``). The snippet
    starts where a field or a sentence starts: at the first sentence with a match (else the first
    sentence), followed by the next sentences of that field while they fit; it never joins two fields.
    """
    parts = (marked or "").split(FIELD_BREAK)
    matched = next((part for part in parts if START_MARK in part), None)
    if matched is not None:  # only this field is cut into sentences
        chosen = _sentences(matched)
        first = next(n for n, sentence in enumerate(chosen) if START_MARK in sentence)
    else:
        chosen, first = next((sentences for part in parts if (sentences := _sentences(part))), None), 0
        if chosen is None:
            return mark_safe("")
    text = chosen[first]
    for sentence in chosen[first + 1 :]:
        if len(text) + 1 + len(sentence) > limit:
            break
        text += " " + sentence
    mark = text.find(START_MARK)
    if mark > 2 * limit:  # a very long sentence: start a few words before its first match
        text = "… " + text[text.find(" ", mark - limit // 3) + 1 :]
        mark = text.find(START_MARK)
    return highlight(_cut(text, max(limit, mark + limit // 3)))
