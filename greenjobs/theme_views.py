"""Theme pages: every theme, and one theme's published cases, events and courses."""

import datetime
import importlib
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.db import connection
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.views.decorators.http import require_safe
from taggit.models import Tag

from .derived import SECONDS as DERIVED_SECONDS
from .derived import derived
from .pagecache import content_version
from .paths import slug_path
from .search import themes_with_counts

CASES_SHOWN = 12
EVENTS_SHOWN = 20
PAST_EVENTS_SHOWN = 10
COURSES_SHOWN = 30


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


@require_safe
def theme_list(request):
    """Every theme. The list is rendered once per content version and language; the themes themselves are
    read from the cache only if asked for (``response.context``)."""
    language = get_language()
    themes = SimpleLazyObject(lambda: derived(f"themes:list:{language}", _listed_themes))
    listing = derived(f"themes:list-html:{language}", lambda: _listing(themes))
    return render(request, "themes/theme_list.html", {"themes": themes, "listing": listing})


def _listing(themes) -> str:
    return _fragment("themes/_theme_list.html", {"themes": themes})


def _fragment(template_name: str, context: dict) -> str:
    """A part of a page, without the line breaks that open and close its template file."""
    return mark_safe(render_to_string(template_name, context).removeprefix("\n").removesuffix("\n"))


def _listed_themes() -> list:
    """Every theme with its count of published items, its address and its count in words (kept per version)."""
    themes = themes_with_counts()
    for theme in themes:
        theme.url = slug_path("themes:detail", theme.slug)
        theme.count_label = ngettext("%(count)d item", "%(count)d items", theme.item_count) % {
            "count": theme.item_count
        }
    return themes


def theme_items(tag, now: datetime.datetime) -> dict:
    """The published items of the theme (from ``_theme``), a bounded number of each (at most four queries)."""
    items = {"cases": [], "more_cases": False, "upcoming_events": [], "past_events": [], "courses": []}
    CaseStory, Event, Course = _model("cases.CaseStory"), _model("events.Event"), _model("courses.Course")
    if CaseStory is not None:
        # The cases app's story index (kept per content version): the newest stories of the theme, one query.
        stories = importlib.import_module(f"{CaseStory._meta.app_config.name}.selectors").story_list(
            {"theme": tag.slug, "country": "", "type": "", "q": ""}, 1
        )
        items["cases"] = list(stories.page_obj.object_list)[:CASES_SHOWN]
        items["more_cases"] = stories.page_obj.paginator.count > CASES_SHOWN
    if Event is not None:
        events = Event.objects.published().filter(themes__in=[tag]).for_lists()
        # One query: the next upcoming events and the latest past ones.
        both = events.upcoming(now)[:EVENTS_SHOWN].union(events.past(now)[:PAST_EVENTS_SHOWN], all=True)
        for event in both:
            (items["upcoming_events"] if event.ends_at >= now else items["past_events"]).append(event)
        items["upcoming_events"].sort(key=lambda event: (event.starts_at, event.title))
        items["past_events"].sort(key=lambda event: (-event.starts_at.timestamp(), event.title))
    if Course is not None:
        items["courses"] = [Course(**row) for row in tag.course_rows]
    return items


def _theme(slug: str):
    """The theme with ``course_rows``, its first published courses by title as JSON objects: one query."""
    CaseStory, Event, Course = _model("cases.CaseStory"), _model("events.Event"), _model("courses.Course")
    # taggit looks up each model's content type: one query for all three on a cold process, none after.
    ContentType.objects.get_for_models(*[model for model in (CaseStory, Event, Course) if model is not None])
    themes = Tag.objects.filter(slug=slug)
    if Course is not None:
        courses = Course.objects.published().filter(themes=OuterRef("pk")).order_by("title")[:COURSES_SHOWN]
        fields = JSONObject(pk="pk", title="title", slug="slug", summary="summary")
        themes = themes.annotate(course_rows=ArraySubquery(courses.values(row=fields)))
    return themes.first()


@dataclass
class ThemePage:
    """A theme page's lists, rendered, kept per content version until ``until``."""

    theme: Tag
    sections: str
    cases: list[int]  # the stories shown
    more_cases: bool
    until: datetime.datetime | None  # the lists hold until an event ends (a coming one becomes past)


def _theme_page(slug: str, now: datetime.datetime) -> ThemePage | None:
    tag = _theme(slug)
    if tag is None:
        return None
    items = theme_items(tag, now)
    context = {"theme": tag, **items}
    context["is_empty"] = not (items["cases"] or items["upcoming_events"] or items["past_events"] or items["courses"])
    upcoming = items["upcoming_events"]
    # An event not listed starts after the last one listed, so it cannot end before that one starts.
    ends = [event.ends_at for event in upcoming] + ([upcoming[-1].starts_at] if len(upcoming) >= EVENTS_SHOWN else [])
    return ThemePage(
        theme=tag,
        sections=_fragment("themes/_sections.html", context),
        cases=[story.pk for story in items["cases"]],
        more_cases=items["more_cases"],
        until=min(ends, default=None),
    )


def _kept_theme_page(slug: str, now: datetime.datetime) -> ThemePage | None:
    """The theme's page, kept per content version and language while no listed event moves to the past."""
    if connection.in_atomic_block:
        return _theme_page(slug, now)
    key = f"derived:{content_version()}:themes:page:{get_language()}:{slug}"
    page = cache.get(key)
    if page is None or (page.until is not None and now > page.until):
        page = _theme_page(slug, now)
        if page is not None:
            cache.set(key, page, DERIVED_SECONDS)
    return page


@require_safe
def theme_detail(request, slug):
    page = _kept_theme_page(slug, timezone.now())
    if page is None:
        raise Http404("No theme here.")
    context = {"theme": page.theme, "sections": page.sections, "cases": page.cases, "more_cases": page.more_cases}
    return render(request, "themes/theme_detail.html", context)
