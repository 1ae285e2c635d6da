"""Reads that reach beyond the courses app."""

import importlib

from django.apps import apps


def _case_selectors():
    """The cases app's selectors, looked up at call time so that courses never imports it (None without it)."""
    if not apps.is_installed("cases"):
        return None
    return importlib.import_module("cases.selectors")


def related_case_stories(course, *, limit: int = 3) -> list:
    """Published case stories sharing the course's themes, most shared themes first, then newest.

    They come from the cases app's story index (kept per content version), as card-ready stories:
    one query for their rows. Without the cases app there are simply no related stories.
    """
    selectors = _case_selectors()
    theme_ids = [tag.pk for tag in course.themes.all()]
    if selectors is None or not theme_ids:
        return []
    index = selectors.story_index()
    return selectors.cards(index, index.related(0, theme_ids, limit))
