"""The public page types that the accessibility audit and the page-weight test visit.

Paths that depend on content are callables, evaluated once the demo content is loaded.
"""

import os

from django.core.management import call_command
from django.utils import timezone


def load_demo() -> None:
    """The demo content, as `make run` loads it: real stories with photos, events, courses, about pages."""
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)


def _story():
    from cases.models import CaseStory

    return CaseStory.objects.published().prefetch_related("themes").order_by("pk").first()


def _filtered_list() -> str:
    story = _story()
    return f"/cases/?theme={story.themes.first().slug}&country={story.country.code}"


def _second_page() -> str:
    """Enough extra stories for a second page, so the pagination links are checked too."""
    from tests.cases.factories import CaseStoryFactory

    CaseStoryFactory.create_batch(13, photo_file=False)
    return "/cases/?page=2"


def _status() -> str:
    from cases.models import CaseStory

    return CaseStory.objects.pending().order_by("pk").first().get_status_url()


def _event() -> str:
    from events.demo import LPM_SLUG

    return f"/events/{LPM_SLUG}/"


def _month() -> str:
    today = timezone.localdate()
    return f"/events/{today:%Y}/{today:%m}/"


def _course() -> str:
    from courses.models import Course

    return Course.objects.order_by("pk").first().get_absolute_url()


def _theme() -> str:
    return f"/themes/{_story().themes.first().slug}/"


# page type -> path, or a callable returning one. "submit-form-errors" is the form after an empty submit.
PAGES = {
    "home": "/",
    "case-list": "/cases/",
    "case-list-filtered": _filtered_list,
    "case-list-page-2": _second_page,
    "case-story": lambda: _story().get_absolute_url(),
    "submit-form": "/cases/submit/",
    "submit-form-errors": "/cases/submit/",
    "submit-thanks": "/cases/submit/thanks/",
    "case-status": _status,
    "events-list": "/events/",
    "events-past": "/events/past/",
    "month-grid": _month,
    "event-page": _event,
    "course-catalogue": "/courses/",
    "course-page": _course,
    "about-page": "/about/green-jobs/",
    "contact-page": "/contact/",
    "not-found": "/no-such-page/",
    "search-results": "/search/?q=solar",
    "search-empty": "/search/",
    "theme-list": "/themes/",
    "theme-page": _theme,
}
EXPECTED_STATUS = {"not-found": 404}


def page_path(page_type: str) -> str:
    path = PAGES[page_type]
    return path() if callable(path) else path
