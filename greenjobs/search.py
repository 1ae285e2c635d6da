"""Site-wide search: one table of public documents with stored, weighted vectors.

Every searchable model has an *indexer* in ``INDEXERS`` (model label -> function returning the
document's fields, or ``None`` when the item is not public). Signals keep the table in step with
saves, deletes and theme changes; ``manage.py rebuild_search_index`` rebuilds it from scratch.
Models are resolved lazily, so an app that is not installed is simply skipped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

import markdown
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.paginator import Page, Paginator
from django.db import connection, models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from .models import SearchDocument

Kind = SearchDocument.Kind
CONFIG = "english"
MAX_QUERY_LENGTH = 200
PER_PAGE = 10
# Private-use characters mark highlighted words in headlines; they are removed from indexed text,
# so no contributor can forge them.
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


# --- Indexers: one per model, returning the document's fields or None when not public ------------


def case_fields(story) -> dict | None:
    if not story.is_published:
        return None
    return {
        "kind": Kind.CASE,
        "title": story.title,
        "summary": story.summary,
        "body": plain(
            story.challenge,
            story.actions,
            story.environment_results,
            story.job_results,
            story.lessons,
            story.organisation,
            story.country.name if story.country else "",
        ),
        "date": story.published_at,
    }


def event_fields(event) -> dict | None:
    if event.status != "published":
        return None
    return {
        "kind": Kind.EVENT,
        "title": event.title,
        "summary": event.summary,
        "body": plain(
            event.place_label,
            event.organiser,
            markdown_text(event.background),
            markdown_text(event.objectives),
            markdown_text(event.target_participants),
            markdown_text(event.programme),
        ),
        "date": event.starts_at,
    }


def course_fields(course) -> dict | None:
    if not course.is_published:
        return None
    return {
        "kind": Kind.COURSE,
        "title": course.title,
        "summary": course.summary,
        "body": plain(course.description, course.learning_objectives, course.who_should_attend, course.prerequisites),
        "date": course.updated,
    }


def flatpage_fields(page) -> dict | None:
    if page.registration_required:
        return None
    return {"kind": Kind.PAGE, "title": page.title, "summary": "", "body": html_text(page.content), "date": None}


INDEXERS = {
    "cases.casestory": case_fields,
    "events.event": event_fields,
    "courses.course": course_fields,
    "flatpages.flatpage": flatpage_fields,
}


def indexed_models() -> list[type[models.Model]]:
    found = []
    for label in INDEXERS:
        try:
            found.append(apps.get_model(label))
        except LookupError:
            continue
    return found


def _indexer(model):
    return INDEXERS.get(model._meta.label_lower)


def _url(obj) -> str:
    return obj.url if model_label(obj) == "flatpages.flatpage" else obj.get_absolute_url()


def model_label(obj) -> str:
    return obj._meta.label_lower


def _themes_of(content_type, object_ids) -> dict[int, list[tuple[int, str]]]:
    """{object id: [(tag id, tag name), ...]} in one query."""
    from taggit.models import TaggedItem

    themes: dict[int, list[tuple[int, str]]] = {}
    rows = (
        TaggedItem.objects.filter(content_type=content_type, object_id__in=list(object_ids))
        .order_by("tag__name")
        .values_list("object_id", "tag_id", "tag__name")
    )
    for object_id, tag_id, name in rows:
        themes.setdefault(object_id, []).append((tag_id, name))
    return themes


def _document(obj, content_type, fields: dict, themes: list[tuple[int, str]]) -> SearchDocument:
    return SearchDocument(
        content_type=content_type,
        object_id=obj.pk,
        url=_url(obj),
        themes=", ".join(name for _, name in themes),
        theme_ids=[tag_id for tag_id, _ in themes],
        title=plain(fields["title"])[:300],
        summary=plain(fields["summary"]),
        body=fields["body"],
        kind=fields["kind"],
        date=fields["date"],
    )


_UPSERT_FIELDS = ["kind", "title", "summary", "body", "url", "themes", "theme_ids", "date", "updated"]


def _write(documents: list[SearchDocument]) -> None:
    """Insert or update the rows, then compute their vectors in the database."""
    if not documents:
        return
    SearchDocument.objects.bulk_create(
        documents,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["content_type", "object_id"],
        update_fields=_UPSERT_FIELDS,
    )
    keys = models.Q()
    by_type: dict[int, list[int]] = {}
    for document in documents:
        by_type.setdefault(document.content_type_id, []).append(document.object_id)
    for type_id, ids in by_type.items():
        keys |= models.Q(content_type_id=type_id, object_id__in=ids)
    SearchDocument.objects.filter(keys).update(vector=document_vector())


def document_vector():
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", "themes", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


def index_object(obj) -> bool:
    """Write or delete the search row of one item; True when it is now searchable."""
    indexer = _indexer(type(obj))
    if indexer is None:
        return False
    content_type = ContentType.objects.get_for_model(obj)
    fields = indexer(obj)
    if fields is None:
        SearchDocument.objects.filter(content_type=content_type, object_id=obj.pk).delete()
        return False
    themes = _themes_of(content_type, [obj.pk]).get(obj.pk, []) if hasattr(obj, "themes") else []
    _write([_document(obj, content_type, fields, themes)])
    return True


def remove_object(obj) -> None:
    content_type = ContentType.objects.get_for_model(obj)
    SearchDocument.objects.filter(content_type=content_type, object_id=obj.pk).delete()


def reindex_documents(documents) -> int:
    """Index again the items behind some rows (after a theme was renamed, merged or deleted)."""
    by_type: dict[int, list[int]] = {}
    for type_id, object_id in documents.values_list("content_type_id", "object_id"):
        by_type.setdefault(type_id, []).append(object_id)
    done = 0
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or _indexer(model) is None:
            continue
        done += _index_queryset(model, model._default_manager.filter(pk__in=ids))
    return done


def _index_queryset(model, queryset, batch: int = 2000) -> int:
    indexer = _indexer(model)
    content_type = ContentType.objects.get_for_model(model)
    taggable = hasattr(model, "themes")
    written = 0
    stale: list[int] = []
    items = list(queryset.order_by("pk"))
    for start in range(0, len(items), batch):
        chunk = items[start : start + batch]
        themes = _themes_of(content_type, [obj.pk for obj in chunk]) if taggable else {}
        documents = []
        for obj in chunk:
            fields = indexer(obj)
            if fields is None:
                stale.append(obj.pk)
            else:
                documents.append(_document(obj, content_type, fields, themes.get(obj.pk, [])))
        _write(documents)
        written += len(documents)
    if stale:
        SearchDocument.objects.filter(content_type=content_type, object_id__in=stale).delete()
    return written


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Empty the table and index every public item again; returns rows per model label."""
    SearchDocument.objects.all().delete()
    return {model._meta.label: _index_queryset(model, model._default_manager.all()) for model in indexed_models()}


