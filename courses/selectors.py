"""Reads that reach beyond the courses app."""

from django.apps import apps
from django.db.models import Count


def related_case_stories(course, *, limit: int = 3) -> list:
    """Published case stories sharing the course's themes, most shared themes first.

    The cases app is looked up at call time so that courses never imports it; without it
    there are simply no related stories.
    """
    try:
        case_story = apps.get_model("cases", "CaseStory")
    except LookupError:
        return []
    theme_ids = [tag.pk for tag in course.themes.all()]
    if not theme_ids:
        return []
    return list(
        case_story.objects.published()
        .filter(themes__in=theme_ids)
        .annotate(shared_themes=Count("themes"))
        .order_by("-shared_themes", "-published_at", "-pk")
        .prefetch_related("themes")[:limit]
    )
