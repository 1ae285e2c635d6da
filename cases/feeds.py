"""/cases/feed/ (RSS) and /cases/feed/atom/: the newest published case stories."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from greenjobs.core.feeds import FEED_SIZE, PlainTextAtomFeed, SiteFeed

from .models import CaseStory


class CaseStoryFeed(SiteFeed):
    title = _("Green Jobs Portal: new case stories")
    description = _("The latest published stories of green, decent jobs.")

    def link(self):
        return reverse("cases:list")

    def items(self):
        return CaseStory.objects.published().with_theme_names()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_categories(self, item):
        return item.theme_names


class CaseStoryAtomFeed(CaseStoryFeed):
    feed_type = PlainTextAtomFeed
    subtitle = CaseStoryFeed.description