# --- Signals ------------------------------------------------------------------------------------


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_object(instance)


def _deleted(sender, instance, **kwargs):
    remove_object(instance)


def _themes_changed(sender, instance, action, reverse, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and not reverse and _indexer(type(instance)):
        index_object(instance)


def _theme_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        reindex_documents(SearchDocument.objects.filter(theme_ids__contains=[instance.pk]))


def _theme_deleted(sender, instance, **kwargs):
    reindex_documents(SearchDocument.objects.filter(theme_ids__contains=[instance.pk]))


def connect_signals() -> None:
    from taggit.models import Tag, TaggedItem

    for model in indexed_models():
        uid = f"search-{model._meta.label_lower}"
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(_themes_changed, sender=TaggedItem, dispatch_uid="search-themes")
    post_save.connect(_theme_saved, sender=Tag, dispatch_uid="search-tag-save")
    post_delete.connect(_theme_deleted, sender=Tag, dispatch_uid="search-tag-delete")


# --- Themes counted from the index (public items only) ------------------------------------------

THEME_KINDS = (Kind.CASE, Kind.EVENT, Kind.COURSE)


def themes_with_counts(*, limit: int | None = None, used_only: bool = False):
    """Every theme with ``item_count`` (published cases, events and courses) and ``last_change``.

    One query. Sorted by name, or by count when ``limit`` is given (for suggestions).
    """
    from taggit.models import Tag

    where = "WHERE c.item_count > 0" if used_only else ""
    order = "item_count DESC, t.name" if limit else "t.name"
    limit_sql = f"LIMIT {int(limit)}" if limit else ""
    # One pass over the index: unnest each document's theme ids and count per theme.
    sql = f"""
        SELECT t.id, t.name, t.slug, coalesce(c.item_count, 0) AS item_count, c.last_change
        FROM {Tag._meta.db_table} t
        LEFT JOIN (
            SELECT unnest(d.theme_ids) AS tag_id, count(*) AS item_count, max(d.updated) AS last_change
            FROM {SearchDocument._meta.db_table} d
            WHERE d.kind = ANY(%s)
            GROUP BY 1
        ) c ON c.tag_id = t.id
        {where}
        ORDER BY {order}
        {limit_sql}
    """
    return list(Tag.objects.raw(sql, [list(THEME_KINDS)]))


# --- Query --------------------------------------------------------------------------------------


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
        return [{"value": value, "label": label, "count": self.counts.get(value, 0)} for value, label in Kind.choices]


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


_RANKED_SQL = """
    WITH matches AS MATERIALIZED ({matches})
    SELECT
      (SELECT coalesce(json_object_agg(kind, n), '{{}}')
         FROM (SELECT kind, count(*) AS n FROM matches GROUP BY kind) AS per_kind),
      (SELECT array_agg(id ORDER BY rank DESC, date DESC NULLS LAST, id)
         FROM (SELECT id, rank, date FROM matches WHERE %s = '' OR kind = %s
               ORDER BY rank DESC, date DESC NULLS LAST, id LIMIT %s OFFSET %s) AS ranked)
"""


def _counts_and_page(search_query, kind: str, offset: int, limit: int) -> tuple[dict[str, int], list[int]]:
    """One scan of the matching rows: the count per type, and the ids of one page ordered by rank.

    The ranked rows come from the ORM (``SearchQuery``/``SearchRank``); the wrapper only counts and cuts.
    """
    matches = (
        SearchDocument.objects.filter(vector=search_query)
        .annotate(rank=SearchRank(F("vector"), search_query))
        .order_by()
        .values("id", "kind", "date", "rank")
    )
    sql, params = matches.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_RANKED_SQL.format(matches=sql), (*params, kind, kind, limit, offset))
        counts, ids = cursor.fetchone()
    return {str(key): int(value) for key, value in (counts or {}).items()}, list(ids or [])


