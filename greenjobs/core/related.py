"""Items related by theme, read from the site search index, so that any app may show another's.

``SearchDocument`` holds every public item with its theme ids. The items related to an item are
those of a kind sharing the most themes with it, newest first among equals: one query, whose work
does not grow with the number of items.

- First the items sharing *every* theme, looked for among the newest ``RECENT`` of the kind, then
  (only if fewer are found there) through the GIN index on ``theme_ids`` (the intersection of its
  lists), which reads only the items in it. For one theme, that is all: its newest items.
- With several themes, only when these are too few, the items sharing the most, chosen among the
  newest ``CANDIDATES`` of each theme (a popular theme has thousands of items).

The list for a set of themes is kept per content version (``derived``): items with the same themes
show the same related items, less the item itself.

The markup is ``includes/related.html``.
"""

from __future__ import annotations

from collections.abc import Iterable

from greenjobs.core.derived import derived
from greenjobs.models import SearchDocument

RELATED_COUNT = 3
CANDIDATES = 12
TEMPLATE = "includes/related.html"

_COLUMNS = "id, object_id, title, summary, url, date"
_NEWEST = "date DESC NULLS LAST, id DESC"
_ORDER = f"ORDER BY shared DESC, {_NEWEST}"
_OF_KIND = "kind = %s"

# First among the newest RECENT items of the kind (a walk of the date index, which finds items
# sharing common themes at once); only when fewer are found there, through the intersection of the GIN
# index's lists (MATERIALIZED: planned on its own), which reads only the items in it. A walk alone reads
# every item when no item shares all the themes; the intersection alone, thousands for common ones.
# The rows are then read by id (= ANY(ARRAY(...)): a few ids, not a join the planner would size by
# the intersection's estimate).
RECENT = 300
_SHARING_ALL = f"""
    WITH recent_sharing AS MATERIALIZED (
        SELECT id, date FROM (SELECT id, date, theme_ids FROM {{table}} WHERE kind = %s
                              ORDER BY {_NEWEST} LIMIT {RECENT}) AS recent
        WHERE theme_ids @> %s::integer[]
        ORDER BY {_NEWEST} LIMIT %s
    ),
    sharing_every AS MATERIALIZED (
        SELECT id FROM {{table}}
        WHERE (SELECT count(*) FROM recent_sharing) < %s AND {_OF_KIND} AND theme_ids @> %s::integer[]
    ),
    sharing_all AS MATERIALIZED (
        SELECT {_COLUMNS}, %s AS shared FROM {{table}}
        WHERE id = ANY(ARRAY(SELECT id FROM recent_sharing UNION SELECT id FROM sharing_every))
        ORDER BY {_NEWEST} LIMIT %s
    )
    SELECT * FROM sharing_all
"""
# The newest CANDIDATES of one theme, one branch per theme so that each is planned for its own theme.
_CANDIDATES_OF_THEME = f"""
    (SELECT id FROM {{table}} WHERE {_OF_KIND} AND theme_ids @> ARRAY[%s]::integer[]
     ORDER BY {_NEWEST} LIMIT {CANDIDATES})
"""
# Its condition on sharing_all is a one-time filter: when that has enough rows, this part never runs.
_SHARING_SOME = f"""
    SELECT {_COLUMNS}, {{shared}} AS shared FROM {{table}}
    WHERE (SELECT count(*) FROM sharing_all) < %s
      AND id IN ({{candidates}}) AND NOT theme_ids @> %s::integer[]
    {_ORDER} LIMIT %s
"""


def related(
    kind: str, theme_ids: Iterable[int], *, exclude: int | None = None, count: int = RELATED_COUNT
) -> list[SearchDocument]:
    """Public items of ``kind`` sharing the most of these themes, newest first among equals.

    ``exclude`` is the object id of the item itself when it is of that kind. Each item has
    ``title``, ``summary``, ``url`` and ``date``.

    Items with the same themes show the same related items, and few sets of themes are common (at bench
    scale, half the stories have one of 50): the list for a set is kept per content version, one item
    longer than shown so that the item itself can be left out of it.
    """
    ids = sorted(set(theme_ids))
    if not ids:
        return []
    key = f"related:{kind}:{count + 1}:{','.join(map(str, ids))}"
    found = derived(key, lambda: _sharing_most(kind, ids, count + 1))
    return [item for item in found if item.object_id != exclude][:count]


def _sharing_most(kind: str, ids: list[int], count: int) -> list[SearchDocument]:
    table = SearchDocument._meta.db_table
    sharing_all: list = [kind, ids, count, count, kind, ids, len(ids), count]
    if len(ids) == 1:  # a bounded walk, then the theme's own list: no plan left to the statistics
        return list(SearchDocument.objects.raw(f"{_SHARING_ALL.format(table=table)} ORDER BY {_NEWEST}", sharing_all))
    # How many of the themes an item shares: one cheap test per theme (an array intersection per row
    # costs ten times more).
    shared = " + ".join(["(theme_ids && ARRAY[%s]::integer[])::int"] * len(ids))
    candidates = " UNION ".join([_CANDIDATES_OF_THEME.format(table=table)] * len(ids))
    some = _SHARING_SOME.format(table=table, shared=shared, candidates=candidates)
    sql = f"{_SHARING_ALL.format(table=table)} UNION ALL ({some}) {_ORDER} LIMIT %s"
    params = [*sharing_all, *ids, count]
    params += [value for theme in ids for value in (kind, theme)]
    params += [ids, count, count]
    return list(SearchDocument.objects.raw(sql, params))
