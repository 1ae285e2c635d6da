"""Querying the site search index (``greenjobs.models.SearchDocument``): ranked pages and matches.

Knows no app: a document's ``kind`` is the kind its app registered (``greenjobs.core.registry``).
``run_search`` serves the search page; ``matching_object_ids`` lets an app's own list filter by the
same words and get the same items (``/cases/?q=`` finds what ``/search/`` finds among stories);
``did_you_mean`` offers a better spelling of words that find little (both pages).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.core.paginator import Page, Paginator
from django.db import connection
from django.utils.translation import get_language

from greenjobs.core.derived import derived
from greenjobs.core.languages import localized
from greenjobs.core.registry import registry
from greenjobs.core.searchtext import (
    CONFIG,
    CONFIGS,
    FIELD_BREAK,
    START_MARK,
    STOP_MARK,
    clean_query,
    french_singular,
    hyphenated_words,
    required_phrases,
    respell,
    snippet,
    words,
)
from greenjobs.core.taxonomy import theme_label
from greenjobs.models import SearchDocument, SearchWord

PER_PAGE = 10
# Fewer results than this, and "did you mean" looks for a better spelling.
FEW_RESULTS = 3
# How long a query's counts and page are kept (while public content does not change).
RESULTS_SECONDS = 10 * 60


@dataclass
class SearchResults:
    query: str = ""
    truncated: bool = False
    kind: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    page_obj: Page | None = None

    @property
    def all_count(self) -> int:
        return sum(self.counts.values())

    @property
    def kinds(self) -> list[dict]:
        """The type filters with their counts, in a fixed order."""
        return [
            {"value": value, "label": label, "count": self.counts.get(value, 0)}
            for value, label in registry.kind_labels()
        ]


class AnyReading(SearchQuery):
    """The words as each language's configuration reads them, each distinct reading once, any of them
    matching (``gj_readings``, greenjobs/migrations/0009). The function is immutable: PostgreSQL computes
    it while planning, so the plan sees the words of one reading, not three equal ones OR'ed, which would
    look three times as costly and make it read the whole table.

    With ``compounds``, a hyphenated word outside quotes ("e-waste") is asked as its compound alone
    ('e-wast', ``gj_compounds``, greenjobs/migrations/0011) rather than as the phrase of its parts: the
    same documents, found by the index alone, without reading each candidate's positions. Headlines
    keep the phrase, whose parts are the words they mark."""

    def __init__(self, readings: list[tuple[str, str]], *, compounds: bool = False):
        super().__init__(" ".join(words for _config, words in readings), search_type="raw")
        self.readings = readings
        self.compounds = compounds

    def as_sql(self, compiler, connection, **extra_context):
        calls, params = [], []
        for config, text in self.readings:
            hyphenated = hyphenated_words(text) if self.compounds else []
            if hyphenated:
                calls.append("gj_compounds(websearch_to_tsquery(%s::regconfig, %s), %s::regconfig, %s::text[])")
                params += [config, text, config, hyphenated]
            else:
                calls.append("websearch_to_tsquery(%s::regconfig, %s)")
                params += [config, text]
        return f"gj_readings({', '.join(calls)})", params

    def pairs_sql(self) -> tuple[str, list] | None:
        """The pairs of adjacent words that the quoted phrases of every reading need (``gj_any_pairs``,
        greenjobs/migrations/0012; NULL when some reading needs none), or None without a quoted phrase."""
        phrases = [(config, required_phrases(text)) for config, text in self.readings]
        if not any(found for _config, found in phrases):
            return None
        calls = ", ".join("gj_phrase_pairs(%s::regconfig, %s::text[])" for _reading in phrases)
        return f"gj_any_pairs({calls})", [value for reading in phrases for value in reading]


def _search_query(query: str, *, compounds: bool = False) -> SearchQuery:
    """A document matches in its own language: English words in English documents, "emplois" in French
    ones, "energía" in Spanish ones; unaccent lets "energia" find "energía"."""
    return AnyReading(
        [(config, french_singular(query) if code == "fr" else query) for code, config in CONFIGS.items()],
        compounds=compounds,
    )


def _readings_sql(search_query: AnyReading) -> tuple[str, list]:
    return search_query.as_sql(None, None)


def _documents_sql(search_query: AnyReading) -> tuple[str, list]:
    """The documents to match the words against: the table, or, with a quoted phrase, those of its rows
    that hold the phrase's pairs of adjacent words (``gj_any_pairs``), so that only their positions are
    read. The pairs are worked out while planning; when some reading needs none (NULL), the first
    branch keeps every row and the second is dropped, else the reverse. (An OR of the two in the WHERE
    clause would keep the planner from starting at the pairs' index.)"""
    pairs = search_query.pairs_sql()
    if pairs is None:
        return _TABLE, []
    pairs_sql, params = pairs
    return (
        f"""(SELECT * FROM {_TABLE} WHERE {pairs_sql} IS NULL
             UNION ALL
             SELECT * FROM {_TABLE} WHERE {pairs_sql} IS NOT NULL
                AND id IN (SELECT id FROM {_TABLE} WHERE gj_pairs(vector) @@ {pairs_sql})) AS documents""",
        [*params, *params, *params],
    )


def _language() -> str:
    """The page's language, one of those the index has columns for (it is written into the SQL)."""
    language = get_language() or settings.LANGUAGE_CODE
    return language if language in CONFIGS else settings.LANGUAGE_CODE


_TABLE = SearchDocument._meta.db_table
# The SQL of the two queries is written once per language (lru_cache), with the words as parameters:
# composing the same expressions with the ORM on every search cost more than running them.


def _own_sql(language: str) -> str:
    """True for documents written in, or translated into, ``language``: they come first in results."""
    return f"(language = '{language}' OR title_{language} <> '')"


def _through_the_index(sql: str, params) -> list[tuple]:
    """The rows of ``sql``, planned without a sequential scan.

    A common word matches most documents, and the planner then prefers reading the whole table, matching
    each row's full vector (toasted, 2 KB at bench scale): 110-130 ms at 25,000 documents where the
    vector's GIN index finds the same rows in 12. SET LOCAL lasts this statement only (one implicit
    transaction). Inside a transaction (a test, a management command's atomic block) it would last until
    that ends, so the planner is set back at once; requests run in autocommit, where this never happens,
    and the reset goes straight to the driver so that query counts stay those of a request.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL enable_seqscan = off; {sql}", params)
        rows = cursor.fetchall()
        if connection.in_atomic_block:
            cursor.cursor.execute("RESET enable_seqscan")
    return rows


# Ranked by title, summary and themes (``head``: a word there says more than one in the body, and ranking
# the full vector would read every match's whole text); 0 without ranking where the words are only in the
# body (a match test costs less than a rank).
_RANKED_SQL = """
    WITH matches AS MATERIALIZED (
      SELECT id, kind, date, {own} AS own,
             CASE WHEN head @@ {q} THEN ts_rank(head, {q}) ELSE 0 END AS rank
      FROM {documents} WHERE vector @@ {q}
    )
    SELECT
      (SELECT coalesce(json_object_agg(kind, n), '{{}}')
         FROM (SELECT kind, count(*) AS n FROM matches GROUP BY kind) AS per_kind),
      (SELECT array_agg(id ORDER BY own DESC, rank DESC, date DESC NULLS LAST, id)
         FROM (SELECT id, rank, date, own FROM matches WHERE %s = '' OR kind = %s
               ORDER BY own DESC, rank DESC, date DESC NULLS LAST, id LIMIT %s OFFSET %s) AS ranked)
"""


def _ranked_sql(search_query: AnyReading) -> tuple[str, list]:
    """``_RANKED_SQL`` for these words in the page's language, and its parameters up to the page's."""
    words, params = _readings_sql(search_query)
    documents, documents_params = _documents_sql(search_query)
    sql = _RANKED_SQL.format(own=_own_sql(_language()), q=words, documents=documents)
    return sql, [*params, *params, *documents_params, *params]


def _counts_and_page(search_query, kind: str, offset: int, limit: int) -> tuple[dict[str, int], list[int]]:
    """One scan of the matching rows, through the GIN index: the count per type, and the ids of one page,
    those in the page's language first, then by rank, then newest first."""
    sql, params = _ranked_sql(search_query)
    ((counts, ids),) = _through_the_index(sql, (*params, kind, kind, limit, offset))
    return {str(key): int(value) for key, value in (counts or {}).items()}, list(ids or [])


_HEADLINE_OPTIONS = f"StartSel={START_MARK}, StopSel={STOP_MARK}, HighlightAll=true"


def _marked(text: str, config: str) -> str:
    return f"ts_headline('{config}'::regconfig, {text}, words.q, '{_HEADLINE_OPTIONS}')"


def _headline(summary: str, body: str, config: str) -> str:
    """The summary and body with every matched word marked, or the summary alone when a word is marked in
    it. The snippet comes from the first field with a mark (``searchtext.snippet``): the summary either
    way. Marking the body, ten times longer, was most of the query's time, and the best results
    mostly match in the summary."""
    alone = _marked(f"{summary} || ' {FIELD_BREAK} '", config)
    both = _marked(f"{summary} || ' {FIELD_BREAK} ' || {body} || ' {FIELD_BREAK} '", config)
    return f"CASE WHEN strpos({alone}, '{START_MARK}') > 0 THEN {alone} ELSE {both} END"


@lru_cache(maxsize=8)
def _page_rows_sql(language: str) -> str:
    """The page's rows, in ``language`` where the document is translated into it, else in its own; the
    readings of the words (``{q}``) are worked out once, in ``words`` (OFFSET 0 keeps the planner from
    copying them into each of the headlines, to work out again for each while planning)."""
    translated = f"title_{language} <> ''"
    original = " ".join(
        f"WHEN language = '{code}' THEN {_headline('summary', 'body', config)}"
        for code, config in CONFIGS.items()
        if code != settings.LANGUAGE_CODE
    )
    return f"""
        SELECT id, kind, url, themes, date,
               CASE WHEN {translated} THEN title_{language} ELSE title END,
               CASE WHEN {translated} THEN '{language}' ELSE language END,
               CASE WHEN {translated} THEN {_headline(f"summary_{language}", f"body_{language}", CONFIGS[language])}
                    {original}
                    ELSE {_headline("summary", "body", CONFIG)} END
        FROM (SELECT {{q}} AS q OFFSET 0) AS words, {_TABLE} WHERE id = ANY(%s)
    """


def _page_rows(ids: list[int], search_query) -> list[dict]:
    """The fields and the highlighted snippet of one page of results (headlines for these rows only), in the
    page's language where the document has it, else in its own.

    PostgreSQL marks every matched word of the summary, or of the summary and body (kept apart by a
    field break) when none is in the summary (``_headline``); the snippet is then cut at a field or
    sentence start (``searchtext.snippet``).
    """
    if not ids:
        return []
    language = _language()
    sql = _page_rows_sql(language)
    words, params = _readings_sql(search_query)
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{q}", words), [*params, ids])
        rows = {
            row[0]: dict(zip(("pk", "kind", "url", "themes", "date", "title", "language", "marked"), row, strict=True))
            for row in cursor.fetchall()
        }
    # Translated once here (the rows are kept per language) rather than on every rendering of them.
    labels = {kind: str(label) for kind, label in registry.kind_labels()}
    ordered = []
    for pk in ids:
        row = rows.get(pk)
        if row is None:  # deleted between the two queries
            continue
        row["url"] = localized(row["url"], language)
        row["snippet"] = snippet(row.pop("marked"))
        row["kind_label"] = labels.get(row["kind"], row["kind"])
        row["theme_list"] = [theme_label(name, language) for name in row["themes"].split(", ") if name]
        ordered.append(row)
    return ordered


def _page_number(value: Any) -> int:
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


def run_search(raw_query: str | None, *, kind: str | None = None, page: Any = 1, per_page: int = PER_PAGE):
    """Counts per type and one ranked page (in one query), then that page's rows and headlines (in another).

    Kept per content version, language and query (``derived``, for ``RESULTS_SECONDS``): a query asked
    again, as common words are, costs one cache read until public content changes.
    A page number past the end is answered with the last page (one more query, only then).
    """
    query, truncated = clean_query(raw_query)
    kind = kind if kind in registry.kinds() else ""
    results = SearchResults(query=query, truncated=truncated, kind=kind)
    if not query:
        return results
    number = _page_number(page)
    asked = hashlib.blake2b(f"{kind}\n{number}\n{per_page}\n{query}".encode(), digest_size=16).hexdigest()
    results.counts, number, rows = derived(
        f"search:{_language()}:{asked}",
        lambda: _ranked_page(query, kind, number, per_page),
        seconds=RESULTS_SECONDS,
    )
    results.total = results.counts.get(kind, 0) if kind else results.all_count
    results.page_obj = Page(rows, number, Paginator(range(results.total), per_page))
    return results


def _ranked_page(query: str, kind: str, number: int, per_page: int) -> tuple[dict[str, int], int, list[dict]]:
    """The counts per type, the page number shown (the last, past the end) and that page's rows."""
    matching = _search_query(query, compounds=True)
    counts, ids = _counts_and_page(matching, kind, (number - 1) * per_page, per_page)
    total = counts.get(kind, 0) if kind else sum(counts.values())
    last = Paginator(range(total), per_page).num_pages
    if number > last:
        number = last
        if total:
            _, ids = _counts_and_page(matching, kind, (number - 1) * per_page, per_page)
    return counts, number, _page_rows(ids, _search_query(query))


def matching_object_ids(raw_query: str | None, *, kind: str) -> list[int]:
    """Object ids of every item of one kind that ``run_search`` finds for these words (one query, no ranking)."""
    query, _ = clean_query(raw_query)
    if not query:
        return []
    search_query = _search_query(query, compounds=True)
    words, params = _readings_sql(search_query)
    documents, documents_params = _documents_sql(search_query)
    rows = _through_the_index(
        f"SELECT object_id FROM {documents} WHERE kind = %s AND vector @@ {words}", [*documents_params, kind, *params]
    )
    return [object_id for (object_id,) in rows]


_SUGGEST_SQL = f"""
    SELECT typed.word, best.word
    FROM unnest(%s::text[]) AS typed(word)
    CROSS JOIN LATERAL (
        SELECT near.word FROM (
            SELECT w.word, similarity(w.word, typed.word) AS score
            FROM {SearchWord._meta.db_table} w
            WHERE w.word %% typed.word
            ORDER BY score DESC, w.word
            LIMIT 5
        ) AS near
        WHERE EXISTS (
            SELECT 1 FROM {SearchDocument._meta.db_table} d
            WHERE d.vector @@ (plainto_tsquery(%s::regconfig, near.word) || plainto_tsquery(%s::regconfig, near.word)
                               || plainto_tsquery(%s::regconfig, near.word))
        )
        ORDER BY near.score DESC, near.word
        LIMIT 1
    ) AS best
    WHERE NOT EXISTS (SELECT 1 FROM {SearchWord._meta.db_table} known WHERE known.word = typed.word)
"""


def did_you_mean(raw_query: str | None, found: int) -> str:
    """The query with its unknown words spelled as the closest words of the index, when it found fewer
    than ``FEW_RESULTS`` items and some word has a better spelling; "" otherwise.

    One query (only then), on the vocabulary's trigram index; a word is offered only if some public
    document matches it.
    """
    if found >= FEW_RESULTS:
        return ""
    query, _ = clean_query(raw_query)
    typed = sorted({word for word in words(query) if 3 <= len(word) <= 40})[:8]
    if not typed:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(_SUGGEST_SQL, [typed, *CONFIGS.values()])
        better = dict(cursor.fetchall())
    if not better:
        return ""
    return respell(query, better)


def explain(raw_query: str) -> str:
    """EXPLAIN ANALYZE of the counts-and-page query, for benchmarks."""
    query, _ = clean_query(raw_query)
    sql, params = _ranked_sql(_search_query(query, compounds=True))
    plan = _through_the_index(f"EXPLAIN ANALYZE {sql}", (*params, "", "", PER_PAGE, 0))
    return "\n".join(row[0] for row in plan)
