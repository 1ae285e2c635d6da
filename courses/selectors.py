"""The catalogue: every published course's filter and order facts, kept per content version."""

import bisect
import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_migrate
from django.utils import timezone
from django.utils.html import escape
from taggit.models import TaggedItem

from greenjobs.core.derived import SECONDS as DERIVED_SECONDS

from .models import Course


@dataclass(frozen=True)
class Listed:
    """What the catalogue filters and orders a course by."""

    pk: int
    format: str
    languages: tuple[str, ...]
    theme_slugs: tuple[str, ...]  # by theme name
    starts: tuple[tuple[datetime.datetime, int], ...]  # (start, session pk) of sessions to come, soonest first

    def next_session(self, now: datetime.datetime) -> tuple[datetime.datetime, int] | None:
        """The soonest session not yet begun, as ``Prefetch(upcoming_sessions)[0]`` finds it."""
        index = bisect.bisect_left(self.starts, (now, 0))
        return self.starts[index] if index < len(self.starts) else None


@dataclass(frozen=True)
class Catalogue:
    courses: list[Listed]  # published courses by title, then pk (the database's collation)
    themes: list[dict]  # {slug, name} of the themes of published courses, by name
    options: str  # their <option> elements for the filter, none selected

    def theme_list(self, course: Listed) -> list[dict]:
        """The course's themes, {slug, name} by name."""
        names = {tag["slug"]: tag for tag in self.themes}
        return [names[slug] for slug in course.theme_slugs]


def catalogue(version: int | None) -> Catalogue:
    """Every published course's filter and order facts, kept per content ``version`` (two queries to build)
    and, once read, in this process too, so that a request does not unpickle it again. Without a version
    (inside a transaction) it is built and not kept.

    Sessions that begin before it is built are left out: they can never be a course's next session.
    """
    if version is None:
        return _build_catalogue()
    key = f"{connection.settings_dict['NAME']}:{version}"
    found = _catalogues.get(key)
    if found is None:
        name = f"derived:{version}:courses:catalogue"
        found = cache.get(name)
        if found is None:
            found = _build_catalogue()
            cache.set(name, found, DERIVED_SECONDS)
        _catalogues.clear()
        _catalogues[key] = found
    return found


def forget() -> None:
    """Drop the catalogue kept in this process (after a flush, in tests)."""
    _catalogues.clear()


_catalogues: dict[str, Catalogue] = {}
post_migrate.connect(lambda **kwargs: forget(), weak=False, dispatch_uid="courses-catalogue-forget")


def _build_catalogue() -> Catalogue:
    rows = (
        Course.objects.published()
        .with_upcoming_starts(timezone.now())
        .order_by("title", "pk")
        .values_list("pk", "format", "languages", "upcoming_starts", "upcoming_session_ids")
    )
    slugs: dict[int, list] = {}
    themes: dict[str, dict] = {}
    tagged = (
        TaggedItem.objects.filter(
            content_type__app_label=Course._meta.app_label,
            content_type__model=Course._meta.model_name,
            object_id__in=Course.objects.published().values("pk"),
        )
        .order_by("tag__name", "tag__slug")
        .values_list("object_id", "tag__slug", "tag__name")
    )
    for object_id, slug, name in tagged:
        slugs.setdefault(object_id, []).append(slug)
        themes.setdefault(slug, {"slug": slug, "name": name})
    courses = [
        Listed(
            pk, course_format, tuple(languages or ()), tuple(slugs.get(pk, ())), tuple(zip(starts, ids, strict=True))
        )
        for pk, course_format, languages, starts, ids in rows
    ]
    options = "".join(f'<option value="{escape(slug)}">{escape(tag["name"])}</option>' for slug, tag in themes.items())
    return Catalogue(courses, list(themes.values()), options)
