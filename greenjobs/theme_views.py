"""Theme pages: every theme, and one theme's published cases, events and courses."""

import importlib

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.views.decorators.http import require_safe
from taggit.models import Tag

from .derived import derived
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
    return render(
        request, "themes/theme_list.html", {"themes": derived(f"themes:list:{get_language()}", _listed_themes)}
    )


def _listed_themes() -> list:
    """Every theme with its count of published items, its address and its count in words (kept per version)."""
    themes = themes_with_counts()
    for theme in themes:
        theme.url = slug_path("themes:detail", theme.slug)
        theme.count_label = ngettext("%(count)d item", "%(count)d items", theme.item_count) % {
            "count": theme.item_count
        }
    return themes


def theme_items(tag) -> dict:
    """The theme's published items, a bounded number of each (at most five queries)."""
    items = {"cases": [], "more_cases": False, "upcoming_events": [], "past_events": [], "courses": []}
    CaseStory, Event, Course = _model("cases.CaseStory"), _model("events.Event"), _model("courses.Course")
    # taggit looks up each model's content type: one query for all three on a cold process, none after.
    ContentType.objects.get_for_models(*[model for model in (CaseStory, Event, Course) if model is not None])
    if CaseStory is not None:
        # The cases app's story index (kept per content version): the newest stories of the theme, one query.
        stories = importlib.import_module(f"{CaseStory._meta.app_config.name}.selectors").story_list(
            {"theme": tag.slug, "country": "", "type": "", "q": ""}, 1
        )
        items["cases"] = list(stories.page_obj.object_list)[:CASES_SHOWN]
        items["more_cases"] = stories.page_obj.paginator.count > CASES_SHOWN
    if Event is not None:
        now = timezone.now()
        events = Event.objects.published().filter(themes__in=[tag]).for_lists()
        # One query: the next upcoming events and the latest past ones.
        both = events.upcoming(now)[:EVENTS_SHOWN].union(events.past(now)[:PAST_EVENTS_SHOWN], all=True)
        for event in both:
            (items["upcoming_events"] if event.ends_at >= now else items["past_events"]).append(event)
        items["upcoming_events"].sort(key=lambda event: (event.starts_at, event.title))
        items["past_events"].sort(key=lambda event: (-event.starts_at.timestamp(), event.title))
    if Course is not None:
        courses = Course.objects.published().filter(themes__in=[tag]).only("pk", "title", "slug", "summary")
        items["courses"] = list(courses.order_by("title")[:COURSES_SHOWN])
    return items


@require_safe
def theme_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    context = {"theme": tag, **theme_items(tag)}
    context["is_empty"] = not (
        context["cases"] or context["upcoming_events"] or context["past_events"] or context["courses"]
    )
    return render(request, "themes/theme_detail.html", context)
