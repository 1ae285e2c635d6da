"""Reads of the published stories that cost the same at 20 stories as at 20,000.

The list filters, their option counts, deep pages and the story page's themes all come from one
``StoryIndex``: every published story's position (newest first) and, per theme, country and type,
the set of positions as a bit set (a Python int). Filtering is ``&``, counting is ``bit_count()``.
It is built with two queries once per content version (``greenjobs.core.contentversion``)
and kept in this process; a request then reads only the dozen rows it shows. Inside a transaction
(a test, a data migration) it is built afresh and never kept, so it can hold no uncommitted rows.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote_plus

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models.signals import post_migrate

from greenjobs.core.contentversion import content_version
from greenjobs.core.prepared import read
from greenjobs.core.searchindex import matching_object_ids

from .models import CaseStory, Status
from .search import KIND

PAGE_SIZE = 12
CARD_FIELDS = (
    "title",
    "slug",
    "summary",
    "country",
    "photo",
    "photo_width",
    "photo_height",
    "photo_renditions",
    "photo_description",
    "published_at",
)
# Derived data (search matches, rendered cards) is keyed by the content version,
# so it never goes stale; the timeout only frees memory.
DERIVED_SECONDS = 24 * 60 * 60


@dataclass(frozen=True, slots=True)
class Theme:
    id: int
    slug: str
    name: str
    name_html: str = ""  # escaped once per index: the filter lists 300 of them on every page
    quoted: str = ""  # the slug as a query string value, likewise


def _bits(positions: list[int], size: int) -> int:
    """A bit set with these positions on (built in a bytearray: or-ing ints one by one is quadratic)."""
    buffer = bytearray(size // 8 + 1)
    for position in positions:
        buffer[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(buffer, "little")


def _nth_positions(bits: int, skip: int, count: int) -> list[int]:
    """Positions of the set bits ranked ``skip`` to ``skip + count - 1``, lowest first."""
    found: list[int] = []
    base, chunk = 0, 4096
    window = (1 << chunk) - 1
    while bits and len(found) < count:
        part = bits & window
        ones = part.bit_count()
        if skip >= ones:
            skip -= ones
        else:
            digits = bin(part)[:1:-1]  # lowest bit first
            index = -1
            for _ in range(skip + 1):
                index = digits.index("1", index + 1)
            skip = 0
            while index >= 0 and len(found) < count:
                found.append(base + index)
                index = digits.find("1", index + 1)
        bits >>= chunk
        base += chunk
    return found


class StoryIndex:
    """Published stories as bit sets per theme, country, type and language; position 0 is the newest story."""

    def __init__(self, stories: list[tuple[int, str, str, str]], tags: list[tuple[int, str, str, list[int]]], key=""):
        self.key = key
        self.ids = [story[0] for story in stories]
        # Positions are shared through the cache only between indexes of the very same stories.
        self.digest = zlib.crc32(array("q", self.ids).tobytes())
        self.position = position = {story_id: n for n, story_id in enumerate(self.ids)}
        size = len(stories)
        self.all = (1 << size) - 1
        by_country: dict[str, list[int]] = {}
        by_type: dict[str, list[int]] = {}
        by_language: dict[str, list[int]] = {}
        for n, (_, country, kind, language) in enumerate(stories):
            by_country.setdefault(country, []).append(n)
            by_type.setdefault(kind, []).append(n)
            by_language.setdefault(language, []).append(n)
        self.by_country = {code: _bits(positions, size) for code, positions in by_country.items()}
        self.by_type = {kind: _bits(positions, size) for kind, positions in by_type.items()}
        self.by_language = {code: _bits(positions, size) for code, positions in by_language.items()}
        self.themes: dict[int, Theme] = {}  # by name
        self.by_theme: dict[int, int] = {}
        theme_ids: list[list[int]] = [[] for _ in range(size)]
        for tag_id, name, slug, story_ids in tags:
            positions = [position[story_id] for story_id in story_ids if story_id in position]
            if positions:
                self.themes[tag_id] = Theme(tag_id, slug, name, escape(name), quote_plus(slug))
                self.by_theme[tag_id] = _bits(positions, size)
                for n in positions:
                    theme_ids[n].append(tag_id)
        self.theme_ids = theme_ids
        self.theme_by_slug = {theme.slug: theme for theme in self.themes.values()}

    @classmethod
    def build(cls, key: str = "") -> StoryIndex:
        """Two queries: the published stories newest first (an index-only scan of
        ``cases_published_facets_idx``), and each theme of a story with its story ids, by name."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, country, organisation_type, language FROM {CaseStory._meta.db_table} "
                "WHERE status = %s ORDER BY published_at DESC, id DESC",
                [Status.PUBLISHED],
            )
            stories = cursor.fetchall()
            cursor.execute(
                """
                SELECT t.id, t.name, t.slug, array_agg(i.object_id)
                FROM taggit_tag t JOIN taggit_taggeditem i ON i.tag_id = t.id
                WHERE i.content_type_id = (
                    SELECT id FROM django_content_type WHERE app_label = 'cases' AND model = 'casestory')
                GROUP BY t.id
                ORDER BY t.name, t.id
                """
            )
            tags = cursor.fetchall()
        return cls(stories, tags, key)

    # --- Reading -------------------------------------------------------------------------------

    def positions_of(self, story_ids) -> int:
        position = self.position
        return _bits([position[i] for i in story_ids if i in position], len(self.ids))

    def theme_list(self, story_id: int) -> list[Theme] | None:
        """The story's themes by name, or None when it is not published."""
        position = self.position.get(story_id)
        if position is None:
            return None
        return [self.themes[tag_id] for tag_id in self.theme_ids[position]]

    def ids_at(self, bits: int, skip: int, count: int) -> list[int]:
        return [self.ids[n] for n in _nth_positions(bits, skip, count)]


