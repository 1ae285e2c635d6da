"""What every feed of the site shares: RSS 2.0 and Atom with plain-text summaries, links on SITE_URL.

Every link is on SITE_URL (never the request's host or the Sites record), and summaries are plain
text: Atom says ``type="text"``, RSS carries them HTML-escaped, so a reader shows markup literally.
Apps build their feeds (``<app>/feeds.py``) on ``SiteFeed``; ``KeptFeed`` keeps a written feed with
the derived data of the current content version.
"""

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from html import escape

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import get_language

from greenjobs.core.derived import derived
from greenjobs.core.siteurl import absolute

FEED_SIZE = 20


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


class KeptFeed(SiteFeed):
    """A feed whose object is a list of ids (or of the rows themselves): written once per content version,
    language, format and list.

    Its items are content rows: their ``title``, ``created`` and ``updated`` dates and ``theme_names``
    (``with_theme_names()``) give each entry's title, dates and categories.
    """

    def item_title(self, item):
        return item.title

    def item_pubdate(self, item):
        return item.created

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        return item.theme_names

    def get_feed(self, obj, request):
        generate = super().get_feed
        if not obj:  # an empty feed is dated now
            return generate(obj, request)

        def build() -> GeneratedFeed:
            feed = generate(obj, request)
            body = io.StringIO()
            feed.write(body, "utf-8")
            return GeneratedFeed(feed.content_type, feed.latest_post_date(), body.getvalue())

        ids = (str(getattr(item, "pk", item)) for item in obj)
        digest = hashlib.blake2b(",".join(ids).encode(), digest_size=16).hexdigest()
        return derived(f"feeds:{request.path}:{self.feed_type.__name__}:{get_language()}:{digest}", build)


def newest_of_theme(queryset, date_field: str):
    """A ``Publication.theme_feed_items`` for a public queryset: [(date, item)], newest first."""

    def items(tag, limit: int) -> list:
        rows = queryset().filter(themes__in=[tag]).order_by(f"-{date_field}", "-pk")[:limit]
        return [(getattr(row, date_field) or timezone.now(), row) for row in rows]

    return items
