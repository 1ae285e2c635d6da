"""/themes/<slug>/feed/ (RSS) and its Atom twin: a theme's newest public items of every kind.

Each app gives its newest items of a theme (``Publication.theme_feed_items``); this feed merges them.
"""

import datetime as dt

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from greenjobs.core.feeds import FEED_SIZE, PlainTextAtomFeed, SiteFeed
from greenjobs.core.registry import registry
from greenjobs.core.taxonomy import theme_label
from greenjobs.discovery.themes import theme_moved

_OLDEST = dt.datetime.min.replace(tzinfo=dt.UTC)


class ThemeFeed(SiteFeed):
    """A theme's newest published items, every kind together. A merged or renamed theme's feed answers 301."""

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except Http404:
            return theme_moved(request, kwargs["slug"])

    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj):
        return _("Green Jobs Portal: %(theme)s") % {"theme": theme_label(obj.name)}

    def description(self, obj):
        return _("New case stories, events and courses about %(theme)s.") % {"theme": theme_label(obj.name)}

    def link(self, obj):
        return reverse("themes:detail", kwargs={"slug": obj.slug})

    def items(self, obj):
        dated = [
            pair
            for publication in registry.with_("theme_feed_items")
            for pair in publication.theme_feed_items(obj, FEED_SIZE)
        ]
        dated.sort(key=lambda pair: pair[0] or _OLDEST, reverse=True)
        return dated[:FEED_SIZE]

    def item_title(self, item):
        return item[1].title

    def item_description(self, item):
        return item[1].summary

    def item_link(self, item):
        return item[1].get_absolute_url()

    def item_pubdate(self, item):
        return item[0]

    def item_categories(self, item):
        return [str(item[1]._meta.verbose_name).capitalize()]


class ThemeAtomFeed(ThemeFeed):
    feed_type = PlainTextAtomFeed

    def subtitle(self, obj):
        return self.description(obj)
