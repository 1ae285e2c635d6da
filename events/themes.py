"""The events of a theme: the theme page's section and the theme feed's items."""

from django.urls import reverse

from greenjobs.core.feeds import newest_of_theme
from greenjobs.core.taxonomy import theme_label

from .models import Event

EVENTS_SHOWN = 20
PAST_EVENTS_SHOWN = 10


def theme_section(tag, now) -> dict | None:
    """The next upcoming events and the latest past ones, in one query; kept until a listed event ends."""
    events = Event.objects.published().filter(themes__in=[tag]).for_lists()
    upcoming, past = [], []
    for event in events.upcoming(now)[:EVENTS_SHOWN].union(events.past(now)[:PAST_EVENTS_SHOWN], all=True):
        (upcoming if event.ends_at >= now else past).append(event)
    if not (upcoming or past):
        return None
    upcoming.sort(key=lambda event: (event.starts_at, event.title))
    past.sort(key=lambda event: (-event.starts_at.timestamp(), event.title))
    # An event not listed starts after the last one listed, so it cannot end before that one starts.
    ends = [event.ends_at for event in upcoming] + ([upcoming[-1].starts_at] if len(upcoming) >= EVENTS_SHOWN else [])
    return {
        "upcoming_events": upcoming,
        "past_events": past,
        "until": min(ends, default=None),
        "calendar_path": f"{reverse('events:calendar_feed')}?theme={tag.slug}",
        "theme_name": theme_label(tag.name),
    }


theme_feed_items = newest_of_theme(Event.objects.published, "created")
