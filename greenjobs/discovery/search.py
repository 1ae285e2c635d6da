"""Keeping the site search index in step with public content, for every app that registered an indexer.

Each app declares, in its ``AppConfig.ready()``, a ``Publication`` whose ``index`` returns a
document's fields (kind, title, summary, body, date) or ``None`` when the item is not public
(``greenjobs.core.registry``). Signals keep the table in step with saves, deletes and theme changes;
``manage.py rebuild_search_index`` rebuilds it from scratch. The vector is computed by PostgreSQL
(``SearchDocument.vector`` is a generated column).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

from greenjobs.core.registry import registry
from greenjobs.core.searchtext import CONFIGS, plain, words
from greenjobs.core.translated import has_own_text
from greenjobs.models import SearchDocument, SearchWord


def indexed_models() -> list:
    """The models some app indexes (its ``Publication.index``)."""
    return [publication.model for publication in registry.searchable()]


def _indexer(model):
    publication = registry.for_model(model)
    return publication.index if publication is not None else None


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


def _translations(obj, fields: dict) -> dict[str, str]:
    """The item's text in the other languages it has been translated into, as the document's ``title_fr``,
    ``summary_fr``, ``body_fr``…: the translations its indexer gives, and for django-modeltranslation fields
    its indexer run in each language the item has a title in."""
    found: dict[str, str] = {}
    for code, other in fields.get("translations", {}).items():
        if code in CONFIGS:
            found.update({f"title_{code}": plain(other["title"])[:300], f"summary_{code}": plain(other["summary"])})
            found[f"body_{code}"] = other.get("body", "")
    indexer = _indexer(type(obj))
    for code in CONFIGS:
        if code == fields.get("language", settings.LANGUAGE_CODE) or not has_own_text(obj, code):
            continue
        with translation.override(code):
            other = indexer(obj) or {}
        found.update(
            {f"title_{code}": plain(other.get("title", ""))[:300], f"summary_{code}": plain(other.get("summary", ""))}
        )
        found[f"body_{code}"] = other.get("body", "")
    return found


def _document(obj, content_type, fields: dict, themes: list[tuple[int, str]]) -> SearchDocument:
    return SearchDocument(
        **_translations(obj, fields),
        language=fields.get("language", settings.LANGUAGE_CODE),
        content_type=content_type,
        object_id=obj.pk,
        url=fields.get("url") or obj.get_absolute_url(),
        themes=", ".join(name for _, name in themes),
        theme_ids=[tag_id for tag_id, _ in themes],
        title=plain(fields["title"])[:300],
        summary=plain(fields["summary"]),
        body=fields["body"],
        kind=fields["kind"],
        date=fields["date"],
    )


_UPSERT_FIELDS = [
    "kind", "title", "summary", "body", "url", "themes", "theme_ids", "date", "updated", "language",
    *(f"{name}_{code}" for code in CONFIGS for name in ("title", "summary", "body")),
]  # fmt: skip


def _write(documents: list[SearchDocument]) -> None:
    """Insert or update the rows; PostgreSQL computes their vectors (a generated column)."""
    if documents:
        SearchDocument.objects.bulk_create(
            documents,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["content_type", "object_id"],
            update_fields=_UPSERT_FIELDS,
        )
        _add_words(documents)


def _add_words(documents: list[SearchDocument]) -> None:
    """Add the documents' new words to the vocabulary "did you mean" chooses from (one query).

    Words of a row deleted later stay; ``rebuild`` starts the vocabulary afresh.
    """
    found = set()
    for document in documents:
        for text in (document.title, document.summary, document.themes, document.body):
            found.update(word for word in words(text) if 3 <= len(word) <= 40)
    if found:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {SearchWord._meta.db_table} (word) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
                [sorted(found)],
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
    publication = registry.for_model(model)
    items = list(queryset.order_by("pk").prefetch_related(*publication.index_prefetch))
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
    SearchWord.objects.all().delete()
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


def themes_with_counts(*, limit: int | None = None, used_only: bool = False):
    """Every theme with ``item_count`` (public items of every kind that has themes) and ``last_change``.

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
    return list(Tag.objects.raw(sql, [registry.themed_kinds()]))