def _page_rows(ids: list[int], search_query) -> list[dict]:
    """The fields and the highlighted snippet of one page of results (headlines for these rows only)."""
    if not ids:
        return []
    rows = {
        row["pk"]: row
        for row in SearchDocument.objects.filter(pk__in=ids)
        .annotate(
            snippet=SearchHeadline(
                Concat("summary", Value(" \n "), "body", output_field=models.TextField()),
                search_query,
                config=CONFIG,
                start_sel=START_MARK,
                stop_sel=STOP_MARK,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
        .values("pk", "kind", "title", "url", "themes", "date", "snippet")
    }
    labels = dict(Kind.choices)
    ordered = []
    for pk in ids:
        row = rows.get(pk)
        if row is None:  # deleted between the two queries
            continue
        row["snippet"] = highlight(row["snippet"])
        row["kind_label"] = labels.get(row["kind"], row["kind"])
        row["theme_list"] = [name for name in row["themes"].split(", ") if name]
        ordered.append(row)
    return ordered


def _page_number(value: Any) -> int:
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


def run_search(raw_query: str | None, *, kind: str | None = None, page: Any = 1, per_page: int = PER_PAGE):
    """Counts per type and one ranked page in one query, then that page's rows and headlines in another.

    A page number past the end is answered with the last page (one more query, only then).
    """
    query, truncated = clean_query(raw_query)
    kind = kind if kind in Kind.values else ""
    results = SearchResults(query=query, truncated=truncated, kind=kind)
    if not query:
        return results
    search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
    number = _page_number(page)
    results.counts, ids = _counts_and_page(search_query, kind, (number - 1) * per_page, per_page)
    results.total = results.counts.get(kind, 0) if kind else results.all_count
    paginator = Paginator(range(results.total), per_page)
    if number > paginator.num_pages:
        number = paginator.num_pages
        if results.total:
            _, ids = _counts_and_page(search_query, kind, (number - 1) * per_page, per_page)
    results.page_obj = Page(_page_rows(ids, search_query), number, paginator)
    return results


def matching_object_ids(raw_query: str | None, *, kind: str) -> list[int]:
    """Object ids of every item of one kind that ``run_search`` finds for these words (one query, no ranking)."""
    query, _ = clean_query(raw_query)
    if not query:
        return []
    search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
    return list(
        SearchDocument.objects.filter(kind=kind, vector=search_query).order_by().values_list("object_id", flat=True)
    )


def explain(raw_query: str) -> str:
    """EXPLAIN ANALYZE of the ranked page query, for benchmarks."""
    query, _ = clean_query(raw_query)
    search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
    queryset = (
        SearchDocument.objects.filter(vector=search_query)
        .annotate(rank=SearchRank(F("vector"), search_query))
        .order_by("-rank")
        .values("pk")[:10]
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
