"""Items related by theme, read from the site search index, so that any app may show another's.

``SearchDocument`` holds every public item with its theme ids. The items related to an item are
those of a kind sharing the most themes with it, newest first among equals: one query, through the
GIN index on ``theme_ids``. It first takes the newest items sharing *every* theme (``@>``, a narrow
intersection of the index); only when these are too few does it rank the items sharing some
(``&&``: thousands for a popular theme), so the usual page reads a handful of rows. The markup is
``includes/related.html``.
"""

from __future__ import annotations

from collections.abc import Iterable

from greenjobs.models import SearchDocument

RELATED_COUNT = 3
TEMPLATE = "includes/related.html"

_COLUMNS = "id, title, summary, url, date"
_ORDER = "ORDER BY shared DESC, date DESC NULLS LAST, id DESC"
_SHARING_ALL = f"""
    SELECT {_COLUMNS}, %s AS shared FROM {{table}}
    WHERE kind = %s AND theme_ids @> %s::integer[] AND object_id IS DISTINCT FROM %s
    {_ORDER} LIMIT %s
"""
# Its condition on sharing_all is a one-time filter: when that has enough rows, this part never runs.
_SHARING_SOME = f"""
    SELECT {_COLUMNS}, {{shared}} AS shared FROM {{table}}
    WHERE (SELECT count(*) FROM sharing_all) < %s
      AND kind = %s AND theme_ids && %s::integer[] AND NOT theme_ids @> %s::integer[]
      AND object_id IS DISTINCT FROM %s
    {_ORDER} LIMIT %s
"""


def related(
    kind: str, theme_ids: Iterable[int], *, exclude: int | None = None, count: int = RELATED_COUNT
) -> list[SearchDocument]:
    """Public items of ``kind`` sharing the most of these themes, newest first among equals.

    ``exclude`` is the object id of the item itself when it is of that kind. Each item has
    ``title``, ``summary``, ``url`` and ``date``.
    """
    ids = sorted(set(theme_ids))
    if not ids:
        return []
    table = SearchDocument._meta.db_table
    sql = f"WITH sharing_all AS MATERIALIZED ({_SHARING_ALL.format(table=table)}) SELECT * FROM sharing_all"
    params: list = [len(ids), kind, ids, exclude, count]
    if len(ids) > 1:
        # How many of the themes an item shares: one cheap test per theme (an array intersection per row
        # costs ten times more).
        shared = " + ".join(["(theme_ids && ARRAY[%s]::integer[])::int"] * len(ids))
        sql += f" UNION ALL ({_SHARING_SOME.format(table=table, shared=shared)}) {_ORDER} LIMIT %s"
        params += [*ids, count, kind, ids, ids, exclude, count, count]
    return list(SearchDocument.objects.raw(sql, params))
