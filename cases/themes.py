"""The case stories of a theme: the theme page's section and the theme feed's items."""

from greenjobs.core.feeds import newest_of_theme

from .models import CaseStory
from .selectors import story_list

CASES_SHOWN = 12


def theme_section(tag, now) -> dict | None:
    """The newest stories of the theme, from the story index (kept per content version): one query."""
    stories = story_list({"theme": tag.slug, "country": "", "type": "", "language": "", "q": ""}, 1)
    cases = list(stories.page_obj.object_list)[:CASES_SHOWN]
    if not cases:
        return None
    more = stories.page_obj.paginator.count > CASES_SHOWN
    return {"cases": cases, "more_cases": more, "summary": {"cases": [story.pk for story in cases], "more_cases": more}}


theme_feed_items = newest_of_theme(CaseStory.objects.published, "published_at")
