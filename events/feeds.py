"""/events/feed/ (RSS) and /events/feed/atom/: the events that have not ended yet, soonest first."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from greenjobs.core.feeds import KeptFeed, PlainTextAtomFeed

from .models import Event

EVENT_FEED_SIZE = 50


class EventFeed(KeptFeed):
    title = _("Green Jobs Portal: upcoming events")
    description = _("Meetings, workshops and webinars of the programme that have not ended yet.")

    def link(self):
        return reverse("events:list")

    def get_object(self, request):
        """The ids of the events the feed shows: the first upcoming ones."""
        return Event.objects.upcoming_ids()[0][:EVENT_FEED_SIZE]

    def items(self, obj):
        rows = Event.objects.published().for_feeds().in_bulk(obj)
        return [rows[pk] for pk in obj if pk in rows]

    def item_description(self, item):
        return f"{item.when_label()}. {item.summary}"


class EventAtomFeed(EventFeed):
    feed_type = PlainTextAtomFeed
    subtitle = EventFeed.description
