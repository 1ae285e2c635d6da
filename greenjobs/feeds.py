"""RSS 2.0 and Atom feeds: new case stories, upcoming events, and each theme. Published items only."""

import datetime as dt

from django.apps import apps
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

FEED_SIZE = 20


class CaseStoryFeed(Feed):
    title = _("Green Jobs Portal: new case stories")
    description = _("The latest published stories of green, decent jobs.")

    def link(self):
        return reverse("cases:list")

    def items(self):
        return apps.get_model("cases", "CaseStory").objects.published().prefetch_related("themes")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]


class CaseStoryAtomFeed(CaseStoryFeed):
    feed_type = Atom1Feed
    subtitle = CaseStoryFeed.description


class EventFeed(Feed):
    title = _("Green Jobs Portal: upcoming events")
    description = _("Meetings, workshops and webinars of the programme that have not ended yet.")

    def link(self):
        return reverse("events:list")

    def items(self):
        return apps.get_model("events", "Event").objects.published().upcoming().prefetch_related("themes")[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"{item.when_label()}. {item.summary}"

    def item_pubdate(self, item):
        return item.created

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]


class EventAtomFeed(EventFeed):
    feed_type = Atom1Feed
    subtitle = EventFeed.description


def _published(label: str, tag, date_field: str):
    try:
        model = apps.get_model(label)
    except LookupError:
        return []
    rows = model.objects.published().filter(themes__in=[tag]).order_by(f"-{date_field}", "-pk")[:FEED_SIZE]
    return [(getattr(row, date_field) or timezone.now(), row) for row in rows]


class ThemeFeed(Feed):
    """A theme's newest published case stories, events and courses together."""

    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj):
        return _("Green Jobs Portal: %(theme)s") % {"theme": obj.name}

    def description(self, obj):
        return _("New case stories, events and courses about %(theme)s.") % {"theme": obj.name}

    def link(self, obj):
        return reverse("themes:detail", kwargs={"slug": obj.slug})

    def items(self, obj):
        dated = [
            *_published("cases.CaseStory", obj, "published_at"),
            *_published("events.Event", obj, "created"),
            *_published("courses.Course", obj, "created"),
        ]
        dated.sort(key=lambda pair: pair[0] or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
        return [(date, item) for date, item in dated[:FEED_SIZE]]

    def item_title(self, item):
        return item[1].title

    def item_description(self, item):
        return item[1].summary

    def item_link(self, item):
        return item[1].get_absolute_url()

    def item_guid(self, item):
        return item[1].get_absolute_url()

    def item_pubdate(self, item):
        return item[0]

    def item_categories(self, item):
        return [str(item[1]._meta.verbose_name).capitalize()]


class ThemeAtomFeed(ThemeFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
