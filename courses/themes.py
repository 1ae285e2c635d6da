"""The courses of a theme: the theme page's section and the theme feed's items."""

from greenjobs.core.feeds import newest_of_theme

from .models import Course

COURSES_SHOWN = 30


def theme_section(tag, now) -> dict | None:
    """The theme's published courses by title (one query)."""
    courses = list(
        Course.objects.published()
        .filter(themes__in=[tag])
        .order_by("title")
        .only("pk", "title", "slug", "summary")[:COURSES_SHOWN]
    )
    return {"courses": courses} if courses else None


theme_feed_items = newest_of_theme(Course.objects.published, "created")
