"""/cases/feed/ (RSS) and /cases/feed/atom/: the newest published case stories."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from greenjobs.core.feeds import FEED_SIZE, KeptFeed, PlainTextAtomFeed

from .models import CaseStory


class CaseStoryFeed(KeptFeed):
    title = _("Green Jobs Portal: new case stories")
    description = _("The latest published stories of green, decent jobs.")

    def link(self):
        return reverse("cases:list")

    def get_object(self, request):
        """The newest published stories, read at each request (one query); the feed written from them is kept."""
        stories = CaseStory.objects.published().only("title", "slug", "summary", "published_at")
        return list(stories.with_theme_names()[:FEED_SIZE])

    def items(self, obj):
        return obj

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return None  # a story's date is when it was published


class CaseStoryAtomFeed(CaseStoryFeed):
    feed_type = PlainTextAtomFeed
    subtitle = CaseStoryFeed.description
