"""Theme pages: every theme, and one theme's published cases, events and courses."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from taggit.models import Tag

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
    return render(request, "themes/theme_list.html", {"themes": themes_with_counts()})


def theme_items(tag) -> dict:
    """The theme's published items, a bounded number of each (at most seven queries)."""
    items = {"cases": [], "more_cases": False, "upcoming_events": [], "past_events": [], "courses": []}
    CaseStory, Event, Course = _model("cases.CaseStory"), _model("events.Event"), _model("courses.Course")
    # taggit looks up each model's content type: one query for all three on a cold process, none after.
    ContentType.objects.get_for_models(*[model for model in (CaseStory, Event, Course) if model is not None])
    if CaseStory is not None:
        cases = list(
            CaseStory.objects.published().filter(themes__in=[tag]).prefetch_related("themes")[: CASES_SHOWN + 1]
        )
        items["cases"], items["more_cases"] = cases[:CASES_SHOWN], len(cases) > CASES_SHOWN
    if Event is not None:
        events = Event.objects.published().filter(themes__in=[tag])
        items["upcoming_events"] = list(events.upcoming()[:EVENTS_SHOWN])
        items["past_events"] = list(events.past()[:PAST_EVENTS_SHOWN])
    if Course is not None:
        items["courses"] = list(Course.objects.published().filter(themes__in=[tag]).order_by("title")[:COURSES_SHOWN])
    return items


@require_safe
def theme_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    context = {"theme": tag, **theme_items(tag)}
    context["is_empty"] = not (
        context["cases"] or context["upcoming_events"] or context["past_events"] or context["courses"]
    )
    return render(request, "themes/theme_detail.html", context)