_lock = threading.Lock()
_kept: dict[str, StoryIndex] = {}


def story_index() -> StoryIndex:
    """The index of the current content version: built at most once per version in each process."""
    if connection.in_atomic_block:
        return StoryIndex.build()
    key = f"{connection.settings_dict['NAME']}:{content_version()}"
    index = _kept.get(key)
    if index is None:
        with _lock:
            index = _kept.get(key)
            if index is None:
                index = StoryIndex.build(key)
                _kept.clear()
                _kept[key] = index
    return index


def forget() -> None:
    """Drop the kept index (after a flush, in tests)."""
    with _lock:
        _kept.clear()


post_migrate.connect(lambda **kwargs: forget(), weak=False, dispatch_uid="cases-story-index-forget")


# --- The list page ---------------------------------------------------------------------------


def _matching(index: StoryIndex, words: str) -> int:
    """Stories the site search finds for these words, as a bit set (kept per version and words)."""
    key = ""
    if index.key:
        key = "cases:q:" + hashlib.sha256(f"{index.key}|{index.digest}|{words}".encode()).hexdigest()
        found = cache.get(key)
        if found is not None:
            return int.from_bytes(found, "little")
    found = index.positions_of(matching_object_ids(words, kind=KIND))
    if key:
        # As bytes: django-redis stores an int as its decimal text, which Python refuses past 4,300 digits.
        cache.set(key, found.to_bytes((found.bit_length() + 7) // 8, "little"), DERIVED_SECONDS)
    return found


def _selection(index: StoryIndex, filters: dict[str, str]) -> dict[str, int]:
    """Bit set of each active filter (an unknown value selects nothing)."""
    chosen = {}
    if filters["theme"]:
        theme = index.theme_by_slug.get(filters["theme"])
        chosen["theme"] = index.by_theme.get(theme.id, 0) if theme else 0
    if filters["country"]:
        chosen["country"] = index.by_country.get(filters["country"], 0)
    if filters["type"]:
        chosen["type"] = index.by_type.get(filters["type"], 0)
    if filters["language"]:
        chosen["language"] = index.by_language.get(filters["language"], 0)
    if filters["q"]:
        chosen["q"] = _matching(index, filters["q"])
    return chosen


def _combined(index: StoryIndex, chosen: dict[str, int], skip: str = "") -> int:
    bits = index.all
    for name, selected in chosen.items():
        if name != skip:
            bits &= selected
    return bits


@dataclass
class StoryList:
    page_obj: Page
    index: StoryIndex
    chosen: dict  # the bit set of each active filter

    @property
    def themes(self) -> list[Theme]:
        """Every theme that some published story has, by name."""
        return list(self.index.themes.values())

    @property
    def key(self) -> str:
        """The index's content version ("" inside a transaction): for caching what is derived from it."""
        return self.index.key

    @functools.cached_property
    def counts(self) -> dict[str, dict[Any, int]]:
        """Per filter, option value -> stories with the other filters. Worked out when asked for: every
        unfiltered page shows the same filters, built once per content version."""
        index, chosen = self.index, self.chosen
        return {
            "theme": _counts(index.by_theme, _combined(index, chosen, "theme")),
            "country": _counts(index.by_country, _combined(index, chosen, "country")),
            "type": _counts(index.by_type, _combined(index, chosen, "type")),
            "language": _counts(index.by_language, _combined(index, chosen, "language")),
        }


def story_list(filters: dict[str, str], page: Any) -> StoryList:
    """One page of published stories (newest first) matching the filters, and every option's count.

    Queries: the content version, the words' matches (only for a search not seen in this version),
    and the page's rows (only if one of its cards is not cached).
    """
    index = story_index()
    chosen = _selection(index, filters)
    matching = _combined(index, chosen)
    paginator = Paginator(range(matching.bit_count()), PAGE_SIZE)
    number = paginator.get_page(page).number
    ids = index.ids_at(matching, (number - 1) * PAGE_SIZE, PAGE_SIZE)
    return StoryList(Page(Cards(index, ids), number, paginator), index, chosen)


def _counts(options: dict[Any, int], within: int) -> dict[Any, int]:
    counts = {}
    for value, bits in options.items():
        n = (bits & within).bit_count()
        if n:
            counts[value] = n
    return counts


class Cards(Sequence):
    """A page of stories whose rows are read (one query) only when asked for: not when every card
    of the page is already rendered in the cache (``cases_tags.case_cards``)."""

    def __init__(self, index: StoryIndex, ids: list[int]):
        self.index, self.ids, self._rows = index, ids, None

    def rows(self) -> list[CaseStory]:
        if self._rows is None:
            self._rows = cards(self.index, self.ids)
        return self._rows

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, item):
        return self.rows()[item]


def cards(index: StoryIndex, ids: list[int]) -> list[CaseStory]:
    """The card fields of these published stories, in this order, their themes from the index.

    Read by primary key alone (the status is checked here), so the plan never depends on statistics.
    """
    if not ids:
        return []
    rows = {story.pk: story for story in _read(("id", *CARD_FIELDS, "status"), "id = ANY(%s)", [list(ids)])}
    found = []
    for story_id in ids:
        story = rows.get(story_id)
        if story is not None and story.is_public:
            story.card_themes = index.theme_list(story_id) or []
            found.append(story)
    return found


@functools.cache
def _select(fields: tuple[str, ...]) -> str:
    columns = ", ".join(connection.ops.quote_name(CaseStory._meta.get_field(name).column) for name in fields)
    return f"SELECT {columns} FROM {connection.ops.quote_name(CaseStory._meta.db_table)} WHERE "


def _read(fields: tuple[str, ...], where: str, params: list) -> list[CaseStory]:
    """Stories with only these fields, by a fixed query: compiling an ORM query for a page's one or two
    reads costs more CPU than all of its rendering. (Any other field would be read on first use.)"""
    return read(CaseStory, _select(fields) + where, params)


# --- The story page --------------------------------------------------------------------------

STORY_FIELDS = (
    *CARD_FIELDS,
    "organisation",
    "organisation_type",
    "language",
    "challenge",
    "actions",
    "environment_results",
    "job_results",
    "lessons",
    "photo_credit",
    "status",
)


def story_themes(story: CaseStory) -> list:
    """The story's themes by name: from the index when it is published (no query), else read."""
    themes = story_index().theme_list(story.pk)
    if themes is None:  # a preview: not in the index
        themes = sorted(story.themes.all(), key=lambda theme: (theme.name, theme.pk))
    return themes
