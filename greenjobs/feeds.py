"""RSS 2.0 and Atom feeds: new case stories, upcoming events, and each theme. Published items only.

Every link is on SITE_URL (never the request's host or the Sites record), and summaries are plain
text: Atom says ``type="text"``, RSS carries them HTML-escaped, so a reader shows markup literally.
"""

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from html import escape

from django.apps import apps
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from .derived import derived
from .siteurl import absolute

FEED_SIZE = 20
EVENT_FEED_SIZE = 50


class PlainTextRssFeed(Rss201rev2Feed):
    """RSS readers render ``<description>`` as HTML: escape the text once more so it shows as written."""

    def add_item_elements(self, handler, item):
        if item["description"] is not None:
            item = {**item, "description": escape(item["description"], quote=False)}
        super().add_item_elements(handler, item)


class PlainTextAtomFeed(Atom1Feed):
    """Atom with ``<summary type="text">`` instead of Django's ``type="html"``."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class SiteFeed(Feed):
    """A feed whose links, item links, enclosures and self link are all on SITE_URL.

    Django completes relative URLs with the Sites record's domain and the request's scheme, but
    leaves absolute ones alone: every URL attribute it reads (all through ``_get_dynamic_attr``)
    is made absolute on SITE_URL first.
    """

    feed_type = PlainTextRssFeed
    URL_ATTRIBUTES = frozenset({"link", "feed_url", "item_link", "item_enclosure_url"})

    def _get_dynamic_attr(self, attname, obj, default=None):
        value = super()._get_dynamic_attr(attname, obj, default)
        if value and attname in self.URL_ATTRIBUTES:
            return absolute(str(value))
        if value and attname == "item_enclosures":
            return [Enclosure(absolute(e.url), e.length, e.mime_type) for e in value]
        return value

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["feed_url"] = absolute(self._get_dynamic_attr("feed_url", obj) or request.path)
        return feed


class CaseStoryFeed(SiteFeed):
    title = _("Green Jobs Portal: new case stories")
    description = _("The latest published stories of green, decent jobs.")

    def link(self):
        return reverse("cases:list")

    def items(self):
        return apps.get_model("cases", "CaseStory").objects.published().with_theme_names()[:FEED_SIZE]

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


@dataclass(frozen=True)
class GeneratedFeed:
    """A feed written before, with what ``Feed.__call__`` asks of a feed generator."""

    content_type: str
    latest: dt.datetime
    body: str

    def latest_post_date(self) -> dt.datetime:
        return self.latest

    def write(self, outfile, encoding) -> None:
        outfile.write(self.body)


class EventFeed(SiteFeed):
    title = _("Green Jobs Portal: upcoming events")
    description = _("Meetings, workshops and webinars of the programme that have not ended yet.")

    def link(self):
        return reverse("events:list")

    def get_object(self, request):
        """The ids of the events the feed shows: the first upcoming ones."""
        return apps.get_model("events", "Event").objects.upcoming_ids()[0][:EVENT_FEED_SIZE]

    def get_feed(self, obj, request):
        """Written once per content version, language and list of events, and kept with the derived data."""
        generate = super().get_feed
        if not obj:  # an empty feed is dated now
            return generate(obj, request)

        def build() -> GeneratedFeed:
            feed = generate(obj, request)
            body = io.StringIO()
            feed.write(body, "utf-8")
            return GeneratedFeed(feed.content_type, feed.latest_post_date(), body.getvalue())

        digest = hashlib.blake2b(",".join(map(str, obj)).encode(), digest_size=16).hexdigest()
        return derived(f"feeds:events:{request.path}:{self.feed_type.__name__}:{get_language()}:{digest}", build)

    def items(self, obj):
        rows = apps.get_model("events", "Event").objects.published().for_feeds().in_bulk(obj)
        return [rows[pk] for pk in obj if pk in rows]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"{item.when_label()}. {item.summary}"

    def item_pubdate(self, item):
        return item.created

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        return item.theme_names


class EventAtomFeed(EventFeed):
    feed_type = PlainTextAtomFeed
    subtitle = EventFeed.description


def _published(label: str, tag, date_field: str):
    try:
        model = apps.get_model(label)
    except LookupError:
        return []
    rows = model.objects.published().filter(themes__in=[tag]).order_by(f"-{date_field}", "-pk")[:FEED_SIZE]
    return [(getattr(row, date_field) or timezone.now(), row) for row in rows]


class ThemeFeed(SiteFeed):
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

    def item_pubdate(self, item):
        return item[0]

    def item_categories(self, item):
        return [str(item[1]._meta.verbose_name).capitalize()]


class ThemeAtomFeed(ThemeFeed):
    feed_type = PlainTextAtomFeed

    def subtitle(self, obj):
        return self.description(obj)
