"""Sitemap rows of an app's public items: (path, lastmod), by primary key, reading two columns only."""

from greenjobs.core.paths import slug_path


def slug_rows(queryset, viewname: str, date_field: str):
    """A ``Publication.sitemap_rows`` for items addressed by slug (``queryset`` is called per request)."""

    def rows(offset: int, limit: int) -> list:
        values = queryset().order_by("pk").values_list("slug", date_field)[offset : offset + limit]
        return [(slug_path(viewname, slug), date) for slug, date in values]

    return rows
